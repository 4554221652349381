import { and, asc, count, eq, gt, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Database, Db } from '../db/client.js';
import { rowDecoder, tableShape } from '../loaders/keyed-select.js';
import { customers, type CustomerRow } from '../db/schema.js';
import { AppError, ErrorCode } from '../errors.js';
import type { CustomerKind, CustomerStatus } from './enums.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
export const MAX_SEARCH_LENGTH = 100;

export interface CustomerFilter {
  statuses?: readonly CustomerStatus[] | null;
  kinds?: readonly CustomerKind[] | null;
  organizationId?: string | null;
  /** Inclusive lower bound on createdAt. */
  createdFrom?: Date | null;
  /** Exclusive upper bound on createdAt. */
  createdTo?: Date | null;
  /** Case-insensitive substring of the name, business name, email or customer number. */
  search?: string | null;
  /** The viewer's organizations: nothing outside them is listed or counted. */
  visibleOrganizations: readonly string[];
}

export interface CustomerPage {
  rows: CustomerRow[];
  cursorOf(row: CustomerRow): string;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/**
 * One page of customers in a stable order (createdAt, then id), by keyset: a page costs one indexed
 * range scan however deep it is, and rows inserted meanwhile never shift later pages.
 * @example const page = await listCustomers(db, { first: 20, after: null, filter: { kinds: ['BUSINESS'] } });
 */
export async function listCustomers(
  database: Database,
  args: { first?: number | null; after?: string | null; filter?: CustomerFilter | null },
): Promise<CustomerPage> {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, `first must be between 0 and ${MAX_PAGE_SIZE}, got ${first}`, {
      argument: ['first'],
    });
  }
  const after = args.after == null ? null : decodeCustomerCursor(args.after);
  const conditions = filterConditions(args.filter ?? { visibleOrganizations: [] });
  if (after) {
    conditions.push(
      or(gt(customers.createdAt, after.createdAt), and(eq(customers.createdAt, after.createdAt), gt(customers.id, after.id)))!,
    );
  }
  // drizzle renders the statement; its rows are decoded by the loaders' compiled decoder (a page is
  // the widest read of the stitched query, and drizzle's generic row mapping was most of its cost)
  const rows: CustomerRow[] = [];
  if (first > 0) {
    const { sql: source, params } = database.db
      .select()
      .from(customers)
      .where(and(...conditions))
      .orderBy(asc(customers.createdAt), asc(customers.id))
      .limit(first + 1)
      .toSQL();
    for (const row of database.rows(source, params)) rows.push(decodeCustomer(row) as CustomerRow);
  }
  return {
    rows: rows.slice(0, first),
    cursorOf: encodeCustomerCursor,
    hasNextPage: rows.length > first,
    hasPreviousPage: after !== null,
  };
}

const decodeCustomer = rowDecoder(tableShape(customers));

/** How many customers match the filter, ignoring pagination. */
export async function countCustomers(db: Db, filter: CustomerFilter | null | undefined): Promise<number> {
  const [row] = await db
    .select({ total: count() })
    .from(customers)
    .where(and(...filterConditions(filter ?? { visibleOrganizations: [] })));
  return row?.total ?? 0;
}

function filterConditions(filter: CustomerFilter): SQL[] {
  const conditions: SQL[] = [inArray(customers.organizationId, [...filter.visibleOrganizations])];
  if (filter.statuses?.length) conditions.push(inArray(customers.status, [...filter.statuses]));
  if (filter.kinds?.length) conditions.push(inArray(customers.kind, [...filter.kinds]));
  if (filter.organizationId) conditions.push(eq(customers.organizationId, filter.organizationId));
  if (filter.createdFrom && filter.createdTo && filter.createdFrom >= filter.createdTo) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, 'createdAt.from must be earlier than createdAt.to', {
      argument: ['filter', 'createdAt'],
    });
  }
  if (filter.createdFrom) conditions.push(gte(customers.createdAt, filter.createdFrom));
  if (filter.createdTo) conditions.push(lt(customers.createdAt, filter.createdTo));
  if (filter.search != null) conditions.push(searchCondition(filter.search));
  return conditions;
}

function searchCondition(search: string): SQL {
  const term = search.trim();
  if (term.length === 0 || term.length > MAX_SEARCH_LENGTH) {
    throw new AppError(
      ErrorCode.BAD_USER_INPUT,
      `search must be 1 to ${MAX_SEARCH_LENGTH} characters after trimming, got ${term.length}`,
      { argument: ['filter', 'search'] },
    );
  }
  // LIKE is case-insensitive for ASCII in SQLite (ILIKE in Postgres); wildcards in the term are literal.
  const pattern = `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  const matches = (column: SQL | typeof customers.email) => sql`${column} like ${pattern} escape '\\'`;
  return or(
    matches(sql`coalesce(${customers.firstName}, '') || ' ' || coalesce(${customers.lastName}, '')`),
    matches(sql`coalesce(${customers.businessName}, '')`),
    matches(sql`coalesce(${customers.email}, '')`),
    matches(sql`${customers.customerNumber}`),
  )!;
}

const CURSOR_PREFIX = 'customer:v1:';

export function encodeCustomerCursor(row: Pick<CustomerRow, 'createdAt' | 'id'>): string {
  return Buffer.from(`${CURSOR_PREFIX}${row.createdAt.getTime()}:${row.id}`, 'utf8').toString('base64url');
}

export function decodeCustomerCursor(cursor: string): { createdAt: Date; id: string } {
  const decoded = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = new RegExp(`^${CURSOR_PREFIX}(\\d{1,15}):(.+)$`).exec(decoded);
  if (!match) {
    throw new AppError(ErrorCode.INVALID_CURSOR, `"${cursor.slice(0, 40)}" is not a cursor of this connection`, {
      argument: ['after'],
    });
  }
  return { createdAt: new Date(Number(match[1])), id: match[2]! };
}
