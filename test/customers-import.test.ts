import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customers } from '../src/db/schema.js';
import { fullCustomerInput } from './mutations.js';
import { createTestApp, type TestApp } from './helpers.js';

const IMPORT = /* GraphQL */ `
  mutation Import($input: CustomersImportInput!) {
    customersImport(input: $input) {
      importedCount
      items { index customer { id customerNumber } providerResults { provider status requestId error } userErrors { field code provider } }
      userErrors { field code provider }
    }
  }
`;

function item(i: number) {
  return {
    customer: fullCustomerInput({
      name: { first: `Person${i}`, last: 'Imported' },
      email: `person${i}@example.com`,
      accounts: [
        {
          accountNumber: `IMP${String(i).padStart(6, '0')}`,
          type: 'CHECKING',
          portfolioId: 'PF-IMPORT',
          openedOn: '2025-03-01',
          cards: [{ last4: String(1000 + (i % 9000)).slice(-4), iin: '453201', type: 'DEBIT', network: 'VISA', openedOn: '2025-03-01' }],
        },
      ],
    }),
  };
}

describe('customersImport', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it('sends 120 customers to Cardlytics in calls of at most 50 (50, 50, 20) with their accounts and cards', async () => {
    const { body } = await t.graphql(IMPORT, { input: { items: Array.from({ length: 120 }, (_, i) => item(i)), providers: ['CARDLYTICS'] } });
    expect(body.errors).toBeUndefined();
    const payload = body.data.customersImport;
    expect(payload.userErrors).toEqual([]);
    expect(payload.importedCount).toBe(120);
    const state = t.sandboxState('CARDLYTICS');
    const customerCalls = Object.entries(state.requests.byRoute).find(([route]) => /customers/.test(route) && /POST/.test(route));
    expect(customerCalls?.[1]).toBe(3);
    const requestIds = new Set(payload.items.map((i: any) => i.providerResults[0].requestId));
    expect(requestIds.size).toBe(3);
    expect(payload.items.every((i: any) => i.providerResults[0].status === 'SYNCED')).toBe(true);
  });

  it('one bad item does not sink the others; its errors are indexed by item', async () => {
    // passes the GraphQL PhoneNumber scalar (lenient) but not the canonical E.164 rule
    const items = [item(0), { customer: { ...item(1).customer, phones: { mobile: '0401234567' } } }, item(2)];
    const { body } = await t.graphql(IMPORT, { input: { items, providers: ['CARDLYTICS'] } });
    const payload = body.data.customersImport;
    expect(payload.importedCount).toBe(2);
    expect(payload.items[1].customer).toBeNull();
    expect(payload.items[1].userErrors).toMatchObject([{ field: ['input', 'items', '1', 'customer', 'phones', 'mobile'] }]);
    expect(payload.userErrors).toEqual(payload.items[1].userErrors);
    expect(payload.items[0].customer).not.toBeNull();
    expect(payload.items[2].customer).not.toBeNull();
    expect((await t.database.db.select().from(customers)).length).toBe(2);
  });

  it('a provider rule broken by one item is reported at that item with the provider named', async () => {
    const bad = item(1);
    (bad.customer as any).accounts[0].cards[0] = { last4: '1234', iin: '999999', type: 'DEBIT', network: 'OTHER', openedOn: '2025-03-01' };
    const { body } = await t.graphql(IMPORT, { input: { items: [item(0), bad], providers: ['CARDLYTICS'] } });
    const payload = body.data.customersImport;
    expect(payload.importedCount).toBe(1);
    expect(payload.items[1].userErrors[0]).toMatchObject({ provider: 'CARDLYTICS' });
    expect(payload.items[1].userErrors[0].field.slice(0, 4)).toEqual(['input', 'items', '1', 'customer']);
  });

  it('refuses numbers repeated across items', async () => {
    const first = item(0);
    const second = { customer: { ...item(1).customer, accounts: item(0).customer.accounts } };
    const { body } = await t.graphql(IMPORT, { input: { items: [first, second], providers: [] } });
    expect(body.data.customersImport.items[1].userErrors).toMatchObject([
      { field: ['input', 'items', '1', 'customer', 'accounts', '0', 'accountNumber'], code: 'TAKEN' },
    ]);
  });

  it('refuses more than 1,000 items without writing anything', async () => {
    const many = Array.from({ length: 1001 }, () => ({ customer: { name: { first: 'A', last: 'B' } } }));
    const { body } = await t.graphql(IMPORT, { input: { items: many, providers: [] } });
    expect(body.data.customersImport).toMatchObject({ importedCount: 0, userErrors: [{ field: ['input', 'items'], code: 'TOO_MANY' }] });
    expect(await t.database.db.select().from(customers)).toEqual([]);
  });
});
