import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProviderHttp, type FetchLike } from '../../src/providers/http.js';
import { floliveProvider, type FloliveCreateCall, type FloliveOptions, type FloliveSettings } from '../../src/providers/flolive/index.js';
import { inProcessSandboxFetch, sandboxBaseUrl } from '../../src/providers/sandbox-mount.js';
import type { CustomerRouting, Mapped, Sandbox } from '../../src/providers/types.js';
import { adapterWithSandbox, canonical, FULL_PRIVATE_CUSTOMER, routingFor, TEST_ORIGIN } from './harness.js';

const OPTIONS_PATH = ['providerOptions', 'flolive'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REQUESTER = '0b6f3c1e-7a52-4d8e-9f10-3c2d4e5f6a7b';
const SETTINGS: FloliveSettings = { token: 'test-token-0123456789abcdef0123456789abcdef', requesterCustomerId: REQUESTER };
const FIXED_NOW = () => new Date('2026-11-21T10:00:00Z');
const signal = () => ({ signal: new AbortController().signal });

function options(given: Record<string, unknown> = {}): FloliveOptions {
  return floliveProvider.optionsSchema.parse(given);
}

function map(customer: Record<string, unknown>, given: Record<string, unknown> = {}, overrides: Partial<CustomerRouting<FloliveOptions>> = {}) {
  const adapter = floliveProvider.createAdapter({ baseUrl: 'http://unused', http: unusedHttp, settings: SETTINGS });
  return adapter.mapCreate(routingFor(canonical(customer), options(given), overrides)) as Mapped<FloliveCreateCall>;
}

const unusedHttp = createProviderHttp({
  provider: 'FLOLIVE',
  fetch: () => Promise.reject(new Error('mapping does no I/O')),
});

function mapped(result: Mapped<FloliveCreateCall>): { request: FloliveCreateCall; omitted: string[] } {
  if (!result.ok) throw new Error(`expected a request, got ${JSON.stringify(result.errors)}`);
  return result;
}

function errorsOf(result: Mapped<FloliveCreateCall>) {
  if (result.ok) throw new Error('expected errors, got a request');
  return result.errors.map(({ field, code, provider }) => ({ field, code, provider }));
}

/** A direct call to the simulator, as floLIVE would receive it. */
function send(
  sandbox: Sandbox,
  path: string,
  init: { method?: string; token?: string | null; body?: unknown } = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const token = init.token === undefined ? SETTINGS.token : init.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const request = new Request(`${TEST_ORIGIN}/sandbox/flolive${path}`, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    ...(body === undefined ? {} : { body }),
  });
  return sandbox.handle(request, path);
}

const CREATE_PATH = `/api/v2/customer/${REQUESTER}`;

/** seeds/003 "Request Body", verbatim. */
const SEED_003_REQUEST = {
  status: 'ACTIVE',
  type: 'private',
  name: 'Liberty',
  currency: 'USD',
  allowOfferDelegation: false,
  isAllowedImeiLock: true,
  vatRegistrationNumber: 'sa102786534',
  logo: '/images/flolive/flologo.png',
  mfaConfiguration: 'DISABLED',
  contact: {
    contact: {
      emailAddress: 'shaul.cohen@flolive.net',
      type: 'OWNER',
      role: 'NONE',
      salutation: 'MR',
      firstName: 'Shaul',
      middleName: '',
      lastName: 'Cohen',
      identity: [
        { idType: 'passport', idNumber: '123456789' },
        { idType: 'nationalId', idNumber: '987654321' },
      ],
      gender: 'MALE',
      birthdate: '28122000',
      landlinePhoneNumber: '',
      mobilePhoneNumber: '972542265160',
      additionalPhoneNumber: '',
      picture: '',
      remarks: '',
      isPrimary: true,
    },
  },
  address: [
    {
      type: 'private',
      street: 'sixth avenue',
      buildingNumber: '987',
      buildingName: 'Concord',
      buildingFloor: '1',
      zipCode: '123456',
      apartmentNumber: '14',
      entrance: '1',
      city: 'Chicago',
      province: '',
      state: 'Illinois',
      country: 'USA',
      pobox: '',
      salutation: 'MR',
      fullName: 'Jack Coban',
      title: 'DR',
      company: 'Company',
      emailAddress: 'jackcoban@company.com',
      isPrimary: true,
    },
    {
      type: 'mailing',
      street: 'fifth avenue',
      buildingNumber: '234',
      buildingName: 'Concord',
      buildingFloor: '12',
      zipCode: '123456',
      apartmentNumber: '14',
      city: 'New York',
      province: '',
      state: 'New York',
      country: 'USA',
      pobox: '',
      salutation: 'MR',
      fullName: 'John Levis',
      title: 'PROF',
      company: 'Company',
      emailAddress: 'johnlevis@company.com',
      isPrimary: false,
    },
  ],
  invoiceConfiguration: {
    deviceCost: '',
    deliveryMethod: 'EMAIL',
    paymentDueAfterInvoiceIssued: 15,
    paymentDueUnits: 'DAYS',
    vat: 8.5,
    invoiceText: 'free text',
  },
  customFields: [
    { keyName: 'custom-property1', keyValue: 'custom-value' },
    { keyName: 'custom-property2', keyValue: 'custom-value' },
  ],
};

