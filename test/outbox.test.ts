import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outbox, outboxAttempts, providerLinks } from '../src/db/tables.js';
import { drainOutboxOnce } from '../src/domain/outbox-worker.js';
import { classifyFailure, DEFAULT_RETRY_POLICY, retryDelayMs } from '../src/domain/retry-policy.js';
import { ProviderError } from '../src/providers/errors.js';
import type { FetchLike } from '../src/providers/http.js';
import { createTestApp, type TestApp } from './helpers.js';
import { CREATE, fullCustomerInput } from './mutations.js';

const WORKER = { workerId: 'test-worker', batchSize: 50, claimMs: 30_000 };

/** A clock the test moves; everything in the app reads it. */
function clock(start = Date.parse('2026-11-21T12:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

/** A transport that answers NOAH's PUT with `answer` while `active`. */
function interceptNoahPut(answer: (next: () => Promise<Response>, init: RequestInit) => Promise<Response>) {
  const state = { active: true, calls: 0 };
  const transport = (next: FetchLike): FetchLike => async (url, init) => {
    if (!state.active || init.method !== 'PUT' || !url.includes('/sandbox/noah/')) return next(url, init);
    state.calls++;
    return answer(() => next(url, init), init);
  };
  return { state, transport };
}

const noahError = (status: number, headers: Record<string, string> = {}) =>
  Response.json({ Type: status === 400 ? 'InvalidMessage' : 'Unexpected', Instance: 'x', Action: 'PutCustomer', Detail: 'no' }, { status, headers });

async function createAtNoah(t: TestApp) {
  const { body } = await t.graphql(CREATE, { input: { customer: fullCustomerInput({ accounts: [] }), providers: ['NOAH'] } });
  expect(body.errors).toBeUndefined();
  return body.data.customerCreate;
}

async function noahRow(t: TestApp) {
  const [row] = await t.database.db.select().from(outbox).where(eq(outbox.provider, 'NOAH'));
  const [link] = await t.database.db.select().from(providerLinks).where(eq(providerLinks.provider, 'NOAH'));
  const attempts = await t.database.db.select().from(outboxAttempts).where(eq(outboxAttempts.outboxId, row!.id));
  return { row: row!, link: link!, attempts };
}

describe('retry policy', () => {
  it('retries only what is safe, and knows when the provider may have acted', () => {
    const error = (code: ProviderError['code'], options: ConstructorParameters<typeof ProviderError>[3] = {}) =>
      classifyFailure(new ProviderError('NOAH', code, 'x', options));
    expect(error('PROVIDER_REJECTED', { status: 400 })).toEqual({ retry: false, uncertain: false });
    expect(error('PROVIDER_AUTH_FAILED', { status: 401 })).toEqual({ retry: false, uncertain: false });
    expect(error('PROVIDER_TIMEOUT')).toEqual({ retry: true, uncertain: true });
    expect(error('PROVIDER_UNAVAILABLE')).toEqual({ retry: true, uncertain: true }); // transport: may be after send
    expect(error('PROVIDER_UNAVAILABLE', { status: 500 })).toEqual({ retry: true, uncertain: true });
    expect(error('PROVIDER_UNAVAILABLE', { status: 503 })).toEqual({ retry: true, uncertain: false });
    expect(error('PROVIDER_UNAVAILABLE', { status: 429 })).toEqual({ retry: true, uncertain: false });
    expect(error('PROVIDER_UNAVAILABLE', { status: 200, providerCode: 'GLOBAL_1001' })).toEqual({ retry: true, uncertain: false });
    expect(error('PROVIDER_BAD_RESPONSE', { status: 200 })).toEqual({ retry: true, uncertain: true });
    expect(error('PROVIDER_BAD_RESPONSE', { status: 404 })).toEqual({ retry: false, uncertain: false });
  });

  it('backs off exponentially with jitter, capped, never sooner than Retry-After', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 10_000 };
    expect(retryDelayMs({ ...policy, random: () => 0 }, 1)).toBe(500);
    expect(retryDelayMs({ ...policy, random: () => 0.999 }, 1)).toBe(1000);
    expect(retryDelayMs({ ...policy, random: () => 0.5 }, 3)).toBe(3000);
    expect(retryDelayMs({ ...policy, random: () => 0.5 }, 20)).toBe(7500);
    expect(retryDelayMs({ ...policy, random: () => 0 }, 1, 30)).toBe(30_000);
  });
});

