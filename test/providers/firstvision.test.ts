import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createProviderHttp, type FetchLike } from '../../src/providers/http.js';
import { inProcessSandboxFetch, sandboxBaseUrl } from '../../src/providers/sandbox-mount.js';
import type { Mapped, Sandbox } from '../../src/providers/types.js';
import type { FirstvisionSettings } from '../../src/providers/firstvision/client.js';
import type { AddCustomerRequest } from '../../src/providers/firstvision/contract.js';
import {
  createFirstvisionAdapter,
  firstvisionProvider,
  sandboxSettings,
  settingsFromEnv,
} from '../../src/providers/firstvision/index.js';
import { mapAddCustomer, mapUpdateCustomer } from '../../src/providers/firstvision/mapper.js';
import { optionsSchema, type FirstvisionOptions } from '../../src/providers/firstvision/options.js';
import { adapterWithSandbox, canonical, FULL_PRIVATE_CUSTOMER, routingFor, TEST_ORIGIN } from './harness.js';

const DEFAULTS = { organizationNumber: 970 };
const START = Date.parse('2026-11-21T10:00:00Z');
const signal = () => new AbortController().signal;

const options = (input: Record<string, unknown> = {}): FirstvisionOptions => optionsSchema.parse(input);

function mapCreate(customer: Record<string, unknown>, optionInput: Record<string, unknown> = {}, overrides = {}) {
  return mapAddCustomer(routingFor(canonical(customer), options(optionInput), overrides), DEFAULTS);
}

function mapUpdate(customer: Record<string, unknown>, optionInput: Record<string, unknown> = {}) {
  return mapUpdateCustomer(routingFor(canonical(customer), options(optionInput)), DEFAULTS);
}

function requestOf<R>(mapped: Mapped<R>): R {
  if (!mapped.ok) throw new Error(`expected a request, got ${JSON.stringify(mapped.errors)}`);
  return mapped.request;
}

function errorsOf<R>(mapped: Mapped<R>) {
  if (mapped.ok) throw new Error('expected errors, got a request');
  return mapped.errors.map((error) => ({ field: error.field, code: error.code, provider: error.provider }));
}

/** A settable clock shared by a simulator and an adapter (or given to one of them). */
function clock(start = START) {
  let ms = start;
  return { now: () => new Date(ms), advance: (seconds: number) => (ms += seconds * 1000) };
}

/** Adapter and simulator wired in-process with separate clocks (a provider's clock is not ours). */
async function wire(
  options: { settings?: FirstvisionSettings; sandboxNow?: () => Date; adapterNow?: () => Date; file?: string; adapterSettings?: FirstvisionSettings } = {},
) {
  const settings = options.settings ?? (await sandboxSettings(null));
  const sandbox = firstvisionProvider.createSandbox({
    file: options.file ?? ':memory:',
    settings,
    now: options.sandboxNow ?? (() => new Date(START)),
    sleep: async () => {},
  });
  const operations: string[] = [];
  const http = createProviderHttp({
    provider: 'FIRSTVISION',
    fetch: inProcessSandboxFetch([sandbox]),
    onCall: (event) => operations.push(`${event.operation} ${event.outcome}`),
  });
  const adapter = createFirstvisionAdapter({
    baseUrl: sandboxBaseUrl(TEST_ORIGIN, 'FIRSTVISION'),
    http,
    settings: options.adapterSettings ?? settings,
    now: options.adapterNow ?? (() => new Date(START)),
  });
  return { adapter, sandbox, settings, operations };
}

const fullRequest = () => requestOf(mapCreate(FULL_PRIVATE_CUSTOMER));

// ---- direct calls to the simulator, signed independently of the client ----------------------------------

const URL_ROOT = sandboxBaseUrl(TEST_ORIGIN, 'FIRSTVISION');