/** The seed example as a caller of customer-graph expresses it. */
const SEED_CUSTOMER = {
  kind: 'PRIVATE',
  status: 'ACTIVE',
  businessName: 'Liberty',
  name: { salutation: 'Mr', first: 'Shaul', last: 'Cohen' },
  dateOfBirth: '2000-12-28',
  gender: 'MALE',
  currency: 'USD',
  email: 'shaul.cohen@flolive.net',
  phones: { mobile: '+972542265160' },
  identities: [
    { type: 'PASSPORT', number: '123456789', issuingCountry: 'IL' },
    { type: 'NATIONAL_ID', number: '987654321', issuingCountry: 'IL' },
  ],
  addresses: [
    {
      kind: 'RESIDENTIAL',
      line1: 'sixth avenue',
      buildingNumber: '987',
      buildingName: 'Concord',
      floor: '1',
      postalCode: '123456',
      apartment: '14',
      entrance: '1',
      city: 'Chicago',
      region: 'Illinois',
      country: 'US',
      recipientName: 'Jack Coban',
      company: 'Company',
      isPrimary: true,
    },
    {
      kind: 'MAILING',
      line1: 'fifth avenue',
      buildingNumber: '234',
      buildingName: 'Concord',
      floor: '12',
      postalCode: '123456',
      apartment: '14',
      city: 'New York',
      region: 'New York',
      country: 'US',
      recipientName: 'John Levis',
      company: 'Company',
      isPrimary: false,
    },
  ],
};

const SEED_OPTIONS = {
  contactType: 'OWNER',
  mfaConfiguration: 'DISABLED',
  isAllowedImeiLock: true,
  vatRegistrationNumber: 'sa102786534',
  invoiceConfiguration: {
    deliveryMethod: 'EMAIL',
    paymentDueAfterInvoiceIssued: 15,
    paymentDueUnits: 'DAYS',
    vat: 8.5,
    invoiceText: 'free text',
  },
};

/** Removes the fields floLIVE's example fills with "" (its way of writing "not provided"). */
function withoutEmptyStrings<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== '')) as Partial<T>;
}

/**
 * The seed request as the contract reads it. Each step is one of the seed's inconsistencies
 * (CONTRACTS.md §4) or a field customer-graph does not offer.
 */
function seedRequestAsSent() {
  const { contact, logo: _logo, customFields: _customFields, invoiceConfiguration, ...top } = structuredClone(SEED_003_REQUEST);
  // Inconsistency: the example wraps the contact in a second "contact"; the field table has one.
  const person = contact.contact;
  return {
    ...top,
    // Inconsistency: the example writes enum values in lower case ("private"); the table's enum is upper case.
    type: 'PRIVATE',
    contact: {
      ...withoutEmptyStrings(person),
      // Inconsistency: "passport" is lower case and "nationalId" is not in the enum (ID | PASSPORT | DRIVER_LICENSE).
      identity: [
        { idType: 'PASSPORT', idNumber: '123456789' },
        { idType: 'ID', idNumber: '987654321' },
      ],
    },
    address: top.address.map((address) => {
      // The address representative's salutation, title and email have no canonical source: not sent.
      const { salutation: _s, title: _t, emailAddress: _e, ...rest } = withoutEmptyStrings(address);
      return { ...rest, type: address.type.toUpperCase() };
    }),
    // deviceCost is "no longer in use" at floLIVE and is not offered; logo and customFields are future features.
    invoiceConfiguration: withoutEmptyStrings(invoiceConfiguration),
  };
}

