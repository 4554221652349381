import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { PROVIDER_NAMES } from '../src/domain/enums.js';
import { fullCustomerInput } from './mutations.js';
import { simulatorCustomerKeys, waitUntilDrained } from './support/drain.js';
import { rawRows } from './support/raw-sql.js';
import { startSandboxProcess, startServerProcess, stopServerProcess, type ServerProcess } from './support/server-process.js';
import { onPostgres, sharedTestDatabase } from './support/test-database.js';
import { TEST_IDENTITY_KEY } from './support/test-keys.js';

const CUSTOMERS = 120;
const IDEMPOTENT_PAIRS = 20;
const CONCURRENCY = 12;

/** A fifth of every provider's calls fail before the provider writes anything: the outboxes retry them. */
const FAULTS = Object.fromEntries(
  PROVIDER_NAMES.map((provider, i) => [provider, { failureRate: 0.2, seed: 300 + i, retryAfterSeconds: 0, kinds: ['500', '503'] }]),
);

const CREATE = `mutation ($input: CustomerCreateInput!) {
  customerCreate(input: $input) { customer { id customerNumber } userErrors { field message code } }
}`;

function input(i: number, idempotencyKey?: string) {
  const n = String(i).padStart(4, '0');
  return {
    customer: fullCustomerInput({
      customerNumber: `710000000000000${n}`,
      name: { first: `Scale${n}`, last: 'Instance' },
      email: `scale${n}@example.com`,
      // each its own identity numbers: a provider reconciles an unknown outcome by them
      identities: fullCustomerInput().identities.map((identity: object, k: number) => ({ ...identity, number: `S${n}000${k}` })),
      accounts: [{ ...fullCustomerInput().accounts[0], accountNumber: `810000000000000${n}` }],
    }),
    ...(idempotencyKey ? { idempotencyKey } : {}),
  };
}

/**
 * Many instances: two server processes on one Postgres database, each running its outbox worker,
 * the simulators in a third process, under concurrent creates sent to both (and idempotent retries
 * of one request sent to both at once). No customer is lost or written twice, no idempotency key runs
 * twice, and no outbox row is dispatched twice: every simulator holds each customer once.
 */
describe.skipIf(!onPostgres)('two instances on one Postgres database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'customer-graph-scale-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'under concurrent load: no lost customer, no duplicate dispatch, one run per idempotency key',
    async () => {
      const storage = await sharedTestDatabase(dir);
      const sandbox = await startSandboxProcess(join(dir, 'sandbox'), { SANDBOX_FAULTS: JSON.stringify(FAULTS) });
      const env = {
        DATABASE_URL: storage.url,
        IDENTITY_ENCRYPTION_KEY: TEST_IDENTITY_KEY,
        JWT_SECRET: 'scale-test-secret-that-is-long-enough-for-hs256',
        SANDBOX_URL: sandbox.origin,
        SANDBOX_DATA_DIR: join(dir, 'sandbox'),
        DEMO_DATA: 'off',
        PROVIDER_DEADLINE_MS: '2000',
        OUTBOX_POLL_INTERVAL_MS: '20',
        OUTBOX_BACKOFF_BASE_MS: '10',
        OUTBOX_BACKOFF_MAX_MS: '100',
        OUTBOX_MAX_ATTEMPTS: '20',
        CIRCUIT_FAILURE_THRESHOLD: '1000',
        FLOLIVE_POLL_INTERVAL_MS: '50',
      };
      // as `npm start` runs them (the bundle test/global-setup.ts built, its Postgres driver loaded on demand); one at a time: the
      // second finds the migrations applied (they would take turns under an advisory lock anyway)
      const a = await startServerProcess(env, { build: true });
      const b = await startServerProcess(env, { build: true });
      const database = await openDatabase({ url: storage.url });
      try {
        const send = async (server: ServerProcess, body: unknown) => {
          for (;;) {
            const response = await fetch(server.graphqlUrl, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${a.token}` },
              body: JSON.stringify({ query: CREATE, variables: body }),
            });
            const answer = (await response.json()) as any;
            // the same key still running on the other instance: retry, as a client would
            if (answer.errors?.[0]?.extensions?.code === 'IDEMPOTENCY_KEY_IN_USE') {
              await new Promise((resolve) => setTimeout(resolve, 20));
              continue;
            }
            expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
            expect(answer.data.customerCreate.userErrors).toEqual([]);
            return answer.data.customerCreate.customer as { id: string; customerNumber: string };
          }
        };

        const answered = new Map<string, string>();
        const pairs: [{ id: string }, { id: string }][] = [];
        let next = 0;
        const worker = async () => {
          while (next < CUSTOMERS + IDEMPOTENT_PAIRS) {
            const i = next++;
            if (i < CUSTOMERS) {
              const customer = await send(i % 2 === 0 ? a : b, { input: input(i) });
              answered.set(customer.customerNumber, customer.id);
            } else {
              // one request, retried against both instances at once
              const variables = { input: input(i, `scale-key-${i}`) };
              const pair = await Promise.all([send(a, variables), send(b, variables)]);
              pairs.push(pair);
              answered.set(pair[0].customerNumber, pair[0].id);
            }
          }
        };
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
        expect(answered.size).toBe(CUSTOMERS + IDEMPOTENT_PAIRS);
        for (const [first, second] of pairs) expect(second.id).toBe(first.id);

        // both outboxes drain the retries
        await waitUntilDrained(database, 90_000);

        // every answered customer exactly once, with one link per provider, each SYNCED
        const counts = await rawRows<{ n: string; c: number }>(database, 'select customer_number as n, count(*) as c from customers group by customer_number');
        expect(counts).toHaveLength(CUSTOMERS + IDEMPOTENT_PAIRS);
        for (const { n, c } of counts) {
          expect(answered.has(n), n).toBe(true);
          expect(Number(c), n).toBe(1);
        }
        const links = await rawRows<{ status: string; n: number }>(database, 'select status, count(*) as n from provider_links group by status');
        expect(links.map((row) => [row.status, Number(row.n)])).toEqual([['SYNCED', (CUSTOMERS + IDEMPOTENT_PAIRS) * PROVIDER_NAMES.length]]);
        // the faults happened and were retried
        const [failed] = await rawRows<{ n: number }>(database, "select count(*) as n from outbox_attempts where outcome = 'FAILED'");
        expect(Number(failed!.n)).toBeGreaterThan(20);

        // no outbox row was sent twice: every simulator holds each customer once, and all of them
        for (const provider of PROVIDER_NAMES) {
          const keys = await simulatorCustomerKeys(sandbox.origin, provider);
          expect(new Set(keys).size, `${provider} holds a customer twice`).toBe(keys.length);
          expect(keys.length, provider).toBe(CUSTOMERS + IDEMPOTENT_PAIRS);
        }
        // one stored answer per idempotency key
        const [keys] = await rawRows<{ n: number }>(database, "select count(*) as n from idempotency_keys where key like 'scale-key-%' and response is not null");
        expect(Number(keys!.n)).toBe(IDEMPOTENT_PAIRS);
      } finally {
        await database.close();
        await stopServerProcess(a.child);
        await stopServerProcess(b.child);
        await stopServerProcess(sandbox.child);
        await storage.drop();
      }
    },
    180_000,
  );
});
