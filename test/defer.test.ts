import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../src/db/tables.js';
import { schema } from '../src/schema/index.js';
import type { FetchLike } from '../src/providers/http.js';
import { createTestApp, type TestApp } from './helpers.js';
import { fullCustomerInput } from './mutations.js';

/**
 * Holds FirstVision's read calls (demographics, address inquiry) while `closed`, so a test can see
 * what a client receives before the provider has answered; `failing` answers them with a 503.
 */
function gateFirstvisionReads() {
  const gate = { closed: false, failing: false, waiting: 0, answered: 0, release: () => {} };
  let opened: Promise<void> = Promise.resolve();
  gate.release = () => {};
  const close = () => {
    gate.closed = true;
    opened = new Promise((resolve) => {
      gate.release = () => {
        gate.closed = false;
        resolve();
      };
    });
  };
  const transport = (next: FetchLike): FetchLike => async (url, init) => {
    const { pathname } = new URL(url);
    const isRead = pathname.endsWith('/customer/demographicData') || pathname.endsWith('/current-prior-address');
    if (!pathname.startsWith('/sandbox/firstvision/') || !isRead) return next(url, init);
    if (gate.closed) {
      gate.waiting++;
      await opened;
      gate.waiting--;
    }
    try {
      if (gate.failing) return Response.json({ hasError: true, errors: [{ code: '503', description: 'unavailable' }], data: null }, { status: 503 });
      return await next(url, init);
    } finally {
      gate.answered++;
    }
  };
  return { gate, close, transport };
}

/** One part of an incremental result as multipart/mixed and text/event-stream carry it. */
interface Part {
  data?: any;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  incremental?: { data?: any; path: (string | number)[]; label?: string; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[] }[];
  hasNext: boolean;
}

/** Reads a multipart/mixed body part by part, as a client does: each part is yielded as soon as its closing delimiter arrives. */
async function* multipartParts(response: Response): AsyncGenerator<Part> {
  expect(response.headers.get('content-type')).toMatch(/^multipart\/mixed; boundary="-"/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += value;
    // a part is complete once the next delimiter (\r\n---) follows it
    for (let end = buffered.indexOf('\r\n---', 1); end !== -1; end = buffered.indexOf('\r\n---', 1)) {
      const part = buffered.slice(0, end);
      buffered = buffered.slice(end);
      const body = part.slice(part.indexOf('\r\n\r\n') + 4);
      if (part.includes('\r\n\r\n') && body.trim()) yield JSON.parse(body) as Part;
      if (buffered.startsWith('\r\n-----')) return;
      buffered = buffered.slice('\r\n---'.length);
    }
  }
}

/** The parts of a text/event-stream answer (`event: next` each; `event: complete` ends it). */
function eventStreamParts(text: string): Part[] {
  const events = text.split('\n\n').filter((block) => block.startsWith('event: '));
  expect(events.at(-1)).toMatch(/^event: complete/);
  return events.filter((block) => block.startsWith('event: next')).map((block) => JSON.parse(block.slice(block.indexOf('data: ') + 6)) as Part);
}

/** Applies every increment at its path: the result a client ends up rendering. */
function merged(parts: readonly Part[]): any {
  const data = structuredClone(parts[0]!.data);
  for (const part of parts.slice(1)) {
    for (const increment of part.incremental ?? []) {
      let target = data;
      for (const key of increment.path) target = target[key];
      Object.assign(target, increment.data);
    }
  }
  return data;
}

/** A customer FirstVision accepts (it adds a customer together with one 19-character account number). */
function customerWithAccount(i: number, name: { first: string; last: string }) {
  const account = fullCustomerInput().accounts[0];
  return fullCustomerInput({ customerNumber: `700000000000000000${i}`, name, accounts: [{ ...account, accountNumber: `800000000000000000${i}` }] });
}

const FIELDS = 'demographics { firstName lastName } addressHistory { period source city }';
const DEFERRED = /* GraphQL */ `
  query Deferred {
    customers(first: 10) {
      edges { node { id customerNumber name { first last } ... @defer(label: "provider") { ${FIELDS} } } }
    }
  }
`;
const AT_ONCE = `{ customers(first: 10) { edges { node { id customerNumber name { first last } ${FIELDS} } } } }`;