describe('floLIVE options (providerOptions.flolive)', () => {
  it('applies floLIVE’s documented defaults when the options are absent or all null', () => {
    const defaults = {
      contactRole: 'NONE',
      contactType: 'MEMBER',
      mfaConfiguration: 'MANDATORY',
      allowOfferDelegation: false,
      isAllowedImeiLock: false,
    };
    expect(floliveProvider.optionsSchema.parse(undefined)).toMatchObject(defaults);
    expect(floliveProvider.optionsSchema.parse(null)).toMatchObject(defaults);
    const allNull = floliveProvider.optionsSchema.parse({
      status: null,
      currency: null,
      contactRole: null,
      contactType: null,
      mfaConfiguration: null,
      allowOfferDelegation: null,
      isAllowedImeiLock: null,
      vatRegistrationNumber: null,
      invoiceConfiguration: null,
    });
    expect(allNull).toEqual({ ...defaults, status: undefined, currency: undefined, vatRegistrationNumber: undefined, invoiceConfiguration: undefined });
  });

  it('refuses a misspelt option and an unknown enum value, at the option’s path', () => {
    const result = floliveProvider.optionsSchema.safeParse({ contactrole: 'NONE', mfaConfiguration: 'SOMETIMES' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual(expect.arrayContaining([[], ['mfaConfiguration']]));
  });

  it('the GraphQL input type carries every option and its output is accepted by the options schema', async () => {
    const { builder } = await import('../../src/builder.js');
    await import('../../src/schema/provider-options/flolive.js');
    const { coerceInputValue, isInputObjectType } = await import('graphql');
    builder.queryField('floliveOptionsProbe', (t) => t.boolean({ resolve: () => true }));
    const schema = builder.toSchema();
    const input = schema.getType('FloliveOptionsInput');
    if (!isInputObjectType(input)) throw new Error('FloliveOptionsInput is missing');
    expect(Object.keys(input.getFields()).sort()).toEqual(
      [
        'allowOfferDelegation',
        'contactRole',
        'contactType',
        'currency',
        'invoiceConfiguration',
        'isAllowedImeiLock',
        'mfaConfiguration',
        'status',
        'vatRegistrationNumber',
      ].sort(),
    );
    const coerced = coerceInputValue(
      { status: 'SUSPEND', contactRole: null, invoiceConfiguration: { vat: 8.5, paymentDueUnits: 'DAYS', invoiceText: null } },
      input,
    );
    expect(floliveProvider.optionsSchema.parse(coerced)).toMatchObject({
      status: 'SUSPEND',
      contactRole: 'NONE',
      invoiceConfiguration: { vat: 8.5, paymentDueUnits: 'DAYS' },
    });
  });
});

describe('floLIVE mapping: the seed 003 example', () => {
  it('produces the seed request field for field, once the seed’s inconsistencies are read as its field table says', () => {
    const { request } = mapped(map(SEED_CUSTOMER, SEED_OPTIONS));
    expect(request.body).toEqual(seedRequestAsSent());
    expect(request.parentCustomerId).toBe(REQUESTER);
  });

  it('keeps the seed’s phone form: E.164 digits without the display "+" (the seed example has none)', () => {
    const { request } = mapped(map(SEED_CUSTOMER, SEED_OPTIONS));
    expect(request.body.contact?.mobilePhoneNumber).toBe(SEED_003_REQUEST.contact.contact.mobilePhoneNumber);
  });

  it('sends the country as ISO alpha-3, which is what the seed’s "USA" is', () => {
    const { request } = mapped(map(SEED_CUSTOMER, SEED_OPTIONS));
    expect(request.body.address?.map((address) => address.country)).toEqual(['USA', 'USA']);
  });

  it('is accepted by the simulator as floLIVE’s own example is, quirks included', async () => {
    const { sandbox } = await adapterWithSandbox(floliveProvider, { settings: SETTINGS });
    const verbatim = await send(sandbox, CREATE_PATH, { body: SEED_003_REQUEST });
    expect(verbatim.status).toBe(200);
    const ack = await verbatim.json();
    expect(ack).toMatchObject({ errorCode: '', errorMessage: '', pageable: { page: 0, totalPages: 1, totalElements: 1 } });
    expect(ack.content[0].id).toMatch(UUID);
    expect(ack.content[0].customerid).toBe(ack.content[0].id);
    expect(ack.content[0].requestId).toMatch(UUID);
    sandbox.close();
  });

  it('names what the seed customer carries that floLIVE cannot hold', () => {
    const { omitted } = mapped(map(SEED_CUSTOMER, SEED_OPTIONS));
    expect(omitted).toEqual([
      'identities: issuing country and issue/expiry dates are not sent; a floLIVE identity is only idType and idNumber.',
      'customerNumber 4000123412341234567: floLIVE assigns its own customer id and has no field for ours.',
    ]);
  });
});

describe('floLIVE mapping: canonical → request', () => {
  it('maps a full private customer, with the customer as its own primary contact', () => {
    const { request, omitted } = mapped(map(FULL_PRIVATE_CUSTOMER));
    expect(request.body).toEqual({
      status: 'ACTIVE',
      type: 'PRIVATE',
      name: 'Aino Virtanen',
      currency: 'EUR',
      allowOfferDelegation: false,
      isAllowedImeiLock: false,
      mfaConfiguration: 'MANDATORY',
      contact: {
        emailAddress: 'aino.virtanen@example.com',
        type: 'MEMBER',
        role: 'NONE',
        salutation: 'MS',
        firstName: 'Aino',
        lastName: 'Virtanen',
        identity: [
          { idType: 'PASSPORT', idNumber: 'P1234567' },
          { idType: 'ID', idNumber: '120485-123A' },
        ],
        gender: 'FEMALE',
        birthdate: '12041985',
        mobilePhoneNumber: '358401234567',
        landlinePhoneNumber: '35891234567',
        isPrimary: true,
      },
      address: [
        {
          type: 'PRIVATE',
          street: 'Mannerheimintie',
          buildingNumber: '12',
          zipCode: '00100',
          apartmentNumber: '4',
          city: 'Helsinki',
          state: 'Uusimaa',
          country: 'FIN',
          fullName: 'Aino Virtanen',
          isPrimary: true,
        },
      ],
    });
    expect(omitted).toEqual(
      expect.arrayContaining([
        'locale: floLIVE has no such field; not sent.',
        'nationalities: floLIVE has no such field; not sent.',
        'screening: floLIVE has no such field; not sent.',
        'accounts (and their cards): floLIVE has no such field; not sent.',
      ]),
    );
  });

  it('maps SSN, TAX_ID and NATIONAL_ID to ID and DRIVING_LICENSE to DRIVER_LICENSE, and names the identities it cannot send', () => {
    const { request, omitted } = mapped(
      map({
        ...FULL_PRIVATE_CUSTOMER,
        identities: [
          { type: 'SSN', number: '078-05-1120', issuingCountry: 'US' },
          { type: 'RESIDENCE_PERMIT', number: 'RP-1', issuingCountry: 'FI' },
          { type: 'TAX_ID', number: 'T-9', issuingCountry: 'FI' },
          { type: 'DRIVING_LICENSE', number: 'DL-7', issuingCountry: 'FI' },
          { type: 'ADDRESS_PROOF', number: 'AP-2', issuingCountry: 'FI' },
        ],
      }),
    );
    expect(request.body.contact?.identity).toEqual([
      { idType: 'ID', idNumber: '078-05-1120' },
      { idType: 'ID', idNumber: 'T-9' },
      { idType: 'DRIVER_LICENSE', idNumber: 'DL-7' },
    ]);
    expect(omitted).toEqual(
      expect.arrayContaining([
        'identities[1] (RESIDENCE_PERMIT): floLIVE identity types are ID, PASSPORT and DRIVER_LICENSE; not sent.',
        'identities[4] (ADDRESS_PROOF): floLIVE identity types are ID, PASSPORT and DRIVER_LICENSE; not sent.',
      ]),
    );
  });

  it('derives the status from the customer (SUSPENDED → SUSPEND) unless the option sets it', () => {
    expect(mapped(map({ ...FULL_PRIVATE_CUSTOMER, status: 'SUSPENDED' })).request.body.status).toBe('SUSPEND');
    expect(mapped(map({ ...FULL_PRIVATE_CUSTOMER, status: 'ACTIVE' }, { status: 'SUSPEND' })).request.body.status).toBe('SUSPEND');
  });

  it('takes the currency from the option before the customer’s', () => {
    expect(mapped(map(FULL_PRIVATE_CUSTOMER, { currency: 'USD' })).request.body.currency).toBe('USD');
  });

  it('names a business by its business name, also as each address’s representative', () => {
    const { request } = mapped(
      map({ ...FULL_PRIVATE_CUSTOMER, kind: 'BUSINESS', businessName: 'Kone Oyj', name: undefined }),
    );
    expect(request.body).toMatchObject({ type: 'BUSINESS', name: 'Kone Oyj' });
    expect(request.body.address?.[0]?.fullName).toBe('Kone Oyj');
  });

  it('sends temporary and prior addresses nowhere and says so; a business address is floLIVE’s PRIVATE one', () => {
    const base = FULL_PRIVATE_CUSTOMER.addresses[0];
    const { request, omitted } = mapped(
      map({
        ...FULL_PRIVATE_CUSTOMER,
        addresses: [
          { ...base, kind: 'PRIOR', isPrimary: false },
          { ...base, kind: 'BUSINESS', line2: 'c/o Reception', county: 'Helsinki sub-region', isPrimary: true },
          { ...base, kind: 'TEMPORARY', isPrimary: false },
        ],
      }),
    );
    expect(request.body.address?.map((address) => address.type)).toEqual(['PRIVATE']);
    expect(omitted).toEqual(
      expect.arrayContaining([
        'addresses[0] (PRIOR): floLIVE address types are PRIVATE, SHIPPING and MAILING; not sent.',
        'addresses[2] (TEMPORARY): floLIVE address types are PRIVATE, SHIPPING and MAILING; not sent.',
        "addresses[1].line2: floLIVE's address has no such field; not sent.",
        "addresses[1].county: floLIVE's address has no such field; not sent.",
      ]),
    );
  });

  it('leaves out what has no floLIVE value, and says so: UNSPECIFIED gender, a salutation other than Mr/Ms, the work phone', () => {
    const { request, omitted } = mapped(
      map({
        ...FULL_PRIVATE_CUSTOMER,
        gender: 'UNSPECIFIED',
        name: { salutation: 'Dr', title: 'Prof', first: 'Aino', last: 'Virtanen' },
        phones: { mobile: '+358401234567', work: '+35891234568' },
      }),
    );
    expect(request.body.contact).not.toHaveProperty('gender');
    expect(request.body.contact).not.toHaveProperty('salutation');
    expect(omitted).toEqual(
      expect.arrayContaining([
        "gender UNSPECIFIED: floLIVE's contact gender is MALE or FEMALE; not sent.",
        'name.salutation "Dr": floLIVE\'s contact salutation is MR or MS; not sent.',
        'name.title: floLIVE has no such field; not sent.',
        'phones.work: floLIVE has no such field; not sent.',
      ]),
    );
  });

  it('writes the birthdate as floLIVE’s DDMMYYYY', () => {
    expect(mapped(map({ ...FULL_PRIVATE_CUSTOMER, dateOfBirth: '2000-02-29' })).request.body.contact?.birthdate).toBe('29022000');
  });

  describe('hierarchy: floLIVE creates only direct sub-customers of the requester', () => {
    it('goes under the parent when the parent is the requester, with nothing left out', () => {
      const parent = { customerId: 'p-1', customerNumber: '4000000000000000009', externalId: REQUESTER };
      const { request, omitted } = mapped(map(FULL_PRIVATE_CUSTOMER, {}, { parent }));
      expect(request.parentCustomerId).toBe(REQUESTER);
      expect(omitted.some((note) => note.startsWith('parentId'))).toBe(false);
    });

    it('goes under the requester when the parent is another floLIVE customer, and says the relation is lost', () => {
      const parent = { customerId: 'p-2', customerNumber: '4000000000000000010', externalId: 'f00d0000-0000-4000-8000-000000000001' };
      const { request, omitted } = mapped(map(FULL_PRIVATE_CUSTOMER, {}, { parent }));
      expect(request.parentCustomerId).toBe(REQUESTER);
      expect(omitted).toContain(
        `parentId: floLIVE lets our account (${REQUESTER}) create only its own direct sub-customers, and parent ` +
          '4000000000000000010 is floLIVE customer f00d0000-0000-4000-8000-000000000001; the customer is created under our ' +
          'account and the parent relation is not represented.',
      );
    });

    it('goes under the requester when the parent is not at floLIVE, and says so', () => {
      const parent = { customerId: 'p-3', customerNumber: '4000000000000000011', externalId: null };
      const { omitted } = mapped(map(FULL_PRIVATE_CUSTOMER, {}, { parent }));
      expect(omitted.find((note) => note.startsWith('parentId'))).toContain('parent 4000000000000000011 is not at floLIVE');
    });
  });
});

describe('floLIVE rules, reported at the caller’s path', () => {
  it('currency is mandatory: none on the customer nor in the options', () => {
    expect(errorsOf(map({ ...FULL_PRIVATE_CUSTOMER, currency: undefined }))).toEqual([
      { field: ['customer', 'currency'], code: 'REQUIRED', provider: 'FLOLIVE' },
    ]);
  });

  it('an identity is mandatory: none given', () => {
    expect(errorsOf(map({ ...FULL_PRIVATE_CUSTOMER, identities: [] }))).toEqual([
      { field: ['customer', 'identities'], code: 'REQUIRED', provider: 'FLOLIVE' },
    ]);
  });

  it('an identity is mandatory: only ones floLIVE cannot represent', () => {
    const result = map({ ...FULL_PRIVATE_CUSTOMER, identities: [{ type: 'RESIDENCE_PERMIT', number: 'RP-1', issuingCountry: 'FI' }] });
    expect(errorsOf(result)).toEqual([{ field: ['customer', 'identities'], code: 'REQUIRED', provider: 'FLOLIVE' }]);
    expect(result.ok ? '' : result.errors[0]?.message).toContain('ID, PASSPORT or DRIVER_LICENSE');
  });

  it('a mobile or a landline number is mandatory', () => {
    expect(errorsOf(map({ ...FULL_PRIVATE_CUSTOMER, phones: { additional: '+358401234567' } }))).toEqual([
      { field: ['customer', 'phones', 'mobile'], code: 'REQUIRED', provider: 'FLOLIVE' },
    ]);
    const landlineOnly = mapped(map({ ...FULL_PRIVATE_CUSTOMER, phones: { landline: '+35891234567' } }));
    expect(landlineOnly.request.body.contact).toMatchObject({ landlinePhoneNumber: '35891234567' });
    expect(landlineOnly.request.body.contact).not.toHaveProperty('mobilePhoneNumber');
  });

  it('street and building number are mandatory unless a PO box is given', () => {
    const { buildingNumber: _b, ...withoutNumber } = FULL_PRIVATE_CUSTOMER.addresses[0];
    expect(errorsOf(map({ ...FULL_PRIVATE_CUSTOMER, addresses: [withoutNumber] }))).toEqual([
      { field: ['customer', 'addresses', 0, 'buildingNumber'], code: 'REQUIRED', provider: 'FLOLIVE' },
    ]);
    const poBox = mapped(map({ ...FULL_PRIVATE_CUSTOMER, addresses: [{ ...withoutNumber, poBox: 'PL 123' }] }));
    expect(poBox.request.body.address?.[0]).toMatchObject({ pobox: 'PL 123' });
    expect(poBox.request.body.address?.[0]).not.toHaveProperty('buildingNumber');
  });

  it('a postal code is mandatory on every address sent', () => {
    const { postalCode: _p, ...withoutPostalCode } = FULL_PRIVATE_CUSTOMER.addresses[0];
    expect(errorsOf(map({ ...FULL_PRIVATE_CUSTOMER, addresses: [withoutPostalCode] }))).toEqual([
      { field: ['customer', 'addresses', 0, 'postalCode'], code: 'REQUIRED', provider: 'FLOLIVE' },
    ]);
  });

  it('invoiceText is at most 60 bytes in UTF-8, not 60 characters', () => {
    const invoiceText = (text: string) => ({ invoiceConfiguration: { invoiceText: text } });
    expect(map(FULL_PRIVATE_CUSTOMER, invoiceText('€'.repeat(20))).ok).toBe(true); // 20 characters, 60 bytes
    expect(map(FULL_PRIVATE_CUSTOMER, invoiceText('a'.repeat(60))).ok).toBe(true);
    // 21 characters, far under 60, but 63 bytes
    expect(errorsOf(map(FULL_PRIVATE_CUSTOMER, invoiceText('€'.repeat(21))))).toEqual([
      { field: [...OPTIONS_PATH, 'invoiceConfiguration', 'invoiceText'], code: 'TOO_LONG', provider: 'FLOLIVE' },
    ]);
  });

  it('paymentDueUnits is mandatory with paymentDueAfterInvoiceIssued', () => {
    expect(errorsOf(map(FULL_PRIVATE_CUSTOMER, { invoiceConfiguration: { paymentDueAfterInvoiceIssued: 30 } }))).toEqual([
      { field: [...OPTIONS_PATH, 'invoiceConfiguration', 'paymentDueUnits'], code: 'REQUIRED', provider: 'FLOLIVE' },
    ]);
    const withUnits = mapped(map(FULL_PRIVATE_CUSTOMER, { invoiceConfiguration: { paymentDueAfterInvoiceIssued: 30, paymentDueUnits: 'DAYS' } }));
    expect(withUnits.request.body.invoiceConfiguration).toEqual({ paymentDueAfterInvoiceIssued: 30, paymentDueUnits: 'DAYS' });
  });

  it('vat is 0 or more', () => {
    expect(errorsOf(map(FULL_PRIVATE_CUSTOMER, { invoiceConfiguration: { vat: -1 } }))).toEqual([
      { field: [...OPTIONS_PATH, 'invoiceConfiguration', 'vat'], code: 'TOO_SHORT', provider: 'FLOLIVE' },
    ]);
  });

  it('reports every broken rule at once', () => {
    const fields = errorsOf(
      map({ ...FULL_PRIVATE_CUSTOMER, currency: undefined, identities: [], phones: undefined }, { invoiceConfiguration: { vat: -1 } }),
    ).map((error) => error.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        ['customer', 'currency'],
        ['customer', 'identities'],
        ['customer', 'phones', 'mobile'],
        [...OPTIONS_PATH, 'invoiceConfiguration', 'vat'],
      ]),
    );
  });
});

