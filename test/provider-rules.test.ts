import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customers, outbox, providerLinks } from '../src/db/tables.js';
import { PROVIDER_NAMES, type ProviderName } from '../src/domain/enums.js';
import { createTestApp, type TestApp } from './helpers.js';
import { CREATE, fullCustomerInput } from './mutations.js';

interface RuleCase {
  rule: string;
  provider: ProviderName;
  customer?: Record<string, unknown>;
  providerOptions?: Record<string, unknown>;
  /** The caller path the error must name. */
  field: string;
  /** null: the canonical model already refuses it, before any provider rule. */
  by?: ProviderName | null;
}

const address = (overrides: Record<string, unknown>) => [{ ...fullCustomerInput().addresses[0], ...overrides }];
const long = (n: number) => 'x'.repeat(n);

/** The provider rules the issue lists, each broken once through the public API. */
const CASES: RuleCase[] = [
  // ENFUCE
  { rule: 'phones need the leading + (canonical E.164 already requires it)', provider: 'ENFUCE', customer: { phones: { mobile: '0401234567' } }, field: 'input.customer.phones.mobile', by: null },
  { rule: 'locale must be in the seed list', provider: 'ENFUCE', customer: { locale: 'de_LU' }, field: 'input.customer.locale' },
  { rule: 'customerNumber at most 32 alphanumeric (canonical shares the rule)', provider: 'ENFUCE', customer: { customerNumber: long(33) }, field: 'input.customer.customerNumber', by: null },
  { rule: 'dateOfBirth required when BIN-sponsored', provider: 'ENFUCE', customer: { dateOfBirth: null }, providerOptions: { enfuce: { binSponsored: true } }, field: 'input.customer.dateOfBirth' },
  { rule: 'regNo needs a national id, SSN or tax id', provider: 'ENFUCE', customer: { identities: [fullCustomerInput().identities[0]] }, field: 'input.customer.identities' },
  // NOAH
  { rule: 'first name at most 50', provider: 'NOAH', customer: { name: { first: long(51), last: 'Virtanen' } }, field: 'input.customer.name.first' },
  { rule: 'last name at most 50', provider: 'NOAH', customer: { name: { first: 'Aino', last: long(51) } }, field: 'input.customer.name.last' },
  { rule: 'DateOfBirth is required', provider: 'NOAH', customer: { dateOfBirth: null }, field: 'input.customer.dateOfBirth' },
  { rule: 'US state must be an ISO 3166-2 subdivision', provider: 'NOAH', customer: { addresses: address({ country: 'US', region: 'Atlantis', postalCode: '78701' }) }, field: 'input.customer.addresses.0.region' },
  { rule: 'CA province must be an ISO 3166-2 subdivision', provider: 'NOAH', customer: { addresses: address({ country: 'CA', region: 'ZZ', postalCode: 'K1A 0B1' }) }, field: 'input.customer.addresses.0.region' },
  { rule: 'an identity is required', provider: 'NOAH', customer: { identities: [] }, field: 'input.customer.identities' },
  // CARDLYTICS
  { rule: 'networkIdentifier needs a known card network', provider: 'CARDLYTICS', customer: { accounts: [{ ...fullCustomerInput().accounts[0], cards: [{ last4: '1234', iin: '999999', type: 'CREDIT', network: 'OTHER', openedOn: '2024-01-15' }] }] }, field: 'input.customer.accounts.0.cards.0.network' },
  { rule: 'last4 is exactly 4 digits (canonical shares the rule)', provider: 'CARDLYTICS', customer: { accounts: [{ ...fullCustomerInput().accounts[0], cards: [{ last4: '123', iin: '453201', type: 'CREDIT', network: 'VISA' }] }] }, field: 'input.customer.accounts.0.cards.0.last4', by: null },
  { rule: 'card status enum: a BLOCKED card has no Cardlytics status', provider: 'CARDLYTICS', customer: { accounts: [{ ...fullCustomerInput().accounts[0], cards: [{ last4: '1234', iin: '453201', type: 'CREDIT', network: 'VISA', status: 'BLOCKED', openedOn: '2024-01-15' }] }] }, field: 'input.customer.accounts.0.cards.0.status' },
  { rule: 'account type enum: OTHER has no Cardlytics type', provider: 'CARDLYTICS', customer: { accounts: [{ ...fullCustomerInput().accounts[0], type: 'OTHER' }] }, field: 'input.customer.accounts.0.type' },
  { rule: 'card type enum: OTHER has no Cardlytics cardType', provider: 'CARDLYTICS', customer: { accounts: [{ ...fullCustomerInput().accounts[0], cards: [{ last4: '1234', iin: '453201', type: 'OTHER', network: 'VISA', openedOn: '2024-01-15' }] }] }, field: 'input.customer.accounts.0.cards.0.type' },
  { rule: 'accountOpenDate is required', provider: 'CARDLYTICS', customer: { accounts: [{ ...fullCustomerInput().accounts[0], openedOn: null }] }, field: 'input.customer.accounts.0.openedOn' },
  { rule: 'postal code is required', provider: 'CARDLYTICS', customer: { addresses: address({ postalCode: null }) }, field: 'input.customer.addresses.0.postalCode' },
  // FLOLIVE
  { rule: 'currency is mandatory', provider: 'FLOLIVE', customer: { currency: null }, field: 'input.customer.currency' },
  { rule: 'a contact identity is mandatory', provider: 'FLOLIVE', customer: { identities: [{ type: 'ADDRESS_PROOF', number: 'AP1', issuingCountry: 'FI' }] }, field: 'input.customer.identities' },
  { rule: 'mobile or landline is mandatory', provider: 'FLOLIVE', customer: { phones: { work: '+358401234567' } }, field: 'input.customer.phones' },
  { rule: 'street and building number unless a PO box', provider: 'FLOLIVE', customer: { addresses: address({ buildingNumber: null }) }, field: 'input.customer.addresses.0.buildingNumber' },
  { rule: 'invoiceText at most 60 bytes (multi-byte characters count double)', provider: 'FLOLIVE', providerOptions: { flolive: { invoiceConfiguration: { invoiceText: 'ä'.repeat(31) } } }, field: 'input.providerOptions.flolive.invoiceConfiguration.invoiceText' },
  { rule: 'paymentDueUnits with paymentDueAfterInvoiceIssued', provider: 'FLOLIVE', providerOptions: { flolive: { invoiceConfiguration: { paymentDueAfterInvoiceIssued: 30 } } }, field: 'input.providerOptions.flolive.invoiceConfiguration.paymentDueUnits' },
  // FIRSTVISION
  { rule: 'organization number 001–998', provider: 'FIRSTVISION', providerOptions: { firstvision: { organizationNumber: 999 } }, field: 'input.providerOptions.firstvision.organizationNumber' },
  { rule: 'postal code is required', provider: 'FIRSTVISION', customer: { addresses: address({ postalCode: null }) }, field: 'input.customer.addresses.0.postalCode' },
  { rule: 'postal code at most 10', provider: 'FIRSTVISION', customer: { addresses: address({ postalCode: '12345678901' }) }, field: 'input.customer.addresses.0.postalCode' },
  { rule: 'first name at most 40', provider: 'FIRSTVISION', customer: { name: { first: long(41), last: 'Virtanen' } }, field: 'input.customer.name.first' },
  { rule: 'city at most 30', provider: 'FIRSTVISION', customer: { addresses: address({ city: long(31) }) }, field: 'input.customer.addresses.0.city' },
  { rule: 'only one contact-preference flag may be 2', provider: 'FIRSTVISION', providerOptions: { firstvision: { contactPreferences: { mobilePhone: 'PREFERRED', email: 'PREFERRED' } } }, field: 'input.providerOptions.firstvision.contactPreferences' },
  { rule: 'customer number must be 19 digits', provider: 'FIRSTVISION', customer: { customerNumber: 'ABC123' }, field: 'input.customer.customerNumber' },
];

