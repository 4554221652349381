import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchLike } from '../src/providers/http.js';
import { createTestApp, type TestApp } from './helpers.js';
import { fullCustomerInput } from './mutations.js';

/** A FirstVision call as the transport saw it. */
interface SeenCall {
  route: string;
  customerNumber: string | null;
  /** false for a pagination page (functionCode N or P). */
  firstPage: boolean;
}

/**
 * Observes every FirstVision call: which endpoint, for which customer, first page or not, and how
 * many were in flight at once; can make every call about one customer fail.
 */
function observeFirstvision() {
  const state = { calls: [] as SeenCall[], inFlight: 0, peak: 0, failFor: null as string | null };
  const transport = (next: FetchLike): FetchLike => async (url, init) => {
    const { pathname } = new URL(url);
    if (!pathname.startsWith('/sandbox/firstvision/')) return next(url, init);
    const path = pathname.slice('/sandbox/firstvision'.length);
    const body = typeof init.body === 'string' && init.body.startsWith('{') ? (JSON.parse(init.body) as Record<string, unknown>) : {};
    const customerNumber =
      (body['customerNumber'] as string | undefined) ??
      (body['customerAccountCardNumber'] as string | undefined) ??
      /^\/customer\/(\d+)\/current-prior-address/.exec(path)?.[1] ??
      null;
    const route = `${init.method} ${path.replace(/^\/customer\/\d+\//, '/customer/:number/')}`;
    state.calls.push({ route, customerNumber, firstPage: !['N', 'P'].includes(String(body['functionCode'] ?? '')) });
    state.inFlight++;
    state.peak = Math.max(state.peak, state.inFlight);
    try {
      // let other calls start, so the in-flight cap is what bounds concurrency
      await new Promise((resolve) => setImmediate(resolve));
      if (state.failFor !== null && customerNumber === state.failFor) {
        return Response.json({ hasError: true, errors: [{ code: '503', description: 'unavailable' }], data: null }, { status: 503 });
      }
      return await next(url, init);
    } finally {
      state.inFlight--;
    }
  };
  return { state, transport };
}

const READ = /* GraphQL */ `
  query Read($first: Int!, $twice: ID!) {
    customers(first: $first) {
      edges {
        node {
          id
          customerNumber
          demographics { firstName lastName dateOfBirth }
          accounts { accountNumber source cards { last4 iin source } }
          relationships { relationshipNumber source }
          addressHistory { period source city }
        }
      }
    }
    again: node(id: $twice) {
      ... on Customer { demographics { lastName } accounts { accountNumber cards { last4 } } relationships { relationshipNumber } addressHistory { period } }
    }
  }
`;

const MAX_IN_FLIGHT = 4;
const READ_ROUTES = [
  'POST /customer/demographicData',
  'POST /customer/accountNumber',
  'POST /customer/details-l8v4',
  'POST /customer/relationshipNumber',
  'GET /customer/:number/current-prior-address',
];