describe('floLIVE contract rules the canonical model cannot break (checked at the simulator)', () => {
  async function rejection(change: (body: Record<string, any>) => void) {
    const { sandbox } = await adapterWithSandbox(floliveProvider, { settings: SETTINGS });
    const body = structuredClone(mapped(map(FULL_PRIVATE_CUSTOMER)).request.body) as Record<string, any>;
    change(body);
    const response = await send(sandbox, CREATE_PATH, { body });
    const envelope = await response.json();
    sandbox.close();
    return { status: response.status, envelope };
  }

  it('status is mandatory', async () => {
    const { status, envelope } = await rejection((body) => delete body.status);
    expect(status).toBe(400);
    expect(envelope).toEqual({ errorCode: 'GLOBAL_INVALID_REQUEST', errorMessage: expect.stringContaining('status'), content: '', pageable: '' });
  });

  it('the contact role is mandatory', async () => {
    const { status, envelope } = await rejection((body) => delete body.contact.role);
    expect(status).toBe(400);
    expect(envelope.errorMessage).toContain('contact.role');
  });

  it('the birthdate is DDMMYYYY and a real day', async () => {
    const iso = await rejection((body) => (body.contact.birthdate = '1985-04-12'));
    expect(iso.status).toBe(400);
    expect(iso.envelope.errorMessage).toContain('contact.birthdate: must be a date as DDMMYYYY');
    const impossible = await rejection((body) => (body.contact.birthdate = '31022000'));
    expect(impossible.status).toBe(400);
  });

  it('invoiceText over 60 bytes, identity-less contact and a missing phone are refused with the same rules as the mapper', async () => {
    const { status, envelope } = await rejection((body) => {
      body.invoiceConfiguration = { invoiceText: 'ü'.repeat(31) };
      body.contact.identity = [];
      delete body.contact.mobilePhoneNumber;
      delete body.contact.landlinePhoneNumber;
    });
    expect(status).toBe(400);
    expect(envelope.errorMessage).toContain('invoiceConfiguration.invoiceText');
    expect(envelope.errorMessage).toContain('contact.identity');
    expect(envelope.errorMessage).toContain('contact.mobilePhoneNumber');
  });

  it('an idType outside ID | PASSPORT | DRIVER_LICENSE', async () => {
    const { status, envelope } = await rejection((body) => (body.contact.identity = [{ idType: 'VISA', idNumber: '1' }]));
    expect(status).toBe(400);
    expect(envelope.errorMessage).toContain('contact.identity.0.idType');
  });

  it('a body that is not JSON', async () => {
    const { sandbox } = await adapterWithSandbox(floliveProvider, { settings: SETTINGS });
    const response = await send(sandbox, CREATE_PATH, { body: '{not json' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errorCode: 'GLOBAL_INVALID_REQUEST', errorMessage: 'the body is not JSON' });
    sandbox.close();
  });
});

