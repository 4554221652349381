import { randomUUID } from 'node:crypto';
import { and, eq, sql, type AnyColumn } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { inJsonList } from '../db/dialect-sql.js';
import { inChunks, insertRows, preparedForRows, valuesOfRows } from '../db/prepared-statements.js';
import type { OutboxRow, ProviderLinkRow } from '../db/schema.js';
import { outbox, outboxAttempts, providerLinks } from '../db/tables.js';
import { ProviderError } from '../providers/errors.js';
import type { ProviderOutcome } from '../providers/types.js';
import { mapWithConcurrency } from './concurrency.js';
import type { ProviderName } from './enums.js';
import { providerCall, type MutationDeps } from './mutation-deps.js';
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
  /**
   * The link as the transaction that queued this call left it (created or reset to PENDING);
   * sendOutboxCalls announces it, that transaction having committed. Absent for a row the worker
   * claimed (claiming changes no link).
   */
  queuedLink?: ProviderLinkRow;
}

/** Provider calls a mutation makes at once per provider (each may carry a batch). */
const CALLS_IN_FLIGHT_PER_PROVIDER = 8;
/** How long a claim outlives the deadline before another dispatcher may take the row over. */
const CLAIM_MARGIN_MS = 30_000;

/**
 * Inside the mutation's transaction: a provider link per plan (created, or reset to PENDING for an
 * update) and an outbox row per call, already claimed by this process so that no other dispatcher
 * sends it while we do. The rows make the call durable before any network I/O. Each call carries
 * its link as written (queuedLink), which sendOutboxCalls announces once the transaction committed.
 */
export async function writeLinksAndOutbox(
  tx: Db,
  args: { customerId: string; plans: readonly ProviderRequestPlan[]; operation: 'create' | 'update'; now: Date; deadlineMs: number },
): Promise<OutboxCall[]> {
  return writeLinksAndOutboxOfMany(tx, { ...args, customers: [{ customerId: args.customerId, plans: args.plans }] });
}

/**
 * writeLinksAndOutbox for many customers at once (customersImport): links and outbox rows in
 * multi-row statements (a few per 1,000 customers), calls in the customers' and plans' order.
 * Each customer's plans name distinct providers.
 */
export async function writeLinksAndOutboxOfMany(
  tx: Db,
  args: {
    customers: readonly { customerId: string; plans: readonly ProviderRequestPlan[] }[];
    operation: 'create' | 'update';
    now: Date;
    deadlineMs: number;
  },
): Promise<OutboxCall[]> {
  const planned = args.customers.flatMap(({ customerId, plans }) => plans.map((plan) => ({ customerId, plan })));
  const links = new Map<string, ProviderLinkRow>();
  for (const chunk of inChunks(planned)) {
    const values = chunk.map(({ customerId, plan }) => ({
      id: randomUUID(),
      customerId,
      provider: plan.provider,
      omitted: plan.omitted,
      options: plan.options,
      now: args.now,
    }));
    // RETURNING's order is the database's: rows are matched by (customer, provider)
    for (const link of await statements.upsertLinks(tx, chunk.length).all(valuesOfRows(values))) {
      links.set(linkKey(link.customerId, link.provider), link);
    }
  }
  const calls = planned.map(({ customerId, plan }): OutboxCall => {
    const link = links.get(linkKey(customerId, plan.provider));
    if (!link) throw new Error(`no provider link came back for customer ${customerId} at ${plan.provider}`);
    return {
      outboxId: randomUUID(),
      linkId: link.id,
      provider: plan.provider,
      customerId,
      operation: args.operation,
      request: plan.request,
      uncertain: false,
      queuedLink: link,
    };
  });
  const claimedUntil = new Date(args.now.getTime() + args.deadlineMs + CLAIM_MARGIN_MS);
  for (const chunk of inChunks(calls)) {
    const values = chunk.map((call) => ({
      id: call.outboxId,
      providerLinkId: call.linkId,
      provider: call.provider,
      operation: args.operation,
      payload: { request: call.request },
      claimedUntil,
      now: args.now,
    }));
    await statements.insertOutbox(tx, chunk.length).run(valuesOfRows(values));
  }
  return calls;
}

const linkKey = (customerId: string, provider: string) => `${customerId} ${provider}`;

/** `excluded.<column>` of an upsert: the value the conflicting row would have inserted. */
const excluded = (column: AnyColumn) => sql.raw(`excluded."${column.name}"`);

/**
 * The statements a dispatch runs, prepared once per connection (see preparedQuery; the multi-row
 * ones per chunk size, preparedForRows). Values go through the columns' encoders (the outbox payload
 * is encrypted) and every run is logged.
 */
