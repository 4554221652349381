import { useDeferStream } from '@graphql-yoga/plugin-defer-stream';
import { createYoga, type GraphiQLOptions, type YogaLogger, type YogaServerInstance } from 'graphql-yoga';
import type { Authenticator } from './auth/authenticator.js';
import { useAuthentication } from './auth/plugin.js';
import { useAuditTrail } from './audit.js';
import { createContext, type Context } from './context.js';
import type { Database } from './db/client.js';
import { PROVIDER_NAMES, type ProviderName } from './domain/enums.js';
import { createReadThrottles, type ProviderLoaderLimits, type ProviderReadThrottle } from './loaders/provider-loader.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './domain/retry-policy.js';
import { createCircuitBreakers, type CircuitBreakers } from './providers/circuit-breaker.js';
import type { ProviderRegistry } from './providers/registry.js';
import { useSandboxes } from './providers/sandbox-plugin.js';
import { createLinkUpdates, type LinkUpdates } from './live/link-updates.js';
import { createMetrics, useMetrics, type Metrics } from './metrics.js';
import { useOperationalEndpoints } from './operational-endpoints.js';
import { DEFAULT_OPERATION_LIMITS, useOperationLimits, type OperationLimits } from './operation-limits.js';
import { useRequestGuards } from './request-guards.js';
import { useCompiledExecution } from './compiled-execution.js';
import { requestIdOf, useRequestId } from './request-id.js';
import { useTracing } from './tracing.js';
import { schema } from './schema/index.js';

export interface AppDependencies {
  database: Database;
  providers: ProviderRegistry;
  /** Turns each request's Authorization header into its viewer (src/auth). */
  authenticator: Authenticator;
  /** Default: all five. */
  defaultProviders?: readonly ProviderName[];
  /** Default 10 s. */
  providerDeadlineMs?: number;
  /** A request's deadline for provider reads; default 15 s. */
  requestTimeoutMs?: number;
  /** Per-provider read throttles; pass the server's so the background poll shares the in-flight caps. */
  throttles?: Record<ProviderName, ProviderReadThrottle>;
  providerLimits?: Partial<Record<ProviderName, Partial<ProviderLoaderLimits>>>;
  /** Default DEFAULT_RETRY_POLICY. */
  retryPolicy?: RetryPolicy;
  /** Pass the server's so the outbox worker and mutations share one breaker per provider. */
  breakers?: CircuitBreakers;
  /** How long idempotency keys are kept; default 24 h. */
  idempotencyTtlMs?: number;
  /** Depth, aliases, tokens, cost, body size, introspection, CSRF, trusted documents; see operation-limits.ts. */
  limits?: Partial<OperationLimits>;
  now?: () => Date;
  /** Defaults to a fresh registry; pass the one the database's statement counter feeds. */
  metrics?: Metrics;
  /** Yoga's logger: the server passes pino's (src/logger.ts, PII and secrets scrubbed); `false` silences it. */
  logging?: boolean | YogaLogger;
  /** See GRAPHIQL in config.ts; default `bundled`. */
  graphiql?: 'bundled' | 'cdn' | 'off';
  /** A token GraphiQL's Headers tab starts with (sandbox mode: the local developer's). */
  graphiqlToken?: string | null;
  /** Default true; false gives every SQL load its own statement (DATALOADER_BATCHING=off, the benchmark's N+1 case). */
  batchLoads?: boolean;
  /** Default true: queries run compiled by graphql-jit (src/compiled-execution.ts); false runs graphql-js (GRAPHQL_JIT=off). */
  compiledExecution?: boolean;
  /**
   * Provider link changes for the providerLinkUpdated subscription: pass the process's, the one its
   * worker and floLIVE poll publish to (server.ts). Default: a fresh in-process one.
   */
  linkUpdates?: LinkUpdates;
}

export type App = YogaServerInstance<Record<string, unknown>, Context>;