describe('floLIVE adapter against its simulator', () => {
  it('create is accepted asynchronously: IN_PROGRESS with the request id and the new customer’s id', async () => {
    const { adapter, sandbox, calls } = await adapterWithSandbox(floliveProvider, { settings: SETTINGS, now: FIXED_NOW });
    const { request } = mapped(adapter.mapCreate(routingFor(canonical(FULL_PRIVATE_CUSTOMER), options())) as Mapped<FloliveCreateCall>);
    const [outcome] = await adapter.create([request], signal());
    expect(outcome).toMatchObject({ status: 'IN_PROGRESS', error: null });
    expect(outcome?.requestId).toMatch(UUID);
    expect(outcome?.externalId).toMatch(UUID);

    const state = sandbox.state();
    expect(state.records.customers).toEqual([
      expect.objectContaining({ id: outcome?.externalId, parentId: REQUESTER, requestId: outcome?.requestId, body: request.body }),
    ]);
    expect(state.records.requests).toEqual([expect.objectContaining({ requestId: outcome?.requestId, status: 'OPEN' })]);
    expect(state.requests.byRoute).toEqual({ 'POST /api/v2/customer/:id': 1 });
    expect(calls).toEqual([expect.objectContaining({ provider: 'FLOLIVE', operation: 'customer.create', outcome: 'ok' })]);
    sandbox.close();
  });

  it('the request settles on its first status call: SUCCESS → SYNCED', async () => {
    const { adapter, sandbox } = await adapterWithSandbox(floliveProvider, { settings: SETTINGS });
    const { request } = mapped(map(FULL_PRIVATE_CUSTOMER));
    const [created] = await adapter.create([request], signal());
    expect(await floliveProvider.createAdapter(adapterDeps(sandbox)).requestStatus(created!.requestId!, signal())).toEqual({
      status: 'SYNCED',
      externalId: null,
      error: null,
    });
    expect(sandbox.state().records.requests).toEqual([expect.objectContaining({ status: 'SUCCESS' })]);
    sandbox.close();
  });

  it('a second sub-customer with a sibling’s name fails asynchronously: FAILURE → FAILED, not retryable', async () => {
    const { adapter, sandbox } = await adapterWithSandbox(floliveProvider, { settings: SETTINGS });
    const { request } = mapped(map(FULL_PRIVATE_CUSTOMER));
    const [first, second] = [
      ...(await adapter.create([request], signal())),
      ...(await adapter.create([request], signal())),
    ];
    expect(second?.status).toBe('IN_PROGRESS');
    const client = floliveProvider.createAdapter(adapterDeps(sandbox));
    expect((await client.requestStatus(first!.requestId!, signal())).status).toBe('SYNCED');
    const failed = await client.requestStatus(second!.requestId!, signal());
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'FAILURE', retryable: false });
    sandbox.close();
  });

  it('a request id floLIVE does not know for our account (GLOBAL_1003) means the create never took effect', async () => {
    const { sandbox } = await adapterWithSandbox(floliveProvider, { settings: SETTINGS });
    const result = await floliveProvider.createAdapter(adapterDeps(sandbox)).requestStatus('7d3f1d0e-0000-4000-8000-00000000beef', signal());
    expect(result.status).toBe('FAILED');
    expect(result.error).toMatchObject({ code: 'PROVIDER_REJECTED', status: 404, providerCode: 'GLOBAL_1003' });
    sandbox.close();
  });

  it('has no update in scope', () => {
    const adapter = floliveProvider.createAdapter({ baseUrl: 'http://unused', http: unusedHttp, settings: SETTINGS });
    expect(adapter.mapUpdate).toBeNull();
    expect(adapter.update).toBeNull();
    expect(adapter.maxBatchSize).toBe(1);
  });

  it('refuses a stored request that is not a floLIVE create without calling floLIVE', async () => {
    const { adapter, sandbox, calls } = await adapterWithSandbox(floliveProvider, { settings: SETTINGS });
    const [outcome] = await adapter.create([{ parentCustomerId: REQUESTER, body: { status: 'ACTIVE' } } as never], signal());
    expect(outcome).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_REJECTED', retryable: false } });
    expect(calls).toEqual([]);
    sandbox.close();
  });
});

