import { inArray } from 'drizzle-orm';
import type { CustomerRow } from '../db/schema.js';
import { customers } from '../db/tables.js';
import { customerInputSchema } from './canonical-customer.js';
import { linksOf, linksRows } from './customer-create.js';
import { storedCustomerInput, storedPrimaryAccounts } from './customer-records.js';
import type { ProviderName } from './enums.js';
import type { MutationDeps } from './mutation-deps.js';
import { sendOutboxCalls, writeLinksAndOutbox, type OutboxCall } from './provider-dispatch.js';
import { planProviderRequests, type ProviderRequestPlan } from './provider-routing.js';
import { zodIssuesToUserErrors, type UserError } from './user-error.js';

/**
 * Sends customers already stored here to providers they are not yet linked to, through the same
 * validation, links, outbox and dispatch as customerCreate. A customer that a provider's contract
 * refuses is reported, not sent. Used to link the demo data to the simulators.
 * @example const refused = await routeStoredCustomers(deps, ids, ['FIRSTVISION']);
 */
export async function routeStoredCustomers(
  deps: MutationDeps,
  customerIds: readonly string[],
  targets: readonly ProviderName[],
): Promise<{ routed: number; refused: { customerId: string; errors: UserError[] }[] }> {
  const rows = customerIds.length ? await deps.database.db.select().from(customers).where(inArray(customers.id, [...customerIds])) : [];
  const refused: { customerId: string; errors: UserError[] }[] = [];
  const calls: OutboxCall[] = [];
  const today = deps.now().toISOString().slice(0, 10);
  for (const row of rows) {
    const linked = await linksOf(deps, row.id);
    const missing = targets.filter((provider) => !linked.has(provider));
    if (missing.length === 0) continue;
    const { plans, errors } = await planStoredCustomer(deps, row, missing, today);
    if (errors.length > 0) refused.push({ customerId: row.id, errors });
    if (plans.length === 0) continue;
    calls.push(
      ...(await deps.database.transaction((tx) =>
        writeLinksAndOutbox(tx, { customerId: row.id, plans, operation: 'create', now: deps.now(), deadlineMs: deps.providerDeadlineMs }),
      )),
    );
  }
  await sendOutboxCalls(deps, calls);
  return { routed: new Set(calls.map((call) => call.customerId)).size, refused };
}

/**
 * Plans provider creates for a customer stored here: its stored data (with the accounts it holds as
 * primary) validated canonically, then mapped and checked for each target. Errors' fields are
 * relative to the customer ('customer', …).
 */
export async function planStoredCustomer(
  deps: MutationDeps,
  row: CustomerRow,
  targets: readonly ProviderName[],
  today: string,
): Promise<{ plans: ProviderRequestPlan[]; errors: UserError[] }> {
  const { accounts, accountIds } = await storedPrimaryAccounts(deps.database.db, row.id);
  const parsed = customerInputSchema(today).safeParse({ ...(await storedCustomerInput(deps.database.db, row)), accounts });
  if (!parsed.success) return { plans: [], errors: zodIssuesToUserErrors(parsed.error.issues, ['customer']) };
  const parent = row.parentId ? (await deps.database.db.select().from(customers).where(inArray(customers.id, [row.parentId])))[0] : undefined;
  const links = await linksRows(deps, row.id);
  return planProviderRequests({
    providers: deps.providers,
    targets,
    operation: 'create',
    routing: {
      customerId: row.id,
      customerNumber: row.customerNumber,
      customer: parsed.data,
      accountIds,
      parent: parent ? { customerId: parent.id, customerNumber: parent.customerNumber, externalId: null } : null,
      auditUser: deps.viewer.subject,
      createdAt: row.createdAt,
    },
    externalIds: {},
    parentExternalIds: parent ? Object.fromEntries(await linksOf(deps, parent.id)) : {},
    providerOptions: null,
    storedOptions: Object.fromEntries(links.map((link) => [link.provider, link.options ?? undefined])),
    itemPath: [],
  });
}
