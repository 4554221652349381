import { and, asc, eq, isNotNull } from 'drizzle-orm';
import { backgroundCorrelation, type Correlation } from '../correlation.js';
import type { Database } from '../db/client.js';
import type { ProviderLinkRow } from '../db/schema.js';
import { providerLinks } from '../db/tables.js';
import type { LinkUpdates } from '../live/link-updates.js';
import type { ProviderReadThrottle } from '../loaders/provider-loader.js';
import type { FloliveAdapter, FloliveRequestStatusResult } from '../providers/flolive/index.js';

/**
 * Records a floLIVE request's final status on its link: SYNCED, or FAILED with floLIVE's reason.
 * Only a link still IN_PROGRESS changes, so a field read and the background poll settling the same
 * link at once write it once (and announce it once). Returns the updated link, or null when
 * nothing changed.
 */
export async function recordFloliveStatus(
  deps: { database: Database; linkUpdates: LinkUpdates },
  linkId: string,
  result: FloliveRequestStatusResult,
  now: Date,
): Promise<ProviderLinkRow | null> {
  if (result.status === 'IN_PROGRESS') return null;
  const [updated] = await deps.database.db
    .update(providerLinks)
    .set({
      status: result.status,
      ...(result.externalId ? { externalId: result.externalId } : {}),
      error: result.status === 'FAILED' ? (result.error?.summary() ?? 'floLIVE reported FAILURE without a reason') : null,
      // a FAILURE is final at floLIVE: dead-lettered like any terminal failure, for customerSync to queue again
      deadLetteredAt: result.status === 'FAILED' ? now : null,
      updatedAt: now,
    })
    .where(and(eq(providerLinks.id, linkId), eq(providerLinks.status, 'IN_PROGRESS')))
    .returning();
  if (!updated) return null;
  // one statement, committed on its own: announced after it
  deps.linkUpdates.publish([updated]);
  return updated;
}

export interface FloliveSettlementDeps {
  database: Database;
  linkUpdates: LinkUpdates;
  flolive: FloliveAdapter;
  throttle: ProviderReadThrottle;
  now: () => Date;
  /** Deadline of each status call. */
  callTimeoutMs: number;
}

/**
 * One round of the background poll: asks floLIVE about the oldest IN_PROGRESS links (at most
 * `limit`) and records every final answer. A status call that fails leaves its link IN_PROGRESS for
 * the next round. Its status calls are logged under the round's correlation id (origin `flolive-poll`).
 * @example setInterval(() => settleFloliveLinks(deps), 5000);
 */
export async function settleFloliveLinks(deps: FloliveSettlementDeps, limit = 100): Promise<{ checked: number; settled: number }> {
  const correlation: Correlation = backgroundCorrelation('flolive-poll');
  const pending = await deps.database.db
    .select({ id: providerLinks.id, requestId: providerLinks.requestId })
    .from(providerLinks)
    .where(and(eq(providerLinks.provider, 'FLOLIVE'), eq(providerLinks.status, 'IN_PROGRESS'), isNotNull(providerLinks.requestId)))
    .orderBy(asc(providerLinks.updatedAt), asc(providerLinks.id))
    .limit(limit);
  const outcomes = await Promise.all(
    pending.map((link) =>
      deps.throttle.limiter.run(async () => {
        const result = await deps.flolive.requestStatus(link.requestId!, { signal: AbortSignal.timeout(deps.callTimeoutMs), correlation });
        return recordFloliveStatus(deps, link.id, result, deps.now());
      }),
    ),
  );
  return { checked: pending.length, settled: outcomes.filter(Boolean).length };
}

/**
 * For a field read: links left IN_PROGRESS at floLIVE are asked about (through the request's
 * loader, so each request id costs one call per GraphQL request) and final answers are recorded and
 * returned. If floLIVE cannot be asked, the stored link is returned unchanged — the read does not fail.
 */
export async function withLiveFloliveStatus(
  rows: readonly ProviderLinkRow[],
  deps: { database: Database; linkUpdates: LinkUpdates; now: () => Date; requestStatus: (requestId: string) => Promise<FloliveRequestStatusResult> },
): Promise<ProviderLinkRow[]> {
  return Promise.all(
    rows.map(async (row) => {
      if (row.provider !== 'FLOLIVE' || row.status !== 'IN_PROGRESS' || !row.requestId) return row;
      const result = await deps.requestStatus(row.requestId).catch(() => null);
      if (!result) return row;
      return (await recordFloliveStatus(deps, row.id, result, deps.now())) ?? row;
    }),
  );
}