async function issueToken(sandbox: Sandbox, settings: FirstvisionSettings): Promise<string> {
  const response = await sandbox.handle(
    new Request(`${URL_ROOT}/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${settings.apiKey}:${settings.clientSecret}`).toString('base64')}`,
        apikey: settings.apiKey,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    }),
    '/token',
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

interface DirectCall {
  method?: string;
  path?: string;
  body?: string;
  token?: string;
  /** Signs this body instead of the one sent (tampering). */
  signedBody?: string;
  secret?: string;
  timestamp?: number;
  requestId?: string;
  headers?: Record<string, string>;
}

async function direct(sandbox: Sandbox, settings: FirstvisionSettings, call: DirectCall = {}) {
  const body = call.body ?? JSON.stringify(fullRequest());
  const requestId = call.requestId ?? 'req-0001';
  const timestamp = String(call.timestamp ?? START);
  const signature = createHmac('sha256', call.secret ?? settings.clientSecret)
    .update(settings.apiKey + requestId + timestamp + (call.signedBody ?? body))
    .digest('base64');
  const method = call.method ?? 'POST';
  const path = call.path ?? '/customer/';
  const response = await sandbox.handle(
    new Request(URL_ROOT + path, {
      method,
      headers: {
        'Content-Type': 'application/json',
        apikey: settings.apiKey,
        Authorization: `Bearer ${call.token ?? (await issueToken(sandbox, settings))}`,
        'X-ClientID': settings.clientId,
        'X-Client-Request-Id': requestId,
        Timestamp: timestamp,
        Signature: signature,
        ...call.headers,
      },
      ...(method === 'GET' ? {} : { body }),
    }),
    path,
  );
  return { status: response.status, body: (await response.json()) as { hasError: boolean; errors: { code: string; description: string }[]; data: any } };
}

// ---- seed 004 -----------------------------------------------------------------------------------------

/** seeds/004 customer/add example, ownerData, as published. */
const SEED_OWNER_DATA = {
  city: 'BUENOS AIRES',
  contactIndicator: 12,
  countryCode: 'ARG',
  county: 'CABA',
  dateOfBirth: '2010-09-11',
  demographic1: 'USER DEMO 1',
  demographic2: 'USER DEMO 2',
  demographic3: 'USER DEMO 3',
  driverLicenseCountry: '',
  driverLicenseNumber: '123421',
  driverLicenseState: '',
  email: 'ABC.DEF@yahoo.com',
  emailFlag: 1,
  employerAddress1: 'EMP ADDR L1',
  employerAddress2: 'EMP ADDR L2',
  employerExtensionPhoneNumber: 123456,
  employerName: 'FISERV',
  employerPhoneFlag: 1,
  employerPhoneNumber: '123-456-7890',
  faxPhoneFlag: 1,
  firstName: 'Pavan',
  foreignIndicator: 'A',
  genderCode: 1,
  homeFaxPhoneNumber: '223-456-7890',
  homePhoneFlag: 1,
  homePhoneNumber: '123-456-9990',
  houseAddress1: 'OWN ADDR L19',
  houseAddress2: 'OWN ADDR L29',
  houseAddress3: 'OWN ADDR L39',
  houseAddress4: 'OWN ADDR L49',
  houseName: "Could be apartment's name",
  houseNumber: 12349,
  identificationNumber: 123456789,
  identificationNumberFlag: 2,
  languageIndicator: 'ENG',
  lastName: 'Sivale',
  mailingList: 1,
  maritalStatus: 1,
  memo1: 'Memo 1',
  memo2: 'Memo 2',
  middleName: '',
  mobilePhoneFlag: 1,
  mobilePhoneNumber: '323-456-7890',
  nameLine1: 'string',
  nameLine2: 'OWN NAME L2 TEST9',
  nameLine3: 'OWN NAME L3',
  nameTypeIndicator1: 0,
  nameTypeIndicator2: 1,
  nameTypeIndicator3: 1,
  numberOfDependents: 999,
  ownOrRentResidenceFlag: 2,
  position: 'CEO',
  relativeName: 'Relative Name',
  smsFlag: 1,
  state: 'BA',
  statementMessageIndicator: 1,
  suffix: 'Sr',
};

/** seeds/004 customer/add example without ownerData; {{accountNumber}} filled in. */
const SEED_ADD_REST = {
  customerKeyData: { accountNumber: '4513074002573466600', coOwnerIndicator: 1, dualFlag: 0 },
  customerMiscellaneousData: { vipStatus: 1 },
};

/** seeds/004 update template; {{customerNumber}} and {{orgid}} filled in. */
const SEED_UPDATE = {
  carrierRoute: {},
  city: '',
  countryCode: '',
  county: '',
  customerNumber: '4000123412341234567',
  dateOfBirth: '',
  demographicDataIndicator: 1,
  driverLicense: {},
  email: '',
  employerPhoneNumber: '',
  firstName: '',
  homePhoneNumber: '',
  houseAddress1: '',
  houseAddress2: '',
  lastName: '',
  mobilePhoneNumber: '',
  numberType: 1,
  organizationNumber: 970,
  state: '',
};

/** The seed's person as canonical input: every seed value that has a canonical home. */
const SEED_CUSTOMER = {
  customerNumber: '4000123412341234567',
  kind: 'PRIVATE',
  name: { first: 'Pavan', last: 'Sivale', suffix: 'Sr' },
  dateOfBirth: '2010-09-11',
  gender: 'MALE',
  locale: 'en_US',
  email: 'ABC.DEF@yahoo.com',
  phones: { landline: '+541143210000', mobile: '+5491123456789', work: '+541148765432' },
  identities: [
    { type: 'NATIONAL_ID', number: '123456789', issuingCountry: 'AR' },
    { type: 'DRIVING_LICENSE', number: '123421', issuingCountry: 'AR' },
  ],
  addresses: [
    {
      line1: 'OWN ADDR L19',
      line2: 'OWN ADDR L29',
      buildingNumber: '12349',
      buildingName: "Could be apartment's name",
      apartment: '4B',
      poBox: '1234',
      city: 'BUENOS AIRES',
      county: 'CABA',
      region: 'BA',
      postalCode: 'C1043AAB',
      country: 'AR',
    },
  ],
  accounts: [{ accountNumber: '4513074002573466600', type: 'CREDIT' }],
};

/** The seed's provider-only values as options. */
const SEED_OPTIONS = {
  vipStatus: true,
  smsOptIn: true,
  mailingList: true,
  contactIndicator: 12,
  demographic1: 'USER DEMO 1',
  demographic2: 'USER DEMO 2',
  demographic3: 'USER DEMO 3',
  memo1: 'Memo 1',
  memo2: 'Memo 2',
};

/** Seed fields the canonical model has no place for and that are not options either: not produced. */
const NOT_PRODUCED = [
  // employment and household data: no canonical home; personal data does not belong in provider options
  'employerName', 'employerAddress1', 'employerAddress2', 'employerExtensionPhoneNumber', 'position', 'relativeName',
  'numberOfDependents', 'ownOrRentResidenceFlag', 'maritalStatus', 'foreignIndicator', 'statementMessageIndicator',
  // name lines: placeholders ("string"); a PRIVATE customer's name goes to first/last name
  'nameLine1', 'nameLine2', 'nameLine3', 'nameTypeIndicator1', 'nameTypeIndicator2', 'nameTypeIndicator3',
  // no canonical fax number
  'homeFaxPhoneNumber',
  // canonical identities carry no issuing state
  'driverLicenseState',
  // the seed's "" for an absent middle name: we leave absent values out
  'middleName',
] as const;

describe('seed 004 fidelity (customer/add)', () => {
  const request = requestOf(mapCreate(SEED_CUSTOMER, SEED_OPTIONS));

  it('the seed’s ownerData, from canonical input and options, is produced field for field, apart from the named deltas', () => {
    const seedProduced: Record<string, unknown> = { ...SEED_OWNER_DATA };
    for (const field of NOT_PRODUCED) delete seedProduced[field];
    expect(request.customerData.ownerCoOwnerData.ownerData).toEqual({
      ...seedProduced,
      // seed-vs-spec: the seed sends numbers where the spec types strings; we send strings
      houseNumber: '12349',
      identificationNumber: '123456789',
      mailingList: '1',
      // seed placeholders "123-456-7890" are not phone numbers; canonical phones are E.164 and sent as such
      homePhoneNumber: '+541143210000',
      mobilePhoneNumber: '+5491123456789',
      employerPhoneNumber: '+541148765432',
      // no fax on file, so its flag is 0 (a 1 without the number is refused by the host: VPL5SGC45E)
      faxPhoneFlag: 0,
      // free address lines 3 and 4 have no canonical counterpart: they carry the unit and the PO box
      houseAddress3: 'Apt 4B',
      houseAddress4: 'PO Box 1234',
      // canonical identities always have an issuing country; the seed leaves it blank
      driverLicenseCountry: 'ARG',
      // the seed omits postalCode, which the 1.2.0 spec requires
      postalCode: 'C1043AAB',
    });
  });

  it('names each seed-vs-spec delta: numbers where the spec types strings', () => {
    const owner = request.customerData.ownerCoOwnerData.ownerData;
    for (const field of ['identificationNumber', 'houseNumber', 'employerExtensionPhoneNumber', 'mailingList', 'maritalStatus'] as const) {
      expect(typeof SEED_OWNER_DATA[field], `seed ${field}`).toBe('number');
    }
    expect(typeof SEED_ADD_REST.customerKeyData.dualFlag).toBe('number');
    expect([owner.identificationNumber, owner.houseNumber, owner.mailingList]).toEqual(['123456789', '12349', '1']);
    expect(request.customerData.customerKeyData.dualFlag).toBe('0');
  });

  it('names the seed’s missing key data: organizationNumber and customerNumber are sent, as 1.2.0 requires', () => {
    expect(SEED_ADD_REST.customerKeyData).not.toHaveProperty('organizationNumber');
    expect(SEED_ADD_REST.customerKeyData).not.toHaveProperty('customerNumber');
    expect(request.customerData.customerKeyData).toEqual({
      ...SEED_ADD_REST.customerKeyData,
      dualFlag: '0',
      organizationNumber: 970,
      customerNumber: '4000123412341234567',
    });
    expect(request.customerData.customerMiscellaneousData).toEqual(SEED_ADD_REST.customerMiscellaneousData);
    expect(request.customerData.ownerCoOwnerData.coOwnerData).toEqual({});
    expect(request.resvData).toEqual({});
  });

  it('the simulator takes the seed body as published once the 1.2.0-required key data is added, and refuses it without', async () => {
    const settings = await sandboxSettings(null);
    const sandbox = firstvisionProvider.createSandbox({ file: ':memory:', settings, now: () => new Date(START) });
    const seedBody = (keyData: Record<string, unknown>) =>
      JSON.stringify({
        customerData: {
          customerKeyData: { ...SEED_ADD_REST.customerKeyData, ...keyData },
          customerMiscellaneousData: SEED_ADD_REST.customerMiscellaneousData,
          ownerCoOwnerData: { coOwnerData: {}, ownerData: { ...SEED_OWNER_DATA, postalCode: 'C1043AAB' } },
        },
        resvData: {},
      });
    const refused = await direct(sandbox, settings, { body: seedBody({}) });
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((error) => error.code)).toEqual(['VPL5SNA19S', 'VPL5SNA18S']);
    const accepted = await direct(sandbox, settings, { body: seedBody({ organizationNumber: 970, customerNumber: '4513074002573466600' }) });
    expect(accepted).toMatchObject({ status: 200, body: { hasError: false, errors: [], data: { customerNumber: '4513074002573466600' } } });
    sandbox.close();
  });

  it('the update carries every field of the seed’s update template, blank where the customer has no value', () => {
    const update = requestOf(mapUpdate({ ...SEED_CUSTOMER, phones: undefined, email: undefined }));
    expect(Object.keys(update)).toEqual(expect.arrayContaining(Object.keys(SEED_UPDATE)));
    // seed-vs-spec: the template sends numberType and demographicDataIndicator as numbers; the spec types strings
    expect([update.numberType, update.demographicDataIndicator]).toEqual(['1', '1']);
    expect(update).toMatchObject({ homePhoneNumber: '', mobilePhoneNumber: '', employerPhoneNumber: '', email: '', carrierRoute: {} });
    // the template leaves out postalCode, vipStatus, status and sicCode, which the spec requires
    expect(update).toMatchObject({ postalCode: 'C1043AAB', vipStatus: 0, status: 0, sicCode: 0 });
  });
});

// ---- mapping rules ------------------------------------------------------------------------------------

describe('mapping: FirstVision rules reported at the caller’s paths', () => {
  const provider = 'FIRSTVISION';

  it('organization number must be 001–998', () => {
    for (const organizationNumber of [0, 999]) {
      expect(errorsOf(mapCreate(FULL_PRIVATE_CUSTOMER, { organizationNumber }))).toEqual([
        { field: ['providerOptions', 'firstvision', 'organizationNumber'], code: 'INVALID', provider },
      ]);
    }
    expect(requestOf(mapCreate(FULL_PRIVATE_CUSTOMER, { organizationNumber: 1 })).customerData.customerKeyData.organizationNumber).toBe(1);
    expect(requestOf(mapCreate(FULL_PRIVATE_CUSTOMER)).customerData.customerKeyData.organizationNumber).toBe(970);
  });

  it('postal code is required and at most 10 characters', () => {
    const address = FULL_PRIVATE_CUSTOMER.addresses[0];
    expect(errorsOf(mapCreate({ ...FULL_PRIVATE_CUSTOMER, addresses: [{ ...address, postalCode: undefined }] }))).toEqual([
      { field: ['customer', 'addresses', 0, 'postalCode'], code: 'REQUIRED', provider },
    ]);
    expect(errorsOf(mapCreate({ ...FULL_PRIVATE_CUSTOMER, addresses: [{ ...address, postalCode: '12345678901' }] }))).toEqual([
      { field: ['customer', 'addresses', 0, 'postalCode'], code: 'TOO_LONG', provider },
    ]);
    expect(errorsOf(mapCreate({ ...FULL_PRIVATE_CUSTOMER, addresses: [] }))).toEqual([
      { field: ['customer', 'addresses'], code: 'REQUIRED', provider },
    ]);
    expect(errorsOf(mapCreate({ ...FULL_PRIVATE_CUSTOMER, addresses: [{ ...address, postalCode: 'SW1A#1AA' }] }))).toEqual([
      { field: ['customer', 'addresses', 0, 'postalCode'], code: 'INVALID_FORMAT', provider },
    ]);
  });

  it('names are at most 40 characters and the city at most 30; nothing is truncated', () => {
    const mapped = mapCreate({
      ...FULL_PRIVATE_CUSTOMER,
      name: { first: 'A'.repeat(41), last: 'Virtanen' },
      addresses: [{ ...FULL_PRIVATE_CUSTOMER.addresses[0], city: 'C'.repeat(31) }],
    });
    expect(errorsOf(mapped)).toEqual([
      { field: ['customer', 'name', 'first'], code: 'TOO_LONG', provider },
      { field: ['customer', 'addresses', 0, 'city'], code: 'TOO_LONG', provider },
    ]);
    expect(requestOf(mapCreate({ ...FULL_PRIVATE_CUSTOMER, name: { first: 'A'.repeat(40), last: 'V' } })).customerData.ownerCoOwnerData.ownerData.firstName).toHaveLength(40);
  });

  it('only one contact channel may be preferred (flag 2)', () => {
    const mapped = mapCreate(FULL_PRIVATE_CUSTOMER, { contactPreferences: { mobilePhone: 'PREFERRED', email: 'PREFERRED' } });
    expect(errorsOf(mapped)).toEqual([{ field: ['providerOptions', 'firstvision', 'contactPreferences', 'email'], code: 'INVALID', provider }]);
    if (mapped.ok) return;
    expect(mapped.errors[0]!.message).toContain('only one contact flag may be 2');
  });

  it('a preferred channel must be on file; MAY_CONTACT without it becomes 0', () => {
    expect(errorsOf(mapCreate(FULL_PRIVATE_CUSTOMER, { contactPreferences: { employerPhone: 'PREFERRED' } }))).toEqual([
      { field: ['customer', 'phones', 'work'], code: 'REQUIRED', provider },
    ]);
    const owner = requestOf(mapCreate(FULL_PRIVATE_CUSTOMER, { contactPreferences: { email: 'PREFERRED', homePhone: 'DO_NOT_CONTACT' } }))
      .customerData.ownerCoOwnerData.ownerData;
    expect([owner.homePhoneFlag, owner.mobilePhoneFlag, owner.employerPhoneFlag, owner.faxPhoneFlag, owner.emailFlag]).toEqual([0, 1, 0, 0, 2]);
  });

  it('SMS consent needs a mobile phone', () => {
    const { phones: _phones, ...withoutPhones } = FULL_PRIVATE_CUSTOMER;
    expect(errorsOf(mapCreate(withoutPhones, { smsOptIn: true }))).toEqual([{ field: ['customer', 'phones', 'mobile'], code: 'REQUIRED', provider }]);
  });

  it('the customer number must be FirstVision’s 19 digits', () => {
    const mapped = mapCreate(FULL_PRIVATE_CUSTOMER, {}, { customerNumber: 'CUST42' });
    expect(errorsOf(mapped)).toEqual([
      { field: ['customer', 'customerNumber'], code: 'INVALID_FORMAT', provider },
      { field: ['customer', 'customerNumber'], code: 'TOO_SHORT', provider },
    ]);
    if (!mapped.ok) expect(mapped.errors[1]!.message).toMatch(/exactly 19 digits/);
  });

  it('customer/add needs one account number of 19 characters', () => {
    const mapped = mapCreate({ ...FULL_PRIVATE_CUSTOMER, accounts: [{ accountNumber: 'FI2112345600000785', type: 'CHECKING' }] });
    expect(errorsOf(mapped)).toEqual([{ field: ['customer', 'accounts'], code: 'REQUIRED', provider }]);
    const two = requestOf(
      mapCreate({ ...FULL_PRIVATE_CUSTOMER, accounts: [{ accountNumber: 'SHORT1', type: 'SAVINGS' }, FULL_PRIVATE_CUSTOMER.accounts[0]] }),
    );
    expect(two.customerData.customerKeyData.accountNumber).toBe('4000000000000000001');
  });

  it('email must match FirstVision’s pattern', () => {
    expect(errorsOf(mapCreate({ ...FULL_PRIVATE_CUSTOMER, email: 'aino+card@my-bank.fi' }))).toEqual([
      { field: ['customer', 'email'], code: 'INVALID_FORMAT', provider },
    ]);
  });

  it('identification: SSN flag 0 (digits only), tax id 1, national id or other 2; a licence fills the driver licence fields', () => {
    const owner = (identities: unknown[]) =>
      requestOf(mapCreate({ ...FULL_PRIVATE_CUSTOMER, identities })).customerData.ownerCoOwnerData.ownerData;
    expect(owner([{ type: 'SSN', number: '123-45-6789', issuingCountry: 'US' }])).toMatchObject({
      identificationNumber: '123456789',
      identificationNumberFlag: 0,
    });
    expect(owner([{ type: 'NATIONAL_ID', number: 'X1', issuingCountry: 'FI' }, { type: 'TAX_ID', number: 'T-9', issuingCountry: 'FI' }])).toMatchObject({
      identificationNumber: 'T-9',
      identificationNumberFlag: 1,
    });
    expect(owner([{ type: 'DRIVING_LICENSE', number: 'DL-77', issuingCountry: 'SE' }])).toMatchObject({
      driverLicenseNumber: 'DL-77',
      driverLicenseCountry: 'SWE',
    });
    expect(errorsOf(mapCreate({ ...FULL_PRIVATE_CUSTOMER, identities: [{ type: 'PASSPORT', number: 'P'.repeat(21), issuingCountry: 'FI' }] }))).toEqual([
      { field: ['customer', 'identities', 0, 'number'], code: 'TOO_LONG', provider },
    ]);
  });

  it('the full customer maps, and everything FirstVision cannot hold is listed as omitted', () => {
    const mapped = mapCreate(FULL_PRIVATE_CUSTOMER);
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
    expect(mapped.request.customerData.ownerCoOwnerData.ownerData).toEqual({
      firstName: 'Aino',
      lastName: 'Virtanen',
      houseAddress1: 'Mannerheimintie',
      houseNumber: '12',
      houseAddress3: 'Apt 4',
      city: 'Helsinki',
      postalCode: '00100',
      countryCode: 'FIN',
      homePhoneNumber: '+35891234567',
      mobilePhoneNumber: '+358401234567',
      email: 'aino.virtanen@example.com',
      homePhoneFlag: 1,
      mobilePhoneFlag: 1,
      employerPhoneFlag: 0,
      emailFlag: 1,
      faxPhoneFlag: 0,
      smsFlag: 0,
      identificationNumber: '120485-123A',
      identificationNumberFlag: 2,
      dateOfBirth: '1985-04-12',
      genderCode: 2,
      languageIndicator: 'FIN',
      mailingList: '0',
      contactIndicator: 0,
    });
    expect(mapped.omitted).toEqual([
      'name.salutation "Ms" is not sent: customer/add has no title field',
      'addresses[0].region "Uusimaa" is not sent: FirstVision\'s state takes a state code of at most 3 characters',
      'identities[1] (NATIONAL_ID) issuingCountry is not sent: FirstVision keeps only the number',
      'identities[0] (PASSPORT) is not sent: FirstVision holds one identification number and one driver licence',
      'nationalities are not sent: FirstVision has no nationality field',
      'currency EUR is not sent: FirstVision sets currencies per account and organization',
      'screening is not sent: FirstVision has no PEP, sanctions or risk fields',
      'accounts[0] is sent by number only: its type, status, dates and cards have no place in customer/add',
    ]);
  });

  it('a BUSINESS customer is named by nameLine1 with name type 1 (business)', () => {
    const owner = requestOf(
      mapCreate({ ...FULL_PRIVATE_CUSTOMER, kind: 'BUSINESS', businessName: 'Virtanen Oy', name: undefined }),
    ).customerData.ownerCoOwnerData.ownerData;
    expect(owner).toMatchObject({ nameLine1: 'Virtanen Oy', nameTypeIndicator1: 1 });
    expect(owner).not.toHaveProperty('firstName');
    expect(errorsOf(mapCreate({ ...FULL_PRIVATE_CUSTOMER, kind: 'BUSINESS', businessName: 'B'.repeat(41) }))).toEqual([
      { field: ['customer', 'businessName'], code: 'TOO_LONG', provider },
    ]);
  });

  it('option fields are checked against FirstVision’s lengths at the options path', () => {
    expect(errorsOf(mapCreate(FULL_PRIVATE_CUSTOMER, { demographic2: 'D'.repeat(21), memo1: 'M'.repeat(61) }))).toEqual([
      { field: ['providerOptions', 'firstvision', 'memo1'], code: 'TOO_LONG', provider },
      { field: ['providerOptions', 'firstvision', 'demographic2'], code: 'TOO_LONG', provider },
    ]);
  });

  it('update: flat request by customer number, renamed fields, status and blanks for absent values', () => {
    const update = requestOf(mapUpdate({ ...FULL_PRIVATE_CUSTOMER, status: 'SUSPENDED', identities: [], phones: { mobile: '+358401234567' } }, { sicCode: 6012, demographic1: 'SEG-A' }));
    expect(update).toMatchObject({
      organizationNumber: 970,
      customerNumber: '4000123412341234567',
      numberType: '1',
      demographicDataIndicator: '1',
      userDataIndicator: '1',
      status: 1,
      sicCode: 6012,
      title: 'Ms',
      mobilePhoneNumber: '+358401234567',
      mobilePhoneIndicator: 1,
      homePhoneNumber: '',
      homePhoneIndicator: 0,
      emailIndicator: 1,
      taxIdNumber: '',
      userDemographic1: 'SEG-A',
      driverLicense: {},
    });
    expect(update).not.toHaveProperty('identificationNumber');
    expect(errorsOf(mapUpdate({ ...FULL_PRIVATE_CUSTOMER, addresses: [] }))).toEqual([{ field: ['customer', 'addresses'], code: 'REQUIRED', provider }]);
  });
});

describe('options', () => {
  it('GraphQL nulls take the documented defaults', () => {
    expect(
      optionsSchema.parse({
        organizationNumber: null,
        logo: null,
        vipStatus: null,
        contactPreferences: { homePhone: null, mobilePhone: 'PREFERRED', employerPhone: null, email: null },
        smsOptIn: null,
        mailingList: null,
        contactIndicator: null,
        dualCurrency: null,
        sicCode: null,
        demographic1: null,
        demographic2: null,
        demographic3: null,
        memo1: null,
        memo2: null,
      }),
    ).toEqual({
      organizationNumber: null,
      logo: null,
      vipStatus: false,
      contactPreferences: { homePhone: 'MAY_CONTACT', mobilePhone: 'PREFERRED', employerPhone: 'MAY_CONTACT', email: 'MAY_CONTACT' },
      smsOptIn: false,
      mailingList: false,
      contactIndicator: 0,
      dualCurrency: false,
      sicCode: null,
      demographic1: null,
      demographic2: null,
      demographic3: null,
      memo1: null,
      memo2: null,
    });
    expect(optionsSchema.parse(null)).toEqual(optionsSchema.parse({}));
  });

  it('rejects values outside the fields’ formats', () => {
    const result = optionsSchema.safeParse({ logo: 1000, contactIndicator: 100, contactPreferences: { email: 'ALWAYS' } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['logo', 'contactPreferences.email', 'contactIndicator']);
  });
});

// ---- adapter against the simulator ----------------------------------------------------------------------

describe('adapter against its simulator', () => {
  it('create: SYNCED with the customer number as external id; the simulator holds the record', async () => {
    const { adapter, sandbox, calls } = await adapterWithSandbox(firstvisionProvider, { now: () => new Date(START) });
    const mapped = adapter.mapCreate(routingFor(canonical(FULL_PRIVATE_CUSTOMER), options()));
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
    const [outcome] = await adapter.create([mapped.request], { signal: signal() });
    expect(outcome).toMatchObject({ status: 'SYNCED', externalId: '4000123412341234567', error: null });
    expect(outcome!.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const state = sandbox.state();
    expect(state.records.customers).toEqual([
      expect.objectContaining({
        organizationNumber: 970,
        customerNumber: '4000123412341234567',
        accountNumber: '4000000000000000001',
        ownerData: expect.objectContaining({ firstName: 'Aino', lastName: 'Virtanen', postalCode: '00100' }),
      }),
    ]);
    expect(state.records).not.toHaveProperty('tokens');
    expect(state.requests.byRoute).toEqual({ 'POST /token': 1, 'POST /customer/': 1 });
    expect(calls.map((call) => `${call.operation} ${call.outcome}`)).toEqual(['token ok', 'customer.add ok']);
    sandbox.close();
  });

  it('reuses its token until shortly before expiry, then fetches a new one', async () => {
    const time = clock();
    const { adapter, sandbox, operations } = await wire({ sandboxNow: time.now, adapterNow: time.now });
    const send = (customerNumber: string, accountNumber: string) => {
      const request = fullRequest();
      request.customerData.customerKeyData.customerNumber = customerNumber;
      request.customerData.customerKeyData.accountNumber = accountNumber;
      return adapter.create([request], { signal: signal() });
    };
    await send('4000000000000000011', '4000000000000000012');
    time.advance(600);
    await send('4000000000000000021', '4000000000000000022');
    time.advance(260); // 860 s after issue: inside the renewal margin of a 900 s token
    await send('4000000000000000031', '4000000000000000032');
    expect(operations.filter((operation) => operation.startsWith('token'))).toHaveLength(2);
    expect(sandbox.state().records.customers).toHaveLength(3);
    sandbox.close();
  });

  it('a repeated add of the same customer number is the same customer: SYNCED, still one record', async () => {
    const { adapter, sandbox } = await wire();
    const request = fullRequest();
    await adapter.create([request], { signal: signal() });
    const [again] = await adapter.create([request], { signal: signal() });
    expect(again).toMatchObject({ status: 'SYNCED', externalId: '4000123412341234567', error: null });
    expect(sandbox.state().records.customers).toHaveLength(1);
    sandbox.close();
  });

  it('update: SYNCED and the simulator’s record changes; blank values clear', async () => {
    const { adapter, sandbox } = await wire();
    await adapter.create([fullRequest()], { signal: signal() });
    const customer = canonical({ ...FULL_PRIVATE_CUSTOMER, email: 'new.address@example.com', phones: { mobile: '+358401234567' } });
    const mapped = adapter.mapUpdate!(routingFor(customer, options({ vipStatus: true }), { externalId: '4000123412341234567' }));
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
    const outcome = await adapter.update!(mapped.request, { signal: signal() });
    expect(outcome).toMatchObject({ status: 'SYNCED', externalId: '4000123412341234567', error: null });
    const [record] = sandbox.state().records.customers as { ownerData: Record<string, unknown>; customerMiscellaneousData: Record<string, unknown> }[];
    expect(record!.ownerData).toMatchObject({ email: 'new.address@example.com', mobilePhoneNumber: '+358401234567' });
    expect(record!.ownerData).not.toHaveProperty('homePhoneNumber');
    expect(record!.customerMiscellaneousData).toMatchObject({ vipStatus: 1 });
    sandbox.close();
  });

  it('update of an unknown customer: FAILED, rejected with VPL5SGC04S', async () => {
    const { adapter, sandbox } = await wire();
    const update = requestOf(mapUpdate(FULL_PRIVATE_CUSTOMER));
    const outcome = await adapter.update!(update, { signal: signal() });
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toMatchObject({ code: 'PROVIDER_REJECTED', status: 422, providerCode: 'VPL5SGC04S', retryable: false });
    sandbox.close();
  });
});

// ---- the simulator on its own ---------------------------------------------------------------------------

describe('simulator', () => {
  let sandbox: Sandbox;
  let settings: FirstvisionSettings;
  const open = async (now: () => Date = () => new Date(START)) => {
    settings = await sandboxSettings(null);
    sandbox = firstvisionProvider.createSandbox({ file: ':memory:', settings, now });
  };
  afterEach(() => sandbox.close());

  it('refuses a contract-breaking add in FirstVision’s envelope with the host’s codes', async () => {
    await open();
    const request = fullRequest() as AddCustomerRequest & { customerData: { ownerCoOwnerData: { ownerData: Record<string, unknown> } } };
    request.customerData.customerKeyData.organizationNumber = 999;
    request.customerData.ownerCoOwnerData.ownerData.postalCode = '12345678901';
    request.customerData.ownerCoOwnerData.ownerData.emailFlag = 2;
    request.customerData.ownerCoOwnerData.ownerData.mobilePhoneFlag = 2;
    const { status, body } = await direct(sandbox, settings, { body: JSON.stringify(request) });
    expect(status).toBe(422);
    expect(body.hasError).toBe(true);
    expect(body.data).toBeNull();
    expect(body.errors.map((error) => error.code)).toEqual(['VPL5SNA19S', 'VPL5SNA34S', 'VPL5SGC42E']);
    expect(sandbox.state().records).not.toHaveProperty('customers');
  });

  it('refuses a future date of birth and a duplicate customer number like the host', async () => {
    await open();
    const future = fullRequest();
    future.customerData.ownerCoOwnerData.ownerData.dateOfBirth = '2027-01-01';
    expect((await direct(sandbox, settings, { body: JSON.stringify(future) })).body.errors).toEqual([
      { code: 'VPL5SNA38S', description: 'DATE-OF-BIRTH CANNOT BE A FUTURE DATE' },
    ]);
    expect((await direct(sandbox, settings)).status).toBe(200);
    const duplicate = await direct(sandbox, settings);
    expect(duplicate).toMatchObject({ status: 422, body: { errors: [{ code: 'VPL5SNA12S' }] } });
  });

  it('refuses a contract-breaking update (VPL5SGC01E, VPL5SGC16E, VPL5SGC35E)', async () => {
    await open();
    const update = { ...requestOf(mapUpdate(FULL_PRIVATE_CUSTOMER)), organizationNumber: 0, postalCode: 'A#1', countryCode: 'QZZ' };
    const { status, body } = await direct(sandbox, settings, { method: 'PUT', body: JSON.stringify(update) });
    expect(status).toBe(422);
    expect(body.errors.map((error) => error.code)).toEqual(['VPL5SGC01E', 'VPL5SGC16E', 'VPL5SGC35E']);
  });

  it('answers unknown routes 404, wrong methods 405 and non-JSON bodies 400, all in its envelope', async () => {
    await open();
    const unknown = await direct(sandbox, settings, { path: '/customer/lookup-everything' });
    expect(unknown).toMatchObject({ status: 404, body: { hasError: true, data: null } });
    const wrongMethod = await direct(sandbox, settings, { method: 'GET', path: '/customer/' });
    expect(wrongMethod).toMatchObject({ status: 405, body: { hasError: true, errors: [{ code: '405' }] } });
    const notJson = await direct(sandbox, settings, { body: 'customer=1' });
    expect(notJson.status).toBe(400);
    expect(sandbox.state().requests.byRoute).toMatchObject({ 'POST (unknown)': 1, 'GET /customer (not allowed)': 1 });
  });
});

// ---- auth and signing -----------------------------------------------------------------------------------

describe('auth: token, headers and signature', () => {
  let sandbox: Sandbox;
  let settings: FirstvisionSettings;
  const time = clock();
  const open = async () => {
    settings = await sandboxSettings(null);
    sandbox = firstvisionProvider.createSandbox({ file: ':memory:', settings, now: time.now });
  };
  afterEach(() => sandbox.close());

  const refusal = (description: string) => ({ status: 401, body: { hasError: true, errors: [{ code: '401', description }], data: null } });

  it('accepts a correctly signed call', async () => {
    await open();
    expect((await direct(sandbox, settings, { timestamp: time.now().getTime() })).status).toBe(200);
  });

  it('refuses a missing or unknown token, and an expired one', async () => {
    await open();
    expect(await direct(sandbox, settings, { token: 'forged', timestamp: time.now().getTime() })).toMatchObject(refusal('Invalid access token'));
    const token = await issueToken(sandbox, settings);
    time.advance(901);
    expect(await direct(sandbox, settings, { token, timestamp: time.now().getTime() })).toMatchObject(refusal('Access token expired'));
  });

  it('refuses a tampered body, a signature made with another key, and a stale Timestamp', async () => {
    await open();
    const at = time.now().getTime();
    const body = JSON.stringify(fullRequest());
    const tampered = body.replace('Aino', 'Eino');
    expect(await direct(sandbox, settings, { body: tampered, signedBody: body, timestamp: at })).toMatchObject(
      refusal('Signature does not match the request'),
    );
    expect(await direct(sandbox, settings, { secret: 'c29tZSBvdGhlciBrZXk=', timestamp: at })).toMatchObject(
      refusal('Signature does not match the request'),
    );
    expect(await direct(sandbox, settings, { timestamp: at - 5 * 60_000 - 1 })).toMatchObject(
      refusal('Timestamp is missing or outside the 5-minute window'),
    );
  });

  it('refuses a wrong apikey or X-ClientID and an over-long X-Client-Request-Id', async () => {
    await open();
    const at = time.now().getTime();
    expect(await direct(sandbox, settings, { timestamp: at, headers: { apikey: 'nope' } })).toMatchObject(refusal('Invalid apikey'));
    expect(await direct(sandbox, settings, { timestamp: at, headers: { 'X-ClientID': '11111' } })).toMatchObject(refusal('Unknown X-ClientID'));
    expect(await direct(sandbox, settings, { timestamp: at, requestId: 'r'.repeat(41) })).toMatchObject(
      refusal('X-Client-Request-Id must be 1 to 40 characters'),
    );
  });

  it('the token endpoint refuses wrong client credentials', async () => {
    await open();
    const response = await sandbox.handle(
      new Request(`${URL_ROOT}/token`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${settings.apiKey}:wrong`).toString('base64')}`,
          apikey: settings.apiKey,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      }),
      '/token',
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ hasError: true, errors: [{ code: '401' }] });
  });

  it('the adapter reports wrong credentials as PROVIDER_AUTH_FAILED, not retryable', async () => {
    const settings = await sandboxSettings(null);
    for (const wrong of [{ ...settings, clientSecret: 'd3Jvbmc=' }, { ...settings, apiKey: 'not-the-key' }, { ...settings, clientId: '99999' }]) {
      const { adapter, sandbox } = await wire({ settings, adapterSettings: wrong });
      const [outcome] = await adapter.create([fullRequest()], { signal: signal() });
      expect(outcome).toMatchObject({ status: 'FAILED', externalId: null });
      expect(outcome!.error).toMatchObject({ code: 'PROVIDER_AUTH_FAILED', status: 401, retryable: false });
      expect(sandbox.state().records).not.toHaveProperty('customers');
      sandbox.close();
    }
  });

  it('renews its token once when the provider refuses it with 401, then succeeds', async () => {
    const settings = await sandboxSettings(null);
    const now = () => new Date(START);
    let current = firstvisionProvider.createSandbox({ file: ':memory:', settings, now });
    const operations: string[] = [];
    const http = createProviderHttp({
      provider: 'FIRSTVISION',
      fetch: (input, init) => inProcessSandboxFetch([current])(input, init),
      onCall: (event) => operations.push(`${event.operation} ${event.outcome}`),
    });
    const adapter = createFirstvisionAdapter({ baseUrl: URL_ROOT, http, settings, now });
    await adapter.create([fullRequest()], { signal: signal() });
    // a provider that has forgotten its tokens (e.g. revoked them) while ours is still within its lifetime
    current.close();
    current = firstvisionProvider.createSandbox({ file: ':memory:', settings, now });
    const [outcome] = await adapter.create([fullRequest()], { signal: signal() });
    expect(outcome).toMatchObject({ status: 'SYNCED', error: null });
    expect(operations).toEqual(['token ok', 'customer.add ok', 'customer.add http_401', 'token ok', 'customer.add ok']);
    current.close();
  });

  it('renews only once: a refusal that a new token does not cure is PROVIDER_AUTH_FAILED', async () => {
    const provider = clock(START + 6 * 60_000);
    // our clock is 6 minutes behind the provider's: every Timestamp falls outside its window
    const { adapter, sandbox, operations } = await wire({ sandboxNow: provider.now, adapterNow: () => new Date(START) });
    const [outcome] = await adapter.create([fullRequest()], { signal: signal() });
    expect(outcome!.error).toMatchObject({ code: 'PROVIDER_AUTH_FAILED', status: 401, providerCode: '401' });
    expect(outcome!.error!.message).toContain('5-minute window');
    expect(operations).toEqual(['token ok', 'customer.add http_401', 'token ok', 'customer.add http_401']);
    sandbox.close();
  });
});

// ---- faults ---------------------------------------------------------------------------------------------

describe('faults', () => {
  it('with failureRate 1 every call fails with FirstVision’s 5xx envelope: FAILED, PROVIDER_UNAVAILABLE, retryable', async () => {
    const { adapter, sandbox } = await adapterWithSandbox(firstvisionProvider, { faults: { failureRate: 1, seed: 1 }, now: () => new Date(START) });
    const [outcome] = await adapter.create([fullRequest()], { signal: signal() });
    expect(outcome).toMatchObject({ status: 'FAILED', externalId: null });
    expect(outcome!.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', status: 500, retryable: true, providerCode: '500' });
    expect(sandbox.state().requests.byRoute).toEqual({ 'POST /token': 1 });
    sandbox.close();
  });

  it('the same seed fails the same requests', async () => {
    const statuses = async () => {
      const settings = await sandboxSettings(null);
      const sandbox = firstvisionProvider.createSandbox({
        file: ':memory:',
        settings,
        faults: { failureRate: 0.5, seed: 7 },
        now: () => new Date(START),
        sleep: async () => {},
      });
      const seen: number[] = [];
      for (let i = 0; i < 24; i++) {
        const response = await sandbox.handle(
          new Request(`${URL_ROOT}/token`, {
            method: 'POST',
            headers: {
              Authorization: `Basic ${Buffer.from(`${settings.apiKey}:${settings.clientSecret}`).toString('base64')}`,
              apikey: settings.apiKey,
              'Content-Type': 'application/x-www-form-urlencoded',
            },
            body: 'grant_type=client_credentials',
          }),
          '/token',
        );
        seen.push(response.status);
      }
      sandbox.close();
      return seen;
    };
    const first = await statuses();
    expect(await statuses()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 500]));
  });
});

// ---- persistence ----------------------------------------------------------------------------------------

describe('persistence', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a customer added through a file-backed simulator is still there after close and reopen, and so is its token', async () => {
    dir = mkdtempSync(join(tmpdir(), 'firstvision-'));
    const settings = await sandboxSettings(dir);
    const file = join(dir, 'sandbox-firstvision.db');
    const first = await wire({ settings, file });
    expect((await first.adapter.create([fullRequest()], { signal: signal() }))[0]!.status).toBe('SYNCED');
    first.sandbox.close();

    const reopened = firstvisionProvider.createSandbox({ file, settings, now: () => new Date(START) });
    expect(reopened.state().records.customers).toEqual([expect.objectContaining({ customerNumber: '4000123412341234567' })]);
    expect(reopened.state().requests.total).toBe(2);
    const update = requestOf(mapUpdate(FULL_PRIVATE_CUSTOMER));
    const http = createProviderHttp({ provider: 'FIRSTVISION', fetch: inProcessSandboxFetch([reopened]) });
    const again = createFirstvisionAdapter({ baseUrl: URL_ROOT, http, settings, now: () => new Date(START) });
    expect((await again.update!(update, { signal: signal() })).status).toBe('SYNCED');
    reopened.close();
  });
});

// ---- transport ------------------------------------------------------------------------------------------

describe('transport and answers', () => {
  const settingsP = sandboxSettings(null);

  /** The simulator answers /token; `customer` answers every other call. */
  async function adapterWith(customer: FetchLike) {
    const settings = await settingsP;
    const sandbox = firstvisionProvider.createSandbox({ file: ':memory:', settings, now: () => new Date(START) });
    const viaSandbox = inProcessSandboxFetch([sandbox]);
    const http = createProviderHttp({
      provider: 'FIRSTVISION',
      fetch: (input, init) => (input.endsWith('/token') ? viaSandbox(input, init) : customer(input, init)),
    });
    return { adapter: createFirstvisionAdapter({ baseUrl: URL_ROOT, http, settings, now: () => new Date(START) }), sandbox };
  }

  it('a fetch that throws is PROVIDER_UNAVAILABLE', async () => {
    const http = createProviderHttp({
      provider: 'FIRSTVISION',
      fetch: async () => {
        throw new TypeError('fetch failed: ECONNREFUSED');
      },
    });
    const adapter = createFirstvisionAdapter({ baseUrl: URL_ROOT, http, settings: await settingsP });
    const [outcome] = await adapter.create([fullRequest()], { signal: signal() });
    expect(outcome).toMatchObject({ status: 'FAILED' });
    expect(outcome!.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
  });

  it('an aborted signal is PROVIDER_TIMEOUT', async () => {
    const { adapter, sandbox } = await adapterWith(
      (_input, init) =>
        new Promise((_resolve, reject) => {
          const fail = () => reject(new DOMException('The operation was aborted.', 'AbortError'));
          if (init.signal?.aborted) fail();
          init.signal?.addEventListener('abort', fail);
        }),
    );
    const controller = new AbortController();
    const pending = adapter.create([fullRequest()], { signal: controller.signal });
    setImmediate(() => controller.abort());
    const [outcome] = await pending;
    expect(outcome!.error).toMatchObject({ code: 'PROVIDER_TIMEOUT', retryable: true });
    sandbox.close();
  });

  it('an unparseable or off-contract success body is PROVIDER_BAD_RESPONSE', async () => {
    for (const body of ['<html>gateway</html>', JSON.stringify({ hasError: false, errors: [], data: { organizationNumber: 970 } })]) {
      const { adapter, sandbox } = await adapterWith(async () => new Response(body, { status: 200 }));
      const [outcome] = await adapter.create([fullRequest()], { signal: signal() });
      expect(outcome!.error).toMatchObject({ code: 'PROVIDER_BAD_RESPONSE', status: 200 });
      sandbox.close();
    }
  });

  it('429 with Retry-After is PROVIDER_UNAVAILABLE with the wait', async () => {
    const { adapter, sandbox } = await adapterWith(
      async () =>
        new Response(JSON.stringify({ hasError: true, errors: [{ code: '429', description: 'Too Many Requests' }], data: null }), {
          status: 429,
          headers: { 'retry-after': '30' },
        }),
    );
    const [outcome] = await adapter.create([fullRequest()], { signal: signal() });
    expect(outcome!.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', status: 429, retryAfterSeconds: 30, providerCode: '429' });
    sandbox.close();
  });
});

// ---- settings -------------------------------------------------------------------------------------------

describe('settings', () => {
  const ENV = {
    PROVIDER_FIRSTVISION_URL: 'https://int.api.firstdata.com/latam-gfs-apis/portal',
    PROVIDER_FIRSTVISION_API_KEY: 'key',
    PROVIDER_FIRSTVISION_CLIENT_SECRET: 'secret',
    PROVIDER_FIRSTVISION_CLIENT_ID: '00970',
    PROVIDER_FIRSTVISION_ORGANIZATION_NUMBER: '807',
  };

  it('live mode reads PROVIDER_FIRSTVISION_* and names what is missing', () => {
    expect(settingsFromEnv({ ...ENV, PROVIDER_FIRSTVISION_LOGO: '401' })).toEqual({
      url: ENV.PROVIDER_FIRSTVISION_URL,
      apiKey: 'key',
      clientSecret: 'secret',
      clientId: '00970',
      organizationNumber: 807,
      logo: 401,
    });
    const { PROVIDER_FIRSTVISION_CLIENT_SECRET: _secret, ...missing } = ENV;
    expect(() => settingsFromEnv(missing)).toThrow('PROVIDER_FIRSTVISION_CLIENT_SECRET is not set');
    expect(() => settingsFromEnv({ ...ENV, PROVIDER_FIRSTVISION_ORGANIZATION_NUMBER: '999' })).toThrow(
      'PROVIDER_FIRSTVISION_ORGANIZATION_NUMBER must be an organization number 001–998',
    );
  });

  it('sandbox credentials are generated once into the data directory and reused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'firstvision-settings-'));
    try {
      const first = await sandboxSettings(dir);
      expect(await sandboxSettings(dir)).toEqual(first);
      expect(JSON.parse(readFileSync(join(dir, 'sandbox-firstvision-settings.json'), 'utf8'))).toEqual(first);
      expect(first).toMatchObject({ url: null, clientId: '00970', organizationNumber: 970, logo: 401 });
      expect((await sandboxSettings(null)).clientSecret).not.toBe(first.clientSecret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('GraphQL options input', () => {
  it('what FirstvisionOptionsInput produces is accepted by optionsSchema', async () => {
    const { builder } = await import('../../src/builder.js');
    const { FirstvisionOptionsInput } = await import('../../src/schema/provider-options/firstvision.js');
    const { graphql } = await import('graphql');
    builder.queryField('firstvisionOptions', (t) =>
      t.string({
        args: { input: t.arg({ type: FirstvisionOptionsInput, required: true }) },
        resolve: (_root, args) => JSON.stringify(optionsSchema.parse(args.input)),
      }),
    );
    const schema = builder.toSchema();
    const result = await graphql({
      schema,
      source: '{ firstvisionOptions(input: { organizationNumber: 807, contactPreferences: { email: PREFERRED }, memo1: null }) }',
      contextValue: {},
    });
    expect(result.errors).toBeUndefined();
    expect(JSON.parse(String(result.data?.firstvisionOptions))).toMatchObject({
      organizationNumber: 807,
      vipStatus: false,
      contactPreferences: { email: 'PREFERRED', mobilePhone: 'MAY_CONTACT' },
      memo1: null,
    });
  });
});
