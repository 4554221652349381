import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkDemoCustomers } from '../src/domain/demo-data.js';
import { createTestApp, type TestApp } from './helpers.js';

const READ = /* GraphQL */ `
  query ($n: String!) {
    customer(customerNumber: $n) {
      piiMasked email dateOfBirth
      phones { mobile landline additional work }
      identities { type number }
      demographics { email dateOfBirth mobilePhone homePhone }
    }
  }
`;

describe('PII masking by scope', () => {
  let t: TestApp;
  let reader: string;
  let piiReader: string;
  beforeAll(async () => {
    t = await createTestApp({ demo: true });
    await linkDemoCustomers(t.mutationDeps());
    reader = await t.tokenFor(t.organizationId, ['customers:read']);
    piiReader = await t.tokenFor(t.organizationId, ['customers:read', 'pii:read']);
  });
  afterAll(() => t.close());

  it('with pii:read every field is in clear', async () => {
    const { body } = await t.graphql(READ, { n: '4000000000000001001' }, piiReader);
    const customer = body.data.customer;
    expect(customer.piiMasked).toBe(false);
    expect(customer.email).toBe('aino.virtanen@example.com');
    expect(customer.dateOfBirth).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(customer.phones.mobile).toMatch(/^\+358\d+$/);
    expect(customer.identities.map((identity: any) => identity.number).join()).toMatch(/^P\d{8},\d{11}$/);
    expect(customer.demographics.email.toLowerCase()).toBe('aino.virtanen@example.com');
  });

  it('without it: identity numbers and email keep their last 4 characters; date of birth and phones are null', async () => {
    const clear = (await t.graphql(READ, { n: '4000000000000001001' }, piiReader)).body.data.customer;
    const { body } = await t.graphql(READ, { n: '4000000000000001001' }, reader);
    expect(body.errors).toBeUndefined();
    const masked = body.data.customer;
    expect(masked.piiMasked).toBe(true);
    expect(masked.email).toBe('*************@xxxxxxx.com');
    expect(masked.dateOfBirth).toBeNull();
    expect(masked.phones).toEqual({ mobile: null, landline: null, additional: null, work: null });
    masked.identities.forEach((identity: any, i: number) => {
      const number = clear.identities[i].number as string;
      expect(identity.number).toBe(`${'•'.repeat(number.length - 4)}${number.slice(-4)}`);
    });
    expect(masked.demographics.dateOfBirth).toBeNull();
    expect(masked.demographics.email).toMatch(/^•+\.com$/i);
    expect(masked.demographics.mobilePhone).toMatch(/^•+\d{4}$/);
  });

  it('masking applies wherever PII appears: lists, nodes and the lookup', async () => {
    const { body } = await t.graphql(
      `{ customers(first: 50) { edges { node { email dateOfBirth identities { number } } } }
         customerLookup(input: { name: { value: "Virtanen" } }) { edges { node { customer { email } firstvision { dateOfBirth } } } } }`,
      {},
      reader,
    );
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/@example\.com/);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(text).not.toMatch(/"P\d{8}"/);
  });
});
