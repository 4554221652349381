import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainOutboxOnce } from '../src/domain/outbox-worker.js';
import type { FetchLike } from '../src/providers/http.js';
import { createTestApp, type TestApp } from './helpers.js';
import { CREATE, fullCustomerInput } from './mutations.js';

const WORKER = { workerId: 'metrics-test', batchSize: 50, claimMs: 30_000 };

/** The value of one sample of the scrape, e.g. sample(text, 'outbox_rows', { provider: 'NOAH', status: 'PENDING' }); undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((pair) => [pair[1], pair[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

async function scrape(t: TestApp): Promise<string> {
  const response = await t.app.fetch('http://localhost/metrics');
  expect(response.status).toBe(200);
  return response.text();
}

/** A clock starting at the real time (outbox rows are stamped by the database's clock), moved by the test. */
function clock() {
  let now = Date.now();
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

/** While `down`, ENFUCE's create is refused (400, dead-lettered) and NOAH's put is a 503 (retried later). */
function faultyProviders() {
  const state = { down: true };
  const transport = (next: FetchLike): FetchLike => async (url, init) => {
    if (state.down && init.method === 'PUT' && url.includes('/sandbox/noah/')) {
      return Response.json({ Type: 'Unexpected', Instance: 'x', Action: 'PutCustomer', Detail: 'down' }, { status: 503 });
    }
    if (state.down && init.method === 'POST' && url.includes('/sandbox/enfuce/')) {
      return Response.json({ status: 400, error: 'Bad Request', code: 'VALIDATION', message: 'refused' }, { status: 400 });
    }
    return next(url, init);
  };
  return { state, transport };
}

describe('GET /metrics after real traffic', () => {
  let t: TestApp;
  const providers = faultyProviders();
  const time = clock();

  beforeAll(async () => {
    t = await createTestApp({ transport: providers.transport, now: time.now, circuit: { failureThreshold: 1, openMs: 10_000 } });
  });
  afterAll(() => t.close());

  it('counts operations by name and outcome, and errors by code', async () => {
    await t.graphql('query Fine { customers(first: 1) { totalCount } }');
    await t.graphql('query TooMany { customers(first: 500) { totalCount } }');
    const text = await scrape(t);
    expect(sample(text, 'graphql_operations_total', { operation: 'Fine', type: 'query', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'graphql_operations_total', { operation: 'TooMany', type: 'query', outcome: 'error' })).toBe(1);
    expect(sample(text, 'graphql_errors_total', { code: 'BAD_USER_INPUT' })).toBe(1);
    expect(sample(text, 'graphql_operation_duration_seconds_count', { operation: 'Fine', type: 'query' })).toBe(1);
  });

  it("reports the process's memory as read at the scrape: RSS, V8's heap and external memory", async () => {
    const text = await scrape(t);
    const rss = sample(text, 'process_resident_memory_bytes')!;
    const heapTotal = sample(text, 'nodejs_heap_size_total_bytes')!;
    const heapUsed = sample(text, 'nodejs_heap_size_used_bytes')!;
    expect(sample(text, 'nodejs_external_memory_bytes')).toBeGreaterThan(0);
    expect(heapUsed).toBeGreaterThan(1 << 20);
    expect(heapUsed).toBeLessThanOrEqual(heapTotal);
    expect(heapTotal).toBeLessThan(rss);
    // read afresh at each scrape, not once at start
    const retained = Array.from({ length: 200_000 }, (_, i) => ({ i }));
    expect(sample(await scrape(t), 'nodejs_heap_size_used_bytes')).not.toBe(heapUsed);
    expect(retained.length).toBe(200_000);
  });

  it('shows zero outbox depth and closed circuits before any provider call', async () => {
    const text = await scrape(t);
    for (const provider of ['ENFUCE', 'NOAH', 'CARDLYTICS', 'FLOLIVE', 'FIRSTVISION']) {
      for (const status of ['PENDING', 'IN_FLIGHT', 'DEAD']) expect(sample(text, 'outbox_rows', { provider, status })).toBe(0);
      expect(sample(text, 'outbox_oldest_pending_age_seconds', { provider })).toBe(0);
      expect(sample(text, 'provider_circuit_state', { provider })).toBe(0);
    }
    expect(text).not.toContain('outbox_rows{provider="NOAH",status="DONE"}');
  });

  it('after a create with failing providers: calls per provider and outcome, outbox depth and age, the open circuit', async () => {
    const { body } = await t.graphql(CREATE, { input: { customer: fullCustomerInput({ accounts: [] }), providers: ['ENFUCE', 'NOAH', 'CARDLYTICS'] } });
    const results = Object.fromEntries(body.data.customerCreate.providerResults.map((result: { provider: string; status: string }) => [result.provider, result.status]));
    expect(results).toEqual({ ENFUCE: 'FAILED', NOAH: 'PENDING', CARDLYTICS: 'SYNCED' });
    await new Promise((resolve) => setTimeout(resolve, 20));

    const text = await scrape(t);
    expect(sample(text, 'provider_calls_total', { provider: 'NOAH', operation: 'customer.put', outcome: 'http_503' })).toBe(1);
    expect(sample(text, 'provider_calls_total', { provider: 'ENFUCE', operation: 'customer.create', outcome: 'http_400' })).toBe(1);
    expect(sample(text, 'provider_calls_total', { provider: 'CARDLYTICS', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'provider_call_duration_seconds_count', { provider: 'NOAH', operation: 'customer.put' })).toBe(1);

    expect(sample(text, 'outbox_rows', { provider: 'NOAH', status: 'PENDING' })).toBe(1);
    expect(sample(text, 'outbox_rows', { provider: 'ENFUCE', status: 'DEAD' })).toBe(1);
    expect(sample(text, 'outbox_rows', { provider: 'CARDLYTICS', status: 'PENDING' })).toBe(0);
    const age = sample(text, 'outbox_oldest_pending_age_seconds', { provider: 'NOAH' })!;
    expect(age).toBeGreaterThan(0);
    expect(age).toBeLessThan(60);
    expect(sample(text, 'outbox_oldest_pending_age_seconds', { provider: 'ENFUCE' })).toBe(0); // dead letters have no pending age

    // failureThreshold 1: NOAH's outage opened its circuit; ENFUCE's refusal is no outage
    expect(sample(text, 'provider_circuit_state', { provider: 'NOAH' })).toBe(2);
    expect(sample(text, 'provider_circuit_state', { provider: 'ENFUCE' })).toBe(0);
  });

  it('once the provider is back and the outbox drained: depth and age 0, circuit closed, dead letters kept', async () => {
    providers.state.down = false;
    time.advance(10_000);
    expect(sample(await scrape(t), 'provider_circuit_state', { provider: 'NOAH' })).toBe(1); // half-open
    time.advance(60_000);
    expect(await drainOutboxOnce(t.mutationDeps(), WORKER)).toHaveLength(1);
    const text = await scrape(t);
    expect(sample(text, 'outbox_rows', { provider: 'NOAH', status: 'PENDING' })).toBe(0);
    expect(sample(text, 'outbox_rows', { provider: 'NOAH', status: 'IN_FLIGHT' })).toBe(0);
    expect(sample(text, 'outbox_oldest_pending_age_seconds', { provider: 'NOAH' })).toBe(0);
    expect(sample(text, 'outbox_rows', { provider: 'ENFUCE', status: 'DEAD' })).toBe(1);
    expect(sample(text, 'provider_circuit_state', { provider: 'NOAH' })).toBe(0);
    expect(sample(text, 'provider_calls_total', { provider: 'NOAH', operation: 'customer.put', outcome: 'ok' })).toBe(1);
  });

  it('leaves the outbox gauges out, rather than reporting stale or zero values, when the database cannot be read', async () => {
    const broken = await createTestApp();
    await broken.close();
    const response = await broken.app.fetch('http://localhost/metrics');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(sample(text, 'outbox_rows', { provider: 'NOAH', status: 'PENDING' })).toBeUndefined();
    expect(sample(text, 'outbox_oldest_pending_age_seconds', { provider: 'NOAH' })).toBeUndefined();
    expect(sample(text, 'provider_circuit_state', { provider: 'NOAH' })).toBe(0);
  });
});

describe('dataloader batch sizes', () => {
  const N = 12;
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    const items = Array.from({ length: N }, (_, i) => ({
      customer: fullCustomerInput({
        customerNumber: `51000000000000000${String(i).padStart(2, '0')}`,
        name: { first: `Batch${i}`, last: 'Metrics' },
        accounts: [{ ...fullCustomerInput().accounts[0], accountNumber: `61000000000000000${String(i).padStart(2, '0')}` }],
      }),
    }));
    const imported = await t.graphql(
      'mutation ($input: CustomersImportInput!) { customersImport(input: $input) { importedCount userErrors { field message } } }',
      { input: { items, providers: ['FIRSTVISION'] } },
    );
    expect(imported.body.data.customersImport).toEqual({ importedCount: N, userErrors: [] });
  });
  afterAll(() => t.close());

  it(`a stitched read of ${N} customers runs one batch of ${N} per loader, SQL and provider reads alike`, async () => {
    const loaders = ['identitiesByCustomerId', 'addressesByCustomerId', 'accountsByCustomerId', 'firstvisionDemographics'];
    const before = await scrape(t);
    const { body } = await t.graphql(`{ customers(first: ${N}) { edges { node { identities { id } addresses { id } accounts { id } demographics { lastName } } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.customers.edges).toHaveLength(N);
    const after = await scrape(t);
    for (const loader of loaders) {
      const batches = sample(after, 'dataloader_batch_size_count', { loader })! - (sample(before, 'dataloader_batch_size_count', { loader }) ?? 0);
      const keys = sample(after, 'dataloader_batch_size_sum', { loader })! - (sample(before, 'dataloader_batch_size_sum', { loader }) ?? 0);
      expect({ loader, batches, keys }).toEqual({ loader, batches: 1, keys: N });
    }
    // a batch of 12 falls in the bucket up to 20, not the one up to 10
    expect(sample(after, 'dataloader_batch_size_bucket', { loader: 'identitiesByCustomerId', le: '10' })).toBe(0);
    expect(sample(after, 'dataloader_batch_size_bucket', { loader: 'identitiesByCustomerId', le: '20' })).toBe(1);
  });

  it('names no loader by a customer or a key: the label set is the loaders', async () => {
    const text = await scrape(t);
    const names = new Set([...text.matchAll(/^dataloader_batch_size_count\{loader="([^"]+)"\}/gm)].map((match) => match[1]));
    expect(names.size).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/^[a-z]+(By[A-Z]\w+|[A-Z]\w+)$/);
  });
});
