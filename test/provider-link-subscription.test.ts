import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/client.js';
import { settleFloliveLinks } from '../src/domain/flolive-settlement.js';
import { drainOutboxOnce } from '../src/domain/outbox-worker.js';
import { decodeGlobalId, encodeGlobalId } from '../src/global-id.js';
import { openLinkUpdates } from '../src/live/link-updates.js';
import { createReadThrottles } from '../src/loaders/provider-loader.js';
import { createTestApp, type TestApp } from './helpers.js';
import { fullCustomerInput } from './mutations.js';
import { listen, subscribeSse, type SseSubscription } from './support/sse.js';
import { startServerProcess, stopServerProcess } from './support/server-process.js';
import { freshTestDatabase, onPostgres } from './support/test-database.js';
import { TEST_IDENTITY_KEY } from './support/test-keys.js';

const SUBSCRIBE = /* GraphQL */ `
  subscription LinkUpdates($customerId: ID!) {
    providerLinkUpdated(customerId: $customerId) {
      customer { id customerNumber }
      link { provider status attempts error externalId requestId updatedAt }
    }
  }
`;

/** Creates without reading Customer.providerLinks (a read would settle a floLIVE link at once). */
const CREATE_LEAN = /* GraphQL */ `
  mutation ($input: CustomerCreateInput!) {
    customerCreate(input: $input) {
      customer { id customerNumber }
      providerResults { provider status attempts error }
      userErrors { field message }
    }
  }
`;

const WORKER = { workerId: 'test-worker', batchSize: 50, claimMs: 30_000 };

