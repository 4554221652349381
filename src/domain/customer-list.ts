import { and, asc, count, eq, gt, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Database, Db } from '../db/client.js';
import { rowDecoder, tableShape } from '../loaders/keyed-select.js';
import type { CustomerRow } from '../db/schema.js';
import { customers, tablesDialect } from '../db/tables.js';
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
  const filter = args.filter ?? { visibleOrganizations: [] };
  checkFilter(filter);
  const rows: CustomerRow[] = [];
  if (first > 0) {
    const params = [...filterParams(filter), ...(after ? afterParams(after) : []), first + 1];
    const shape = `${filterShape(filter)}|${after ? 1 : 0}`;
    let source = pageStatements.get(shape);
    if (source === undefined) {
      const rendered = pageQuery(database, filter, after, first).toSQL();
      if (rendered.params.length !== params.length || rendered.params.some((param, i) => param !== params[i])) {
        throw new Error(`customer page: parameters ${JSON.stringify(params)} are not drizzle's ${JSON.stringify(rendered.params)}`);
      }
      if (pageStatements.size >= MAX_PAGE_STATEMENTS) pageStatements.clear();
      pageStatements.set(shape, (source = rendered.sql));
    }
    for (const row of await database.rows(source, params)) rows.push(decodeCustomer(row) as CustomerRow);
  }
  return {
    rows: rows.slice(0, first),
    cursorOf: encodeCustomerCursor,
    hasNextPage: rows.length > first,
    hasPreviousPage: after !== null,
  };
}

/**
 * The page statement, as drizzle renders it. It is rendered once per shape of filter (which
 * conditions, how many values in each list: filterShape): later pages of that shape reuse the text
 * with their own parameters (filterParams, afterParams, the limit), checked equal to drizzle's at
 * every first rendering, so the two cannot drift apart. Its rows are decoded by the loaders'
 * compiled decoder. Building and rendering the query through drizzle on every request was ~3 % of
 * the stitched read's CPU.
 */
function pageQuery(database: Database, filter: CustomerFilter, after: { createdAt: Date; id: string } | null, first: number) {
  const conditions = filterConditions(filter);
  if (after) {
    conditions.push(
      or(gt(customers.createdAt, after.createdAt), and(eq(customers.createdAt, after.createdAt), gt(customers.id, after.id)))!,
    );
  }
  return database.db
    .select()
    .from(customers)
    .where(and(...conditions))
    .orderBy(asc(customers.createdAt), asc(customers.id))
    .limit(first + 1);
}

/** Rendered page statements by shape; shapes are few (list lengths are bounded), the cap is a backstop. */
const pageStatements = new Map<string, string>();
const MAX_PAGE_STATEMENTS = 1000;

const afterParams = (after: { createdAt: Date; id: string }) => {
  const createdAt = customers.createdAt.mapToDriverValue(after.createdAt);
  return [createdAt, createdAt, after.id];
};

/** A customer row from its column array, decoded by the columns of the process's dialect (src/db/tables.ts). */
const decoders = new WeakMap<object, ReturnType<typeof rowDecoder>>();
function decodeCustomer(row: unknown[]): Record<string, unknown> {
  let decode = decoders.get(customers);
  if (!decode) decoders.set(customers, (decode = rowDecoder(tableShape(customers))));
  return decode(row);
}

/** How many customers match the filter, ignoring pagination. */
export async function countCustomers(db: Db, filter: CustomerFilter | null | undefined): Promise<number> {
  const checked = filter ?? { visibleOrganizations: [] };
  checkFilter(checked);
  const [row] = await db
    .select({ total: count() })
    .from(customers)
    .where(and(...filterConditions(checked)));
  return row?.total ?? 0;
}

/** Refuses a filter that cannot match as meant (an empty date range, a blank or overlong search). */
function checkFilter(filter: CustomerFilter): void {
  if (filter.createdFrom && filter.createdTo && filter.createdFrom >= filter.createdTo) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, 'createdAt.from must be earlier than createdAt.to', {
      argument: ['filter', 'createdAt'],
    });
  }
  if (filter.search != null) searchPattern(filter.search);
}

function filterConditions(filter: CustomerFilter): SQL[] {
  const conditions: SQL[] = [inArray(customers.organizationId, [...filter.visibleOrganizations])];
  if (filter.statuses?.length) conditions.push(inArray(customers.status, [...filter.statuses]));
  if (filter.kinds?.length) conditions.push(inArray(customers.kind, [...filter.kinds]));
  if (filter.organizationId) conditions.push(eq(customers.organizationId, filter.organizationId));
  if (filter.createdFrom) conditions.push(gte(customers.createdAt, filter.createdFrom));
  if (filter.createdTo) conditions.push(lt(customers.createdAt, filter.createdTo));
  if (filter.search != null) conditions.push(searchCondition(filter.search));
  return conditions;
}

/** filterConditions' parameters, in its order, as the driver gets them. */
function filterParams(filter: CustomerFilter): unknown[] {
  const params: unknown[] = [...filter.visibleOrganizations];
  if (filter.statuses?.length) params.push(...filter.statuses);
  if (filter.kinds?.length) params.push(...filter.kinds);
  if (filter.organizationId) params.push(filter.organizationId);
  if (filter.createdFrom) params.push(customers.createdAt.mapToDriverValue(filter.createdFrom));
  if (filter.createdTo) params.push(customers.createdAt.mapToDriverValue(filter.createdTo));
  if (filter.search != null) params.push(...Array<string>(SEARCHED_COLUMNS).fill(searchPattern(filter.search)));
  return params;
}

/** What decides filterConditions' SQL text: which conditions there are and how long each list is. */
function filterShape(filter: CustomerFilter): string {
  return [
    filter.visibleOrganizations.length,
    filter.statuses?.length ?? 0,
    filter.kinds?.length ?? 0,
    filter.organizationId ? 1 : 0,
    filter.createdFrom ? 1 : 0,
    filter.createdTo ? 1 : 0,
    filter.search != null ? 1 : 0,
  ].join(',');
}

/** The LIKE pattern for a search term; refuses a blank or overlong one. */
function searchPattern(search: string): string {
  const term = search.trim();
  if (term.length === 0 || term.length > MAX_SEARCH_LENGTH) {
    throw new AppError(
      ErrorCode.BAD_USER_INPUT,
      `search must be 1 to ${MAX_SEARCH_LENGTH} characters after trimming, got ${term.length}`,
      { argument: ['filter', 'search'] },
    );
  }
  // LIKE is case-insensitive for ASCII in SQLite (ILIKE in Postgres); wildcards in the term are literal.
  return `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** How many columns searchCondition matches the pattern against (each its own parameter). */
const SEARCHED_COLUMNS = 4;

function searchCondition(search: string): SQL {
  const pattern = searchPattern(search);
  const like = sql.raw(tablesDialect() === 'postgres' ? 'ilike' : 'like');
  const matches = (column: SQL | typeof customers.email) => sql`${column} ${like} ${pattern} escape '\\'`;
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
