import { and, eq, inArray } from 'drizzle-orm';
import type { CustomerRow } from '../db/schema.js';
import { customers } from '../db/tables.js';
import { decodeGlobalId } from '../global-id.js';
import { customerInputSchema } from './canonical-customer.js';
import { linksOf, linksRows, type CustomerMutationResult } from './customer-create.js';
import { replaceCustomerDetails, storedCustomerInput } from './customer-records.js';
import type { ProviderName } from './enums.js';
import type { CommitReference } from './idempotency.js';
import type { MutationDeps } from './mutation-deps.js';
import { sendOutboxCalls, writeLinksAndOutbox } from './provider-dispatch.js';
import { planProviderRequests } from './provider-routing.js';
import { zodIssuesToUserErrors, type UserError } from './user-error.js';

/** Fields an update may not change: they are natural keys at the providers, or structure. */
const FIXED_FIELDS = ['customerNumber', 'kind', 'parentId', 'accounts'] as const;

/**
 * customerUpdate: a patch over the stored customer (given fields replace; given lists replace the
 * whole list), re-validated as a whole, mapped for every linked provider that has an update, then
 * written and routed like a create.
 * @example await updateCustomer(deps, { id, customer: { email: 'new@example.com' } });
 */
export async function updateCustomer(
  deps: MutationDeps,
  input: { id: string; customer: Record<string, unknown>; providers?: readonly ProviderName[] | null; providerOptions?: Record<string, unknown> | null },
  commit?: CommitReference,
): Promise<CustomerMutationResult> {
  const fail = (userErrors: UserError[]): CustomerMutationResult => ({ customer: null, providerResults: [], userErrors });
  const stored = await findCustomer(deps, input.id);
  if (!stored) return fail([{ field: ['input', 'id'], message: 'no such customer', code: 'NOT_FOUND' }]);

  const fixed = FIXED_FIELDS.filter((field) => input.customer[field] != null);
  if (fixed.length > 0) {
    return fail(
      fixed.map((field) => ({ field: ['input', 'customer', field], message: 'cannot be changed by customerUpdate', code: 'UNSUPPORTED' })),
    );
  }

  const merged = mergePatch(await storedCustomerInput(deps.database.db, stored), input.customer);
  const now = deps.now();
  const parsed = customerInputSchema(now.toISOString().slice(0, 10)).safeParse(merged);
  if (!parsed.success) return fail(zodIssuesToUserErrors(parsed.error.issues, ['input', 'customer']));

  const links = await linksOf(deps, stored.id);
  const linkRows = await linksRows(deps, stored.id);
  const errors: UserError[] = [];
  const targets = updateTargets(deps, input.providers, links, errors);
  const { plans, errors: providerErrors } = planProviderRequests({
    providers: deps.providers,
    targets,
    operation: 'update',
    routing: {
      customerId: stored.id,
      customerNumber: stored.customerNumber,
      customer: parsed.data,
      accountIds: [],
      parent: null,
      auditUser: deps.viewer.subject,
      createdAt: stored.createdAt,
    },
    externalIds: Object.fromEntries(links),
    providerOptions: input.providerOptions,
    storedOptions: Object.fromEntries(linkRows.map((link) => [link.provider, link.options ?? undefined])),
    itemPath: ['input'],
  });
  errors.push(...providerErrors);
  if (errors.length > 0) return fail(errors);

  const calls = await deps.database.transaction(async (tx) => {
    await replaceCustomerDetails(tx, stored.id, parsed.data, now);
    await commit?.(tx, { customerId: stored.id });
    return writeLinksAndOutbox(tx, { customerId: stored.id, plans, operation: 'update', now, deadlineMs: deps.providerDeadlineMs });
  });
  await sendOutboxCalls(deps, calls);
  const [customer] = await deps.database.db.select().from(customers).where(eq(customers.id, stored.id));
  return { customer: customer ?? null, providerResults: await linksRows(deps, stored.id), userErrors: [] };
}

export async function findCustomer(deps: MutationDeps, globalId: string): Promise<CustomerRow | null> {
  let id: string;
  try {
    const decoded = decodeGlobalId(globalId);
    if (decoded.typename !== 'Customer') return null;
    id = decoded.id;
  } catch {
    return null;
  }
  const [row] = await deps.database.db
    .select()
    .from(customers)
    // another tenant's customer is "no such customer"
    .where(and(eq(customers.id, id), inArray(customers.organizationId, [...(await deps.visibleOrganizations())])));
  return row ?? null;
}

/**
 * Linked providers with an update, or the caller's list — where naming a provider without an update,
 * or one the customer is not linked to, is an error.
 */
function updateTargets(
  deps: MutationDeps,
  requested: readonly ProviderName[] | null | undefined,
  links: Map<ProviderName, string | null>,
  errors: UserError[],
): ProviderName[] {
  if (!requested) return [...links.keys()].filter((provider) => deps.providers.adapter(provider).mapUpdate !== null);
  return requested.filter((provider, i) => {
    if (deps.providers.adapter(provider).mapUpdate === null) {
      errors.push({ field: ['input', 'providers', i], message: `${provider} has no customer update`, code: 'UNSUPPORTED', provider });
      return false;
    }
    if (!links.has(provider)) {
      errors.push({ field: ['input', 'providers', i], message: `the customer is not linked to ${provider}`, code: 'NOT_FOUND', provider });
      return false;
    }
    return true;
  });
}

/** Given (non-null) fields replace stored ones; the small nested objects merge one level deep. */
function mergePatch(stored: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...stored };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || value === null) continue;
    const current = stored[key];
    merged[key] =
      ['name', 'phones', 'screening'].includes(key) && isObject(current) && isObject(value) ? { ...current, ...value } : value;
  }
  return merged;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
