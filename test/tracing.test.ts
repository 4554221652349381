import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { drainOutboxOnce } from '../src/domain/outbox-worker.js';
import type { FetchLike } from '../src/providers/http.js';
import { startTracing, tracingEnabled, type TracingHandle } from '../src/tracing.js';
import { createTestApp, type TestApp } from './helpers.js';
import { CREATE, fullCustomerInput } from './mutations.js';
import { startServerProcess, stopServerProcess } from './support/server-process.js';

/** Counts how often the app loads its OpenTelemetry SDK module (src/tracing-sdk.ts). */
const sdk = vi.hoisted(() => ({ loads: 0 }));
vi.mock('../src/tracing-sdk.js', async (importOriginal) => {
  sdk.loads++;
  return importOriginal();
});

/** Records the `traceparent` header of every provider call. */
function traceparents() {
  const seen: (string | null)[] = [];
  const transport = (next: FetchLike): FetchLike => async (url, init) => {
    seen.push(new Headers(init.headers).get('traceparent'));
    return next(url, init);
  };
  return { seen, transport };
}

const createInput = (first: string) => ({
  input: { customer: fullCustomerInput({ accounts: [], name: { first, last: 'Traced' } }), providers: ['ENFUCE', 'NOAH', 'CARDLYTICS'] },
});

// the order matters: the process's tracer provider is global, so "off" is shown before tracing starts
describe('tracing off (OTEL_TRACES_EXPORTER=none, the default)', () => {
  let t: TestApp;
  const headers = traceparents();
  beforeAll(async () => {
    t = await createTestApp({ transport: headers.transport });
  });
  afterAll(() => t.close());

  it('loads no SDK, asks for no tracer, creates no span and sends no traceparent', async () => {
    expect(await startTracing({ exporter: 'none', serviceName: 'customer-graph' })).toBeNull();
    expect(tracingEnabled()).toBe(false);
    const getTracer = vi.spyOn(trace, 'getTracer');
    const { body } = await t.graphql(CREATE, createInput('Untraced'));
    expect(body.data.customerCreate.userErrors).toEqual([]);
    expect(getTracer).not.toHaveBeenCalled();
    getTracer.mockRestore();
    expect(headers.seen.length).toBeGreaterThanOrEqual(3);
    expect(headers.seen.every((header) => header === null)).toBe(true);
    expect(sdk.loads).toBe(0);
  });
});