/** What GraphiQL opens with: a query that shows the shape of the graph on the demo data. */
export const GRAPHIQL_EXAMPLE_QUERY = `# customer-graph: one typed graph over five provider APIs.
# Press the play button to run this against the demo data.
query FirstCustomers {
  customers(first: 5, filter: { status: [ACTIVE] }) {
    totalCount
    edges {
      node {
        id
        customerNumber
        kind
        displayName
        name { first last }
        email
        identities { type number issuingCountry }
        addresses { kind line1 city postalCode country isPrimary }
        accounts {
          accountNumber
          type
          holders { displayName }
          cards { last4 iin network status }
        }
        relationships { relationshipNumber }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/**
 * Builds the HTTP application (yoga: GraphQL at /graphql with GraphiQL, /health, /metrics, and the
 * provider simulators at /sandbox/<provider> in sandbox mode) from its
 * dependencies. No I/O happens here; `yoga.fetch` serves requests in-process, as tests do.
 * @example const app = createApp({ database, providers: await createProviderRegistry({ mode: 'sandbox', dataDir: null }), organizationId });
 */
export function createApp(dependencies: AppDependencies): App {
  const { database, providers } = dependencies;
  const authentication = useAuthentication({ authenticator: dependencies.authenticator, graphqlEndpoint: '/graphql' });
  const defaultProviders = dependencies.defaultProviders ?? PROVIDER_NAMES;
  const providerDeadlineMs = dependencies.providerDeadlineMs ?? 10_000;
  const now = dependencies.now ?? (() => new Date());
  const throttles = dependencies.throttles ?? createReadThrottles(dependencies.providerLimits);
  const requestTimeoutMs = dependencies.requestTimeoutMs ?? 15_000;
  const retryPolicy = dependencies.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const breakers = dependencies.breakers ?? createCircuitBreakers();
  const idempotency = {
    ttlMs: dependencies.idempotencyTtlMs ?? 24 * 3_600_000,
    // a mutation runs at most a few provider deadlines (reconcile, send) and its transactions
    lockMs: 4 * providerDeadlineMs + 30_000,
  };
  const metrics = dependencies.metrics ?? createMetrics();
  const graphiql = dependencies.graphiql ?? 'bundled';
  const linkUpdates = dependencies.linkUpdates ?? createLinkUpdates();
  return createYoga<Record<string, unknown>, Context>({
    schema,
    context: ({ request }) =>
      createContext({
        database,
        providers,
        // set by the authentication plugin before any context is built; a request without one was answered 401
        viewer: authentication.viewerOf(request)!,
        defaultProviders,
        providerDeadlineMs,
        throttles,
        retryPolicy,
        breakers,
        idempotency,
        requestId: requestIdOf(request),
        signal: () => AbortSignal.any([request.signal, AbortSignal.timeout(requestTimeoutMs)]),
        now,
        batchLoads: dependencies.batchLoads ?? true,
        onLoaderBatch: (loader, size) => metrics.loaderBatchSize.observe({ loader }, size),
        linkUpdates,
      }),
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health/live',
    landingPage: false,
    // the body limit is operation-limits.ts's (maxBodyBytes), which skips yoga's per-request stream
    maxRequestBodySize: false,
    maskedErrors: true,
    logging: dependencies.logging ?? true,
    graphiql:
      graphiql === 'off'
        ? false
        : {
            title: 'customer-graph',
            defaultQuery: GRAPHIQL_EXAMPLE_QUERY,
            ...(dependencies.graphiqlToken
              ? { headers: JSON.stringify({ Authorization: `Bearer ${dependencies.graphiqlToken}` }, null, 2) }
              : {}),
          },
    ...(graphiql === 'bundled' ? { renderGraphiQL: renderBundledGraphiQL } : {}),
    plugins: [
      // notes the request on each error as it leaves execution, before yoga masks it (src/request-id.ts)
      useRequestId(),
      useOperationalEndpoints({ database, metrics, breakers, now }),
      authentication.plugin,
      useAuditTrail({ now }),
      useSandboxes({ sandboxes: providers.sandboxes }),
      useMetrics({ metrics }),
      useTracing(),
      // @defer / @stream: a client renders local fields first while provider-backed ones (demographics, addressHistory) follow
      useDeferStream(),
      ...useOperationLimits({ ...DEFAULT_OPERATION_LIMITS, ...dependencies.limits }),
      // after the limits: graphql-armor replaces the parser, and the guard must wrap the one in use
      useRequestGuards(),
      ...(dependencies.compiledExecution === false ? [] : [useCompiledExecution()]),
    ],
  });
}

/**
 * GraphiQL with its assets served from this process. The bundle is ~9 MB of JavaScript: loaded on
 * the first page request rather than at start, so an API-only process neither parses nor keeps it.
 */
const renderBundledGraphiQL = async (options: GraphiQLOptions) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(options);
