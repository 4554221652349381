import type { YogaLogger } from 'graphql-yoga';
import { createApp, type App } from '../src/app.js';
import { createAuthenticator, type Authenticator } from '../src/auth/authenticator.js';
import { SCOPES, type Scope } from '../src/auth/scopes.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { loadDemoData } from '../src/domain/demo-data.js';
import { openLinkUpdates, type LinkUpdates } from '../src/live/link-updates.js';
import type { ProviderName } from '../src/domain/enums.js';
import type { MutationDeps } from '../src/domain/mutation-deps.js';
import { ensureRootOrganization, organizationSubtree } from '../src/domain/organizations.js';
import { createMetrics, type Metrics } from '../src/metrics.js';
import { providerCallObserver } from '../src/provider-call-observer.js';
import { createProviderRegistry, type ProviderRegistry } from '../src/providers/registry.js';
import type { FaultConfig } from '../src/providers/types.js';
import type { FetchLike } from '../src/providers/http.js';
import type { ProviderLoaderLimits } from '../src/loaders/provider-loader.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../src/domain/retry-policy.js';
import type { OperationLimits } from '../src/operation-limits.js';
import {
  createCircuitBreakers,
  DEFAULT_CIRCUIT_BREAKER_OPTIONS,
  type CircuitBreakerOptions,
  type CircuitBreakers,
} from '../src/providers/circuit-breaker.js';
import { collectPii, testLogger, testYogaLogger, watchPii } from './log-capture.js';
import { freshTestDatabase } from './support/test-database.js';

/** The HS256 secret of test apps (tests sign their own tokens with it). */
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256';

export interface TestApp {
  app: App;
  database: Database;
  /** The URL the database was opened with (`:memory:`, or a Postgres database of this test run). */
  databaseUrl: string;
  metrics: Metrics;
  providers: ProviderRegistry;
  organizationId: string;
  /** The circuit breakers the app's mutations use. */
  breakers: CircuitBreakers;
  /** The app's provider link updates (LISTEN/NOTIFY on Postgres, in-process on SQLite), as server.ts makes them. */
  linkUpdates: LinkUpdates;
  /** The dependencies the mutation use cases get inside a request, for calling src/domain directly. */
  mutationDeps(): MutationDeps;
  /** The simulator of one provider (sandbox mode, in memory). */
  sandboxState(provider: ProviderName): ReturnType<ProviderRegistry['sandboxes'][number]['state']>;
  /** Every SQL statement drizzle ran, in order (the drizzle logger's view). */
  statements: string[];
  /** An admin token for the root organization: what graphql() sends. */
  token: string;
  /**
   * Headers for a raw app.fetch with JSON and that token: a fresh object on every read, because a
   * Request built from a plain object writes its content-length into it.
   */
  readonly headers: Record<string, string>;
  /** A token for another organization or fewer scopes. */
  tokenFor(organizationId: string, scopes: readonly Scope[], subject?: string): Promise<string>;
  authenticator: Authenticator;
  /** Runs a GraphQL operation in-process (as the admin, or with `token`); returns the HTTP status and the parsed body. */
  graphql<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export interface GraphQLResponse<T> {
  status: number;
  body: { data?: T | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[] };
}

/** A fresh app on in-memory SQLite with the real migrations, optionally with the demo dataset. */
export async function createTestApp(
  options: {
    demo?: boolean;
    /** Defaults to the capture logger of test/log-capture.ts; `false` silences it. */
    logging?: boolean | YogaLogger;
    faults?: Partial<Record<ProviderName, FaultConfig>>;
    defaultProviders?: ProviderName[];
    providerDeadlineMs?: number;
    providerLimits?: Partial<Record<ProviderName, Partial<ProviderLoaderLimits>>>;
    /** Wraps the providers' transport (observe or fail calls). */
    transport?: (next: FetchLike) => FetchLike;
    retryPolicy?: Partial<RetryPolicy>;
    circuit?: Partial<CircuitBreakerOptions>;
    limits?: Partial<OperationLimits>;
    now?: () => Date;
    /** false: every SQL load its own statement (the benchmark's N+1 case). */
    batchLoads?: boolean;
  } = {},
): Promise<TestApp> {
  const statements: string[] = [];
  const metrics = createMetrics();
  const storage = await freshTestDatabase();
  const database = await openDatabase({
    url: storage.url,
    onQuery: (sql) => {
      statements.push(sql);
      metrics.sqlStatements.inc();
    },
  });
  await migrateDatabase(database);
  watchPii(database);
  if (options.demo) await loadDemoData(database);
  const organizationId = await ensureRootOrganization(database);
  const providers = await createProviderRegistry({
    mode: 'sandbox',
    dataDir: null,
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.transport ? { transport: options.transport } : {}),
    onCall: providerCallObserver({ metrics, logger: testLogger }),
    sleep: async () => {},
  });
  // jitter fixed at the middle so retry times are predictable in tests
  const retryPolicy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, random: () => 0.5, ...options.retryPolicy };
  const breakers = createCircuitBreakers({ ...DEFAULT_CIRCUIT_BREAKER_OPTIONS, ...options.circuit });
  const now = options.now ?? (() => new Date());
  const authenticator = await createAuthenticator({ database, secret: TEST_JWT_SECRET, audience: 'customer-graph' });
  const token = await authenticator.sign({ organizationId, subject: 'test-admin', scopes: ['admin'] });
  const linkUpdates = await openLinkUpdates({ databaseUrl: storage.url });
  const app = createApp({
    linkUpdates,
    database,
    providers,
    authenticator,
    retryPolicy,
    breakers,
    now,
    ...(options.limits ? { limits: options.limits } : {}),
    metrics,
    logging: options.logging ?? testYogaLogger,
    ...(options.defaultProviders ? { defaultProviders: options.defaultProviders } : {}),
    ...(options.providerDeadlineMs ? { providerDeadlineMs: options.providerDeadlineMs } : {}),
    ...(options.providerLimits ? { providerLimits: options.providerLimits } : {}),
    ...(options.batchLoads === false ? { batchLoads: false } : {}),
  });
  return {
    app,
    database,
    databaseUrl: storage.url,
    metrics,
    providers,
    organizationId,
    mutationDeps: () => ({
      database,
      providers,
      defaultProviders: options.defaultProviders ?? ['ENFUCE', 'NOAH', 'CARDLYTICS', 'FLOLIVE', 'FIRSTVISION'],
      providerDeadlineMs: options.providerDeadlineMs ?? 10_000,
      viewer: { organizationId, subject: null, scopes: SCOPES },
      visibleOrganizations: () => organizationSubtree(database, organizationId),
      now,
      retryPolicy,
      breakers,
      linkUpdates,
    }),
    breakers,
    linkUpdates,
    sandboxState: (provider) => providers.sandboxes.find((sandbox) => sandbox.name === provider)!.state(),
    statements,
    token,
    get headers() {
      return { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    },
    tokenFor: (organization, scopes, subject = 'test-user') => authenticator.sign({ organizationId: organization, subject, scopes }),
    authenticator,
    async graphql(query, variables, asToken = token) {
      const response = await app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          ...(asToken ? { authorization: `Bearer ${asToken}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as GraphQLResponse<any>['body'] };
    },
    close: async () => {
      await collectPii(database);
      providers.close();
      await linkUpdates.close();
      await database.close();
      await storage.drop();
    },
  };
}
