import { randomUUID } from 'node:crypto';

/**
 * What a unit of work is, for the logs of what it causes: a GraphQL request (its X-Request-Id), a
 * round of the outbox worker, a floLIVE poll.
 *
 * It travels explicitly, as the abort signal does: a request's context and a background round's
 * dependencies hold it (Context.call(), MutationDeps.correlation), every provider call takes it in
 * its CallOptions, and src/providers/http.ts reports it with the call. Not AsyncLocalStorage: on
 * Node 20, entering any store turns on a promise hook for every promise in the process, and the
 * stitched read — DataLoader batches and resolvers, all promises — lost ~5 % of its throughput to
 * it (README, Performance).
 */
export interface Correlation {
  /** The request id, or the background round's own id. */
  id: string;
  origin: 'graphql' | 'outbox' | 'flolive-poll';
}

/**
 * A new id for one round of background work.
 * @example const round = backgroundCorrelation('outbox'); await drain({ ...deps, correlation: round });
 */
export function backgroundCorrelation(origin: Exclude<Correlation['origin'], 'graphql'>): Correlation {
  return { id: randomUUID(), origin };
}

/** The request each failed GraphQL error happened in, noted as results leave execution (src/request-id.ts). */
const errorCorrelations = new WeakMap<object, Correlation>();

/** Notes that `error` happened in the work `correlation` names. */
export function noteErrorCorrelation(error: object, correlation: Correlation): void {
  errorCorrelations.set(error, correlation);
}

/**
 * The work an error happened in, when it was noted: yoga logs an error it masks with the error alone,
 * and the log line names its request through this (src/logger.ts).
 */
export function correlationOfError(error: unknown): Correlation | undefined {
  return typeof error === 'object' && error !== null ? errorCorrelations.get(error) : undefined;
}
