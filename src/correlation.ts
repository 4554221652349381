import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What a unit of work is, for the logs of what it causes: a GraphQL request (its X-Request-Id), a
 * round of the outbox worker, a floLIVE poll. Provider calls deep inside adapters read it from here
 * (src/providers/http.ts) instead of every adapter threading it through.
 */
export interface Correlation {
  /** The request id, or the background round's own id. */
  id: string;
  origin: 'graphql' | 'outbox' | 'flolive-poll';
}

const storage = new AsyncLocalStorage<Correlation>();

/**
 * Runs `work` with `correlation` visible to everything it starts, awaited or not.
 * @example await withCorrelation({ id: randomUUID(), origin: 'outbox' }, () => drain());
 */
export function withCorrelation<T>(correlation: Correlation, work: () => T): T {
  return storage.run(correlation, work);
}

/** The correlation of the work running now; undefined outside any (start-up, tests calling adapters directly). */
export function currentCorrelation(): Correlation | undefined {
  return storage.getStore();
}