describe('stitched FirstVision reads', () => {
  let t: TestApp;
  const observed = observeFirstvision();
  const numbers: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ transport: observed.transport, providerLimits: { FIRSTVISION: { maxInFlight: MAX_IN_FLIGHT } } });
    const items = Array.from({ length: 50 }, (_, i) => {
      const customerNumber = `50000000000000000${String(i).padStart(2, '0')}`;
      numbers.push(customerNumber);
      return {
        customer: fullCustomerInput({
          customerNumber,
          name: { first: `Reader${i}`, last: 'Stitched' },
          accounts: [{ ...fullCustomerInput().accounts[0], accountNumber: `60000000000000000${String(i).padStart(2, '0')}` }],
        }),
      };
    });
    const imported = await t.graphql(
      'mutation ($input: CustomersImportInput!) { customersImport(input: $input) { importedCount userErrors { field message } } }',
      { input: { items, providers: ['FIRSTVISION'] } },
    );
    expect(imported.body.data.customersImport).toEqual({ importedCount: 50, userErrors: [] });
  });
  afterAll(() => t.close());

  async function read(first: number) {
    const before = { calls: observed.state.calls.length, sql: t.statements.length, metrics: await firstvisionCallsInMetrics() };
    observed.state.peak = 0;
    const { body } = await t.graphql(READ, { first, twice: (await firstCustomerId()) });
    return {
      body,
      calls: observed.state.calls.slice(before.calls),
      sql: t.statements.length - before.sql,
      metricCalls: (await firstvisionCallsInMetrics()) - before.metrics,
    };
  }

  async function firstCustomerId(): Promise<string> {
    const { body } = await t.graphql('{ customers(first: 1) { edges { node { id } } } }');
    return body.data.customers.edges[0].node.id;
  }

  async function firstvisionCallsInMetrics(): Promise<number> {
    const text = await (await t.app.fetch('http://localhost/metrics')).text();
    return [...text.matchAll(/^provider_calls_total\{provider="FIRSTVISION",[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  }

  it('costs one call per (endpoint, customer) plus pagination pages, under the in-flight cap, and /metrics agrees', async () => {
    const { body, calls, metricCalls } = await read(50);
    expect(body.errors).toBeUndefined();
    const nodes = body.data.customers.edges.map((edge: any) => edge.node);
    expect(nodes).toHaveLength(50);

    for (const route of READ_ROUTES) {
      const firstPages = calls.filter((call) => call.route === route && call.firstPage);
      // one first page per customer, although the first customer is asked for twice (node alias)
      expect(firstPages.map((call) => call.customerNumber).sort(), route).toEqual([...numbers].sort());
    }
    const accountPages = calls.filter((call) => call.route === 'POST /customer/accountNumber' && !call.firstPage);
    const expectedExtraPages = nodes.reduce((sum: number, node: any) => sum + Math.max(0, Math.ceil(node.accounts.length / 20) - 1), 0);
    expect(expectedExtraPages).toBeGreaterThan(0);
    expect(accountPages).toHaveLength(expectedExtraPages);
    const unexpected = calls.filter((call) => !READ_ROUTES.includes(call.route) && call.route !== 'POST /token');
    expect(unexpected).toEqual([]);

    expect(observed.state.peak).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    expect(observed.state.peak).toBe(MAX_IN_FLIGHT);
    expect(metricCalls).toBe(calls.length);

    // the data is there: demographics from the stored owner data, many accounts with cards, periods marked
    const seventh = nodes.find((node: any) => node.customerNumber === numbers[7]);
    expect(seventh.demographics).toMatchObject({ firstName: 'Reader7', lastName: 'Stitched', dateOfBirth: '1985-04-12' });
    const many = nodes.find((node: any) => node.accounts.length > 20);
    expect(many.accounts.filter((account: any) => account.source === 'FIRSTVISION').length).toBe(many.accounts.length - 1);
    expect(many.accounts.flatMap((account: any) => account.cards).length).toBeGreaterThan(20);
    expect(nodes.every((node: any) => node.addressHistory.some((entry: any) => entry.period === 'CURRENT'))).toBe(true);
    expect(JSON.stringify(body)).not.toMatch(/\d{13,19}"\s*,\s*"iin|"cardNumber"/);
  });

  // One root field: each level's loads then start in one tick. (With `again: node(id)` beside the page,
  // as READ has, the two roots' rows arrive apart on Postgres and each level may take two batches.)
  it('runs the same number of SQL statements for 5 and for 50 customers', async () => {
    const page = READ.replace(/\$twice: ID!/, '').replace(/again: node[\s\S]*?\n    }\n/, '');
    expect(page).not.toContain('again');
    const statementsFor = async (first: number) => {
      const before = t.statements.length;
      const { body } = await t.graphql(page, { first });
      expect(body.errors).toBeUndefined();
      expect(body.data.customers.edges).toHaveLength(first);
      return t.statements.length - before;
    };
    expect(await statementsFor(50)).toBe(await statementsFor(5));
  });

  it('a FirstVision failure for one customer nulls only that customer’s FirstVision fields, with coded errors at their paths', async () => {
    // not the customer the `again` alias reads too (the first in order: ids are random)
    const first = (await t.graphql('{ customers(first: 1) { edges { node { customerNumber } } } }')).body.data.customers.edges[0].node.customerNumber;
    const failing = numbers.filter((number) => number !== first)[17]!;
    observed.state.failFor = failing;
    try {
      const { body } = await read(50);
      const nodes = body.data.customers.edges.map((edge: any) => edge.node);
      const index = nodes.findIndex((node: any) => node.customerNumber === failing);
      const broken = nodes[index];
      expect(broken).toMatchObject({ demographics: null, accounts: null, relationships: null, addressHistory: null });
      const others = nodes.filter((_: unknown, i: number) => i !== index);
      expect(others).toHaveLength(49);
      for (const node of others) {
        expect(node.demographics).not.toBeNull();
        expect(node.accounts.length).toBeGreaterThan(0);
        expect(node.relationships).not.toBeNull();
        expect(node.addressHistory).not.toBeNull();
      }
      const paths = body.errors!.map((error: any) => error.path.join('.')).sort();
      expect(paths).toEqual(
        ['accounts', 'addressHistory', 'demographics', 'relationships'].map((field) => `customers.edges.${index}.node.${field}`),
      );
      for (const error of body.errors!) {
        expect(error.extensions).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', provider: 'FIRSTVISION' });
      }
    } finally {
      observed.state.failFor = null;
    }
  });
});
