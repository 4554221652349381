import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute } from '../examples/client.js';
import {
  CustomerByNumberDocument,
  CustomerLookupDocument,
  CustomersPageDocument,
  NodeByIdDocument,
} from '../examples/generated/graphql.js';
import { createTestApp, type TestApp } from './helpers.js';

describe('codegen example operations (what client teams generate from schema.graphql)', () => {
  let t: TestApp;
  const run: typeof execute = (_url, document, variables) =>
    execute('http://localhost/graphql', document, variables, { token: t.token, fetch: (url, init) => Promise.resolve(t.app.fetch(url, init)) });

  beforeAll(async () => {
    t = await createTestApp({ demo: true });
  });
  afterAll(() => t.close());

  it('CustomerByNumber returns the typed customer with its graph', async () => {
    const { data, errors } = await run('', CustomerByNumberDocument, { customerNumber: '4000000000000001001' });
    expect(errors).toBeUndefined();
    const customer = data!.customer!;
    expect(customer.name?.first).toBe('Aino');
    // provider-backed lists are nullable: null with an error when a provider cannot be read
    const accounts = customer.accounts ?? [];
    expect(accounts.some((account) => account.holders.length === 2)).toBe(true);
    expect(accounts.flatMap((account) => account.cards ?? []).every((card) => card.last4.length === 4)).toBe(true);
  });

  it('CustomersPage pages with a typed filter, and NodeById resolves what it returned', async () => {
    const page = await run('', CustomersPageDocument, { first: 3, filter: { kind: ['BUSINESS'] } });
    expect(page.errors).toBeUndefined();
    expect(page.data!.customers.edges.map((edge) => edge.node.kind)).toEqual(['BUSINESS', 'BUSINESS', 'BUSINESS']);
    const id = page.data!.customers.edges[0]!.node.id;
    const node = await run('', NodeByIdDocument, { id });
    expect(node.data!.node).toMatchObject({ __typename: 'Customer', id });
  });

  it('CustomerLookup finds by a fuzzy name, with typed match modes and sources', async () => {
    const { data, errors } = await run('', CustomerLookupDocument, { input: { name: { value: 'Lindkvist', mode: 'FUZZY' } } });
    expect(errors).toBeUndefined();
    expect(data!.customerLookup.edges.map((edge) => edge.node.customer?.displayName)).toEqual(['Elsa Lindqvist', 'Johan Lindqvist']);
    expect(data!.customerLookup.sourceErrors).toEqual([]);
  });

  it('the persisted-documents manifest lists every example operation by hash', () => {
    const manifest = JSON.parse(
      readFileSync(new URL('../examples/generated/persisted-documents.json', import.meta.url), 'utf8'),
    ) as Record<string, string>;
    const operations = Object.values(manifest).map((source) => /(query|mutation) (\w+)/.exec(source)?.[2]);
    expect(operations.sort()).toEqual(['CustomerByNumber', 'CustomerLookup', 'CustomersPage', 'NodeById']);
  });
});
