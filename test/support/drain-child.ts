/**
 * A second process for the claim test: opens the shared database (a SQLite file or a Postgres
 * database) and runs one outbox round, then prints the ids of the rows it claimed as JSON.
 * Usage: node --import tsx test/support/drain-child.ts <databaseUrl> <workerId> <startAtMs>
 */
import { openDatabase } from '../../src/db/client.js';
import { configureIdentityEncryption } from '../../src/db/identity-encryption.js';
import { DEFAULT_RETRY_POLICY } from '../../src/domain/retry-policy.js';
import { drainOutboxOnce } from '../../src/domain/outbox-worker.js';
import { openLinkUpdates } from '../../src/live/link-updates.js';
import { createCircuitBreakers } from '../../src/providers/circuit-breaker.js';
import { createProviderRegistry } from '../../src/providers/registry.js';
import { TEST_IDENTITY_KEY } from './test-keys.js';

// the parent wrote the outbox payloads encrypted with the test key
configureIdentityEncryption(TEST_IDENTITY_KEY);
const [url, workerId, startAt] = process.argv.slice(2) as [string, string, string];
const database = await openDatabase({ url, busyTimeoutMs: 10_000 });
const providers = await createProviderRegistry({ mode: 'sandbox', dataDir: null });
const linkUpdates = await openLinkUpdates({ databaseUrl: url });
// start together with the other process, so the two rounds overlap
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const claimed = await drainOutboxOnce(
  {
    database,
    providers,
    defaultProviders: [],
    providerDeadlineMs: 5000,
    viewer: { organizationId: 'unused', subject: null, scopes: [] },
    visibleOrganizations: async () => new Set<string>(),
    now: () => new Date(Date.now() + 3_600_000),
    retryPolicy: DEFAULT_RETRY_POLICY,
    breakers: createCircuitBreakers(),
    linkUpdates,
  },
  { workerId, batchSize: 25, claimMs: 60_000 },
);
console.log(JSON.stringify({ claimed }));
providers.close();
await linkUpdates.close();
await database.close();
