import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { outbox, providerLinks } from '../db/schema.js';
import { ProviderError } from '../providers/errors.js';
import type { ProviderOutcome } from '../providers/types.js';
import { mapWithConcurrency } from './concurrency.js';
import type { ProviderName } from './enums.js';
import type { MutationDeps } from './mutation-deps.js';
import type { ProviderRequestPlan } from './provider-routing.js';

/** One claimed outbox row: a provider call this process is about to make. */
export interface OutboxCall {
  outboxId: string;
  linkId: string;
  provider: ProviderName;
  customerId: string;
  operation: 'create' | 'update';
  request: unknown;
}

/** Provider calls a mutation makes at once per provider (each may carry a batch). */
const CALLS_IN_FLIGHT_PER_PROVIDER = 8;
/** How long a claim outlives the deadline before another dispatcher may take the row over. */
const CLAIM_MARGIN_MS = 30_000;

/**
 * Inside the mutation's transaction: a provider link per plan (created, or reset to PENDING for an
 * update) and an outbox row per call, already claimed by this process so that no other dispatcher
 * sends it while we do. The rows make the call durable before any network I/O.
 */
export async function writeLinksAndOutbox(
  tx: Db,
  args: { customerId: string; plans: readonly ProviderRequestPlan[]; operation: 'create' | 'update'; now: Date; deadlineMs: number },
): Promise<OutboxCall[]> {
  const calls: OutboxCall[] = [];
  for (const plan of args.plans) {
    const [link] = await tx
      .insert(providerLinks)
      .values({
        id: randomUUID(),
        customerId: args.customerId,
        provider: plan.provider,
        status: 'PENDING',
        omitted: plan.omitted,
        options: plan.options,
        createdAt: args.now,
        updatedAt: args.now,
      })
      .onConflictDoUpdate({
        target: [providerLinks.customerId, providerLinks.provider],
        set: { status: 'PENDING', omitted: plan.omitted, options: plan.options, error: null, deadLetteredAt: null, updatedAt: args.now },
      })
      .returning({ id: providerLinks.id });
    const outboxId = randomUUID();
    await tx.insert(outbox).values({
      id: outboxId,
      providerLinkId: link!.id,
      provider: plan.provider,
      operation: args.operation,
      payload: { request: plan.request },
      status: 'IN_FLIGHT',
      nextAttemptAt: args.now,
      claimedBy: 'mutation',
      claimedUntil: new Date(args.now.getTime() + args.deadlineMs + CLAIM_MARGIN_MS),
      createdAt: args.now,
      updatedAt: args.now,
    });
    calls.push({
      outboxId,
      linkId: link!.id,
      provider: plan.provider,
      customerId: args.customerId,
      operation: args.operation,
      request: plan.request,
    });
  }
  return calls;
}

/**
 * Sends claimed calls: providers in parallel, each provider's calls batched up to its
 * maxBatchSize with at most 8 in flight, each call bounded by the deadline. Every outcome is
 * recorded on its link and outbox row, in its own short transaction (no I/O inside).
 */
export async function sendOutboxCalls(deps: MutationDeps, calls: readonly OutboxCall[]): Promise<void> {
  const byProvider = new Map<ProviderName, OutboxCall[]>();
  for (const call of calls) byProvider.set(call.provider, [...(byProvider.get(call.provider) ?? []), call]);
  await Promise.all(
    [...byProvider].map(async ([provider, providerCalls]) => {
      const adapter = deps.providers.adapter(provider);
      const batches: OutboxCall[][] = [];
      for (const call of providerCalls) {
        const last = batches.at(-1);
        const batchable = call.operation === 'create' && adapter.maxBatchSize > 1;
        if (batchable && last && last[0]!.operation === 'create' && last.length < adapter.maxBatchSize) last.push(call);
        else batches.push([call]);
      }
      await mapWithConcurrency(batches, CALLS_IN_FLIGHT_PER_PROVIDER, async (batch) => {
        const outcomes = await sendBatch(deps, provider, batch);
        await recordOutcomes(deps, batch, outcomes);
      });
    }),
  );
}

async function sendBatch(deps: MutationDeps, provider: ProviderName, batch: OutboxCall[]): Promise<ProviderOutcome[]> {
  const adapter = deps.providers.adapter(provider);
  const call = { signal: AbortSignal.timeout(deps.providerDeadlineMs) };
  try {
    if (batch[0]!.operation === 'update') {
      if (!adapter.update) throw new ProviderError(provider, 'PROVIDER_REJECTED', `${provider} has no customer update`);
      return [await adapter.update(batch[0]!.request, call)];
    }
    const outcomes = await adapter.create(
      batch.map((entry) => entry.request),
      call,
    );
    if (outcomes.length !== batch.length) {
      throw new ProviderError(provider, 'PROVIDER_BAD_RESPONSE', `${outcomes.length} outcomes for ${batch.length} requests`);
    }
    return outcomes;
  } catch (error) {
    // Adapters report provider failures as outcomes; anything thrown is unexpected, but must still
    // leave the links and outbox rows in a state the retry logic understands.
    const failure =
      error instanceof ProviderError
        ? error
        : new ProviderError(provider, 'PROVIDER_UNAVAILABLE', error instanceof Error ? error.message : String(error), {
            cause: error,
          });
    return batch.map(() => ({ status: 'FAILED', externalId: null, requestId: null, error: failure }));
  }
}

/** Retry delay after `attempts` failed attempts: 2^attempts seconds, at most 5 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(300_000, 1000 * 2 ** attempts);
}

async function recordOutcomes(deps: MutationDeps, batch: OutboxCall[], outcomes: ProviderOutcome[]): Promise<void> {
  const now = deps.now();
  await deps.database.transaction(async (tx) => {
    for (const [i, call] of batch.entries()) {
      const outcome = outcomes[i]!;
      const failed = outcome.status === 'FAILED';
      const retryable = failed && outcome.error?.retryable === true;
      const [link] = await tx
        .update(providerLinks)
        .set({
          // a retryable failure stays PENDING: the outbox will send it again
          status: failed ? (retryable ? 'PENDING' : 'FAILED') : outcome.status,
          ...(outcome.externalId ? { externalId: outcome.externalId } : {}),
          ...(outcome.requestId ? { requestId: outcome.requestId } : {}),
          error: outcome.error?.summary() ?? null,
          attempts: sql`${providerLinks.attempts} + 1`,
          lastAttemptAt: now,
          updatedAt: now,
        })
        .where(eq(providerLinks.id, call.linkId))
        .returning({ attempts: providerLinks.attempts });
      await tx
        .update(outbox)
        .set({
          status: failed ? (retryable ? 'PENDING' : 'DEAD') : 'DONE',
          attempts: sql`${outbox.attempts} + 1`,
          nextAttemptAt: retryable ? new Date(now.getTime() + retryDelayMs(link?.attempts ?? 1)) : now,
          claimedBy: null,
          claimedUntil: null,
          lastError: outcome.error?.summary() ?? null,
          updatedAt: now,
        })
        .where(and(eq(outbox.id, call.outboxId), eq(outbox.status, 'IN_FLIGHT')));
    }
  });
}