describe('tracing on (an in-memory exporter)', () => {
  let t: TestApp;
  let tracing: TracingHandle;
  const exporter = new InMemorySpanExporter();
  const headers = traceparents();
  beforeAll(async () => {
    tracing = (await startTracing({ exporter, serviceName: 'customer-graph-test' }))!;
    t = await createTestApp({ transport: headers.transport, faults: { NOAH: { failureRate: 1, kinds: ['503'], seed: 1 } }, circuit: { failureThreshold: 1000 } });
  });
  afterAll(async () => {
    await t.close();
    await tracing.shutdown();
  });

  const spans = () => exporter.getFinishedSpans();
  const childrenOf = (parent: ReadableSpan) => spans().filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);

  it('loads the SDK once and names the service', () => {
    expect(sdk.loads).toBe(1);
    expect(tracingEnabled()).toBe(true);
  });

  it('a create is one operation span with a child span per provider call, in one trace, with traceparent sent', async () => {
    exporter.reset();
    headers.seen.length = 0;
    const response = await t.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { ...t.headers, 'x-request-id': 'traced-create-1' },
      body: JSON.stringify({ query: CREATE, variables: createInput('Traced') }),
    });
    expect(response.status).toBe(200);

    const operations = spans().filter((span) => span.name === 'mutation Create');
    expect(operations).toHaveLength(1);
    const operation = operations[0]!;
    expect(operation.resource.attributes['service.name']).toBe('customer-graph-test');
    expect(operation.attributes).toMatchObject({
      'graphql.operation.type': 'mutation',
      'graphql.operation.name': 'Create',
      'graphql.error.count': 0,
      'customer_graph.request_id': 'traced-create-1',
    });
    expect(operation.status.code).toBe(SpanStatusCode.UNSET);

    const calls = childrenOf(operation);
    expect(new Set(calls.map((span) => span.attributes['customer_graph.provider']))).toEqual(new Set(['ENFUCE', 'NOAH', 'CARDLYTICS']));
    for (const call of calls) {
      expect(call.kind).toBe(SpanKind.CLIENT);
      expect(call.spanContext().traceId).toBe(operation.spanContext().traceId);
    }
    const noah = calls.find((span) => span.name === 'NOAH customer.put')!;
    expect(noah.attributes).toMatchObject({ 'http.request.method': 'PUT', 'http.response.status_code': 503, 'customer_graph.provider.outcome': 'http_503' });
    expect(noah.status).toEqual({ code: SpanStatusCode.ERROR, message: 'http_503' });
    const enfuce = calls.find((span) => span.name === 'ENFUCE customer.create')!;
    expect(enfuce.attributes).toMatchObject({ 'http.response.status_code': 201, 'customer_graph.provider.outcome': 'ok' });

    // every provider received the W3C trace context of its own call span
    const sent = calls.map((span) => `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`).sort();
    expect([...headers.seen].sort()).toEqual(sent);
  });

  it('marks an operation that answered errors, with their codes', async () => {
    exporter.reset();
    await t.graphql('query TooMany { customers(first: 500) { totalCount } }');
    const [operation] = spans().filter((span) => span.name === 'query TooMany');
    expect(operation!.attributes).toMatchObject({ 'graphql.error.count': 1, 'graphql.error.codes': ['BAD_USER_INPUT'] });
    expect(operation!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'BAD_USER_INPUT' });
  });

  it('traces operations run compiled by graphql-jit as those run by graphql-js', async () => {
    exporter.reset();
    const query = 'query Twice { customers(first: 2) { edges { node { id displayName } } } }';
    // the first run goes through graphql-js, the second is compiled (src/compiled-execution.ts)
    const first = await t.graphql(query);
    const second = await t.graphql(query);
    expect(second.body).toEqual(first.body);
    const operations = spans().filter((span) => span.name === 'query Twice');
    expect(operations).toHaveLength(2);
    for (const operation of operations) expect(operation.attributes['graphql.error.count']).toBe(0);
    expect(new Set(operations.map((span) => span.spanContext().traceId)).size).toBe(2);
  });

  it('an operation answering in parts (@defer) ends its span with the last part, after the deferred provider calls', async () => {
    const created = await t.graphql(CREATE, { input: { customer: fullCustomerInput({ name: { first: 'Deferred', last: 'Traced' } }), providers: ['FIRSTVISION'] } });
    expect(created.body.data.customerCreate.userErrors).toEqual([]);
    exporter.reset();
    const response = await t.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { ...t.headers, accept: 'multipart/mixed' },
      body: JSON.stringify({
        query: 'query Later($id: ID!) { node(id: $id) { id ... on Customer { ... @defer { demographics { firstName } } } } }',
        variables: { id: created.body.data.customerCreate.customer.id },
      }),
    });
    expect(await response.text()).toContain('"firstName":"Deferred"');
    const [operation] = spans().filter((span) => span.name === 'query Later');
    const reads = childrenOf(operation!).filter((span) => span.name.startsWith('FIRSTVISION '));
    expect(reads.length).toBeGreaterThan(0);
    const nanos = ([seconds, fraction]: readonly [number, number]) => BigInt(seconds) * 1_000_000_000n + BigInt(fraction);
    for (const read of reads) expect(nanos(operation!.endTime) >= nanos(read.endTime)).toBe(true);
    expect(operation!.attributes['graphql.error.count']).toBe(0);
  });

  it('folds an operation name that is not a sane GraphQL name, and traces anonymous operations by type', async () => {
    exporter.reset();
    await t.graphql('{ customers(first: 1) { totalCount } }');
    expect(spans().map((span) => span.name)).toEqual(['query']);
    expect(spans()[0]!.attributes['graphql.operation.name']).toBeUndefined();
  });

  it("an outbox round's provider calls are spans of their own trace, not of a request's", async () => {
    exporter.reset();
    await t.app.fetch('http://localhost/sandbox/noah/_faults', { method: 'DELETE' });
    const later = () => new Date(Date.now() + 10 * 60_000);
    expect((await drainOutboxOnce({ ...t.mutationDeps(), now: later }, { workerId: 'trace-test', batchSize: 50, claimMs: 30_000 })).length).toBeGreaterThan(0);
    const retried = spans().filter((span) => span.name === 'NOAH customer.put');
    expect(retried.length).toBeGreaterThan(0);
    for (const span of retried) {
      expect(span.parentSpanContext).toBeUndefined();
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
    }
  });
});

describe('the server (npm start) with OTEL_TRACES_EXPORTER=console', () => {
  const dir = mkdtempSync(join(tmpdir(), 'customer-graph-tracing-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints a create's operation span and provider-call spans, and logs the calls under the request id", async () => {
    const server = await startServerProcess(
      {
        DATABASE_URL: `file:${join(dir, 'customer-graph.db')}`,
        DEMO_DATA: 'off',
        OTEL_TRACES_EXPORTER: 'console',
        OTEL_SERVICE_NAME: 'customer-graph-e2e',
        OUTBOX_POLL_INTERVAL_MS: '0',
        FLOLIVE_POLL_INTERVAL_MS: '0',
      },
      { build: true },
    );
    try {
      const response = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}`, 'x-request-id': 'e2e-trace-1' },
        body: JSON.stringify({ query: CREATE, variables: { input: { customer: fullCustomerInput({ accounts: [] }), providers: ['NOAH'] } } }),
      });
      expect(response.headers.get('x-request-id')).toBe('e2e-trace-1');
      expect(((await response.json()) as any).data.customerCreate.providerResults[0].status).toBe('SYNCED');
      // the console exporter prints each span as it ends; the operation ends last
      for (let waited = 0; !server.output().includes("name: 'mutation Create'") && waited < 5000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const output = server.output();
      expect(output).toContain("name: 'mutation Create'");
      expect(output).toContain("name: 'NOAH customer.put'");
      expect(output).toContain("'customer_graph.request_id': 'e2e-trace-1'");
      expect(output).toContain("'service.name': 'customer-graph-e2e'");
      const logged = output
        .split('\n')
        .filter((line) => line.startsWith('{"')) // pino's JSON lines, not the console exporter's printed objects
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => line['msg'] === 'provider call');
      expect(logged).toContainEqual(expect.objectContaining({ requestId: 'e2e-trace-1', origin: 'graphql', provider: 'NOAH', operation: 'customer.put', outcome: 'ok' }));
      expect(await stopServerProcess(server.child)).toBe(0);
    } finally {
      server.child.kill('SIGKILL');
    }
  });
});
