import type { Database } from '../db/client.js';
import type { Scope } from '../auth/scopes.js';
import type { CircuitBreakers } from '../providers/circuit-breaker.js';
import type { LinkUpdates } from '../live/link-updates.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { RetryPolicy } from './retry-policy.js';
import type { ProviderName } from './enums.js';
import type { Correlation } from '../correlation.js';
import type { CallOptions } from '../providers/types.js';

/** Who is acting: from the request's credentials (src/auth). */
export interface Viewer {
  organizationId: string;
  /** Recorded as the actor (Enfuce auditUser); null for the process itself (demo linking, worker). */
  subject: string | null;
  scopes: readonly Scope[];
  /** When the credentials stop being valid: a token's `exp` (an API key has none). A subscription ends then. */
  expiresAt?: Date;
}

/** What the mutation use cases need; built per request from the app's dependencies. */
export interface MutationDeps {
  database: Database;
  providers: ProviderRegistry;
  /** Providers to route to when the input names none. */
  defaultProviders: readonly ProviderName[];
  /** Deadline of one provider call while the mutation waits for it. */
  providerDeadlineMs: number;
  viewer: Viewer;
  /** The viewer's organization and its descendants: the customers it may change. */
  visibleOrganizations(): Promise<ReadonlySet<string>>;
  now: () => Date;
  retryPolicy: RetryPolicy;
  /** One per provider, shared by the process: mutations and the outbox worker alike. */
  breakers: CircuitBreakers;
  /** Where every committed change of a provider link is announced (the providerLinkUpdated subscription). */
  linkUpdates: LinkUpdates;
  /** The request or background round acting: its provider calls are logged under it (src/correlation.ts). */
  correlation?: Correlation;
}

/**
 * The options of one provider call a use case makes while it waits: its own deadline, and the
 * deps' correlation, so the call is logged under the request or round acting.
 * @example await adapter.create(requests, providerCall(deps));
 */
export function providerCall(deps: Pick<MutationDeps, 'providerDeadlineMs' | 'correlation'>): CallOptions {
  return { signal: AbortSignal.timeout(deps.providerDeadlineMs), correlation: deps.correlation };
}
