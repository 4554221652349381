import type { AuditTrail } from './audit.js';
import type { Correlation } from './correlation.js';
import type { Database } from './db/client.js';
import { organizationSubtree } from './domain/organizations.js';
import type { MutationDeps, Viewer } from './domain/mutation-deps.js';
import type { ProviderName } from './domain/enums.js';
import { createLoaders, type Loaders } from './loaders/index.js';
import type { LoaderBatchObserver } from './loaders/keyed.js';
import type { ProviderReadThrottle } from './loaders/provider-loader.js';
import { createProviderReadLoaders, type ProviderReadLoaders } from './loaders/provider-reads.js';
import type { IdempotencySettings } from './domain/idempotency.js';
import type { LinkUpdates } from './live/link-updates.js';
import type { RetryPolicy } from './domain/retry-policy.js';
import type { CircuitBreakers } from './providers/circuit-breaker.js';
import type { ProviderRegistry } from './providers/registry.js';
import type { CallOptions } from './providers/types.js';

/** What every resolver sees. A new one per request: the loaders' caches must not outlive it. */
export interface Context {
  database: Database;
  loaders: Loaders;
  /** Per-request loaders over provider reads (FirstVision data, floLIVE request status). */
  reads: ProviderReadLoaders;
  /** The organization FirstVision customers are kept under by default (see src/loaders/firstvision-stitch.ts). */
  firstvisionOrganization: number;
  providers: ProviderRegistry;
  /** Per-provider in-flight caps, shared by every request of the process. */
  throttles: Record<ProviderName, ProviderReadThrottle>;
  viewer: Viewer;
  /** What this request's mutations acted on, for its audit record (src/audit.ts). */
  audit: AuditTrail;
  /** The request's id (X-Request-Id, or generated): in logs, audit records and the response. */
  requestId: string;
  /** The viewer's organization and its descendants: all it may see (memoised per request). */
  visibleOrganizations(): Promise<ReadonlySet<string>>;
  /**
   * What every provider call the request makes goes with: a signal that aborts when the client goes
   * away or the request's deadline passes (made on first use), and the request's correlation, so
   * the call's log line names the request (src/correlation.ts).
   */
  call(): CallOptions;
  now: () => Date;
  /** The dependencies of the mutation use cases (src/domain). */
  mutations(): MutationDeps;
  idempotency: IdempotencySettings;
  /** Provider link changes, announced and subscribed to (src/live/link-updates.ts). */
  linkUpdates: LinkUpdates;
  /**
   * Starts a fresh request scope on this context: new loaders and provider reads (nothing cached
   * from before), the organization subtree read again, a new deadline for provider reads. A
   * subscription's context lives as long as its stream; each event runs as a request of its own.
   */
  renew(): void;
}

export interface ContextDependencies {
  database: Database;
  providers: ProviderRegistry;
  viewer: Viewer;
  defaultProviders: readonly ProviderName[];
  providerDeadlineMs: number;
  throttles: Record<ProviderName, ProviderReadThrottle>;
  retryPolicy: RetryPolicy;
  breakers: CircuitBreakers;
  idempotency: IdempotencySettings;
  /** Called once, on the first provider call: a timer and a listener per request that calls none would be waste. */
  signal: () => AbortSignal;
  requestId: string;
  now: () => Date;
  /** false only for the benchmark's N+1 comparison (DATALOADER_BATCHING=off). */
  batchLoads?: boolean;
  /** Told every dataloader batch's size (metrics: dataloader_batch_size). */
  onLoaderBatch?: LoaderBatchObserver;
  linkUpdates: LinkUpdates;
}

/** @example const context = createContext({ database, providers, viewer, defaultProviders, providerDeadlineMs, throttles, signal, now }); */
export function createContext(dependencies: ContextDependencies): Context {
  const { database, viewer } = dependencies;
  let subtree: Promise<ReadonlySet<string>> | undefined;
  const visibleOrganizations = () => (subtree ??= organizationSubtree(database, viewer.organizationId));
  const correlation: Correlation = { id: dependencies.requestId, origin: 'graphql' };
  let call: CallOptions | undefined;
  const callOf = () => (call ??= { signal: dependencies.signal(), correlation });
  const onBatch = dependencies.onLoaderBatch ? { onBatch: dependencies.onLoaderBatch } : {};
  const loadersOf = () => createLoaders(database, { batch: dependencies.batchLoads ?? true, ...onBatch });
  const readsOf = () => createProviderReadLoaders({ providers: dependencies.providers, throttles: dependencies.throttles, call: callOf, ...onBatch });
  return {
    visibleOrganizations,
    audit: { targets: new Set(), rejected: false },
    requestId: dependencies.requestId,
    database,
    viewer,
    loaders: loadersOf(),
    reads: readsOf(),
    linkUpdates: dependencies.linkUpdates,
    renew() {
      subtree = undefined;
      call = undefined;
      this.loaders = loadersOf();
      this.reads = readsOf();
    },
    firstvisionOrganization: dependencies.providers.firstvision.defaults.organizationNumber,
    providers: dependencies.providers,
    throttles: dependencies.throttles,
    idempotency: dependencies.idempotency,
    call: callOf,
    now: dependencies.now,
    mutations: () => ({
      database,
      providers: dependencies.providers,
      defaultProviders: dependencies.defaultProviders,
      providerDeadlineMs: dependencies.providerDeadlineMs,
      viewer,
      visibleOrganizations,
      now: dependencies.now,
      retryPolicy: dependencies.retryPolicy,
      breakers: dependencies.breakers,
      linkUpdates: dependencies.linkUpdates,
      correlation,
    }),
  };
}
