import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { CustomerRow, ProviderLinkRow } from '../db/schema.js';
import { customers, providerLinks } from '../db/tables.js';
import { AppError } from '../errors.js';
import { decodeGlobalId } from '../global-id.js';
import { customerInputSchema, type CanonicalCustomer } from './canonical-customer.js';
import { unusedCustomerNumbers } from './customer-number.js';
import { insertCustomerGraph, takenAccountNumbers, takenCustomerNumbers } from './customer-records.js';
import type { ProviderName } from './enums.js';
import type { CommitReference } from './idempotency.js';
import { uniqueViolationTable } from '../db/errors.js';
import type { MutationDeps } from './mutation-deps.js';
import { sendOutboxCalls, writeLinksAndOutbox, type OutboxCall } from './provider-dispatch.js';
import { planProviderRequests, type ProviderRequestPlan } from './provider-routing.js';
import { zodIssuesToUserErrors, type InputPath, type UserError } from './user-error.js';

export interface CustomerItemInput {
  customer: unknown;
  providerOptions?: Record<string, unknown> | null;
}

export interface CustomerMutationResult {
  customer: CustomerRow | null;
  providerResults: ProviderLinkRow[];
  userErrors: UserError[];
}

/** A customer that passed every check and is ready to be written. */
export interface AcceptedCustomer {
  customerId: string;
  accountIds: string[];
  customerNumber: string;
  parentId: string | null;
  customer: CanonicalCustomer;
  plans: ProviderRequestPlan[];
}

/**
 * Validates customer items completely, with no writes: the canonical model, their references
 * (parent, numbers already taken), then every target provider's options and contract. Per item,
 * either every error or the customer ready to write, in the items' order. Each item is judged on its
 * own, as if alone (numbers repeated across items are the caller's concern: see customersImport);
 * the lookups are made for all items at once, a handful of statements whatever their number.
 */
export async function acceptCustomers(
  deps: MutationDeps,
  items: readonly CustomerItemInput[],
  targets: readonly ProviderName[],
  itemPathOf: (index: number) => InputPath,
): Promise<{ accepted: AcceptedCustomer | null; errors: UserError[] }[]> {
  const db = deps.database.db;
  const parsed = items.map((item, index) => {
    const now = deps.now();
    const result = customerInputSchema(now.toISOString().slice(0, 10)).safeParse(item.customer);
    if (!result.success) return { index, now, customer: null, errors: zodIssuesToUserErrors(result.error.issues, [...itemPathOf(index), 'customer']) };
    return { index, now, customer: result.data, errors: [] as UserError[] };
  });
  const valid = parsed.flatMap(({ index, customer }) => (customer ? [{ index, customer }] : []));

  const parents = await resolveParents(
    deps,
    valid.flatMap(({ index, customer }) =>
      customer.parentId ? [{ index, globalId: customer.parentId, field: [...itemPathOf(index), 'customer', 'parentId'] }] : [],
    ),
  );
  const givenNumbers = valid.flatMap(({ customer }) => (customer.customerNumber ? [customer.customerNumber] : []));
  const takenNumbers = await takenCustomerNumbers(db, [...new Set(givenNumbers)]);
  const accountNumbers = new Set(valid.flatMap(({ customer }) => customer.accounts.map((account) => account.accountNumber)));
  const taken = await takenAccountNumbers(db, deps.viewer.organizationId, [...accountNumbers]);
  const generated = await unusedCustomerNumbers(db, valid.length - givenNumbers.length, new Set(givenNumbers));
  const parentLinks = await linksOfMany(deps, [...new Set([...parents.values()].flatMap(({ parent }) => (parent ? [parent.id] : [])))]);

  return parsed.map((entry) => {
    const { index, now, customer } = entry;
    if (!customer) return { accepted: null, errors: entry.errors };
    const itemPath = itemPathOf(index);
    const errors: UserError[] = [];
    const resolved = parents.get(index);
    if (resolved) errors.push(...resolved.errors);
    const parent = resolved?.parent ?? null;
    if (customer.customerNumber && takenNumbers.has(customer.customerNumber)) {
      errors.push({
        field: [...itemPath, 'customer', 'customerNumber'],
        message: `customer number ${customer.customerNumber} is already used`,
        code: 'TAKEN',
      });
    }
    customer.accounts.forEach((account, i) => {
      if (taken.has(account.accountNumber)) {
        errors.push({
          field: [...itemPath, 'customer', 'accounts', i, 'accountNumber'],
          message: `account number ${account.accountNumber} is already used`,
          code: 'TAKEN',
        });
      }
    });

    const customerId = randomUUID();
    const accountIds = customer.accounts.map(() => randomUUID());
    const customerNumber = customer.customerNumber ?? generated.pop()!;
    const { plans, errors: providerErrors } = planProviderRequests({
      providers: deps.providers,
      targets,
      operation: 'create',
      routing: {
        customerId,
        customerNumber,
        customer,
        accountIds,
        parent: parent ? { customerId: parent.id, customerNumber: parent.customerNumber, externalId: null } : null,
        auditUser: deps.viewer.subject,
        createdAt: now,
      },
      externalIds: {},
      parentExternalIds: Object.fromEntries(parent ? (parentLinks.get(parent.id) ?? new Map()) : new Map()),
      providerOptions: items[index]!.providerOptions,
      itemPath,
    });
    errors.push(...providerErrors);
    if (errors.length > 0) return { accepted: null, errors };
    return {
      accepted: { customerId, accountIds, customerNumber, parentId: parent?.id ?? null, customer, plans },
      errors: [],
    };
  });
}