const statements = {
  upsertLinks: (db: Db, size: number) =>
    preparedForRows<ProviderLinkRow>(
      db,
      'dispatch:upsertLinks',
      size,
      () => ({
        id: providerLinks.id,
        customerId: providerLinks.customerId,
        provider: providerLinks.provider,
        omitted: providerLinks.omitted,
        options: providerLinks.options,
        now: providerLinks.updatedAt,
      }),
      (tx, rows) =>
        tx
          .insert(providerLinks)
          .values(
            rows.map((slot) => ({
              id: slot('id'),
              customerId: slot('customerId'),
              provider: slot('provider'),
              status: 'PENDING' as const,
              omitted: slot('omitted'),
              options: slot('options'),
              createdAt: slot('now'),
              updatedAt: slot('now'),
            })),
          )
          .onConflictDoUpdate({
            target: [providerLinks.customerId, providerLinks.provider],
            set: {
              status: 'PENDING',
              omitted: excluded(providerLinks.omitted),
              options: excluded(providerLinks.options),
              error: null,
              deadLetteredAt: null,
              updatedAt: excluded(providerLinks.updatedAt),
            },
          })
          .returning(),
    ),
  insertOutbox: (db: Db, size: number) =>
    preparedForRows(
      db,
      'dispatch:insertOutbox',
      size,
      () => ({
        id: outbox.id,
        providerLinkId: outbox.providerLinkId,
        provider: outbox.provider,
        operation: outbox.operation,
        payload: outbox.payload,
        claimedUntil: outbox.claimedUntil,
        now: outbox.updatedAt,
      }),
      (tx, rows) =>
        tx.insert(outbox).values(
          rows.map((slot) => ({
            id: slot('id'),
            providerLinkId: slot('providerLinkId'),
            provider: slot('provider'),
            operation: slot('operation'),
            payload: slot('payload'),
            status: 'IN_FLIGHT' as const,
            nextAttemptAt: slot('now'),
            claimedBy: 'mutation',
            claimedUntil: slot('claimedUntil'),
            createdAt: slot('now'),
            updatedAt: slot('now'),
          })),
        ),
    ),
};

/**
 * Sends claimed calls: providers in parallel, each provider's calls batched up to its
 * maxBatchSize with at most 8 in flight, each call bounded by the deadline. A create whose last
 * outcome is unknown is first reconciled by the provider's natural key, and not sent again if the
 * provider already has it. An open circuit sends nothing: the rows go back to the queue, due when
 * the circuit lets a probe through. Every outcome is recorded on its link, its outbox row and as an
 * attempt, in a short transaction (no I/O inside) as soon as the write lock is free — batches that
 * come back meanwhile share it (outcomeRecorder).
 */
export async function sendOutboxCalls(deps: MutationDeps, calls: readonly OutboxCall[]): Promise<void> {
  deps.linkUpdates.publish(calls.flatMap((call) => (call.queuedLink ? [call.queuedLink] : [])));
  const record = outcomeRecorder(deps);
  const byProvider = new Map<ProviderName, OutboxCall[]>();
  for (const call of calls) {
    const list = byProvider.get(call.provider);
    if (list) list.push(call);
    else byProvider.set(call.provider, [call]);
  }
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
        await record(batch, outcomes, startedAt);
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
      .reconcile(call.request, providerCall(deps));
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
  const call = providerCall(deps);
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
  const queued = await deps.database.transaction(async (tx) => {
    const links: ProviderLinkRow[] = [];
    for (const call of batch) {
      await tx
        .update(outbox)
        .set({ status: 'PENDING', nextAttemptAt: due, claimedBy: null, claimedUntil: null, updatedAt: now })
        .where(and(eq(outbox.id, call.outboxId), eq(outbox.status, 'IN_FLIGHT')));
      links.push(
        ...(await tx
          .update(providerLinks)
          .set({ status: 'PENDING', error: `circuit open: queued until ${due.toISOString()}`, updatedAt: now })
          .where(eq(providerLinks.id, call.linkId))
          .returning()),
      );
    }
    return links;
  });
  deps.linkUpdates.publish(queued);
}

/** A batch's outcomes, to record: `now` is when they came back. */
interface Outcomes {
  batch: readonly OutboxCall[];
  outcomes: readonly ProviderOutcome[];
  startedAt: Date;
  now: Date;
  attemptOutcome?: 'RECONCILED';
}

