import { inArray } from 'drizzle-orm';
import { inJsonList } from '../db/dialect-sql.js';
import type { CustomerRow, ProviderLinkRow } from '../db/schema.js';
import { customers, providerLinks } from '../db/tables.js';
import { acceptCustomers, routeTargets, type AcceptedCustomer, type CustomerItemInput } from './customer-create.js';
import { insertCustomerGraphs } from './customer-records.js';
import type { ProviderName } from './enums.js';
import type { CommitReference } from './idempotency.js';
import type { MutationDeps } from './mutation-deps.js';
import { sendOutboxCalls, writeLinksAndOutboxOfMany, type OutboxCall } from './provider-dispatch.js';
import type { UserError } from './user-error.js';

export const MAX_IMPORT_ITEMS = 1000;

export interface ImportItemResult {
  index: number;
  customer: CustomerRow | null;
  providerResults: ProviderLinkRow[];
  userErrors: UserError[];
}

/**
 * customersImport: every item is validated on its own (one bad item does not sink the others);
 * the good ones are written in one transaction (a few multi-row statements per table), then routed —
 * Cardlytics in batches of at most 50.
 * @example const result = await importCustomers(deps, { items: [{ customer }, { customer: other }], providers: ['CARDLYTICS'] });
 */
export async function importCustomers(
  deps: MutationDeps,
  input: { items: readonly CustomerItemInput[]; providers?: readonly ProviderName[] | null },
  commit?: CommitReference,
): Promise<{ items: ImportItemResult[]; userErrors: UserError[] }> {
  if (input.items.length > MAX_IMPORT_ITEMS) {
    return {
      items: [],
      userErrors: [
        { field: ['input', 'items'], message: `at most ${MAX_IMPORT_ITEMS} items per call, got ${input.items.length}`, code: 'TOO_MANY' },
      ],
    };
  }
  const targets = routeTargets(input.providers, deps.defaultProviders);
  const results: ImportItemResult[] = [];
  const accepted: { index: number; customer: AcceptedCustomer }[] = [];
  const numbersInBatch = new Map<string, number>();
  const accountsInBatch = new Map<string, number>();

  const outcomes = await acceptCustomers(deps, input.items, targets, (index) => ['input', 'items', index]);
  for (const [index, { accepted: ok, errors }] of outcomes.entries()) {
    if (ok) errors.push(...duplicatesWithinBatch(ok, index, numbersInBatch, accountsInBatch));
    results.push({ index, customer: null, providerResults: [], userErrors: errors });
    if (ok && errors.length === 0) accepted.push({ index, customer: ok });
  }

  const rows = new Map<string, CustomerRow>();
  const calls: OutboxCall[] = await deps.database.transaction(async (tx) => {
    const now = deps.now();
    const organizationId = deps.viewer.organizationId;
    const written = await insertCustomerGraphs(tx, accepted.map(({ customer }) => ({ ...customer, organizationId, now })));
    for (const row of written) rows.set(row.id, row);
    const queued = await writeLinksAndOutboxOfMany(tx, {
      customers: accepted.map(({ customer }) => ({ customerId: customer.customerId, plans: customer.plans })),
      operation: 'create',
      now,
      deadlineMs: deps.providerDeadlineMs,
    });
    const customerIdAt = new Map(accepted.map(({ index, customer }) => [index, customer.customerId]));
    await commit?.(tx, {
      items: results.map((result) => ({
        index: result.index,
        customerId: customerIdAt.get(result.index) ?? null,
        userErrors: result.userErrors,
      })),
    } satisfies ImportReference);
    return queued;
  });
  await sendOutboxCalls(deps, calls);

  // the customers' rows are as written; their links have changed since (the providers' outcomes)
  const links = await linksByCustomer(deps, accepted.map(({ customer }) => customer.customerId));
  for (const { index, customer } of accepted) {
    results[index]!.customer = rows.get(customer.customerId) ?? null;
    results[index]!.providerResults = links.get(customer.customerId) ?? [];
  }
  return { items: results, userErrors: results.flatMap((result) => result.userErrors) };
}

/** The customers' provider links (in provider order), by customer id: one statement. */
async function linksByCustomer(deps: MutationDeps, ids: readonly string[]): Promise<Map<string, ProviderLinkRow[]>> {
  const byCustomer = new Map<string, ProviderLinkRow[]>();
  if (ids.length === 0) return byCustomer;
  const links = await deps.database.db
    .select()
    .from(providerLinks)
    .where(inJsonList(providerLinks.customerId, ids))
    .orderBy(providerLinks.provider);
  for (const link of links) {
    const list = byCustomer.get(link.customerId);
    if (list) list.push(link);
    else byCustomer.set(link.customerId, [link]);
  }
  return byCustomer;
}

/** Customer and account numbers may not repeat across the items of one import. */
function duplicatesWithinBatch(
  customer: AcceptedCustomer,
  index: number,
  numbers: Map<string, number>,
  accounts: Map<string, number>,
): UserError[] {
  const errors: UserError[] = [];
  const earlier = numbers.get(customer.customerNumber);
  if (earlier !== undefined) {
    errors.push({
      field: ['input', 'items', index, 'customer', 'customerNumber'],
      message: `repeats the customer number of items[${earlier}]`,
      code: 'TAKEN',
    });
  } else {
    numbers.set(customer.customerNumber, index);
  }
  customer.customer.accounts.forEach((account, i) => {
    const first = accounts.get(account.accountNumber);
    if (first !== undefined && first !== index) {
      errors.push({
        field: ['input', 'items', index, 'customer', 'accounts', i, 'accountNumber'],
        message: `repeats an account number of items[${first}]`,
        code: 'TAKEN',
      });
    } else {
      accounts.set(account.accountNumber, index);
    }
  });
  return errors;
}

/** What an import committed, per item: enough to answer a retry of a request that died after committing. */
export interface ImportReference {
  items: { index: number; customerId: string | null; userErrors: UserError[] }[];
}

export async function importPayloadFromReference(
  deps: MutationDeps,
  reference: ImportReference,
): Promise<{ items: ImportItemResult[]; userErrors: UserError[] }> {
  const ids = reference.items.flatMap((item) => (item.customerId ? [item.customerId] : []));
  const [rows, links] = await Promise.all([
    ids.length ? deps.database.db.select().from(customers).where(inArray(customers.id, ids)) : [],
    linksByCustomer(deps, ids),
  ]);
  const rowById = new Map(rows.map((row) => [row.id, row]));
  const items = reference.items.map((item) => ({
    index: item.index,
    customer: (item.customerId && rowById.get(item.customerId)) || null,
    providerResults: (item.customerId && links.get(item.customerId)) || [],
    userErrors: item.userErrors,
  }));
  return { items, userErrors: items.flatMap((item) => item.userErrors) };
}