/**
 * customerCreate: validate everything, write the customer, its children, a provider link and an
 * outbox row per target in one transaction, then call the providers in parallel.
 * @example const result = await createCustomer(deps, { customer: { name: { first: 'Aino', last: 'V' } }, providers: ['NOAH'] });
 */
export async function createCustomer(
  deps: MutationDeps,
  input: CustomerItemInput & { providers?: readonly ProviderName[] | null },
  commit?: CommitReference,
): Promise<CustomerMutationResult> {
  const targets = routeTargets(input.providers, deps.defaultProviders);
  const { accepted, errors } = (await acceptCustomers(deps, [input], targets, () => ['input']))[0]!;
  if (!accepted) return { customer: null, providerResults: [], userErrors: errors };

  let calls: OutboxCall[];
  try {
    calls = await deps.database.transaction(async (tx) => {
      const now = deps.now();
      await insertCustomerGraph(tx, { ...accepted, organizationId: deps.viewer.organizationId, now });
      await commit?.(tx, { customerId: accepted.customerId });
      return writeLinksAndOutbox(tx, {
        customerId: accepted.customerId,
        plans: accepted.plans,
        operation: 'create',
        now,
        deadlineMs: deps.providerDeadlineMs,
      });
    });
  } catch (error) {
    const conflict = uniqueConflict(error);
    if (!conflict) throw error;
    // another request took the number between our check and our insert
    return { customer: null, providerResults: [], userErrors: [{ field: ['input', 'customer', ...conflict], message: 'is already used', code: 'TAKEN' }] };
  }
  await sendOutboxCalls(deps, calls);
  return {
    customer: (await deps.database.db.select().from(customers).where(eq(customers.id, accepted.customerId)))[0] ?? null,
    providerResults: await linksRows(deps, accepted.customerId),
    userErrors: [],
  };
}

/** The providers to route to: the caller's list (deduplicated, in the enum's order) or the default. */
export function routeTargets(requested: readonly ProviderName[] | null | undefined, fallback: readonly ProviderName[]): ProviderName[] {
  const chosen = requested ?? fallback;
  return [...new Set(chosen)];
}

/** The payload of a customer mutation as it stands now (a retry of a request that died after committing). */
export async function currentCustomerPayload(deps: MutationDeps, customerId: string): Promise<CustomerMutationResult> {
  const [customer] = await deps.database.db.select().from(customers).where(eq(customers.id, customerId));
  return { customer: customer ?? null, providerResults: customer ? await linksRows(deps, customerId) : [], userErrors: [] };
}

export async function linksRows(deps: MutationDeps, customerId: string): Promise<ProviderLinkRow[]> {
  return deps.database.db.select().from(providerLinks).where(eq(providerLinks.customerId, customerId)).orderBy(providerLinks.provider);
}

/**
 * The parents items name, by item index: the customer (when it is one the viewer sees), or the error
 * at the item's parentId. One statement for all of them.
 */
async function resolveParents(
  deps: MutationDeps,
  requests: readonly { index: number; globalId: string; field: InputPath }[],
): Promise<Map<number, { parent: CustomerRow | null; errors: UserError[] }>> {
  const resolved = new Map<number, { parent: CustomerRow | null; errors: UserError[] }>();
  const wanted: { index: number; id: string; field: InputPath }[] = [];
  for (const { index, globalId, field } of requests) {
    try {
      const decoded = decodeGlobalId(globalId, field.map(String));
      if (decoded.typename !== 'Customer') throw new Error('not a customer');
      wanted.push({ index, id: decoded.id, field });
    } catch (error) {
      resolved.set(index, { parent: null, errors: [{ field, message: error instanceof AppError ? error.message : 'must be a Customer ID', code: 'INVALID' }] });
    }
  }
  if (wanted.length === 0) return resolved;
  const rows = await deps.database.db
    .select()
    .from(customers)
    // another tenant's customer is "no such customer"
    .where(and(inArray(customers.id, [...new Set(wanted.map((w) => w.id))]), inArray(customers.organizationId, [...(await deps.visibleOrganizations())])));
  const byId = new Map(rows.map((row) => [row.id, row]));
  for (const { index, id, field } of wanted) {
    const parent = byId.get(id) ?? null;
    resolved.set(index, { parent, errors: parent ? [] : [{ field, message: 'no such customer', code: 'NOT_FOUND' }] });
  }
  return resolved;
}

/** Each customer's id at each provider it is linked to (null while not yet synced), by customer. */
async function linksOfMany(deps: MutationDeps, customerIds: readonly string[]): Promise<Map<string, Map<ProviderName, string | null>>> {
  const byCustomer = new Map<string, Map<ProviderName, string | null>>(customerIds.map((id) => [id, new Map()]));
  if (customerIds.length === 0) return byCustomer;
  const rows = await deps.database.db
    .select({ customerId: providerLinks.customerId, provider: providerLinks.provider, externalId: providerLinks.externalId })
    .from(providerLinks)
    .where(inArray(providerLinks.customerId, [...customerIds]));
  for (const row of rows) byCustomer.get(row.customerId)!.set(row.provider, row.externalId);
  return byCustomer;
}

/** The customer's id at each provider it is linked to (null while not yet synced). */
export async function linksOf(deps: MutationDeps, customerId: string): Promise<Map<ProviderName, string | null>> {
  const rows = await deps.database.db
    .select({ provider: providerLinks.provider, externalId: providerLinks.externalId })
    .from(providerLinks)
    .where(eq(providerLinks.customerId, customerId));
  return new Map(rows.map((row) => [row.provider, row.externalId]));
}

function uniqueConflict(error: unknown): string[] | null {
  const table = uniqueViolationTable(error);
  if (table === 'customers') return ['customerNumber'];
  if (table === 'accounts') return ['accounts'];
  return null;
}
