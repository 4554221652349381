import { getEventListeners } from 'node:events';
import { createPubSub, type PubSubEventTarget, type Repeater } from 'graphql-yoga';
import type { ProviderLinkRow } from '../db/schema.js';
import { isPostgresUrl } from '../db/url.js';

/**
 * A provider link as change events carry it: JSON-safe (instants as epoch milliseconds), so the
 * same event crosses processes through Postgres NOTIFY (src/live/postgres-event-target.ts) and
 * stays in-process on SQLite. Without the provider options the link keeps (not part of the API).
 */
export interface LinkSnapshot {
  id: string;
  customerId: string;
  provider: ProviderLinkRow['provider'];
  status: ProviderLinkRow['status'];
  externalId: string | null;
  requestId: string | null;
  /** At most ERROR_LENGTH_IN_EVENTS characters: a NOTIFY payload is limited to 8,000 bytes. */
  error: string | null;
  attempts: number;
  omitted: string[];
  lastAttemptAt: number | null;
  deadLetteredAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** The pubsub's typed topic: `providerLinkUpdated:<customer id>`. */
export type LinkUpdateTopics = { providerLinkUpdated: [customerId: string, link: LinkSnapshot] };
export type LinkUpdateEventTarget = PubSubEventTarget<LinkUpdateTopics> & { close?(): Promise<void> };

/** Longest link error an event carries; the link itself keeps the whole text. */
export const ERROR_LENGTH_IN_EVENTS = 2_000;

/**
 * Where provider link changes are published and subscribed to, one per process: created in
 * server.ts (or by a test) and handed to the app and to every piece of domain code that changes a
 * link (MutationDeps, the floLIVE settlement, the outbox worker through MutationDeps).
 */
export interface LinkUpdates {
  /**
   * Publishes links a committed change left as they are. Call it after the transaction resolved,
   * never inside it: a rolled-back change must not be announced.
   */
  publish(links: readonly ProviderLinkRow[]): void;
  /** The changes of one customer's links from now on; `return()` stops listening. */
  subscribe(customerId: string): Repeater<LinkSnapshot>;
  /** Listeners in this process for one customer's links (a disconnected subscriber leaves none behind). */
  listenerCount(customerId: string): number;
  /** Closes the event target's connection, if it has one. */
  close(): Promise<void>;
}

/**
 * graphql-yoga's pubsub over an event target: in-process by default (one SQLite process sees all
 * its changes), or Postgres LISTEN/NOTIFY so that every instance's subscribers see every instance's
 * changes (createPostgresEventTarget).
 * @example const linkUpdates = createLinkUpdates(); linkUpdates.publish([row]);
 */
export function createLinkUpdates(eventTarget: LinkUpdateEventTarget = new EventTarget() as LinkUpdateEventTarget): LinkUpdates {
  const pubsub = createPubSub<LinkUpdateTopics>({ eventTarget });
  return {
    publish(links) {
      for (const link of links) pubsub.publish('providerLinkUpdated', link.customerId, snapshotOf(link));
    },
    subscribe: (customerId) => pubsub.subscribe('providerLinkUpdated', customerId),
    listenerCount: (customerId) => getEventListeners(eventTarget, `providerLinkUpdated:${customerId}`).length,
    close: async () => eventTarget.close?.(),
  };
}

export function snapshotOf(link: ProviderLinkRow): LinkSnapshot {
  return {
    id: link.id,
    customerId: link.customerId,
    provider: link.provider,
    status: link.status,
    externalId: link.externalId,
    requestId: link.requestId,
    error: link.error && link.error.length > ERROR_LENGTH_IN_EVENTS ? `${link.error.slice(0, ERROR_LENGTH_IN_EVENTS - 1)}…` : link.error,
    attempts: link.attempts,
    omitted: link.omitted,
    lastAttemptAt: link.lastAttemptAt?.getTime() ?? null,
    deadLetteredAt: link.deadLetteredAt?.getTime() ?? null,
    createdAt: link.createdAt.getTime(),
    updatedAt: link.updatedAt.getTime(),
  };
}

/** The link row the GraphQL ProviderLink type resolves from. */
export function linkOfSnapshot(snapshot: LinkSnapshot): ProviderLinkRow {
  const at = (ms: number | null) => (ms === null ? null : new Date(ms));
  return {
    ...snapshot,
    options: null,
    lastAttemptAt: at(snapshot.lastAttemptAt),
    deadLetteredAt: at(snapshot.deadLetteredAt),
    createdAt: new Date(snapshot.createdAt),
    updatedAt: new Date(snapshot.updatedAt),
  };
}

/**
 * The process's link updates for its database: through Postgres LISTEN/NOTIFY when the database is
 * Postgres (many instances share it), in-process on SQLite (one process). The Postgres module is
 * loaded only then, as the driver is (src/db/client.ts).
 * @example const linkUpdates = await openLinkUpdates({ databaseUrl: config.DATABASE_URL, onError: (error) => logger.error({ err: error }) });
 */
export async function openLinkUpdates(options: { databaseUrl: string; onError?: (error: unknown) => void }): Promise<LinkUpdates> {
  if (!isPostgresUrl(options.databaseUrl)) return createLinkUpdates();
  const { createPostgresEventTarget } = await import('./postgres-event-target.js');
  return createLinkUpdates(createPostgresEventTarget({ url: options.databaseUrl, ...(options.onError ? { onError: options.onError } : {}) }));
}