describe('floLIVE simulator routes', () => {
  it('answers an unknown route with 404 and a wrong method with 405, in floLIVE’s envelope', async () => {
    const { sandbox } = await adapterWithSandbox(floliveProvider, { settings: SETTINGS });
    const unknown = await send(sandbox, '/api/v2/customers');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ errorCode: 'GLOBAL_NOT_FOUND', errorMessage: expect.any(String), content: '', pageable: '' });
    const wrongMethod = await send(sandbox, CREATE_PATH, { method: 'GET' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(await wrongMethod.json()).toMatchObject({ errorCode: 'GLOBAL_METHOD_NOT_ALLOWED', content: '', pageable: '' });
    expect(sandbox.state().requests.byRoute).toEqual({ 'GET (unknown route)': 1, 'GET /api/v2/customer/:id': 1 });
    sandbox.close();
  });

  it('lets the requester create only its own sub-customers', async () => {
    const { sandbox } = await adapterWithSandbox(floliveProvider, { settings: SETTINGS });
    const body = mapped(map(FULL_PRIVATE_CUSTOMER)).request.body;
    const response = await send(sandbox, '/api/v2/customer/f00d0000-0000-4000-8000-000000000001', { body });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ errorCode: 'AUTH_NOT_ELIGIBLE', content: '', pageable: '' });
    expect(sandbox.state().records.customers).toBeUndefined();
    sandbox.close();
  });
});

