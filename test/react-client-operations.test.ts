import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphClient, manifestKeyOf } from '../examples/react-client/src/client.js';
import { CustomerCreateMutation, CustomerDetailQuery, CustomerListQuery } from '../examples/react-client/src/operations.js';
import { startLiveServer, type LiveServer } from './support/live-server.js';

const MANIFEST = fileURLToPath(new URL('../examples/react-client/src/gql/persisted-documents.json', import.meta.url));

/** A customer every provider but Cardlytics refuses (each wants more: identities, locale, phone, an account…). */
const ADA = {
  kind: 'PRIVATE' as const,
  name: { first: 'Ada', last: 'Lovelace' },
  email: 'ada@example.com',
  addresses: [{ line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' }],
};

// The React example's own client and documents (examples/react-client/src), against the built server: sending
// each operation's text, and sending only its hash to a server that accepts nothing but the app's manifest.
describe.each([
  { mode: 'plain', trustedDocuments: false },
  { mode: 'trusted documents (by hash)', trustedDocuments: true },
])('React example operations against a live server: $mode', ({ trustedDocuments }) => {
  let server: LiveServer;
  const bodies: Record<string, unknown>[] = [];
  const recordingFetch: typeof fetch = (input, init) => {
    bodies.push(init?.method === 'POST' ? (JSON.parse(String(init.body)) as Record<string, unknown>) : { method: init?.method ?? 'GET' });
    return fetch(input, init);
  };
  const client = () => createGraphClient({ url: server.graphqlUrl, token: server.token, trustedDocuments, fetch: recordingFetch });

  beforeAll(async () => {
    server = await startLiveServer(trustedDocuments ? { TRUSTED_DOCUMENTS: MANIFEST } : {});
  });
  afterAll(() => server?.close());

  it('CustomerList pages the demo customers and CustomerDetail shows one with its accounts, cards and provider links', async () => {
    const first = await client().query(CustomerListQuery, { first: 20 }).toPromise();
    expect(first.error).toBeUndefined();
    const page = first.data!.customers;
    expect(page.totalCount).toBe(24);
    expect(page.edges).toHaveLength(20);
    expect(page.edges[0]!.node).toMatchObject({ customerNumber: '4000000000000001001', displayName: 'Aino Virtanen', kind: 'PRIVATE' });
    const second = await client().query(CustomerListQuery, { first: 20, after: page.pageInfo.endCursor }).toPromise();
    expect(second.data!.customers.edges).toHaveLength(4);
    expect(second.data!.customers.pageInfo.hasNextPage).toBe(false);

    const detail = await client().query(CustomerDetailQuery, { id: page.edges[0]!.node.id }).toPromise();
    expect(detail.error).toBeUndefined();
    const customer = detail.data!.customer!;
    expect(customer.accounts!.length).toBeGreaterThan(0);
    expect(customer.accounts!.flatMap((account) => account.cards ?? []).every((card) => /^\d{4}$/.test(card.last4))).toBe(true);
    // the demo customers are linked to the FirstVision simulator at start
    expect(customer.providerLinks).toContainEqual(expect.objectContaining({ provider: 'FIRSTVISION', status: 'SYNCED' }));
  });

  it('CustomerCreate answers each provider’s refusals as userErrors with their input path, and creates what Cardlytics accepts', async () => {
    const refused = await client().mutation(CustomerCreateMutation, { input: { customer: ADA } }).toPromise();
    expect(refused.error).toBeUndefined();
    const payload = refused.data!.customerCreate;
    expect(payload.customer).toBeNull();
    expect(payload.userErrors).toContainEqual(expect.objectContaining({ provider: 'ENFUCE', field: ['input', 'customer', 'locale'], code: 'REQUIRED' }));
    expect(new Set(payload.userErrors.map((error) => error.provider))).toEqual(new Set(['ENFUCE', 'NOAH', 'FLOLIVE', 'FIRSTVISION']));

    const created = await client().mutation(CustomerCreateMutation, { input: { customer: ADA, providers: ['CARDLYTICS'] } }).toPromise();
    expect(created.data!.customerCreate.userErrors).toEqual([]);
    expect(created.data!.customerCreate.customer).toMatchObject({ displayName: 'Ada Lovelace' });
    expect(created.data!.customerCreate.providerResults).toEqual([expect.objectContaining({ provider: 'CARDLYTICS', status: 'SYNCED' })]);
    const detail = await client().query(CustomerDetailQuery, { id: created.data!.customerCreate.customer!.id }).toPromise();
    expect(detail.data!.customer!.providerLinks).toEqual([expect.objectContaining({ provider: 'CARDLYTICS', status: 'SYNCED', attempts: 1, error: null })]);
  });

  it('a refused token is an error the app can show', async () => {
    const result = await createGraphClient({ url: server.graphqlUrl, token: 'not-a-token', trustedDocuments }).query(CustomerListQuery, { first: 1 }).toPromise();
    expect(result.data).toBeUndefined();
    expect(result.error!.graphQLErrors[0]!.extensions['code']).toBe('INVALID_TOKEN');
  });

  it(trustedDocuments ? 'POSTs only the manifest hash, never the text' : 'POSTs the text, no hash', () => {
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) {
      if (trustedDocuments) {
        expect(body['query']).toBeUndefined();
        expect(body['extensions']).toMatchObject({ persistedQuery: { version: 1, sha256Hash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) } });
      } else {
        expect(body['query']).toEqual(expect.stringMatching(/^(query|mutation) Customer/));
        expect(body['extensions']).toBeUndefined();
      }
    }
  });

  if (trustedDocuments) {
    it('the server refuses an operation the app’s manifest does not hold', async () => {
      const response = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
        body: JSON.stringify({ query: '{ customers(first: 1) { totalCount } }' }),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe('PERSISTED_DOCUMENT_NOT_FOUND');
    });
  }
});

describe('React example persisted-documents manifest', () => {
  it('holds exactly the app’s operations, keyed by the hash each generated document carries', () => {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
    const documents = { CustomerList: CustomerListQuery, CustomerDetail: CustomerDetailQuery, CustomerCreate: CustomerCreateMutation };
    expect(Object.keys(manifest)).toHaveLength(3);
    for (const [name, document] of Object.entries(documents)) {
      expect(manifest[manifestKeyOf(document)!]).toMatch(new RegExp(`^(query|mutation) ${name}\\(`));
    }
  });
});