/**
 * Records outcomes on links and outbox rows, and one attempt each, in a short transaction of their
 * own. A retryable failure is due again after backoff (or the provider's Retry-After) until the
 * policy's last attempt, then dead-lettered; a rejection is dead-lettered at once. Dead-lettered
 * links are FAILED with the reason and deadLetteredAt set; customerSync queues them again.
 */
async function recordOutcomes(
  deps: MutationDeps,
  batch: OutboxCall[],
  outcomes: ProviderOutcome[],
  startedAt: Date,
  attemptOutcome?: 'RECONCILED',
): Promise<void> {
  const entry: Outcomes = { batch, outcomes, startedAt, now: deps.now(), ...(attemptOutcome ? { attemptOutcome } : {}) };
  deps.linkUpdates.publish(await deps.database.transaction((tx) => writeOutcomes(deps, tx, [entry])));
}

/**
 * recordOutcomes for batches sent side by side: outcomes that come back while an earlier recording
 * still waits for the write lock join it, so several batches' outcomes commit in one short
 * transaction instead of one each. Each caller's promise settles when its outcomes are committed.
 */
function outcomeRecorder(deps: MutationDeps): (batch: OutboxCall[], outcomes: ProviderOutcome[], startedAt: Date) => Promise<void> {
  let waiting: { entry: Outcomes; resolve: () => void; reject: (error: unknown) => void }[] | null = null;
  return (batch, outcomes, startedAt) =>
    new Promise<void>((resolve, reject) => {
      const joining = { entry: { batch, outcomes, startedAt, now: deps.now() }, resolve, reject };
      if (waiting) {
        waiting.push(joining);
        return;
      }
      const group = [joining];
      waiting = group;
      deps.database
        .transaction((tx) => {
          // from here on, outcomes wait for the next transaction
          waiting = null;
          return writeOutcomes(
            deps,
            tx,
            group.map((member) => member.entry),
          );
        })
        .then(
          (links) => {
            deps.linkUpdates.publish(links);
            group.forEach((member) => member.resolve());
          },
          (error: unknown) => group.forEach((member) => member.reject(error)),
        );
    });
}

/**
 * Inside a transaction: the outcomes' attempts, outbox rows and links. The outbox rows are read in
 * one statement and the attempts written in a few prepared multi-row ones (insertRows); rows that
 * end alike (a successful batch: all of them) are updated in one, and so are links (updateLinks).
 * Returns the links as written, for the caller to announce once the transaction has committed.
 */
async function writeOutcomes(deps: MutationDeps, tx: Db, entries: readonly Outcomes[]): Promise<ProviderLinkRow[]> {
  const attemptsSoFar = new Map(
    (
      await tx
        .select({ id: outbox.id, attempts: outbox.attempts })
        .from(outbox)
        .where(inJsonList(outbox.id, [...new Set(entries.flatMap((entry) => entry.batch.map((call) => call.outboxId)))]))
    ).map((row) => [row.id, row.attempts]),
  );
  const attemptRows: (typeof outboxAttempts.$inferInsert)[] = [];
  const outboxEnds = new Map<string, OutboxEnd>();
  const linkChanges: LinkChange[] = [];
  for (const { batch, outcomes, startedAt, now, attemptOutcome } of entries) {
    for (const [i, call] of batch.entries()) {
      const outcome = outcomes[i]!;
      const attempts = (attemptsSoFar.get(call.outboxId) ?? 0) + 1;
      attemptsSoFar.set(call.outboxId, attempts);
      const failure = outcome.status === 'FAILED' ? (outcome.error ?? new ProviderError(call.provider, 'PROVIDER_REJECTED', 'failed without a reason')) : null;
      const verdict = failure ? classifyFailure(failure) : { retry: false, uncertain: false };
      const exhausted = failure !== null && verdict.retry && attempts >= deps.retryPolicy.maxAttempts;
      const dead = failure !== null && (!verdict.retry || exhausted);
      const reason = failure ? (exhausted ? `dead-lettered after ${attempts} attempts: ${failure.summary()}` : failure.summary()) : null;

      attemptRows.push({
        outboxId: call.outboxId,
        attemptedAt: startedAt,
        durationMs: Math.max(0, now.getTime() - startedAt.getTime()),
        outcome: attemptOutcome ?? outcome.status,
        error: failure?.summary() ?? null,
      });
      // a row met twice ends as the later outcome says, as when each was written in turn
      outboxEnds.delete(call.outboxId);
      outboxEnds.set(call.outboxId, {
        status: failure ? (dead ? 'DEAD' : 'PENDING') : 'DONE',
        attempts,
        uncertain: failure !== null && !dead && verdict.uncertain,
        nextAttemptAt:
          failure && !dead ? new Date(now.getTime() + retryDelayMs(deps.retryPolicy, attempts, failure.retryAfterSeconds)) : now,
        lastError: reason,
        updatedAt: now,
      });
      linkChanges.push({
        linkId: call.linkId,
        // a retryable failure stays PENDING: the outbox will send it again
        status: failure ? (dead ? 'FAILED' : 'PENDING') : outcome.status === 'FAILED' ? 'FAILED' : outcome.status,
        externalId: outcome.externalId || null,
        requestId: outcome.requestId || null,
        error: reason,
        deadLetteredAt: dead ? now : null,
        now,
      });
    }
  }
  const links = await updateLinks(tx, linkChanges);
  await insertRows(tx, 'outboxAttempts', outboxAttempts, attemptRows);
  for (const group of groupAlike([...outboxEnds], ([, end]) => end)) {
    const [[, end]] = group as [[string, OutboxEnd]];
    await tx.update(outbox).set({ ...end, claimedBy: null, claimedUntil: null }).where(inJsonList(outbox.id, group.map(([id]) => id)));
  }
  return links;
}

