import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { customers, providerLinks, type CustomerRow, type ProviderLinkRow } from '../db/schema.js';
import { AppError } from '../errors.js';
import { decodeGlobalId } from '../global-id.js';
import { customerInputSchema, type CanonicalCustomer } from './canonical-customer.js';
import { unusedCustomerNumber } from './customer-number.js';
import { insertCustomerGraph, takenAccountNumbers, takenCustomerNumbers } from './customer-records.js';
import type { ProviderName } from './enums.js';
import type { CommitReference } from './idempotency.js';
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
 * Validates one customer item completely, with no writes: the canonical model, its references
 * (parent, numbers already taken), then every target provider's options and contract. Either every
 * error, or the customer ready to write.
 */
export async function acceptCustomer(
  deps: MutationDeps,
  item: CustomerItemInput,
  targets: readonly ProviderName[],
  itemPath: InputPath,
): Promise<{ accepted: AcceptedCustomer | null; errors: UserError[] }> {
  const now = deps.now();
  const parsed = customerInputSchema(now.toISOString().slice(0, 10)).safeParse(item.customer);
  if (!parsed.success) return { accepted: null, errors: zodIssuesToUserErrors(parsed.error.issues, [...itemPath, 'customer']) };
  const customer = parsed.data;
  const errors: UserError[] = [];
  const db = deps.database.db;

  const parent = customer.parentId ? await resolveParent(deps, customer.parentId, [...itemPath, 'customer', 'parentId'], errors) : null;
  if (customer.customerNumber && (await takenCustomerNumbers(db, [customer.customerNumber])).size > 0) {
    errors.push({
      field: [...itemPath, 'customer', 'customerNumber'],
      message: `customer number ${customer.customerNumber} is already used`,
      code: 'TAKEN',
    });
  }
  const taken = await takenAccountNumbers(db, deps.viewer.organizationId, customer.accounts.map((a) => a.accountNumber));
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
  const customerNumber = customer.customerNumber ?? (await unusedCustomerNumber(db));
  const parentLinks = parent ? await linksOf(deps, parent.id) : new Map<ProviderName, string | null>();
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
    parentExternalIds: Object.fromEntries(parentLinks),
    providerOptions: item.providerOptions,
    itemPath,
  });
  errors.push(...providerErrors);
  if (errors.length > 0) return { accepted: null, errors };
  return {
    accepted: { customerId, accountIds, customerNumber, parentId: parent?.id ?? null, customer, plans },
    errors: [],
  };
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
  const { accepted, errors } = await acceptCustomer(deps, input, targets, ['input']);
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

async function resolveParent(deps: MutationDeps, globalId: string, field: InputPath, errors: UserError[]): Promise<CustomerRow | null> {
  let id: string;
  try {
    const decoded = decodeGlobalId(globalId, field.map(String));
    if (decoded.typename !== 'Customer') throw new Error('not a customer');
    id = decoded.id;
  } catch (error) {
    errors.push({ field, message: error instanceof AppError ? error.message : 'must be a Customer ID', code: 'INVALID' });
    return null;
  }
  const [parent] = await deps.database.db
    .select()
    .from(customers)
    // another tenant's customer is "no such customer"
    .where(and(eq(customers.id, id), inArray(customers.organizationId, [...(await deps.visibleOrganizations())])));
  if (!parent) errors.push({ field, message: 'no such customer', code: 'NOT_FOUND' });
  return parent ?? null;
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
  const message = error instanceof Error ? error.message : '';
  if (/UNIQUE constraint failed: customers\.customer_number/.test(message)) return ['customerNumber'];
  if (/UNIQUE constraint failed: accounts\./.test(message)) return ['accounts'];
  return null;
}