describe('@defer on provider-backed fields', () => {
  let t: TestApp;
  const firstvision = gateFirstvisionReads();

  beforeAll(async () => {
    t = await createTestApp({ transport: firstvision.transport });
    const items = [1, 2, 3].map((i) => ({
      customer: customerWithAccount(i, { first: `Deferred${i}`, last: 'Reader' }),
    }));
    const imported = await t.graphql(
      'mutation ($input: CustomersImportInput!) { customersImport(input: $input) { importedCount userErrors { field message } } }',
      { input: { items, providers: ['FIRSTVISION'] } },
    );
    expect(imported.body.data.customersImport).toEqual({ importedCount: 3, userErrors: [] });
  });
  afterAll(() => t.close());

  const post = (query: string, accept: string, extra: Record<string, string> = {}) =>
    t.app.fetch('http://localhost/graphql', { method: 'POST', headers: { ...t.headers, accept, ...extra }, body: JSON.stringify({ query }) });

  it('multipart/mixed: the local fields arrive while FirstVision has not answered; its fields follow at their paths', async () => {
    const answeredBefore = firstvision.gate.answered;
    firstvision.close();
    const rest: Part[] = [];
    let first: Part;
    try {
      const parts = multipartParts(await post(DEFERRED, 'multipart/mixed'));
      first = (await parts.next()).value as Part;
      // the first part came while FirstVision had answered none of its reads (they wait at the gate)
      expect(firstvision.gate.answered).toBe(answeredBefore);
      expect(first.hasNext).toBe(true);
      const nodes = first.data.customers.edges.map((edge: any) => edge.node);
      expect(nodes.map((node: any) => node.name.first).sort()).toEqual(['Deferred1', 'Deferred2', 'Deferred3']);
      for (const node of nodes) expect(Object.keys(node).sort()).toEqual(['customerNumber', 'id', 'name']);
      await expect.poll(() => firstvision.gate.waiting).toBeGreaterThan(0);
      firstvision.gate.release();
      for await (const part of parts) rest.push(part);
    } finally {
      firstvision.gate.release();
    }
    expect(rest.at(-1)!.hasNext).toBe(false);
    const increments = rest.flatMap((part) => part.incremental ?? []);
    expect(increments.map((increment) => increment.path).sort()).toEqual([0, 1, 2].map((i) => ['customers', 'edges', i, 'node']));
    expect(increments.every((increment) => increment.label === 'provider' && !increment.errors)).toBe(true);

    // what the client assembles is what the same query answers in one piece
    const atOnce = await t.graphql(AT_ONCE);
    expect(atOnce.body.errors).toBeUndefined();
    expect(merged([first!, ...rest])).toEqual(atOnce.body.data);
    for (const { node } of merged([first!, ...rest]).customers.edges) expect(node.demographics.firstName).toBe(node.name.first);
  });

  it('text/event-stream carries the same parts (GraphQL over SSE)', async () => {
    const response = await post(DEFERRED, 'text/event-stream');
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const parts = eventStreamParts(await response.text());
    expect(parts[0]!.hasNext).toBe(true);
    expect(parts.at(-1)!.hasNext).toBe(false);
    expect(merged(parts)).toEqual((await t.graphql(AT_ONCE)).body.data);
  });

  it('a failing FirstVision nulls only the deferred fields, with coded errors in that increment; /metrics counts them once the last part is sent', async () => {
    const errorsBefore = await metricValue('graphql_errors_total{code="PROVIDER_UNAVAILABLE"}');
    const failedBefore = await metricValue('graphql_operations_total{operation="Deferred",type="query",outcome="error"}');
    firstvision.gate.failing = true;
    try {
      const parts: Part[] = [];
      for await (const part of multipartParts(await post(DEFERRED, 'multipart/mixed'))) parts.push(part);
      expect(parts[0]!.errors).toBeUndefined();
      expect(parts[0]!.data.customers.edges).toHaveLength(3);
      const increments = parts.flatMap((part) => part.incremental ?? []);
      expect(increments).toHaveLength(3);
      for (const increment of increments) {
        expect(increment.data).toEqual({ demographics: null, addressHistory: null });
        expect(increment.errors!.map((error) => error.path!.at(-1)).sort()).toEqual(['addressHistory', 'demographics']);
        for (const error of increment.errors!) expect(error.extensions).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', provider: 'FIRSTVISION' });
      }
    } finally {
      firstvision.gate.failing = false;
    }
    expect(await metricValue('graphql_errors_total{code="PROVIDER_UNAVAILABLE"}')).toBe(errorsBefore + 6);
    expect(await metricValue('graphql_operations_total{operation="Deferred",type="query",outcome="error"}')).toBe(failedBefore + 1);
  });

  it('a document that repeats (the compiled path runs repeated queries) still answers in parts', async () => {
    for (let run = 0; run < 3; run++) {
      const parts: Part[] = [];
      for await (const part of multipartParts(await post(DEFERRED, 'multipart/mixed'))) parts.push(part);
      expect(parts.length).toBeGreaterThan(1);
      expect(merged(parts)).toEqual((await t.graphql(AT_ONCE)).body.data);
    }
  });

  it('@defer(if: false) answers in one JSON result', async () => {
    const response = await post(DEFERRED.replace('@defer(label: "provider")', '@defer(if: false)'), 'application/json');
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual((await t.graphql(AT_ONCE)).body.data);
  });

  it('@stream sends a list’s first items, then the rest one by one', async () => {
    const parts: Part[] = [];
    const query = '{ customers(first: 10) { edges @stream(initialCount: 1) { node { customerNumber } } } }';
    for await (const part of multipartParts(await post(query, 'multipart/mixed'))) parts.push(part);
    expect(parts[0]!.data.customers.edges).toHaveLength(1);
    const items = parts.flatMap((part) => part.incremental ?? []).flatMap((increment: any) => increment.items ?? []);
    const all = (await t.graphql('{ customers(first: 10) { edges { node { customerNumber } } } }')).body.data.customers.edges;
    expect(parts.length).toBeGreaterThan(1);
    expect([...parts[0]!.data.customers.edges, ...items]).toEqual(all);
  });

  it('the schema keeps graphql-js’s own directives beside @defer and @stream, and they still apply', async () => {
    expect(schema.getDirectives().map((directive) => directive.name).sort()).toEqual(['defer', 'deprecated', 'include', 'oneOf', 'skip', 'specifiedBy', 'stream']);
    const { body } = await t.graphql('query ($on: Boolean!) { customers(first: 1) { totalCount @include(if: $on) edges @skip(if: $on) { cursor } } }', { on: true });
    expect(body.errors).toBeUndefined();
    expect(Object.keys(body.data.customers)).toEqual(['totalCount']);
  });

  it('a client that accepts only JSON is told which types a deferred answer needs (406)', async () => {
    const response = await post(DEFERRED, 'application/json');
    expect(response.status).toBe(406);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'this operation answers in parts (@defer, @stream or a subscription): accept multipart/mixed or text/event-stream',
          extensions: { code: 'NOT_ACCEPTABLE' },
        },
      ],
    });
  });

  it('@defer on a mutation’s root field is refused before anything runs', async () => {
    const before = await t.database.db.select().from(auditEvents);
    const response = await post(
      'mutation { ... @defer { customerNumbersGenerate(input: { count: 1 }) { customerNumbers userErrors { message } } } }',
      'multipart/mixed',
    );
    expect(response.status).toBe(400);
    const parts: Part[] = [];
    for await (const part of multipartParts(response)) parts.push(part);
    expect(parts).toHaveLength(1);
    expect(parts[0]!.errors).toMatchObject([
      { message: 'Defer directive cannot be used on root mutation type "Mutation".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    ]);
    expect(await t.database.db.select().from(auditEvents)).toHaveLength(before.length);
  });

  it('a mutation that defers part of its payload is audited once, when its last part is sent', async () => {
    const before = (await t.database.db.select().from(auditEvents)).length;
    const create = /* GraphQL */ `
      mutation ($input: CustomerCreateInput!) {
        customerCreate(input: $input) {
          customer { id customerNumber ... @defer { demographics { firstName } } }
          userErrors { field message }
        }
      }
    `;
    const response = await t.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { ...t.headers, accept: 'multipart/mixed' },
      body: JSON.stringify({
        query: create,
        variables: { input: { customer: customerWithAccount(9, { first: 'Audited', last: 'Deferred' }), providers: ['FIRSTVISION'] } },
      }),
    });
    const parts: Part[] = [];
    for await (const part of multipartParts(response)) parts.push(part);
    const data = merged(parts);
    expect(data.customerCreate.userErrors).toEqual([]);
    expect(data.customerCreate.customer.demographics).toEqual({ firstName: 'Audited' });
    // written as the stream ends, not before the client has read it: on Postgres the insert may land just after
    await expect.poll(async () => (await t.database.db.select().from(auditEvents)).length).toBe(before + 1);
    const rows = await t.database.db.select().from(auditEvents);
    const customerId = Buffer.from(data.customerCreate.customer.id, 'base64url').toString().split(':')[1];
    expect(rows.find((row) => row.targetIds.includes(customerId!))).toMatchObject({ operation: 'customerCreate', outcome: 'ok' });
  });

  async function metricValue(series: string): Promise<number> {
    const text = await (await t.app.fetch('http://localhost/metrics')).text();
    const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  }
});
