import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROVIDER_NAMES } from '../src/domain/enums.js';
import { fullCustomerInput } from './mutations.js';
import { openDatabase } from '../src/db/client.js';
import { simulatorCustomerKeys, waitUntilDrained } from './support/drain.js';
import { rawRows } from './support/raw-sql.js';
import { startSandboxProcess, startServerProcess, stopServerProcess } from './support/server-process.js';
import { onPostgres, sharedTestDatabase } from './support/test-database.js';
import { TEST_IDENTITY_KEY } from './support/test-keys.js';

const TOTAL = 300;
const KILL_AFTER = 150;
const CONCURRENCY = 10;

/** 30 % of every provider's calls fail, in every way the simulators can fail. */
const FAULTS = Object.fromEntries(
  PROVIDER_NAMES.map((provider, i) => [
    provider,
    {
      failureRate: 0.3,
      seed: 100 + i,
      retryAfterSeconds: 1,
      kinds: ['500', '503', 'hang', 'hangAfterWrite', 'reset', 'resetAfterWrite', 'malformed', 'nak', 'envelope'],
    },
  ]),
);

const CREATE = `mutation ($input: CustomerCreateInput!) {
  customerCreate(input: $input) { customer { id customerNumber } userErrors { field message } }
}`;

function input(i: number) {
  const n = String(i).padStart(4, '0');
  return {
    customer: fullCustomerInput({
      customerNumber: `700000000000000${n}`,
      name: { first: `Crash${n}`, last: 'Survivor' },
      email: `crash${n}@example.com`,
      accounts: [{ ...fullCustomerInput().accounts[0], accountNumber: `800000000000000${n}` }],
    }),
  };
}

describe('crash recovery', () => {
  const dir = mkdtempSync(join(tmpdir(), 'customer-graph-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'SIGKILL mid-way through 300 creates under 30 % faults: after restart and drain, nothing is lost or duplicated',
    async () => {
      // SQLite: a file beside the simulators' state. Postgres: a database of this run, the simulators in
      // their own process (a server on Postgres keeps no state on disk), and the keys every instance shares
      const storage = await sharedTestDatabase(dir);
      const sandbox = onPostgres ? await startSandboxProcess(join(dir, 'sandbox'), { SANDBOX_FAULTS: JSON.stringify(FAULTS) }) : null;
      const env = {
        DATABASE_URL: storage.url,
        ...(sandbox ? { SANDBOX_URL: sandbox.origin, SANDBOX_DATA_DIR: join(dir, 'sandbox'), IDENTITY_ENCRYPTION_KEY: TEST_IDENTITY_KEY, JWT_SECRET: 'crash-test-secret-that-is-long-enough-for-hs256' } : {}),
        DEMO_DATA: 'off',
        SANDBOX_FAULTS: JSON.stringify(FAULTS),
        PROVIDER_DEADLINE_MS: '300',
        OUTBOX_POLL_INTERVAL_MS: '50',
        OUTBOX_BACKOFF_BASE_MS: '20',
        OUTBOX_BACKOFF_MAX_MS: '300',
        OUTBOX_MAX_ATTEMPTS: '15',
        CIRCUIT_FAILURE_THRESHOLD: '50',
        CIRCUIT_OPEN_MS: '200',
        FLOLIVE_POLL_INTERVAL_MS: '100',
      };
      const first = await startServerProcess(env);
      const returned = new Map<string, string>();
      let sent = 0;
      let answered = 0;
      const send = async (): Promise<void> => {
        while (sent < TOTAL && answered < KILL_AFTER) {
          const i = sent++;
          try {
            const response = await fetch(first.graphqlUrl, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${first.token}` },
              body: JSON.stringify({ query: CREATE, variables: { input: input(i) } }),
            });
            const body = (await response.json()) as any;
            expect(body.data.customerCreate.userErrors).toEqual([]);
            returned.set(body.data.customerCreate.customer.customerNumber, body.data.customerCreate.customer.id);
            answered++;
          } catch {
            return; // the server is gone
          }
        }
      };
      const senders = Array.from({ length: CONCURRENCY }, send);
      while (answered < KILL_AFTER) await new Promise((resolve) => setTimeout(resolve, 20));
      first.child.kill('SIGKILL');
      await Promise.allSettled(senders);
      expect(returned.size).toBeGreaterThanOrEqual(KILL_AFTER);

      const second = await startServerProcess(env);
      const database = await openDatabase({ url: storage.url });
      try {
        await waitUntilDrained(database, 150_000);

        // every customer whose mutation answered exists exactly once
        const counts = await rawRows<{ n: string; c: number | string }>(database, 'select customer_number as n, count(*) as c from customers group by customer_number');
        const byNumber = new Map(counts.map((row) => [row.n, Number(row.c)]));
        for (const number of returned.keys()) expect(byNumber.get(number), number).toBe(1);

        // every link is SYNCED, or dead-lettered with a reason
        const links = await rawRows<{ provider: string; status: string; error: string | null; dead: number | null }>(
          database,
          'select provider, status, error, dead_lettered_at as dead from provider_links',
        );
        for (const link of links) {
          if (link.status === 'SYNCED') continue;
          expect(link.status, JSON.stringify(link)).toBe('FAILED');
          expect(link.dead).not.toBeNull();
          expect(link.error).toBeTruthy();
        }
        // the faults happened, and unknown outcomes were reconciled rather than sent again blind
        const outcomes = Object.fromEntries(
          (await rawRows<{ outcome: string; n: number | string }>(database, 'select outcome, count(*) as n from outbox_attempts group by outcome')).map(
            (row) => [row.outcome, Number(row.n)],
          ),
        );
        expect(outcomes['FAILED']).toBeGreaterThan(100);
        expect(outcomes['RECONCILED']).toBeGreaterThan(0);
        const synced = links.filter((link) => link.status === 'SYNCED').length;
        expect(synced / links.length).toBeGreaterThan(0.9);
        console.log(`crash test: ${returned.size} answered before the kill, ${links.length} links, ${synced} synced, attempts ${JSON.stringify(outcomes)}`);

        // every simulator holds each customer at most once
        const simulators = sandbox?.origin ?? second.graphqlUrl.replace('/graphql', '');
        for (const provider of PROVIDER_NAMES) {
          const keys = await simulatorCustomerKeys(simulators, provider);
          expect(keys.length, provider).toBeGreaterThan(0);
          expect(new Set(keys).size, `${provider} holds a customer twice`).toBe(keys.length);
        }
      } finally {
        await database.close();
        await stopServerProcess(second.child);
        if (sandbox) await stopServerProcess(sandbox.child);
        await storage.drop();
      }
    },
    240_000,
  );
});