function adapterDeps(sandbox: Sandbox, settings: FloliveSettings = SETTINGS, fetch?: FetchLike) {
  return {
    baseUrl: sandboxBaseUrl(TEST_ORIGIN, 'FLOLIVE'),
    http: createProviderHttp({ provider: 'FLOLIVE', fetch: fetch ?? inProcessSandboxFetch([sandbox]) }),
    settings,
  };
}

describe('floLIVE auth', () => {
  it('the simulator refuses a missing or wrong bearer token with 401 and an AUTH_ code', async () => {
    const { sandbox } = await adapterWithSandbox(floliveProvider, { settings: SETTINGS });
    const body = mapped(map(FULL_PRIVATE_CUSTOMER)).request.body;
    for (const token of [null, 'wrong-token']) {
      const response = await send(sandbox, CREATE_PATH, { body, token });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ errorCode: 'AUTH_UNAUTHORIZED', errorMessage: expect.any(String), content: '', pageable: '' });
    }
    expect(sandbox.state().records.customers).toBeUndefined();
    sandbox.close();
  });

  it('the adapter reports a refused token as PROVIDER_AUTH_FAILED, on create and on the status call', async () => {
    const { sandbox } = await adapterWithSandbox(floliveProvider, { settings: SETTINGS });
    const adapter = floliveProvider.createAdapter(adapterDeps(sandbox, { ...SETTINGS, token: 'stale-token' }));
    const [outcome] = await adapter.create([mapped(map(FULL_PRIVATE_CUSTOMER)).request], signal());
    expect(outcome).toMatchObject({
      status: 'FAILED',
      error: { code: 'PROVIDER_AUTH_FAILED', status: 401, providerCode: 'AUTH_UNAUTHORIZED', retryable: false },
    });
    const status = await adapter.requestStatus('7d3f1d0e-0000-4000-8000-00000000beef', signal());
    // The status call failing says nothing about the request itself.
    expect(status).toMatchObject({ status: 'IN_PROGRESS', error: { code: 'PROVIDER_AUTH_FAILED' } });
    sandbox.close();
  });

  it('a requester id that is not the token’s account is refused as an auth failure', async () => {
    const { sandbox } = await adapterWithSandbox(floliveProvider, { settings: SETTINGS });
    const other = { ...SETTINGS, requesterCustomerId: 'f00d0000-0000-4000-8000-000000000001' };
    const adapter = floliveProvider.createAdapter(adapterDeps(sandbox, other));
    const mappedForOther = adapter.mapCreate(routingFor(canonical(FULL_PRIVATE_CUSTOMER), options())) as Mapped<FloliveCreateCall>;
    const [outcome] = await adapter.create([mapped(mappedForOther).request], signal());
    expect(outcome).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_AUTH_FAILED', status: 403, providerCode: 'AUTH_NOT_ELIGIBLE' } });
    sandbox.close();
  });
});

describe('floLIVE faults', () => {
  it('an injected failure is floLIVE’s GLOBAL_1001 NAK: FAILED, PROVIDER_UNAVAILABLE, retryable', async () => {
    const { adapter, sandbox } = await adapterWithSandbox(floliveProvider, { settings: SETTINGS, faults: { failureRate: 1, seed: 1 } });
    const [outcome] = await adapter.create([mapped(map(FULL_PRIVATE_CUSTOMER)).request], signal());
    expect(outcome).toMatchObject({
      status: 'FAILED',
      externalId: null,
      requestId: null,
      error: { code: 'PROVIDER_UNAVAILABLE', status: 503, providerCode: 'GLOBAL_1001', retryable: true },
    });
    expect(sandbox.state().records.customers).toBeUndefined();
    sandbox.close();
  });

  it('the same seed fails the same requests', async () => {
    async function run() {
      const { adapter, sandbox } = await adapterWithSandbox(floliveProvider, { settings: SETTINGS, faults: { failureRate: 0.5, seed: 42 } });
      const statuses: string[] = [];
      for (let i = 0; i < 12; i++) {
        const { request } = mapped(map({ ...FULL_PRIVATE_CUSTOMER, businessName: `Customer ${i}` }));
        statuses.push((await adapter.create([request], signal()))[0]!.status);
      }
      sandbox.close();
      return statuses;
    }
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first).toContain('FAILED');
    expect(first).toContain('IN_PROGRESS');
  });
});

describe('floLIVE simulator persistence', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('keeps customers and requests across close and reopen of its file, and the generated settings too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flolive-'));
    dirs.push(dir);
    const settings = await floliveProvider.sandboxSettings(dir);
    expect(await floliveProvider.sandboxSettings(dir)).toEqual(settings);
    const file = join(dir, 'sandbox-flolive.db');

    const first = floliveProvider.createSandbox({ file, settings, sleep: async () => {} });
    const adapter = floliveProvider.createAdapter(adapterDeps(first, settings));
    const { request } = mapped(adapter.mapCreate(routingFor(canonical(FULL_PRIVATE_CUSTOMER), options())) as Mapped<FloliveCreateCall>);
    const [created] = await adapter.create([request], signal());
    expect(created?.status).toBe('IN_PROGRESS');
    first.close();

    const reopened = floliveProvider.createSandbox({ file, settings, sleep: async () => {} });
    expect(reopened.state().records.customers).toEqual([expect.objectContaining({ id: created?.externalId })]);
    const status = await floliveProvider.createAdapter(adapterDeps(reopened, settings)).requestStatus(created!.requestId!, signal());
    expect(status.status).toBe('SYNCED');
    reopened.close();
  });
});

