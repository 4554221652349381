import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { outbox, outboxAttempts, providerLinks } from '../db/schema.js';
import { ProviderError } from '../providers/errors.js';
import type { ProviderOutcome } from '../providers/types.js';
import { mapWithConcurrency } from './concurrency.js';
import type { ProviderName } from './enums.js';
import type { MutationDeps } from './mutation-deps.js';
import { classifyFailure, retryDelayMs } from './retry-policy.js';
import type { ProviderRequestPlan } from './provider-routing.js';

/** One claimed outbox row: a provider call this process is about to make. */
export interface OutboxCall {
  outboxId: string;
  linkId: string;
  provider: ProviderName;
  customerId: string;
  operation: 'create' | 'update';
  request: unknown;
  /** The previous attempt's outcome is unknown: reconcile a create before sending it again. */
  uncertain: boolean;
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
      uncertain: false,
    });
  }
  return calls;
}

/**
 * Sends claimed calls: providers in parallel, each provider's calls batched up to its
 * maxBatchSize with at most 8 in flight, each call bounded by the deadline. A create whose last
 * outcome is unknown is first reconciled by the provider's natural key, and not sent again if the
 * provider already has it. An open circuit sends nothing: the rows go back to the queue, due when
 * the circuit lets a probe through. Every outcome is recorded on its link, its outbox row and as an
 * attempt, in a short transaction of its own (no I/O inside).
 */
export async function sendOutboxCalls(deps: MutationDeps, calls: readonly OutboxCall[]): Promise<void> {
  const byProvider = new Map<ProviderName, OutboxCall[]>();
  for (const call of calls) byProvider.set(call.provider, [...(byProvider.get(call.provider) ?? []), call]);
  await Promise.all(
    [...byProvider].map(async ([provider, providerCalls]) => {
      const adapter = deps.providers.adapter(provider);
      const toSend = (await mapWithConcurrency(providerCalls, CALLS_IN_FLIGHT_PER_PROVIDER, (call) => reconcileIfUncertain(deps, call))).filter(
        (call): call is OutboxCall => call !== null,
      );
      const batches: OutboxCall[][] = [];
      for (const call of toSend) {
        const last = batches.at(-1);
        const batchable = call.operation === 'create' && adapter.maxBatchSize > 1;
        if (batchable && last && last[0]!.operation === 'create' && last.length < adapter.maxBatchSize) last.push(call);
        else batches.push([call]);
      }
      await mapWithConcurrency(batches, CALLS_IN_FLIGHT_PER_PROVIDER, async (batch) => {
        const breaker = deps.breakers[provider];
        if (!breaker.tryAcquire(deps.now().getTime())) {
          await queueBehindOpenCircuit(deps, batch, new Date(breaker.reopensAt()));
          return;
        }
        const startedAt = deps.now();
        const outcomes = await sendBatch(deps, provider, batch);
        breaker.record(!outcomes.some((outcome) => outcome.error && classifyFailure(outcome.error).retry), deps.now().getTime());
        await recordOutcomes(deps, batch, outcomes, startedAt);
      });
    }),
  );
}

/**
 * For a create whose previous outcome is unknown: the provider's answer by natural key. Returns the
 * call when it still has to be sent; null when it is settled (the provider has it) or when the
 * provider could not be asked (recorded as a failed attempt — nothing is sent blind).
 */
async function reconcileIfUncertain(deps: MutationDeps, call: OutboxCall): Promise<OutboxCall | null> {
  if (!call.uncertain || call.operation !== 'create') return call;
  const startedAt = deps.now();
  try {
    const found = await deps.providers
      .adapter(call.provider)
      .reconcile(call.request, { signal: AbortSignal.timeout(deps.providerDeadlineMs) });
    if (!found) return call;
    await recordOutcomes(deps, [call], [found], startedAt, 'RECONCILED');
    return null;
  } catch (error) {
    const failure = asProviderError(call.provider, error);
    await recordOutcomes(deps, [call], [{ status: 'FAILED', externalId: null, requestId: null, error: failure }], startedAt);
    return null;
  }
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
    const failure = asProviderError(provider, error);
    return batch.map(() => ({ status: 'FAILED', externalId: null, requestId: null, error: failure }));
  }
}