/** A clock the test moves; everything in the app reads it. */
function clock(start = Date.parse('2026-11-22T05:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe('providerLinkUpdated subscription over SSE', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof listen>>;
  const time = clock();
  const open: SseSubscription[] = [];

  beforeEach(async () => {
    t = await createTestApp({ now: time.now });
    server = await listen(t.app);
  });
  afterEach(async () => {
    open.splice(0).forEach((subscription) => subscription.close());
    await server.close();
    await t.close();
  });

  /** Listeners in the app's process for a customer, by its global ID. */
  const listeners = (customerId: string) => t.linkUpdates.listenerCount(decodeGlobalId(customerId).id);

  async function subscribe(customerId: string, token: string | null = t.token) {
    const subscription = await subscribeSse(server.url, { query: SUBSCRIBE, variables: { customerId } }, token);
    open.push(subscription);
    return subscription;
  }

  async function createAt(providers: string[], customer = fullCustomerInput({ accounts: [] })) {
    const { body } = await t.graphql(CREATE_LEAN, { input: { customer, providers } });
    expect(body.errors).toBeUndefined();
    expect(body.data.customerCreate.userErrors).toEqual([]);
    return body.data.customerCreate as { customer: { id: string; customerNumber: string }; providerResults: { status: string }[] };
  }

  const settleFlolive = () =>
    settleFloliveLinks({
      database: t.database,
      linkUpdates: t.linkUpdates,
      flolive: t.providers.flolive,
      throttle: createReadThrottles().FLOLIVE,
      now: time.now,
      callTimeoutMs: 5_000,
    });

  async function setFaults(provider: string, faults: Record<string, unknown> | null) {
    const response = await t.app.fetch(`http://localhost/sandbox/${provider}/_faults`, {
      method: faults ? 'PUT' : 'DELETE',
      headers: { 'content-type': 'application/json' },
      ...(faults ? { body: JSON.stringify(faults) } : {}),
    });
    expect(response.status).toBeLessThan(300);
  }

  /** The `link` of the next message, which must be a `next` without errors. */
  async function nextLink(subscription: SseSubscription) {
    const message = await subscription.next();
    expect(message.event).toBe('next');
    expect(message.data.errors).toBeUndefined();
    return message.data.data.providerLinkUpdated.link as { provider: string; status: string; attempts: number; error: string | null; requestId: string | null };
  }

  it('a customer routed to floLIVE: IN_PROGRESS as it stands, then SYNCED when its request settles — and nothing for a change of nothing', async () => {
    const { customer, providerResults } = await createAt(['FLOLIVE']);
    expect(providerResults).toMatchObject([{ status: 'IN_PROGRESS' }]);
    const subscription = await subscribe(customer.id);
    expect(subscription.status).toBe(200);
    expect(subscription.contentType).toMatch(/^text\/event-stream/);

    const first = await subscription.next();
    expect(first.data.data.providerLinkUpdated.customer).toEqual(customer);
    expect(first.data.data.providerLinkUpdated.link).toMatchObject({ provider: 'FLOLIVE', status: 'IN_PROGRESS', attempts: 1, error: null });
    expect(first.data.data.providerLinkUpdated.link.requestId).toEqual(expect.any(String));

    expect(await settleFlolive()).toEqual({ checked: 1, settled: 1 });
    const settled = await nextLink(subscription);
    expect(settled).toMatchObject({ provider: 'FLOLIVE', status: 'SYNCED', attempts: 1, error: null });

    // settled already: the poll changes nothing, a read stitches nothing, and nothing is sent
    expect(await settleFlolive()).toEqual({ checked: 0, settled: 0 });
    await t.graphql('query ($id: ID!) { node(id: $id) { ... on Customer { providerLinks { status } } } }', { id: customer.id });
    expect(await subscription.collect(300)).toEqual([]);
  });

  it('a read of Customer.providerLinks that settles the floLIVE link announces it', async () => {
    const { customer } = await createAt(['FLOLIVE']);
    const subscription = await subscribe(customer.id);
    expect((await nextLink(subscription)).status).toBe('IN_PROGRESS');
    const { body } = await t.graphql('query ($id: ID!) { customer(id: $id) { providerLinks { status } } }', { id: customer.id });
    expect(body.data.customer.providerLinks).toEqual([{ status: 'SYNCED' }]);
    expect(await nextLink(subscription)).toMatchObject({ status: 'SYNCED' });
  });

  it('a provider failing first: PENDING with the error, then the outbox worker retries (IN_PROGRESS), then SYNCED', async () => {
    await setFaults('flolive', { failureRate: 1, kinds: ['503'], retryAfterSeconds: 2, seed: 1 });
    const { customer, providerResults } = await createAt(['FLOLIVE']);
    expect(providerResults).toMatchObject([{ status: 'PENDING', attempts: 1 }]);
    const subscription = await subscribe(customer.id);
    const pending = await nextLink(subscription);
    expect(pending).toMatchObject({ provider: 'FLOLIVE', status: 'PENDING', attempts: 1 });
    expect(pending.error).toMatch(/^PROVIDER_UNAVAILABLE HTTP 503/);

    // still failing: another attempt is another event (attempts counts it)
    time.advance(60_000);
    expect(await drainOutboxOnce(t.mutationDeps(), WORKER)).toHaveLength(1);
    expect(await nextLink(subscription)).toMatchObject({ status: 'PENDING', attempts: 2 });

    await setFaults('flolive', null);
    time.advance(60_000);
    expect(await drainOutboxOnce(t.mutationDeps(), WORKER)).toHaveLength(1);
    expect(await nextLink(subscription)).toMatchObject({ status: 'IN_PROGRESS', attempts: 3, error: null });
    await settleFlolive();
    expect(await nextLink(subscription)).toMatchObject({ status: 'SYNCED', attempts: 3, error: null });
    expect(subscription.buffered()).toEqual([]);
  });

  it('a change whose transaction rolls back announces nothing', async () => {
    await setFaults('flolive', { failureRate: 1, kinds: ['503'], retryAfterSeconds: 1, seed: 1 });
    const { customer } = await createAt(['FLOLIVE']);
    await setFaults('flolive', null);
    const subscription = await subscribe(customer.id);
    expect(await nextLink(subscription)).toMatchObject({ status: 'PENDING', attempts: 1 });

    // the worker's claim commits; the transaction recording the provider's answer fails at its end
    const deps = t.mutationDeps();
    let transactions = 0;
    const database: Database = Object.create(deps.database);
    database.transaction = (work) =>
      deps.database.transaction(async (tx) => {
        const result = await work(tx);
        if (++transactions === 2) throw new Error('commit failed');
        return result;
      });
    const failing = { ...deps, database };
    time.advance(60_000);
    await expect(drainOutboxOnce(failing, WORKER)).rejects.toThrow('commit failed');
    expect(await subscription.collect(300)).toEqual([]);
    const { body } = await t.graphql('query ($id: ID!) { customer(id: $id) { providerLinks { status attempts } } }', { id: customer.id });
    expect(body.data.customer.providerLinks).toEqual([{ status: 'PENDING', attempts: 1 }]);
  });

  it('a rejection dead-letters the link (FAILED); customerSync queues it again (PENDING) and it syncs', async () => {
    const retryOnce = await createTestApp({ now: time.now, retryPolicy: { maxAttempts: 1 } });
    const retryServer = await listen(retryOnce.app);
    try {
      await retryOnce.app.fetch('http://localhost/sandbox/noah/_faults', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ failureRate: 1, kinds: ['503'], seed: 1 }),
      });
      const { body } = await retryOnce.graphql(CREATE_LEAN, { input: { customer: fullCustomerInput({ accounts: [] }), providers: ['NOAH'] } });
      const customerId = body.data.customerCreate.customer.id;
      expect(body.data.customerCreate.providerResults).toMatchObject([{ status: 'FAILED' }]);
      const subscription = await subscribeSse(retryServer.url, { query: SUBSCRIBE, variables: { customerId } }, retryOnce.token);
      open.push(subscription);
      expect(await nextLink(subscription)).toMatchObject({ provider: 'NOAH', status: 'FAILED', attempts: 1 });

      await retryOnce.app.fetch('http://localhost/sandbox/noah/_faults', { method: 'DELETE' });
      const sync = await retryOnce.graphql('mutation ($id: ID!) { customerSync(input: { customerId: $id }) { userErrors { message } } }', { id: customerId });
      expect(sync.body.data.customerSync.userErrors).toEqual([]);
      expect(await nextLink(subscription)).toMatchObject({ status: 'PENDING', error: null, attempts: 1 });
      expect(await nextLink(subscription)).toMatchObject({ status: 'SYNCED', error: null, attempts: 2 });
    } finally {
      await retryServer.close();
      await retryOnce.close();
    }
  });

  it("another tenant's customer is NOT_FOUND, exactly as a missing one; the stream ends there", async () => {
    const { customer } = await createAt(['FLOLIVE']);
    const otherTenant = await t.tokenFor('org-unrelated', ['customers:read']);
    const hidden = await subscribe(customer.id, otherTenant);
    const missing = await subscribe(encodeGlobalId('Customer', '00000000-0000-4000-8000-000000000000'), otherTenant);
    const [hiddenAnswer, missingAnswer] = [await hidden.next(), await missing.next()];
    expect(hiddenAnswer.data).toEqual(missingAnswer.data);
    expect(hiddenAnswer.data).toEqual({
      errors: [{ message: 'no customer with this ID', locations: expect.any(Array), path: ['providerLinkUpdated'], extensions: { code: 'NOT_FOUND', argument: ['customerId'] } }],
    });
    expect((await hidden.next()).event).toBe('complete');
    // its settlement reaches no one of the other tenant
    await settleFlolive();
    expect(await hidden.collect(200)).toEqual([]);
    expect(listeners(customer.id)).toBe(0);
  });

  it('an undecodable ID, or the ID of something else, is INVALID_ID at customerId', async () => {
    const garbage = await (await subscribe('not an id')).next();
    expect(garbage.data.errors).toMatchObject([{ message: '"not an id" is not a valid ID', extensions: { code: 'INVALID_ID', argument: ['customerId'] } }]);
    const organization = await (await subscribe(encodeGlobalId('Organization', t.organizationId))).next();
    expect(organization.data.errors).toMatchObject([
      { message: 'expected a Customer ID, got a Organization ID', extensions: { code: 'INVALID_ID', argument: ['customerId'] } },
    ]);
  });

  it('without credentials: 401; without customers:read: FORBIDDEN', async () => {
    const { customer } = await createAt(['FLOLIVE']);
    const anonymous = await subscribe(customer.id, null);
    expect(anonymous.status).toBe(401);
    const writer = await subscribe(customer.id, await t.tokenFor(t.organizationId, ['customers:write']));
    const refused = await writer.next();
    expect(refused.data.errors).toMatchObject([{ message: 'this subscription needs the scope customers:read', extensions: { code: 'FORBIDDEN' } }]);
    expect(listeners(customer.id)).toBe(0);
  });

  it('a stream ends with TOKEN_EXPIRED when its token expires (credentials are checked once, at the start)', async () => {
    const { customer } = await createAt(['FLOLIVE']);
    const shortLived = await t.authenticator.sign({ organizationId: t.organizationId, subject: 'short', scopes: ['customers:read'], expiresIn: '2s' });
    const subscription = await subscribe(customer.id, shortLived);
    expect((await nextLink(subscription)).status).toBe('IN_PROGRESS');
    const ended = await subscription.next(5_000);
    expect(ended.data).toEqual({
      errors: [{ message: 'the token has expired: subscribe again with a new one', locations: expect.any(Array), extensions: { code: 'TOKEN_EXPIRED' } }],
    });
    expect((await subscription.next()).event).toBe('complete');
    expect(listeners(customer.id)).toBe(0);
  });

  it('a client that disconnects leaves no listener behind; the others keep theirs', async () => {
    const { customer } = await createAt(['FLOLIVE']);
    const leaving = await subscribe(customer.id);
    const staying = await subscribe(customer.id);
    await leaving.next();
    await staying.next();
    expect(listeners(customer.id)).toBe(2);
    leaving.close();
    await expect.poll(() => listeners(customer.id), { timeout: 3_000 }).toBe(1);
    await settleFlolive();
    expect(await nextLink(staying)).toMatchObject({ status: 'SYNCED' });
    staying.close();
    await expect.poll(() => listeners(customer.id), { timeout: 3_000 }).toBe(0);
  });

  it('counts the subscription in /metrics', async () => {
    const { customer } = await createAt(['FLOLIVE']);
    await (await subscribe(customer.id)).next();
    const metrics = await (await t.app.fetch('http://localhost/metrics')).text();
    expect(metrics).toMatch(/graphql_operations_total\{operation="LinkUpdates",type="subscription",outcome="ok"\} 1/);
  });

  it('passes through the operation limits and trusted documents like any operation', async () => {
    const { customer } = await createAt(['FLOLIVE']);
    const directory = mkdtempSync(join(tmpdir(), 'trusted-'));
    const manifest = join(directory, 'persisted-documents.json');
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const hash = sha256(SUBSCRIBE);
    writeFileSync(manifest, JSON.stringify({ [hash]: SUBSCRIBE, [sha256(CREATE_LEAN)]: CREATE_LEAN }));
    const strict = await createTestApp({ limits: { trustedDocuments: manifest } });
    const strictServer = await listen(strict.app);
    try {
      const { body } = await strict.graphql(CREATE_LEAN, { input: { customer: fullCustomerInput({ accounts: [] }), providers: ['FLOLIVE'] } });
      const customerId = body.data.customerCreate.customer.id;
      const trusted = await subscribeSse(strictServer.url, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, variables: { customerId } }, strict.token);
      open.push(trusted);
      expect((await nextLink(trusted)).status).toBe('IN_PROGRESS');

      const untrusted = await subscribeSse(strictServer.url, { query: 'subscription { providerLinkUpdated(customerId: "x") { link { status } } }' }, strict.token);
      open.push(untrusted);
      expect(untrusted.status).toBe(400);
      expect((await untrusted.next()).data.errors[0].extensions.code).toBe('PERSISTED_DOCUMENT_NOT_FOUND');
    } finally {
      await strictServer.close();
      await strict.close();
      rmSync(directory, { recursive: true, force: true });
    }
    // the default limits: too deep a selection under the event is refused before anything runs
    const tooDeep = await subscribeSse(
      server.url,
      {
        query: `subscription ($id: ID!) { providerLinkUpdated(customerId: $id) { customer { accounts { holders { accounts { holders { accounts { holders { accounts { holders { accounts { holders { id } } } } } } } } } } } } }`,
        variables: { id: customer.id },
      },
      t.token,
    );
    open.push(tooDeep);
    // an event stream was asked for: yoga answers 200 with the errors as its one event
    const refused = await tooDeep.next();
    expect(refused.data).toEqual({ errors: [{ message: 'Query depth limit of 12 exceeded, found 13.', extensions: { code: 'QUERY_TOO_DEEP' } }] });
    expect((await tooDeep.next()).event).toBe('complete');
  });

  it.runIf(onPostgres)('on Postgres, a change made by another instance (its own connection and NOTIFY) reaches the subscriber', async () => {
    const { customer } = await createAt(['FLOLIVE']);
    const subscription = await subscribe(customer.id);
    expect((await nextLink(subscription)).status).toBe('IN_PROGRESS');

    // a second instance on the same database: its own pool, its own LISTEN/NOTIFY connection
    const database = await openDatabase({ url: t.databaseUrl });
    const linkUpdates = await openLinkUpdates({ databaseUrl: t.databaseUrl });
    try {
      const settled = await settleFloliveLinks({
        database,
        linkUpdates,
        flolive: t.providers.flolive,
        throttle: createReadThrottles().FLOLIVE,
        now: time.now,
        callTimeoutMs: 5_000,
      });
      expect(settled).toEqual({ checked: 1, settled: 1 });
      expect(await nextLink(subscription)).toMatchObject({ provider: 'FLOLIVE', status: 'SYNCED' });
      expect(await subscription.collect(300)).toEqual([]);
    } finally {
      await linkUpdates.close();
      await database.close();
    }
  });
});

