import { count, inArray, min } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { outbox } from '../db/tables.js';
import type { ProviderName } from './enums.js';

/** One provider's outbox rows in one state, as /metrics reports them. */
export interface OutboxDepth {
  provider: ProviderName;
  status: 'PENDING' | 'IN_FLIGHT' | 'DEAD';
  rows: number;
  /** Seconds since the oldest of these rows was created. */
  oldestAgeSeconds: number;
}

/**
 * The outbox's depth for a metrics scrape, in one statement on either dialect: rows still to
 * deliver (PENDING, IN_FLIGHT) and dead-lettered ones, per provider, with the age of the oldest.
 * It reads through `outbox_due_idx` (status first), so delivered rows — nearly all of them, in time —
 * are never visited.
 * @example metrics.watchOutbox(() => outboxDepth(database, Date.now()));
 */
export async function outboxDepth(database: Database, now: number): Promise<OutboxDepth[]> {
  const rows = await database.db
    .select({ provider: outbox.provider, status: outbox.status, rows: count(), oldest: min(outbox.createdAt) })
    .from(outbox)
    .where(inArray(outbox.status, ['PENDING', 'IN_FLIGHT', 'DEAD']))
    .groupBy(outbox.provider, outbox.status);
  return rows.map((row) => ({
    provider: row.provider,
    status: row.status as OutboxDepth['status'],
    rows: Number(row.rows),
    oldestAgeSeconds: row.oldest === null ? 0 : Math.max(0, (now - new Date(row.oldest).getTime()) / 1000),
  }));
}
