import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkDemoCustomers } from '../src/domain/demo-data.js';
import type { FetchLike } from '../src/providers/http.js';
import { canonical, routingFor } from './providers/harness.js';
import { createTestApp, type TestApp } from './helpers.js';

const LOOKUP = /* GraphQL */ `
  query Lookup($input: CustomerLookupInput!) {
    customerLookup(input: $input) {
      totalCount
      edges { cursor node { score sources customer { customerNumber displayName } firstvision { customerNumber lastName } } }
      pageInfo { hasNextPage endCursor }
      sourceErrors { source code message }
    }
  }
`;

describe('customerLookup', () => {
  let t: TestApp;
  let failLookups = false;
  const transport = (next: FetchLike): FetchLike => async (url, init) =>
    failLookups && url.endsWith('/customer/lookup')
      ? Response.json({ hasError: true, errors: [{ code: '503', description: 'down' }], data: null }, { status: 503 })
      : next(url, init);

  beforeAll(async () => {
    t = await createTestApp({ demo: true, transport });
    expect((await linkDemoCustomers(t.mutationDeps())).refused).toEqual([]);
    // a customer FirstVision knows and we do not
    const firstvision = t.providers.adapter('FIRSTVISION');
    const routing = routingFor(
      canonical({
        customerNumber: '4999000000000000001',
        name: { first: 'Ofelia', last: 'Virtanen' },
        addresses: [{ line1: 'Street', city: 'Turku', postalCode: '20100', country: 'FI' }],
        accounts: [{ accountNumber: '4999000000000000001', type: 'CHECKING' }],
      }),
      t.providers.module('FIRSTVISION').optionsSchema.parse({}),
    );
    const mapped = firstvision.mapCreate(routing);
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
    const [outcome] = await firstvision.create([mapped.request], { signal: AbortSignal.timeout(5000) });
    expect(outcome!.status).toBe('SYNCED');
  });
  afterAll(() => t.close());

  async function lookup(input: Record<string, unknown>) {
    const { body } = await t.graphql(LOOKUP, { input });
    expect(body.errors).toBeUndefined();
    return body.data.customerLookup;
  }
  const names = (result: any) => result.edges.map((edge: any) => edge.node.customer?.displayName ?? `(FirstVision) ${edge.node.firstvision.customerNumber}`);

  it('EXACT: the whole value, ignoring case; found locally and at FirstVision, one entry per customer', async () => {
    const result = await lookup({ name: { value: 'virtanen', mode: 'EXACT' } });
    expect(names(result)).toEqual(['Aino Virtanen', 'Mikko Virtanen', '(FirstVision) 4999000000000000001']);
    expect(result.edges[0].node.sources).toEqual(['LOCAL', 'FIRSTVISION']);
    expect(result.edges[2].node).toMatchObject({ customer: null, sources: ['FIRSTVISION'], firstvision: { lastName: 'Virtanen' } });
    expect(await lookup({ name: { value: 'Virta', mode: 'EXACT' } })).toMatchObject({ totalCount: 0 });
  });

  it('BEGINS_WITH', async () => {
    expect(names(await lookup({ name: { value: 'Lind', mode: 'BEGINS_WITH' } }))).toEqual(['Elsa Lindqvist', 'Johan Lindqvist']);
  });

  it('ENDS_WITH', async () => {
    expect(names(await lookup({ name: { value: 'QVIST', mode: 'ENDS_WITH' } }))).toEqual(['Elsa Lindqvist', 'Johan Lindqvist']);
  });

  it('FUZZY: a typo still finds them, ranked below what an exact search scores', async () => {
    const result = await lookup({ name: { value: 'Virtamen', mode: 'FUZZY' }, firstName: { value: 'aino', mode: 'EXACT' } });
    expect(names(result)).toEqual(['Aino Virtanen']);
    expect(result.edges[0].node.score).toBeLessThan(1);
    expect(names(await lookup({ name: { value: 'Fernandes', mode: 'FUZZY' } }))).toEqual(['Sofía Fernández']);
  });

  it('combines criteria (AND): name, date of birth and country', async () => {
    const everyone = await lookup({ name: { value: 'Schmidt', mode: 'EXACT' } });
    expect(everyone.totalCount).toBe(2);
    const { body } = await t.graphql('{ customer(customerNumber: "4000000000000001005") { dateOfBirth } }');
    const narrowed = await lookup({ name: { value: 'Schmidt', mode: 'EXACT' }, dateOfBirth: body.data.customer.dateOfBirth, country: 'SE' });
    expect(names(narrowed)).toEqual(['Lena Schmidt']);
  });

  it('pages through the ranked results with cursors', async () => {
    const first = await lookup({ name: { value: 'virtanen', mode: 'EXACT' }, first: 2 });
    expect(first.edges).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await lookup({ name: { value: 'virtanen', mode: 'EXACT' }, first: 2, after: first.pageInfo.endCursor });
    expect(names(rest)).toEqual(['(FirstVision) 4999000000000000001']);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('when FirstVision cannot be searched, local results come back with the source error', async () => {
    failLookups = true;
    try {
      const result = await lookup({ name: { value: 'virtanen', mode: 'EXACT' } });
      expect(names(result)).toEqual(['Aino Virtanen', 'Mikko Virtanen']);
      expect(result.sourceErrors).toMatchObject([{ source: 'FIRSTVISION', code: 'PROVIDER_UNAVAILABLE' }]);
    } finally {
      failLookups = false;
    }
  });

  it('refuses a lookup without criteria, and a bad cursor, with coded errors', async () => {
    const empty = await t.graphql(LOOKUP, { input: {} });
    expect(empty.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const cursor = await t.graphql(LOOKUP, { input: { name: { value: 'x' }, after: 'nope' } });
    expect(cursor.body.errors![0]!.extensions).toMatchObject({ code: 'INVALID_CURSOR' });
  });
});
