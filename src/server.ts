import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { createApp } from './app.js';
import { authenticatorFromConfig, dataDirOf } from './auth/from-config.js';
import { SCOPES } from './auth/scopes.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { configureIdentityEncryption, encryptStoredIdentityNumbers, encryptStoredPayloads, localIdentityKey } from './db/identity-encryption.js';
import { migrateDatabase } from './db/migrate.js';
import { openLinkUpdates } from './live/link-updates.js';
import { createLogger, yogaLogger } from './logger.js';
import { linkDemoCustomers, loadDemoData } from './domain/demo-data.js';
import { settleFloliveLinks } from './domain/flolive-settlement.js';
import type { MutationDeps } from './domain/mutation-deps.js';
import { ensureRootOrganization, organizationSubtree } from './domain/organizations.js';
import { startOutboxWorker } from './domain/outbox-worker.js';
import { createReadThrottles } from './loaders/provider-loader.js';
import { createMetrics } from './metrics.js';
import { providerCallObserver } from './provider-call-observer.js';
import { createCircuitBreakers } from './providers/circuit-breaker.js';
import { createProviderRegistry } from './providers/registry.js';
import { withSecretFiles } from './secret-files.js';
import { startTracing } from './tracing.js';

/**
 * The only module that listens: config → database → migrate → demo data → providers → app →
 * listen, with the outbox worker and the floLIVE poll running beside the server.
 */
