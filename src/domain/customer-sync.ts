import { and, desc, eq } from 'drizzle-orm';
import { outbox, providerLinks } from '../db/tables.js';
import { currentCustomerPayload, linksRows, type CustomerMutationResult } from './customer-create.js';
import { findCustomer } from './customer-update.js';
import type { ProviderName } from './enums.js';
import type { CommitReference } from './idempotency.js';
import type { MutationDeps } from './mutation-deps.js';
import { sendOutboxCalls, writeLinksAndOutbox, type OutboxCall } from './provider-dispatch.js';
import { planStoredCustomer } from './route-stored-customers.js';
import type { UserError } from './user-error.js';

/**
 * customerSync: queues a customer's FAILED links (dead-lettered or rejected) at the named providers
 * (default: every FAILED link) again, with a fresh retry budget, and sends them now. A dead-lettered
 * call is re-sent as it was (reconciled first if its outcome was unknown); a link whose call
 * finished but failed later (a floLIVE FAILURE) gets a new call from the stored customer. A named
 * provider the customer is not linked to yet is routed to as a create.
 * @example await syncCustomer(deps, { customerId, providers: ['NOAH'] });
 */
export async function syncCustomer(
  deps: MutationDeps,
  input: { customerId: string; providers?: readonly ProviderName[] | null },
  commit?: CommitReference,
): Promise<CustomerMutationResult> {
  const customer = await findCustomer(deps, input.customerId);
  if (!customer) return { customer: null, providerResults: [], userErrors: [{ field: ['input', 'customerId'], message: 'no such customer', code: 'NOT_FOUND' }] };
  const links = await linksRows(deps, customer.id);
  const targets = input.providers ? [...new Set(input.providers)] : links.filter((link) => link.status === 'FAILED').map((link) => link.provider);
  const retry = links.filter((link) => targets.includes(link.provider) && link.status === 'FAILED');
  const fresh = targets.filter((provider) => !links.some((link) => link.provider === provider));

  const today = deps.now().toISOString().slice(0, 10);
  const { plans, errors } = await planStoredCustomer(deps, customer, [...fresh], today);
  if (errors.length > 0) return { customer, providerResults: links, userErrors: errors.map(withInputPath) };

  const calls: OutboxCall[] | SyncRefused = await deps.database.transaction(async (tx) => {
    const now = deps.now();
    const requeued: OutboxCall[] = [];
    const replan: ProviderName[] = [];
    for (const link of retry) {
      const [dead] = await tx
        .select()
        .from(outbox)
        .where(and(eq(outbox.providerLinkId, link.id), eq(outbox.status, 'DEAD')))
        .orderBy(desc(outbox.createdAt))
        .limit(1);
      if (!dead) {
        replan.push(link.provider);
        continue;
      }
      await tx
        .update(outbox)
        .set({
          status: 'IN_FLIGHT',
          attempts: 0,
          claimedBy: 'mutation',
          claimedUntil: new Date(now.getTime() + 2 * deps.providerDeadlineMs + 5_000),
          updatedAt: now,
        })
        .where(eq(outbox.id, dead.id));
      const [queuedLink] = await tx
        .update(providerLinks)
        .set({ status: 'PENDING', error: null, deadLetteredAt: null, updatedAt: now })
        .where(eq(providerLinks.id, link.id))
        .returning();
      requeued.push({
        outboxId: dead.id,
        linkId: link.id,
        provider: link.provider,
        customerId: customer.id,
        operation: dead.operation as 'create' | 'update',
        request: (dead.payload as { request: unknown }).request,
        uncertain: dead.uncertain,
        queuedLink,
      });
    }
    const replanned = replan.length ? await planStoredCustomer(deps, customer, replan, today) : { plans: [], errors: [] };
    if (replanned.errors.length > 0) throw new SyncRefused(replanned.errors);
    await commit?.(tx, { customerId: customer.id });
    return [
      ...requeued,
      ...(await writeLinksAndOutbox(tx, {
        customerId: customer.id,
        plans: [...plans, ...replanned.plans],
        operation: 'create',
        now,
        deadlineMs: deps.providerDeadlineMs,
      })),
    ];
  }).catch((error: unknown) => {
    if (error instanceof SyncRefused) return error;
    throw error;
  });
  if (calls instanceof SyncRefused) return { customer, providerResults: links, userErrors: calls.errors.map(withInputPath) };
  await sendOutboxCalls(deps, calls);
  return currentCustomerPayload(deps, customer.id);
}

/** The stored customer no longer passes a provider's rules: nothing is queued, the reasons are returned. */
class SyncRefused extends Error {
  constructor(readonly errors: UserError[]) {
    super('sync refused');
  }
}

/** Planning errors point into the stored customer; for the caller they concern input.customerId. */
function withInputPath(error: UserError): UserError {
  return { ...error, field: ['input', 'customerId'], message: `${error.field.join('.')}: ${error.message}` };
}
