import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customers, outbox, providerLinks } from '../src/db/tables.js';
import { PROVIDER_NAMES } from '../src/domain/enums.js';
import { createTestApp, type TestApp } from './helpers.js';
import { CREATE, fullCustomerInput } from './mutations.js';

describe('customerCreate', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  async function totalProviderRequests(): Promise<number> {
    return PROVIDER_NAMES.reduce((sum, provider) => sum + t.sandboxState(provider).requests.total, 0);
  }

  it('routes one customer to all five providers end to end; each link shows its outcome', async () => {
    const { body } = await t.graphql(CREATE, { input: { customer: fullCustomerInput() } });
    expect(body.errors).toBeUndefined();
    const payload = body.data.customerCreate;
    expect(payload.userErrors).toEqual([]);
    expect(payload.customer.customerNumber).toMatch(/^[1-9]\d{18}$/);
    const byProvider = Object.fromEntries(payload.providerResults.map((r: any) => [r.provider, r]));
    expect(Object.keys(byProvider).sort()).toEqual([...PROVIDER_NAMES].sort());
    for (const provider of ['ENFUCE', 'NOAH', 'CARDLYTICS', 'FIRSTVISION']) {
      expect(byProvider[provider]).toMatchObject({ status: 'SYNCED', error: null, attempts: 1 });
      expect(byProvider[provider].externalId).toBeTruthy();
    }
    // floLIVE is asynchronous: accepted with a request id to poll
    expect(byProvider.FLOLIVE).toMatchObject({ status: 'IN_PROGRESS', error: null, attempts: 1 });
    expect(byProvider.FLOLIVE.requestId).toBeTruthy();
    // reading the links asks floLIVE about its IN_PROGRESS request: the simulator has settled it
    const links = Object.fromEntries(payload.customer.providerLinks.map((l: any) => [l.provider, l]));
    expect(links.FLOLIVE).toMatchObject({ status: 'SYNCED', requestId: byProvider.FLOLIVE.requestId });
    for (const provider of ['ENFUCE', 'NOAH', 'CARDLYTICS', 'FIRSTVISION']) expect(links[provider]).toEqual(byProvider[provider]);

    for (const provider of PROVIDER_NAMES) {
      const state = t.sandboxState(provider);
      expect(Object.values(state.records).flat().length, `${provider} stores the customer`).toBeGreaterThan(0);
    }
    const rows = await t.database.db.select().from(outbox);
    expect(rows.map((row) => row.status)).toEqual(['DONE', 'DONE', 'DONE', 'DONE', 'DONE']);
  });

  it('routes only to the providers asked for', async () => {
    const { body } = await t.graphql(CREATE, { input: { customer: fullCustomerInput(), providers: ['NOAH'] } });
    expect(body.data.customerCreate.providerResults.map((r: any) => r.provider)).toEqual(['NOAH']);
    expect(t.sandboxState('ENFUCE').requests.total).toBe(0);
    expect(t.sandboxState('NOAH').requests.total).toBe(1);
  });

  it('with no providers asked for, routes to none when given an empty list', async () => {
    const { body } = await t.graphql(CREATE, { input: { customer: fullCustomerInput(), providers: [] } });
    expect(body.data.customerCreate.userErrors).toEqual([]);
    expect(body.data.customerCreate.providerResults).toEqual([]);
    expect(await totalProviderRequests()).toBe(0);
  });

  it('reports every canonical problem at once, at the caller’s paths, and writes and sends nothing', async () => {
    const { body } = await t.graphql(CREATE, {
      input: {
        customer: fullCustomerInput({
          name: { first: '' },
          phones: { mobile: '0401234567' },
          dateOfBirth: '2999-01-01',
          accounts: [{ accountNumber: 'A-1', type: 'CHECKING', cards: [{ last4: '12345', iin: '453201', type: 'DEBIT', network: 'VISA' }] }],
        }),
      },
    });
    const payload = body.data.customerCreate;
    expect(payload.customer).toBeNull();
    const fields = payload.userErrors.map((e: any) => e.field.join('.'));
    expect(fields).toEqual(
      expect.arrayContaining([
        'input.customer.name.first',
        'input.customer.name.last',
        'input.customer.phones.mobile',
        'input.customer.dateOfBirth',
        'input.customer.accounts.0.accountNumber',
        'input.customer.accounts.0.cards.0.last4',
      ]),
    );
    expect(payload.userErrors.find((e: any) => e.field.join('.') === 'input.customer.name.last').code).toBe('REQUIRED');
    expect(payload.userErrors.every((e: any) => e.provider === null)).toBe(true);
    expect(await t.database.db.select().from(customers)).toEqual([]);
    expect(await totalProviderRequests()).toBe(0);
  });

  it('a NUL character anywhere in the input is BAD_USER_INPUT naming where it is; nothing is written or sent', async () => {
    const inVariables = await t.graphql(CREATE, { input: { customer: fullCustomerInput({ businessName: 'Acme\u0000Oy' }), providers: ['NOAH'] } });
    expect(inVariables.body.data).toBeUndefined();
    expect(inVariables.body.errors).toEqual([
      {
        message: 'variables.input.customer.businessName: must not contain the character U+0000 (NUL)',
        extensions: { code: 'BAD_USER_INPUT', argument: ['variables', 'input', 'customer', 'businessName'] },
      },
    ]);
    const inLiteral = await t.graphql('mutation { customerCreate(input: { customer: { name: { first: "A\\u0000", last: "B" } }, providers: [] }) { customer { id } } }');
    expect(inLiteral.body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: ['document', '1:63'] } });
    const braced = await t.graphql('mutation { customerCreate(input: { customer: { name: { first: "A\\u{0}", last: "B" } }, providers: [] }) { customer { id } } }');
    expect(braced.body.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: ['document', '1:63'] } });
    expect(await t.database.db.select().from(customers)).toEqual([]);
    expect(await totalProviderRequests()).toBe(0);
  });

  it('a customer number already in use is TAKEN', async () => {
    const input = { customer: fullCustomerInput({ customerNumber: '1234567890123456789' }), providers: [] };
    expect((await t.graphql(CREATE, { input })).body.data.customerCreate.userErrors).toEqual([]);
    const again = await t.graphql(CREATE, { input: { ...input, customer: { ...input.customer, accounts: [] } } });
    expect(again.body.data.customerCreate.userErrors).toEqual([
      { field: ['input', 'customer', 'customerNumber'], message: 'customer number 1234567890123456789 is already used', code: 'TAKEN', provider: null },
    ]);
  });

  it('an unknown or foreign parentId is NOT_FOUND / INVALID at input.customer.parentId', async () => {
    const missing = await t.graphql(CREATE, {
      input: { customer: fullCustomerInput({ parentId: Buffer.from('Customer:nope').toString('base64url') }), providers: [] },
    });
    expect(missing.body.data.customerCreate.userErrors).toMatchObject([{ field: ['input', 'customer', 'parentId'], code: 'NOT_FOUND' }]);
    const garbage = await t.graphql(CREATE, { input: { customer: fullCustomerInput({ parentId: '@@' }), providers: [] } });
    expect(garbage.body.data.customerCreate.userErrors).toMatchObject([{ field: ['input', 'customer', 'parentId'], code: 'INVALID' }]);
  });

  it('creates a sub-customer under a parent', async () => {
    const parent = await t.graphql(CREATE, { input: { customer: fullCustomerInput(), providers: [] } });
    const parentId = parent.body.data.customerCreate.customer.id;
    const child = await t.graphql(
      `mutation ($input: CustomerCreateInput!) { customerCreate(input: $input) { customer { parent { id } } userErrors { field } } }`,
      { input: { customer: fullCustomerInput({ parentId, accounts: [] }), providers: [] } },
    );
    expect(child.body.data.customerCreate).toEqual({ customer: { parent: { id: parentId } }, userErrors: [] });
  });

  it('a provider outage leaves the customer stored, the link PENDING with the error, and the outbox row due for retry', async () => {
    const flaky = await createTestApp({ faults: { NOAH: { failureRate: 1, seed: 1 } } });
    try {
      const { body } = await flaky.graphql(CREATE, { input: { customer: fullCustomerInput(), providers: ['NOAH', 'ENFUCE'] } });
      const payload = body.data.customerCreate;
      expect(payload.userErrors).toEqual([]);
      const noah = payload.providerResults.find((r: any) => r.provider === 'NOAH');
      expect(noah).toMatchObject({ status: 'PENDING', attempts: 1 });
      expect(noah.error).toMatch(/^PROVIDER_UNAVAILABLE HTTP 5\d\d/);
      expect(payload.providerResults.find((r: any) => r.provider === 'ENFUCE').status).toBe('SYNCED');
      const rows = await flaky.database.db.select().from(outbox);
      const noahRow = rows.find((row) => row.provider === 'NOAH')!;
      expect(noahRow).toMatchObject({ status: 'PENDING', attempts: 1 });
      expect(noahRow.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
      expect((await flaky.database.db.select().from(customers)).length).toBe(1);
    } finally {
      flaky.close();
    }
  });

  it('counts provider calls in /metrics by provider, operation and outcome', async () => {
    await t.graphql(CREATE, { input: { customer: fullCustomerInput(), providers: ['NOAH'] } });
    const text = await (await t.app.fetch('http://localhost/metrics')).text();
    expect(text).toMatch(/provider_calls_total\{provider="NOAH",operation="[^"]+",outcome="ok"\} 1/);
    expect(text).toMatch(/provider_call_duration_seconds_count\{provider="NOAH",operation="[^"]+"\} 1/);
  });

  it('keeps links and outbox rows consistent: one link per provider, never duplicated', async () => {
    await t.graphql(CREATE, { input: { customer: fullCustomerInput() } });
    const links = await t.database.db.select().from(providerLinks);
    expect(new Set(links.map((link) => link.provider)).size).toBe(links.length);
  });
});
