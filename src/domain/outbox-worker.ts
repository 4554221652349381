import { inArray, sql } from 'drizzle-orm';
import { backgroundCorrelation } from '../correlation.js';
import { decryptJson } from '../db/identity-encryption.js';
import { allRows } from '../db/dialect-sql.js';
import { providerLinks, tablesDialect } from '../db/tables.js';
import type { ProviderName } from './enums.js';
import type { MutationDeps } from './mutation-deps.js';
import { sendOutboxCalls, type OutboxCall } from './provider-dispatch.js';

export interface OutboxWorkerOptions {
  /** Names this process's claims (several servers may share one database). */
  workerId: string;
  /** Rows claimed per round. */
  batchSize: number;
  /** How long a claim holds; a row still IN_FLIGHT after it was abandoned (crash) and is taken over. */
  claimMs: number;
}

interface ClaimedRow {
  id: string;
  provider_link_id: string;
  provider: ProviderName;
  operation: 'create' | 'update';
  payload: string;
  /** 1/0 on SQLite, a boolean on Postgres */
  uncertain: number | boolean;
  customer_id?: string;
}

/**
 * One round of the outbox: claims due rows in one statement — PENDING rows whose time has come, and
 * IN_FLIGHT rows whose claim has expired (their holder died mid-call, so their outcome is unknown
 * and they are marked uncertain) — then dispatches them like a mutation does. The claim is a single
 * UPDATE … RETURNING, so no row is claimed twice: on SQLite under its write lock (also across
 * processes on one file); on Postgres the rows are picked FOR UPDATE SKIP LOCKED, so instances
 * claiming at the same moment take different rows instead of waiting on each other (and a row
 * another instance has just claimed no longer matches once its claim commits). Providers whose
 * circuit is open are left in the queue. The round's provider calls are logged under its own
 * correlation id (origin `outbox`, src/correlation.ts).
 * @returns the ids of the rows it claimed
 */
export function drainOutboxOnce(deps: MutationDeps, options: OutboxWorkerOptions): Promise<string[]> {
  return drainRound({ ...deps, correlation: backgroundCorrelation('outbox') }, options);
}

async function drainRound(deps: MutationDeps, options: OutboxWorkerOptions): Promise<string[]> {
  const now = deps.now().getTime();
  const closed = (Object.keys(deps.breakers) as ProviderName[]).filter((provider) => deps.breakers[provider].state(now) !== 'OPEN');
  if (closed.length === 0) return [];
  const skipLocked = tablesDialect() === 'postgres' ? sql` for update skip locked` : sql``;
  const rows = await deps.database.transaction(async (tx) =>
    allRows<ClaimedRow>(
      tx,
      sql`
      update outbox
         set status = 'IN_FLIGHT',
             claimed_by = ${options.workerId},
             claimed_until = ${now + options.claimMs},
             uncertain = case when status = 'IN_FLIGHT' then true else uncertain end,
             updated_at = ${now}
       where id in (
         select id from outbox
          where ((status = 'PENDING' and next_attempt_at <= ${now}) or (status = 'IN_FLIGHT' and claimed_until < ${now}))
            and provider in ${closed}
          order by next_attempt_at, id
          limit ${options.batchSize}${skipLocked})
      returning id, provider_link_id, provider, operation, payload, uncertain`,
    ),
  );
  if (rows.length === 0) return [];
  const links = await deps.database.db
    .select({ id: providerLinks.id, customerId: providerLinks.customerId })
    .from(providerLinks)
    .where(inArray(providerLinks.id, rows.map((row) => row.provider_link_id)));
  const customerOf = new Map(links.map((link) => [link.id, link.customerId]));
  const calls: OutboxCall[] = rows.map((row) => ({
    outboxId: row.id,
    linkId: row.provider_link_id,
    provider: row.provider,
    customerId: customerOf.get(row.provider_link_id)!,
    operation: row.operation,
    request: (decryptJson(row.payload) as { request: unknown }).request,
    uncertain: row.uncertain === 1 || row.uncertain === true,
  }));
  await sendOutboxCalls(deps, calls);
  return rows.map((row) => row.id);
}

/**
 * Runs the outbox until stopped: a round as soon as the last one was full, else after
 * `pollIntervalMs`. A failing round is logged and the loop goes on.
 * @example const worker = startOutboxWorker(() => deps, { workerId, batchSize: 50, claimMs: 40_000, pollIntervalMs: 1000 });
 */
export function startOutboxWorker(
  deps: () => MutationDeps,
  options: OutboxWorkerOptions & { pollIntervalMs: number; onError?: (error: unknown) => void },
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const round = async () => {
    if (stopped) return;
    let claimed = 0;
    try {
      claimed = (await drainOutboxOnce(deps(), options)).length;
    } catch (error) {
      options.onError?.(error);
    }
    if (!stopped) timer = setTimeout(() => (running = round()), claimed === options.batchSize ? 0 : options.pollIntervalMs);
  };
  timer = setTimeout(() => (running = round()), 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
