import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CREATE, fullCustomerInput } from './mutations.js';
import { createTestApp, type TestApp } from './helpers.js';

const UPDATE = /* GraphQL */ `
  mutation Update($input: CustomerUpdateInput!) {
    customerUpdate(input: $input) {
      customer { id email phones { mobile } identities { type number } }
      providerResults { provider status error attempts }
      userErrors { field message code provider }
    }
  }
`;

describe('customerUpdate', () => {
  let t: TestApp;
  let id: string;
  beforeEach(async () => {
    t = await createTestApp();
    const created = await t.graphql(CREATE, { input: { customer: fullCustomerInput(), providers: ['NOAH', 'ENFUCE', 'FIRSTVISION', 'CARDLYTICS'] } });
    id = created.body.data.customerCreate.customer.id;
  });
  afterEach(() => t.close());

  it('changes the customer locally and at every linked provider that has an update', async () => {
    const { body } = await t.graphql(UPDATE, { input: { id, customer: { email: 'new.address@example.com' } } });
    const payload = body.data.customerUpdate;
    expect(payload.userErrors).toEqual([]);
    expect(payload.customer.email).toBe('new.address@example.com');
    expect(payload.customer.phones.mobile).toBe('+358401234567');
    const updated = payload.providerResults.filter((r: any) => r.attempts === 2).map((r: any) => r.provider).sort();
    expect(updated).toEqual(['ENFUCE', 'FIRSTVISION', 'NOAH']);
    expect(payload.providerResults.every((r: any) => r.status === 'SYNCED')).toBe(true);
  });

  it('reuses the provider options a link was created with when the update passes none (VIP stays VIP)', async () => {
    const vip = await t.graphql(CREATE, {
      input: {
        customer: fullCustomerInput({ customerNumber: '4000123412341234999', accounts: [{ ...fullCustomerInput().accounts[0], accountNumber: '4000000000000000999' }] }),
        providers: ['FIRSTVISION'],
        providerOptions: { firstvision: { vipStatus: true } },
      },
    });
    const vipId = vip.body.data.customerCreate.customer.id;
    const vipRecord = () =>
      (t.sandboxState('FIRSTVISION').records['customers'] as any[]).find((record) => record.customerNumber === '4000123412341234999');
    expect(vipRecord().customerMiscellaneousData.vipStatus).toBe(1);

    const { body } = await t.graphql(UPDATE, { input: { id: vipId, customer: { email: 'vip@example.com' } } });
    expect(body.data.customerUpdate.userErrors).toEqual([]);
    expect(vipRecord().ownerData.email).toBe('vip@example.com');
    expect(vipRecord().customerMiscellaneousData.vipStatus).toBe(1);

    const demoted = await t.graphql(UPDATE, { input: { id: vipId, customer: {}, providerOptions: { firstvision: { vipStatus: false } } } });
    expect(demoted.body.data.customerUpdate.userErrors).toEqual([]);
    expect(vipRecord().customerMiscellaneousData.vipStatus).toBe(0);
  });

  it('validates the merged customer and sends nothing when it is invalid', async () => {
    const before = t.sandboxState('NOAH').requests.total;
    const { body } = await t.graphql(UPDATE, { input: { id, customer: { phones: { mobile: '0401234567' } } } });
    expect(body.data.customerUpdate.userErrors).toMatchObject([{ field: ['input', 'customer', 'phones', 'mobile'] }]);
    expect(t.sandboxState('NOAH').requests.total).toBe(before);
  });

  it('refuses to change natural keys and structure', async () => {
    const { body } = await t.graphql(UPDATE, { input: { id, customer: { customerNumber: 'X1', kind: 'BUSINESS' } } });
    expect(body.data.customerUpdate.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([
      ['input.customer.customerNumber', 'UNSUPPORTED'],
      ['input.customer.kind', 'UNSUPPORTED'],
    ]);
  });

  it('an unknown customer is NOT_FOUND; a provider without an update or without a link is refused', async () => {
    const missing = await t.graphql(UPDATE, { input: { id: Buffer.from('Customer:nope').toString('base64url'), customer: {} } });
    expect(missing.body.data.customerUpdate.userErrors).toMatchObject([{ field: ['input', 'id'], code: 'NOT_FOUND' }]);
    const unsupported = await t.graphql(UPDATE, { input: { id, customer: {}, providers: ['CARDLYTICS', 'FLOLIVE'] } });
    expect(unsupported.body.data.customerUpdate.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([
      ['input.providers.0', 'UNSUPPORTED'],
      ['input.providers.1', 'UNSUPPORTED'],
    ]);
  });
});