describe('provider rules through customerCreate', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it.each(CASES)('$provider: $rule', async ({ provider, customer, providerOptions, field, by }) => {
    const { body } = await t.graphql(CREATE, {
      input: { customer: fullCustomerInput(customer), providers: [provider], ...(providerOptions ? { providerOptions } : {}) },
    });
    expect(body.errors).toBeUndefined();
    const payload = body.data.customerCreate;
    expect(payload.customer).toBeNull();
    const match = payload.userErrors.find((error: any) => error.field.join('.').startsWith(field));
    expect(match, JSON.stringify(payload.userErrors)).toBeDefined();
    expect(match.provider).toBe(by === undefined ? provider : by);
    expect(match.message.length).toBeGreaterThan(5);

    // rejected: nothing written, nothing sent
    expect(await t.database.db.select().from(customers)).toEqual([]);
    expect(await t.database.db.select().from(providerLinks)).toEqual([]);
    expect(await t.database.db.select().from(outbox)).toEqual([]);
    for (const name of PROVIDER_NAMES) expect(t.sandboxState(name).requests.total, name).toBe(0);
  });

  it('ENFUCE: nationalities go out as ISO alpha-3, never the refused ROM (Romania) or QZZ (Kosovo; i18n-iso-countries gives XKK)', async () => {
    const { body } = await t.graphql(CREATE, {
      input: { customer: fullCustomerInput({ nationalities: ['RO', 'XK', 'FI'] }), providers: ['ENFUCE'] },
    });
    expect(body.data.customerCreate.userErrors).toEqual([]);
    const [stored] = t.sandboxState('ENFUCE').records['customers'] as { customer: { nationality: string[] } }[];
    expect(stored!.customer.nationality).toEqual(['ROU', 'XKK', 'FIN']);
  });

  it('reports the problems of every provider at once', async () => {
    const { body } = await t.graphql(CREATE, {
      input: {
        customer: fullCustomerInput({ name: { first: long(51), last: 'Virtanen' }, currency: null }),
        providerOptions: { firstvision: { organizationNumber: 999 } },
      },
    });
    const providers = new Set(body.data.customerCreate.userErrors.map((error: any) => error.provider));
    expect([...providers].sort()).toEqual(['FIRSTVISION', 'FLOLIVE', 'NOAH']);
  });
});