function asProviderError(provider: ProviderName, error: unknown): ProviderError {
  return error instanceof ProviderError
    ? error
    : new ProviderError(provider, 'PROVIDER_UNAVAILABLE', error instanceof Error ? error.message : String(error), { cause: error });
}

/** Rows of an open circuit go back to the queue, not counted as an attempt; the link says why it waits. */
async function queueBehindOpenCircuit(deps: MutationDeps, batch: OutboxCall[], due: Date): Promise<void> {
  const now = deps.now();
  await deps.database.transaction(async (tx) => {
    for (const call of batch) {
      await tx
        .update(outbox)
        .set({ status: 'PENDING', nextAttemptAt: due, claimedBy: null, claimedUntil: null, updatedAt: now })
        .where(and(eq(outbox.id, call.outboxId), eq(outbox.status, 'IN_FLIGHT')));
      await tx
        .update(providerLinks)
        .set({ status: 'PENDING', error: `circuit open: queued until ${due.toISOString()}`, updatedAt: now })
        .where(eq(providerLinks.id, call.linkId));
    }
  });
}

/**
 * Records outcomes on links and outbox rows, and one attempt each. A retryable failure is due again
 * after backoff (or the provider's Retry-After) until the policy's last attempt, then dead-lettered;
 * a rejection is dead-lettered at once. Dead-lettered links are FAILED with the reason and
 * deadLetteredAt set; customerSync queues them again.
 */
async function recordOutcomes(
  deps: MutationDeps,
  batch: OutboxCall[],
  outcomes: ProviderOutcome[],
  startedAt: Date,
  attemptOutcome?: 'RECONCILED',
): Promise<void> {
  const now = deps.now();
  await deps.database.transaction(async (tx) => {
    for (const [i, call] of batch.entries()) {
      const outcome = outcomes[i]!;
      const [row] = await tx.select({ attempts: outbox.attempts }).from(outbox).where(eq(outbox.id, call.outboxId));
      const attempts = (row?.attempts ?? 0) + 1;
      const failure = outcome.status === 'FAILED' ? (outcome.error ?? new ProviderError(call.provider, 'PROVIDER_REJECTED', 'failed without a reason')) : null;
      const verdict = failure ? classifyFailure(failure) : { retry: false, uncertain: false };
      const exhausted = failure !== null && verdict.retry && attempts >= deps.retryPolicy.maxAttempts;
      const dead = failure !== null && (!verdict.retry || exhausted);
      const reason = failure ? (exhausted ? `dead-lettered after ${attempts} attempts: ${failure.summary()}` : failure.summary()) : null;

      await tx.insert(outboxAttempts).values({
        outboxId: call.outboxId,
        attemptedAt: startedAt,
        durationMs: Math.max(0, now.getTime() - startedAt.getTime()),
        outcome: attemptOutcome ?? outcome.status,
        error: failure?.summary() ?? null,
      });
      await tx
        .update(outbox)
        .set({
          status: failure ? (dead ? 'DEAD' : 'PENDING') : 'DONE',
          attempts,
          uncertain: failure !== null && !dead && verdict.uncertain,
          nextAttemptAt:
            failure && !dead
              ? new Date(now.getTime() + retryDelayMs(deps.retryPolicy, attempts, failure.retryAfterSeconds))
              : now,
          claimedBy: null,
          claimedUntil: null,
          lastError: reason,
          updatedAt: now,
        })
        .where(eq(outbox.id, call.outboxId));
      await tx
        .update(providerLinks)
        .set({
          // a retryable failure stays PENDING: the outbox will send it again
          status: failure ? (dead ? 'FAILED' : 'PENDING') : outcome.status === 'FAILED' ? 'FAILED' : outcome.status,
          ...(outcome.externalId ? { externalId: outcome.externalId } : {}),
          ...(outcome.requestId ? { requestId: outcome.requestId } : {}),
          error: reason,
          deadLetteredAt: dead ? now : null,
          attempts: sql`${providerLinks.attempts} + 1`,
          lastAttemptAt: now,
          updatedAt: now,
        })
        .where(eq(providerLinks.id, call.linkId));
    }
  });
}