async function main(): Promise<void> {
  // `npm start` is the zero-configuration demo: demo data is on unless DEMO_DATA says otherwise.
  const env = withSecretFiles(process.env);
  const config = loadConfig({ DEMO_DATA: 'on', ...env });
  const logger = createLogger({ level: config.LOG_LEVEL });
  // before anything makes a span: the SDK is imported only when an exporter is configured
  const tracing = await startTracing({ exporter: config.OTEL_TRACES_EXPORTER, serviceName: config.OTEL_SERVICE_NAME });
  const metrics = createMetrics();
  const database = await openDatabase({
    url: config.DATABASE_URL,
    busyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS,
    poolSize: config.DATABASE_POOL_SIZE,
    onQuery: () => metrics.sqlStatements.inc(),
  });
  await migrateDatabase(database);
  if (!config.IDENTITY_ENCRYPTION_KEY && config.PROVIDER_MODE === 'live') throw new Error('live mode needs IDENTITY_ENCRYPTION_KEY');
  configureIdentityEncryption(config.IDENTITY_ENCRYPTION_KEY ?? (await localIdentityKey(dataDirOf(config))));
  // SQLite files older than encryption at rest may hold values in clear; Postgres databases never did
  if (database.dialect === 'sqlite') {
    const encrypted = encryptStoredIdentityNumbers(database.sqlite);
    if (encrypted > 0) console.log(`Encrypted ${encrypted} identity numbers stored in clear.`);
    const encryptedPayloads = encryptStoredPayloads(database.sqlite);
    if (encryptedPayloads > 0) console.log(`Encrypted ${encryptedPayloads} outbox payloads and stored answers kept in clear.`);
  }
  const demo = config.DEMO_DATA ? await loadDemoData(database) : null;
  if (demo?.loaded) console.log(`Loaded demo data: ${demo.customers} customers, ${demo.accounts} accounts, ${demo.cards} cards.`);

  const organizationId = await ensureRootOrganization(database);
  const providers = await createProviderRegistry({
    mode: config.PROVIDER_MODE,
    env,
    // simulator state and generated sandbox keys live beside the database file, or are those of the
    // separate simulator process at SANDBOX_URL
    dataDir: config.SANDBOX_URL ? (config.SANDBOX_DATA_DIR ?? dataDirOf(config)) : dataDirOf(config),
    ...(config.SANDBOX_URL ? { sandboxOrigin: config.SANDBOX_URL.replace(/\/$/, ''), serveSandboxes: false } : {}),
    faults: config.SANDBOX_FAULTS,
    onCall: providerCallObserver({ metrics, logger }),
  });
  const throttles = createReadThrottles(config.PROVIDER_LIMITS);
  // one breaker per provider for the whole process: mutations and the worker see the same state
  const breakers = createCircuitBreakers({ failureThreshold: config.CIRCUIT_FAILURE_THRESHOLD, openMs: config.CIRCUIT_OPEN_MS });
  const retryPolicy = {
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    baseDelayMs: config.OUTBOX_BACKOFF_BASE_MS,
    maxDelayMs: config.OUTBOX_BACKOFF_MAX_MS,
    random: Math.random,
  };
  // one per process: mutations, the outbox worker and the floLIVE poll announce link changes to
  // it, the providerLinkUpdated subscription listens (across instances on Postgres)
  const linkUpdates = await openLinkUpdates({
    databaseUrl: config.DATABASE_URL,
    onError: (error) => logger.error({ err: error }, 'provider link updates: LISTEN/NOTIFY failed'),
  });
  const deps: MutationDeps = {
    database,
    providers,
    defaultProviders: config.PROVIDERS_DEFAULT,
    providerDeadlineMs: config.PROVIDER_DEADLINE_MS,
    // the process itself (demo linking, the outbox worker) acts for the root organization
    viewer: { organizationId, subject: null, scopes: SCOPES },
    visibleOrganizations: () => organizationSubtree(database, organizationId),
    now: () => new Date(),
    retryPolicy,
    breakers,
    linkUpdates,
  };

  if (demo?.loaded && config.PROVIDER_MODE === 'sandbox') {
    const linked = await linkDemoCustomers(deps);
    console.log(`Linked ${linked.routed} demo customers to the FIRSTVISION simulator.`);
    for (const { customerId, errors } of linked.refused) {
      logger.warn({ customerId, errors: errors.map((error) => `${error.field.join('.')}: ${error.message}`) }, 'demo customer not linked to FIRSTVISION');
    }
  }

  const authenticator = await authenticatorFromConfig(config, database);
  // sandbox mode: a token for the demo's root organization, also put into GraphiQL's Headers tab
  const localToken =
    config.PROVIDER_MODE === 'sandbox' && !config.JWT_PUBLIC_KEY && !config.JWKS_URL
      ? await authenticator.sign({ organizationId, subject: 'local-developer', scopes: ['admin'] })
      : null;
  const app = createApp({
    logging: yogaLogger(logger),
    database,
    providers,
    authenticator,
    metrics,
    throttles,
    breakers,
    retryPolicy,
    graphiql: config.GRAPHIQL,
    graphiqlToken: localToken,
    defaultProviders: config.PROVIDERS_DEFAULT,
    providerDeadlineMs: config.PROVIDER_DEADLINE_MS,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    idempotencyTtlMs: config.IDEMPOTENCY_TTL_HOURS * 3_600_000,
    batchLoads: config.DATALOADER_BATCHING,
    compiledExecution: config.GRAPHQL_JIT,
    linkUpdates,
    limits: {
      maxDepth: config.MAX_QUERY_DEPTH,
      maxAliases: config.MAX_QUERY_ALIASES,
      maxTokens: config.MAX_QUERY_TOKENS,
      maxCost: config.MAX_QUERY_COST,
      maxDirectives: config.MAX_QUERY_DIRECTIVES,
      maxBodyBytes: config.MAX_BODY_BYTES,
      introspection: config.INTROSPECTION,
      fieldSuggestions: config.FIELD_SUGGESTIONS,
      csrfPrevention: config.CSRF_PREVENTION,
      trustedDocuments: config.TRUSTED_DOCUMENTS ?? null,
    },
  });

  const worker =
    config.OUTBOX_POLL_INTERVAL_MS > 0
      ? startOutboxWorker(() => deps, {
          workerId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
          batchSize: 50,
          // a claim outlives a reconcile and a send, each within the deadline
          claimMs: 2 * config.PROVIDER_DEADLINE_MS + 5_000,
          pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
          onError: (error) => logger.error({ err: error }, 'outbox round failed'),
        })
      : null;

  // The background poll settles floLIVE requests nobody reads; one round at a time, never overlapping.
  let polling = false;
  const poll =
    config.FLOLIVE_POLL_INTERVAL_MS > 0
      ? setInterval(() => {
          if (polling) return;
          polling = true;
          settleFloliveLinks({
            database,
            linkUpdates,
            flolive: providers.flolive,
            throttle: throttles.FLOLIVE,
            now: () => new Date(),
            callTimeoutMs: config.PROVIDER_DEADLINE_MS,
          })
            .catch((error: unknown) => logger.error({ err: error }, 'floLIVE status poll failed'))
            .finally(() => {
              polling = false;
            });
        }, config.FLOLIVE_POLL_INTERVAL_MS).unref()
      : null;

  const server = createServer(app);
  // a request that takes longer than its deadline (plus time to answer) is cut by the server itself
  server.requestTimeout = config.REQUEST_TIMEOUT_MS + 5_000;
  server.listen(config.PORT, config.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const url = `http://${config.HOST}:${port}${app.graphqlEndpoint}`;
    if (localToken) console.log(`Token for the root organization, all scopes, 12 h — send it as Authorization: Bearer <token>\nToken: ${localToken}`);
    console.log(config.GRAPHIQL === 'off' ? `customer-graph is listening. GraphQL: ${url}` : `customer-graph is listening. GraphiQL: ${url}`);
  });

  const shutdown = async (signal: string) => {
    console.log(`${signal} received, closing.`);
    if (poll) clearInterval(poll);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await worker?.stop();
    await tracing?.shutdown();
    providers.close();
    await linkUpdates.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
