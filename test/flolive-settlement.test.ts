import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { providerLinks } from '../src/db/tables.js';
import { settleFloliveLinks } from '../src/domain/flolive-settlement.js';
import { createReadThrottles } from '../src/loaders/provider-loader.js';
import { createTestApp, type TestApp } from './helpers.js';
import { fullCustomerInput } from './mutations.js';

/** Creates without reading Customer.providerLinks (a read would settle the link at once). */
const CREATE_LEAN = /* GraphQL */ `
  mutation ($input: CustomerCreateInput!) {
    customerCreate(input: $input) { customer { id } providerResults { provider status } userErrors { field message } }
  }
`;

const LINKS = /* GraphQL */ `
  query ($id: ID!) { node(id: $id) { ... on Customer { providerLinks { provider status requestId error } } } }
`;

describe('floLIVE request status', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  async function createAtFlolive(customer = fullCustomerInput({ accounts: [] })): Promise<string> {
    const { body } = await t.graphql(CREATE_LEAN, { input: { customer, providers: ['FLOLIVE'] } });
    expect(body.data.customerCreate.providerResults).toMatchObject([{ provider: 'FLOLIVE', status: 'IN_PROGRESS' }]);
    return body.data.customerCreate.customer.id;
  }

  async function storedStatus(): Promise<string[]> {
    return (await t.database.db.select().from(providerLinks).where(eq(providerLinks.provider, 'FLOLIVE'))).map((link) => link.status);
  }

  it('a read of an IN_PROGRESS link asks floLIVE and records SYNCED', async () => {
    const id = await createAtFlolive();
    const { body } = await t.graphql(LINKS, { id });
    expect(body.errors).toBeUndefined();
    expect(body.data.node.providerLinks).toMatchObject([{ provider: 'FLOLIVE', status: 'SYNCED', error: null }]);
    expect(await storedStatus()).toEqual(['SYNCED']);
    // settled: the next read makes no status call
    const before = t.sandboxState('FLOLIVE').requests.total;
    await t.graphql(LINKS, { id });
    expect(t.sandboxState('FLOLIVE').requests.total).toBe(before);
  });

  it('records FAILED with floLIVE’s reason', async () => {
    // the simulator fails a sub-customer whose name repeats a created sibling's
    const first = await createAtFlolive();
    await t.graphql(LINKS, { id: first });
    const second = await createAtFlolive(fullCustomerInput({ email: 'twin@example.com', accounts: [] }));
    const { body } = await t.graphql(LINKS, { id: second });
    const link = body.data.node.providerLinks[0];
    expect(link.status).toBe('FAILED');
    expect(link.error).toMatch(/^PROVIDER_REJECTED/);
  });

  it('the background poll settles links nobody reads', async () => {
    await createAtFlolive();
    await createAtFlolive(fullCustomerInput({ name: { first: 'Mikko', last: 'Virtanen' }, accounts: [] }));
    const deps = {
      database: t.database,
      linkUpdates: t.linkUpdates,
      flolive: t.providers.flolive,
      throttle: createReadThrottles().FLOLIVE,
      now: () => new Date(),
      callTimeoutMs: 5000,
    };
    expect(await settleFloliveLinks(deps)).toEqual({ checked: 2, settled: 2 });
    expect(await storedStatus()).toEqual(['SYNCED', 'SYNCED']);
    expect(await settleFloliveLinks(deps)).toEqual({ checked: 0, settled: 0 });
  });

  it('when floLIVE cannot answer, the link stays IN_PROGRESS and the read still succeeds', async () => {
    const flaky = await createTestApp({ faults: { FLOLIVE: { failureRate: 0.5, seed: 3 } } });
    try {
      let id: string | null = null;
      for (let attempt = 0; attempt < 10 && !id; attempt++) {
        const { body } = await flaky.graphql(CREATE_LEAN, {
          input: { customer: fullCustomerInput({ name: { first: `Try${attempt}`, last: 'Flaky' }, accounts: [] }), providers: ['FLOLIVE'] },
        });
        if (body.data.customerCreate.providerResults[0].status === 'IN_PROGRESS') id = body.data.customerCreate.customer.id;
      }
      expect(id).not.toBeNull();
      const statuses = new Set<string>();
      for (let read = 0; read < 6; read++) {
        const { body } = await flaky.graphql(LINKS, { id });
        expect(body.errors).toBeUndefined();
        statuses.add(body.data.node.providerLinks[0].status);
      }
      // some reads met a failing status call (stayed IN_PROGRESS), one eventually settled it
      expect([...statuses]).toEqual(expect.arrayContaining(['SYNCED']));
    } finally {
      flaky.close();
    }
  });
});