/** `items` in groups whose `part` is alike (compared as JSON), in order of first appearance. */
function groupAlike<T>(items: readonly T[], part: (item: T) => unknown): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = JSON.stringify(part(item));
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.values()];
}

/** One link's new state after an attempt (externalId and requestId: null keeps the stored value). */
type LinkChange = {
  linkId: string;
  status: ProviderLinkRow['status'];
  externalId: string | null;
  requestId: string | null;
  error: string | null;
  deadLetteredAt: Date | null;
  now: Date;
};

/**
 * Applies link changes and answers the links as written, in the changes' order. Changes that end
 * alike but for their provider ids (a successful batch: all of them) are one UPDATE whose ids come
 * from a CASE on the link id, so a batch of 50 costs one statement, not 50 (on Postgres, one round
 * trip). A link changed twice (its calls in two batches recorded together) starts a new round of
 * statements at its second change, so its attempt count and last outcome come out as if each change
 * had been written in turn.
 */
async function updateLinks(tx: Db, changes: readonly LinkChange[]): Promise<ProviderLinkRow[]> {
  const written: ProviderLinkRow[] = [];
  let round: LinkChange[] = [];
  const inRound = new Set<string>();
  for (const change of changes) {
    if (inRound.has(change.linkId)) {
      written.push(...(await updateDistinctLinks(tx, round)));
      round = [];
      inRound.clear();
    }
    round.push(change);
    inRound.add(change.linkId);
  }
  written.push(...(await updateDistinctLinks(tx, round)));
  return written;
}

/** updateLinks for changes of distinct links. */
async function updateDistinctLinks(tx: Db, changes: readonly LinkChange[]): Promise<ProviderLinkRow[]> {
  const byId = new Map<string, ProviderLinkRow>();
  for (const group of groupAlike(changes, (change) => [change.status, change.error, change.deadLetteredAt, change.now])) {
    // rendered per call (its CASE varies), so chunks need not repeat sizes: a bound on values only
    for (let start = 0; start < group.length; start += LINKS_PER_UPDATE) {
      const chunk = group.slice(start, start + LINKS_PER_UPDATE);
      const [{ status, error, deadLetteredAt, now }] = chunk as [LinkChange];
      // null keeps the stored value: set only when the outcome names one
      const byLink = (value: (change: LinkChange) => string | null, column: AnyColumn) =>
        sql`coalesce(case ${providerLinks.id} ${sql.join(
          chunk.map((change) => sql`when ${change.linkId} then ${value(change)}`),
          sql` `,
        )} end, ${column})`;
      const rows = await tx
        .update(providerLinks)
        .set({
          status,
          externalId: byLink((change) => change.externalId, providerLinks.externalId),
          requestId: byLink((change) => change.requestId, providerLinks.requestId),
          error,
          deadLetteredAt,
          attempts: sql`${providerLinks.attempts} + 1`,
          lastAttemptAt: now,
          updatedAt: now,
        })
        .where(inJsonList(providerLinks.id, chunk.map((change) => change.linkId)))
        .returning();
      for (const row of rows) byId.set(row.id, row);
    }
  }
  return changes.flatMap((change) => byId.get(change.linkId) ?? []);
}

/** Five values a link (two CASE arms and the id list): far below SQLite's and Postgres's bounds. */
const LINKS_PER_UPDATE = 1000;

/** How an outbox row ends after an attempt. */
interface OutboxEnd {
  status: OutboxRow['status'];
  attempts: number;
  uncertain: boolean;
  nextAttemptAt: Date;
  lastError: string | null;
  updatedAt: Date;
}