describe('floLIVE transport and envelope reading', () => {
  function adapterAnswering(answer: () => Response | Promise<Response>) {
    return floliveProvider.createAdapter({
      baseUrl: 'https://api.flolive.test',
      http: createProviderHttp({ provider: 'FLOLIVE', fetch: async () => answer() }),
      settings: SETTINGS,
      now: FIXED_NOW,
    });
  }
  const request = () => mapped(map(FULL_PRIVATE_CUSTOMER)).request;

  it('a transport failure is PROVIDER_UNAVAILABLE', async () => {
    const adapter = adapterAnswering(() => {
      throw new TypeError('fetch failed: ECONNREFUSED');
    });
    const [outcome] = await adapter.create([request()], signal());
    expect(outcome).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_UNAVAILABLE', retryable: true } });
  });

  it('an aborted deadline is PROVIDER_TIMEOUT', async () => {
    const controller = new AbortController();
    controller.abort();
    const adapter = floliveProvider.createAdapter({
      baseUrl: 'http://127.0.0.1:9',
      http: createProviderHttp({ provider: 'FLOLIVE', fetch: (input, init) => fetch(input, init) }),
      settings: SETTINGS,
    });
    const [outcome] = await adapter.create([request()], { signal: controller.signal });
    expect(outcome).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_TIMEOUT', retryable: true } });
  });

  it('sends the bearer token to the requester’s customer path with the JSON body', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const adapter = floliveProvider.createAdapter({
      baseUrl: 'https://api.flolive.test/',
      http: createProviderHttp({
        provider: 'FLOLIVE',
        fetch: async (url, init) => {
          seen.push({ url, init });
          return new Response('{"errorCode":"GLOBAL_1001","errorMessage":"Service unavailable. Please try again","content":"","pageable":""}', { status: 503 });
        },
      }),
      settings: SETTINGS,
    });
    const call = request();
    await adapter.create([call], signal());
    expect(seen[0]?.url).toBe(`https://api.flolive.test/api/v2/customer/${REQUESTER}`);
    expect(seen[0]?.init.method).toBe('POST');
    expect(JSON.parse(String(seen[0]?.init.body))).toEqual(call.body);
    expect(seen[0]?.init.headers).toMatchObject({ authorization: `Bearer ${SETTINGS.token}`, 'content-type': 'application/json' });
  });

  it('a NAK inside a 200 is a failure; GLOBAL_1001 is retryable', async () => {
    const adapter = adapterAnswering(() =>
      Response.json({ errorCode: 'GLOBAL_1001', errorMessage: 'Service unavailable. Please try again', content: '', pageable: '' }),
    );
    const [outcome] = await adapter.create([request()], signal());
    expect(outcome).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_UNAVAILABLE', providerCode: 'GLOBAL_1001', retryable: true } });
  });

  it('an ACK that breaks the envelope is PROVIDER_BAD_RESPONSE', async () => {
    for (const body of ['<html>gateway</html>', JSON.stringify({ errorCode: '', content: [{ requestId: 'not-a-uuid' }] })]) {
      const [outcome] = await adapterAnswering(() => new Response(body, { status: 200 })).create([request()], signal());
      expect(outcome).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_BAD_RESPONSE' } });
    }
  });

  it('429 with Retry-After is retryable after the given seconds', async () => {
    const adapter = adapterAnswering(() => new Response('', { status: 429, headers: { 'retry-after': '30' } }));
    const [outcome] = await adapter.create([request()], signal());
    expect(outcome).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_UNAVAILABLE', status: 429, retryAfterSeconds: 30 } });
  });

  it('reads every request status: OPEN stays IN_PROGRESS, INTERNAL_ERROR is a retryable failure', async () => {
    const statusAnswer = (status: string) => () => Response.json({ errorCode: '', errorMessage: '', content: [{ status }], pageable: { page: 0, size: 10, totalPages: 1, totalElements: 1 } });
    const id = '7d3f1d0e-0000-4000-8000-00000000beef';
    expect(await adapterAnswering(statusAnswer('OPEN')).requestStatus(id, signal())).toEqual({ status: 'IN_PROGRESS', externalId: null, error: null });
    expect(await adapterAnswering(statusAnswer('SUCCESS')).requestStatus(id, signal())).toEqual({ status: 'SYNCED', externalId: null, error: null });
    const internal = await adapterAnswering(statusAnswer('INTERNAL_ERROR')).requestStatus(id, signal());
    expect(internal).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_UNAVAILABLE', retryable: true } });
    const unknown = await adapterAnswering(statusAnswer('PAUSED')).requestStatus(id, signal());
    expect(unknown).toMatchObject({ status: 'IN_PROGRESS', error: { code: 'PROVIDER_BAD_RESPONSE' } });
  });
});

describe('floLIVE settings', () => {
  it('live mode reads URL, token and requester id, naming what is missing', () => {
    expect(() => floliveProvider.settingsFromEnv({ PROVIDER_FLOLIVE_URL: 'https://api.flolive.net' })).toThrow(
      /PROVIDER_FLOLIVE_TOKEN: is not set.*PROVIDER_FLOLIVE_REQUESTER_ID: is not set/,
    );
    expect(() =>
      floliveProvider.settingsFromEnv({ PROVIDER_FLOLIVE_TOKEN: 't', PROVIDER_FLOLIVE_REQUESTER_ID: REQUESTER }),
    ).toThrow(/PROVIDER_FLOLIVE_URL: is not set/);
    expect(
      floliveProvider.settingsFromEnv({
        PROVIDER_FLOLIVE_URL: 'https://api.flolive.net',
        PROVIDER_FLOLIVE_TOKEN: 'live-token',
        PROVIDER_FLOLIVE_REQUESTER_ID: REQUESTER,
      }),
    ).toEqual({ token: 'live-token', requesterCustomerId: REQUESTER });
  });

  it('sandbox settings without a data directory are generated fresh each time', async () => {
    const [a, b] = [await floliveProvider.sandboxSettings(null), await floliveProvider.sandboxSettings(null)];
    expect(a.requesterCustomerId).toMatch(UUID);
    expect(a.token).not.toBe(b.token);
  });
});