describe('outbox', () => {
  it('a business rejection is attempted once and dead-lettered with the reason', async () => {
    const noah = interceptNoahPut(async () => noahError(400));
    const time = clock();
    const t = await createTestApp({ transport: noah.transport, now: time.now });
    const payload = await createAtNoah(t);
    expect(payload.providerResults[0]).toMatchObject({ status: 'FAILED', attempts: 1 });
    const { row, link, attempts } = await noahRow(t);
    expect(row).toMatchObject({ status: 'DEAD', attempts: 1 });
    expect(link.deadLetteredAt).not.toBeNull();
    expect(link.error).toMatch(/^PROVIDER_REJECTED HTTP 400/);
    expect(attempts.map((a) => a.outcome)).toEqual(['FAILED']);
    time.advance(3_600_000);
    expect(await drainOutboxOnce(t.mutationDeps(), WORKER)).toHaveLength(0);
    expect(noah.state.calls).toBe(1);
    t.close();
  });

  it('a 503 with Retry-After waits that long before the next attempt', async () => {
    const noah = interceptNoahPut(async () => noahError(503, { 'Retry-After': '7' }));
    const time = clock();
    const t = await createTestApp({ transport: noah.transport, now: time.now });
    await createAtNoah(t);
    const { row } = await noahRow(t);
    expect(row.nextAttemptAt.getTime() - time.now().getTime()).toBe(7000);
    time.advance(6_900);
    expect(await drainOutboxOnce(t.mutationDeps(), WORKER)).toHaveLength(0);
    noah.state.active = false;
    time.advance(200);
    expect(await drainOutboxOnce(t.mutationDeps(), WORKER)).toHaveLength(1);
    const after = await noahRow(t);
    expect(after.row.status).toBe('DONE');
    expect(after.link.status).toBe('SYNCED');
    expect(after.attempts.map((a) => a.outcome)).toEqual(['FAILED', 'SYNCED']);
    t.close();
  });

  it('a hang is cut at the deadline; the next attempt reconciles first and does not send twice', async () => {
    // the provider acts, then the answer never comes
    const noah = interceptNoahPut(async (next, init) => {
      await next();
      return new Promise<Response>((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    });
    const time = clock();
    const t = await createTestApp({ transport: noah.transport, now: time.now, providerDeadlineMs: 100 });
    const payload = await createAtNoah(t);
    expect(payload.providerResults[0]).toMatchObject({ status: 'PENDING' });
    expect(payload.providerResults[0].error).toMatch(/^PROVIDER_TIMEOUT/);
    expect((await noahRow(t)).row.uncertain).toBe(true);
    noah.state.active = false;
    time.advance(60_000);
    expect(await drainOutboxOnce(t.mutationDeps(), WORKER)).toHaveLength(1);
    const after = await noahRow(t);
    expect(after.link.status).toBe('SYNCED');
    expect(after.attempts.map((a) => a.outcome)).toEqual(['FAILED', 'RECONCILED']);
    expect(t.sandboxState('NOAH').requests.byRoute['PUT /v1/customers/{CustomerID}']).toBe(1);
    t.close();
  });

  it('dead-letters a retryable failure after the last attempt, with the reason on the link', async () => {
    const noah = interceptNoahPut(async () => noahError(500));
    const time = clock();
    const t = await createTestApp({ transport: noah.transport, now: time.now, retryPolicy: { maxAttempts: 3, baseDelayMs: 1000 } });
    await createAtNoah(t);
    for (let round = 0; round < 2; round++) {
      time.advance(60_000);
      // uncertain after a 500: each round asks NOAH first (not found) and sends again
      expect(await drainOutboxOnce(t.mutationDeps(), WORKER)).toHaveLength(1);
    }
    const { row, link, attempts } = await noahRow(t);
    expect(row).toMatchObject({ status: 'DEAD', attempts: 3 });
    expect(link.status).toBe('FAILED');
    expect(link.error).toMatch(/^dead-lettered after 3 attempts: PROVIDER_UNAVAILABLE HTTP 500/);
    expect(link.deadLetteredAt).not.toBeNull();
    expect(attempts).toHaveLength(3);
    time.advance(3_600_000);
    expect(await drainOutboxOnce(t.mutationDeps(), WORKER)).toHaveLength(0);
    t.close();
  });

  it('customerSync queues a dead-lettered link again with a fresh budget and sends it', async () => {
    const noah = interceptNoahPut(async () => noahError(500));
    const t = await createTestApp({ transport: noah.transport, retryPolicy: { maxAttempts: 1 } });
    const payload = await createAtNoah(t);
    expect((await noahRow(t)).row.status).toBe('DEAD');
    noah.state.active = false;
    const { body } = await t.graphql(
      'mutation ($input: CustomerSyncInput!) { customerSync(input: $input) { providerResults { provider status error deadLetteredAt } userErrors { field } } }',
      { input: { customerId: payload.customer.id } },
    );
    expect(body.data.customerSync).toEqual({
      providerResults: [{ provider: 'NOAH', status: 'SYNCED', error: null, deadLetteredAt: null }],
      userErrors: [],
    });
    t.close();
  });

  it('takes over a row whose holder died mid-call, and reconciles it before sending', async () => {
    const time = clock();
    const t = await createTestApp({ now: time.now });
    await createAtNoah(t);
    // as if a process had claimed the row and died: IN_FLIGHT with a claim in the past
    await t.database.db.update(outbox).set({ status: 'IN_FLIGHT', claimedBy: 'dead-process', claimedUntil: time.now() });
    time.advance(1);
    expect(await drainOutboxOnce(t.mutationDeps(), WORKER)).toHaveLength(1);
    const { row, attempts } = await noahRow(t);
    expect(row.status).toBe('DONE');
    expect(attempts.at(-1)!.outcome).toBe('RECONCILED');
    expect(t.sandboxState('NOAH').requests.byRoute['PUT /v1/customers/{CustomerID}']).toBe(1);
    t.close();
  });

  it('two processes on one database never claim the same row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'customer-graph-claims-'));
    // 40 NOAH rows queued by an outage (503: due again, not uncertain)
    const t = await createTestApp({ transport: interceptNoahPut(async () => noahError(503)).transport });
    try {
      for (let i = 0; i < 40; i++) {
        await t.graphql(CREATE, { input: { customer: fullCustomerInput({ accounts: [], name: { first: `P${i}`, last: 'Claim' } }), providers: ['NOAH'] } });
      }
      // SQLite: a copy in a file both processes open; Postgres: the test app's database itself
      let url = t.databaseUrl;
      if (t.database.dialect === 'sqlite') {
        const file = join(dir, 'shared.db');
        t.database.sqlite.exec(`vacuum into '${file}'`);
        url = `file:${file}`;
      }

      const startAt = Date.now() + 1500;
      const run = (workerId: string) =>
        new Promise<{ claimed: string[] }>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/drain-child.ts', url, workerId, String(startAt)], {
            cwd: fileURLToPath(new URL('..', import.meta.url)),
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          child.stdout.on('data', (chunk) => (out += chunk));
          child.stderr.on('data', (chunk) => (out += chunk));
          child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(out))));
        });
      const [a, b] = await Promise.all([run('process-a'), run('process-b')]);
      expect(a.claimed.length).toBeGreaterThan(0);
      expect(b.claimed.length).toBeGreaterThan(0);
      expect(a.claimed.length + b.claimed.length).toBe(40);
      expect(new Set([...a.claimed, ...b.claimed]).size).toBe(40);
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('circuit breaker', () => {
  it('opens after consecutive outages, queues work instead of failing, shows in /health and /metrics, and a probe closes it', async () => {
    const noah = interceptNoahPut(async () => noahError(500));
    const time = clock();
    const t = await createTestApp({ transport: noah.transport, now: time.now, circuit: { failureThreshold: 2, openMs: 10_000 } });
    await createAtNoah(t);
    await t.graphql(CREATE, { input: { customer: fullCustomerInput({ accounts: [], name: { first: 'Second', last: 'Try' } }), providers: ['NOAH'] } });
    expect(noah.state.calls).toBe(2);

    const queued = await t.graphql(CREATE, { input: { customer: fullCustomerInput({ accounts: [], name: { first: 'Third', last: 'Queued' } }), providers: ['NOAH'] } });
    expect(queued.body.data.customerCreate.userErrors).toEqual([]);
    expect(queued.body.data.customerCreate.providerResults[0]).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect(queued.body.data.customerCreate.providerResults[0].error).toMatch(/^circuit open/);
    expect(noah.state.calls).toBe(2);

    const health = (await (await t.app.fetch('http://localhost/health')).json()) as any;
    expect(health.checks.circuits.NOAH).toBe('OPEN');
    expect(await (await t.app.fetch('http://localhost/metrics')).text()).toContain('provider_circuit_state{provider="NOAH"} 2');
    expect(await drainOutboxOnce(t.mutationDeps(), WORKER)).toHaveLength(0);

    noah.state.active = false;
    time.advance(10_000);
    expect(t.breakers.NOAH.state(time.now().getTime())).toBe('HALF_OPEN');
    time.advance(60_000);
    // half-open lets one probe through; its success closes the circuit and the rest follow next round
    expect(await drainOutboxOnce(t.mutationDeps(), WORKER)).toHaveLength(3);
    expect(t.breakers.NOAH.state(time.now().getTime())).toBe('CLOSED');
    expect(await drainOutboxOnce(t.mutationDeps(), WORKER)).toHaveLength(2);
    const links = await t.database.db.select().from(providerLinks);
    expect(links.map((link) => link.status)).toEqual(['SYNCED', 'SYNCED', 'SYNCED']);
    t.close();
  });
});