describe('providerLinkUpdated on the server (npm start: dist/, worker and floLIVE poll running)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'customer-graph-live-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the outbox worker’s retry and the poll’s settlement reach the subscriber in order, on a stream that outlives the request timeout', async () => {
    const postgres = onPostgres ? await freshTestDatabase() : null;
    const server = await startServerProcess(
      {
        DATABASE_URL: postgres?.url ?? `file:${join(dir, 'live.db')}`,
        // required on Postgres
        IDENTITY_ENCRYPTION_KEY: TEST_IDENTITY_KEY,
        JWT_SECRET: 'a-secret-for-the-live-updates-server-test',
        HOST: '127.0.0.1',
        DEMO_DATA: 'off',
        LOG_LEVEL: 'silent',
        // the server cuts requests still being received after 1 s + 5 s: a stream must not be one
        REQUEST_TIMEOUT_MS: '1000',
        OUTBOX_POLL_INTERVAL_MS: '100',
        OUTBOX_BACKOFF_BASE_MS: '100',
        FLOLIVE_POLL_INTERVAL_MS: '300',
        SANDBOX_FAULTS: JSON.stringify({ FLOLIVE: { failureRate: 1, kinds: ['503'], retryAfterSeconds: 1, seed: 1 } }),
      },
      { build: true },
    );
    const origin = new URL(server.graphqlUrl).origin;
    let subscription: SseSubscription | null = null;
    try {
      const created = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
        body: JSON.stringify({ query: CREATE_LEAN, variables: { input: { customer: fullCustomerInput({ accounts: [] }), providers: ['FLOLIVE'] } } }),
      });
      const { data } = (await created.json()) as any;
      expect(data.customerCreate.providerResults).toMatchObject([{ status: 'PENDING' }]);
      const startedAt = Date.now();
      subscription = await subscribeSse(server.graphqlUrl, { query: SUBSCRIBE, variables: { customerId: data.customerCreate.customer.id } }, server.token);
      const statuses: string[] = [];
      const take = async () => {
        const message = await subscription!.next(10_000);
        expect(message.data.errors).toBeUndefined();
        const { status, attempts } = message.data.data.providerLinkUpdated.link;
        statuses.push(`${status}:${attempts}`);
        return status as string;
      };
      expect(await take()).toBe('PENDING');
      // floLIVE answers again: the worker's next attempt gets a request id, the poll settles it
      expect((await fetch(`${origin}/sandbox/flolive/_faults`, { method: 'DELETE' })).status).toBeLessThan(300);
      while ((await take()) !== 'SYNCED');
      const settled = statuses.map((entry) => entry.split(':')[0]);
      // PENDING once per failed attempt, then IN_PROGRESS and SYNCED on the attempt that went through
      expect(settled.slice(-2)).toEqual(['IN_PROGRESS', 'SYNCED']);
      expect(new Set(settled.slice(0, -2))).toEqual(new Set(['PENDING']));
      const attempts = statuses.map((entry) => Number(entry.split(':')[1]));
      expect(attempts).toEqual([...attempts].sort((a, b) => a - b));

      await new Promise((resolve) => setTimeout(resolve, Math.max(0, startedAt + 7_000 - Date.now())));
      expect(subscription.isOpen()).toBe(true);
      expect(subscription.buffered()).toEqual([]);
    } finally {
      subscription?.close();
      await stopServerProcess(server.child);
      await postgres?.drop();
    }
  }, 40_000);
});
