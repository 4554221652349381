import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CanonicalCustomer } from '../../src/domain/canonical-customer.js';
import type { UserError } from '../../src/domain/user-error.js';
import { enfuceProvider, type EnfuceOptions, type EnfuceSettings } from '../../src/providers/enfuce/index.js';
import { createProviderHttp, type FetchLike } from '../../src/providers/http.js';
import { sandboxBaseUrl } from '../../src/providers/sandbox-mount.js';
import type { CustomerRouting, Mapped, Sandbox } from '../../src/providers/types.js';
import { adapterWithSandbox, canonical, FULL_PRIVATE_CUSTOMER, routingFor, TEST_ORIGIN } from './harness.js';

const SETTINGS: EnfuceSettings = { username: 'api-user', password: 'correct-horse-battery-staple', defaultAuditUser: 'customer-graph' };
const ROOT = sandboxBaseUrl(TEST_ORIGIN, 'ENFUCE');
const call = () => ({ signal: new AbortController().signal });

const options = (input: unknown = {}): EnfuceOptions => enfuceProvider.optionsSchema.parse(input);

/** An adapter whose HTTP must never be used: mapping is pure. */
const offline = enfuceProvider.createAdapter({
  baseUrl: ROOT,
  settings: SETTINGS,
  http: createProviderHttp({ provider: 'ENFUCE', fetch: () => Promise.reject(new Error('mapping must not call Enfuce')) }),
});

function mapCustomer(
  customer: CanonicalCustomer,
  opts: unknown = {},
  overrides: Partial<CustomerRouting<EnfuceOptions>> = {},
) {
  return offline.mapCreate(routingFor(customer, options(opts), overrides));
}

const mapInput = (input: Record<string, unknown>, opts: unknown = {}) => mapCustomer(canonical(input), opts);

function body<T>(mapped: Mapped<T>): T {
  if (!mapped.ok) throw new Error(`expected a request, got ${JSON.stringify(mapped.errors)}`);
  return mapped.request;
}

function errorsOf<T>(mapped: Mapped<T>): UserError[] {
  if (mapped.ok) throw new Error(`expected errors, got ${JSON.stringify(mapped.request)}`);
  return mapped.errors;
}

function expectError<T>(mapped: Mapped<T>, field: (string | number)[], code: UserError['code']) {
  expect(errorsOf(mapped)).toContainEqual(expect.objectContaining({ field, code, provider: 'ENFUCE' }));
}

/** A canonical customer with a value canonical validation would not produce, to prove the provider rule on its own. */
const bypass = (patch: Partial<CanonicalCustomer>): CanonicalCustomer => ({ ...canonical(FULL_PRIVATE_CUSTOMER), ...patch });

function rawRequest(
  method: string,
  path: string,
  init: { body?: unknown; auth?: string | null; query?: string; contentType?: string } = {},
): Request {
  const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/json' };
  const auth = init.auth === undefined ? `Basic ${Buffer.from(`${SETTINGS.username}:${SETTINGS.password}`).toString('base64')}` : init.auth;
  if (auth !== null) headers.authorization = auth;
  return new Request(`${ROOT}${path}${init.query ?? '?auditUser=tester'}`, {
    method,
    headers,
    ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
}

async function send(sandbox: Sandbox, method: string, path: string, init: Parameters<typeof rawRequest>[2] = {}) {
  const response = await sandbox.handle(rawRequest(method, path, init), path);
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
}

const VALID_BODY = {
  customerNumber: 'C0001',
  firstName: 'Aino',
  lastName: 'Virtanen',
  locale: 'fi_FI',
  regNo: '120485-123A',
  address: { address1: 'Mannerheimintie 12', city: 'Helsinki', country: 'FIN', zipCode: '00100' },
};

const sandboxes: Sandbox[] = [];
const tempDirs: string[] = [];
afterEach(() => {
  sandboxes.splice(0).forEach((sandbox) => sandbox.close());
  tempDirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

async function wired(opts: Parameters<typeof adapterWithSandbox<EnfuceOptions, EnfuceSettings>>[1] = {}) {
  const wiring = await adapterWithSandbox(enfuceProvider, { settings: SETTINGS, ...opts });
  sandboxes.push(wiring.sandbox);
  // The same adapter, typed as Enfuce's so its regNo lookup is reachable; it shares the recorded http.
  const adapter = enfuceProvider.createAdapter({ baseUrl: ROOT, http: wiring.http, settings: wiring.settings });
  return { ...wiring, adapter };
}

function sandboxOnly(file = ':memory:', faults?: { failureRate: number; seed: number }) {
  const sandbox = enfuceProvider.createSandbox({ file, settings: SETTINGS, sleep: async () => {}, ...(faults ? { faults } : {}) });
  sandboxes.push(sandbox);
  return sandbox;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'enfuce-'));
  tempDirs.push(dir);
  return dir;
}

describe('Enfuce: seed fidelity', () => {
  it('maps the documented example values field for field onto POST /v3/PRIVATE', () => {
    const mapped = mapInput(
      {
        ...FULL_PRIVATE_CUSTOMER,
        name: { salutation: 'Mr', first: 'Matti', middle: 'Juhani', last: 'Meikäläinen' },
        dateOfBirth: '1935-01-08',
        email: 'matti@example.com',
        phones: { landline: '+35821010001', mobile: '+358401234567' },
        nationalities: ['FI', 'SE'],
        identities: [{ type: 'NATIONAL_ID', number: '080135-1234', issuingCountry: 'FI' }],
        addresses: [{ kind: 'RESIDENTIAL', line1: 'Torggatan', buildingNumber: '5', city: 'Mariehamn', postalCode: '22100', country: 'FI' }],
        screening: { pep: true },
        accounts: [],
      },
      { riskScore: 'MED', auditUser: 'ops' },
    );
    expect(body(mapped)).toEqual({
      auditUser: 'ops',
      body: {
        customerNumber: '4000123412341234567',
        firstName: 'Matti',
        middleName: 'Juhani',
        lastName: 'Meikäläinen',
        salutation: 'Mr',
        email: 'matti@example.com',
        phoneNumber: '+35821010001',
        mobileNumber: '+358401234567',
        locale: 'fi_FI',
        regNo: '080135-1234',
        dateOfBirth: '1935-01-08',
        nationality: ['FIN', 'SWE'],
        screening: { status: true },
        address: { address1: 'Torggatan 5', city: 'Mariehamn', country: 'FIN', zipCode: '22100' },
        riskScore: 'Med',
      },
    });
  });

  it('maps the full private customer, and says in words what Enfuce cannot hold', () => {
    const home = { kind: 'RESIDENTIAL', line1: 'Mannerheimintie', buildingNumber: '12', apartment: '4', city: 'Helsinki', postalCode: '00100', country: 'FI' };
    const mapped = mapInput({ ...FULL_PRIVATE_CUSTOMER, addresses: [home] });
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
    expect(mapped.request.body.address).toEqual({
      address1: 'Mannerheimintie 12',
      address3: 'apartment 4',
      city: 'Helsinki',
      country: 'FIN',
      zipCode: '00100',
    });
    expect(mapped.request.body.regNo).toBe('120485-123A');
    expect(mapped.request.body.screening).toEqual({ status: false });
    expect(mapped.request.body.riskScore).toBe('Low');
    expect(mapped.omitted).toEqual([
      'gender is not sent: Enfuce\'s private customer has no gender field',
      'currency is not sent: Enfuce sets currencies on accounts, not on the customer',
      'accounts[0] (4000000000000000001) and its 1 card(s) are not sent: Enfuce creates accounts and cards through its account API',
      'identities[0] (PASSPORT) is not sent: Enfuce holds one registration number (regNo), taken from identities[1] (NATIONAL_ID)',
    ]);
  });

  it('limits customerNumber to 32 letters or digits, as the seed revision does (the newer one allows 64)', () => {
    const customer = canonical(FULL_PRIVATE_CUSTOMER);
    expect(mapCustomer(customer, {}, { customerNumber: 'A'.repeat(32) }).ok).toBe(true);
    expectError(mapCustomer(customer, {}, { customerNumber: 'A'.repeat(33) }), ['customer', 'customerNumber'], 'TOO_LONG');
    expectError(mapCustomer(customer, {}, { customerNumber: 'AB-12' }), ['customer', 'customerNumber'], 'INVALID_FORMAT');
  });

  it('accepts exactly the seed locale list: de_LU (added by the newer revision) is refused, kok_IN is taken', () => {
    expectError(mapInput({ ...FULL_PRIVATE_CUSTOMER, locale: 'de_LU' }), ['customer', 'locale'], 'UNSUPPORTED');
    expect(body(mapInput({ ...FULL_PRIVATE_CUSTOMER, locale: 'kok_IN' })).body.locale).toBe('kok_IN');
  });

  it('limits regNo to 32 characters, as the seed revision does (the newer one allows 64)', () => {
    const identities = [{ type: 'NATIONAL_ID', number: 'N'.repeat(33), issuingCountry: 'FI' }];
    expectError(mapInput({ ...FULL_PRIVATE_CUSTOMER, identities }), ['customer', 'identities', 0, 'number'], 'TOO_LONG');
  });

  it('authenticates with HTTP Basic; the Bearer header of the rendered endpoint page is refused', async () => {
    const seen: Headers[] = [];
    const sandbox = sandboxOnly();
    const fetch: FetchLike = async (input, init) => {
      const request = new Request(input, init);
      seen.push(request.headers);
      return sandbox.handle(request, new URL(input).pathname.replace('/sandbox/enfuce', ''));
    };
    const adapter = enfuceProvider.createAdapter({ baseUrl: ROOT, settings: SETTINGS, http: createProviderHttp({ provider: 'ENFUCE', fetch }) });
    const [outcome] = await adapter.create([body(mapInput(FULL_PRIVATE_CUSTOMER))], call());
    expect(outcome?.status).toBe('SYNCED');
    expect(seen[0]?.get('authorization')).toBe(`Basic ${Buffer.from('api-user:correct-horse-battery-staple').toString('base64')}`);
    const bearer = await send(sandbox, 'POST', '/v3/PRIVATE', { body: VALID_BODY, auth: `Bearer ${SETTINGS.password}` });
    expect(bearer.status).toBe(401);
  });

  it('never sends birthCountry (newest documentation only), and the simulator refuses fields outside the seed revision', async () => {
    expect(Object.keys(body(mapInput(FULL_PRIVATE_CUSTOMER)).body)).not.toContain('birthCountry');
    const answer = await send(sandboxOnly(), 'POST', '/v3/PRIVATE', { body: { ...VALID_BODY, birthCountry: 'FIN' } });
    expect(answer.status).toBe(400);
    expect(answer.json.errors).toEqual([expect.objectContaining({ field: '' })]);
    expect(JSON.stringify(answer.json.errors)).toContain('birthCountry');
  });

  it('treats both 200 and 201 as success, since the documented success status is unknown', async () => {
    for (const status of [200, 201]) {
      const fetch: FetchLike = async () => new Response(JSON.stringify({ description: 'ok', id: '151077912' }), { status });
      const adapter = enfuceProvider.createAdapter({ baseUrl: ROOT, settings: SETTINGS, http: createProviderHttp({ provider: 'ENFUCE', fetch }) });
      const [outcome] = await adapter.create([body(mapInput(FULL_PRIVATE_CUSTOMER))], call());
      expect(outcome).toEqual({ status: 'SYNCED', externalId: '151077912', requestId: null, error: null });
    }
  });

  it('accepts only the four risk scores the documentation shows (its list is cut off)', async () => {
    const answer = await send(sandboxOnly(), 'POST', '/v3/PRIVATE', { body: { ...VALID_BODY, riskScore: 'Medium' } });
    expect(answer.status).toBe(400);
    expect(answer.json.errors).toEqual([expect.objectContaining({ field: 'riskScore' })]);
  });
});

describe('Enfuce: provider rules at the caller\'s input path', () => {
  it('sends only private customers: BUSINESS is unsupported at customer.kind', () => {
    const mapped = mapInput({ kind: 'BUSINESS', businessName: 'Oy Esimerkki Ab', locale: 'fi_FI' });
    expect(errorsOf(mapped)).toEqual([expect.objectContaining({ field: ['customer', 'kind'], code: 'UNSUPPORTED', provider: 'ENFUCE' })]);
  });

  it('requires phone numbers to start with +: landline → phoneNumber, mobile → mobileNumber', () => {
    const mapped = mapCustomer(bypass({ phones: { mobile: '358401234567', landline: '0921010001' } }));
    expectError(mapped, ['customer', 'phones', 'mobile'], 'INVALID_FORMAT');
    expectError(mapped, ['customer', 'phones', 'landline'], 'INVALID_FORMAT');
    const sent = body(mapInput({ ...FULL_PRIVATE_CUSTOMER, phones: { mobile: '+358401234567', landline: '+35891234567' } })).body;
    expect([sent.mobileNumber, sent.phoneNumber]).toEqual(['+358401234567', '+35891234567']);
  });

  it('requires a locale', () => {
    const { locale: _locale, ...withoutLocale } = FULL_PRIVATE_CUSTOMER;
    expectError(mapInput(withoutLocale), ['customer', 'locale'], 'REQUIRED');
  });

  it('sends nationalities as ISO alpha-3, so Romania goes as ROU (never the refused ROM)', () => {
    expect(body(mapInput({ ...FULL_PRIVATE_CUSTOMER, nationalities: ['RO', 'SE', 'XK'] })).body.nationality).toEqual(['ROU', 'SWE', 'XKK']);
    expectError(mapCustomer(bypass({ nationalities: ['FI', 'ZZ'] })), ['customer', 'nationalities', 1], 'UNSUPPORTED');
  });

  it('refuses QZZ and ROM in the simulator even when sent directly', async () => {
    const answer = await send(sandboxOnly(), 'POST', '/v3/PRIVATE', { body: { ...VALID_BODY, nationality: ['QZZ', 'ROM', 'FIN'] } });
    expect(answer.status).toBe(400);
    expect(answer.json.errors).toEqual([
      expect.objectContaining({ field: 'nationality.0' }),
      expect.objectContaining({ field: 'nationality.1' }),
    ]);
  });

  it('takes regNo from NATIONAL_ID, else SSN, else TAX_ID', () => {
    const ids = {
      TAX_ID: { type: 'TAX_ID', number: 'TAX1', issuingCountry: 'FI' },
      SSN: { type: 'SSN', number: 'SSN1', issuingCountry: 'US' },
      NATIONAL_ID: { type: 'NATIONAL_ID', number: 'NID1', issuingCountry: 'FI' },
    };
    const regNo = (identities: unknown[]) => body(mapInput({ ...FULL_PRIVATE_CUSTOMER, identities })).body.regNo;
    expect(regNo([ids.TAX_ID, ids.SSN, ids.NATIONAL_ID])).toBe('NID1');
    expect(regNo([ids.TAX_ID, ids.SSN])).toBe('SSN1');
    expect(regNo([ids.TAX_ID])).toBe('TAX1');
  });

  it('reports a missing regNo once, at customer.identities, when no identity can be one', () => {
    const identities = [{ type: 'PASSPORT', number: 'P1234567', issuingCountry: 'FI' }];
    const errors = errorsOf(mapInput({ ...FULL_PRIVATE_CUSTOMER, identities }));
    expect(errors).toEqual([expect.objectContaining({ field: ['customer', 'identities'], code: 'REQUIRED', provider: 'ENFUCE' })]);
    expect(errors[0]?.message).toMatch(/NATIONAL_ID, SSN or TAX_ID/);
  });

  it('requires an address that can be the default one', () => {
    expectError(mapInput({ ...FULL_PRIVATE_CUSTOMER, addresses: [] }), ['customer', 'addresses'], 'REQUIRED');
    const onlyTemporary = [{ ...FULL_PRIVATE_CUSTOMER.addresses[0], kind: 'TEMPORARY' }];
    expectError(mapInput({ ...FULL_PRIVATE_CUSTOMER, addresses: onlyTemporary }), ['customer', 'addresses'], 'REQUIRED');
  });

  it('builds address from the primary address and temporaryAddress from a TEMPORARY one', () => {
    const mapped = mapInput({
      ...FULL_PRIVATE_CUSTOMER,
      addresses: [
        { kind: 'TEMPORARY', line1: 'Hamngatan', buildingNumber: '3', city: 'Stockholm', postalCode: '11147', country: 'SE', validUntil: '2027-01-31' },
        { kind: 'MAILING', line1: 'PL 100', city: 'Espoo', country: 'FI', poBox: '100' },
        {
          kind: 'RESIDENTIAL',
          line1: 'Mannerheimintie',
          line2: 'c/o Virtanen',
          buildingNumber: '12',
          entrance: 'A',
          floor: '3',
          apartment: '4',
          city: 'Helsinki',
          region: 'Uusimaa',
          postalCode: '00100',
          country: 'FI',
          isPrimary: true,
        },
      ],
    });
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
    expect(mapped.request.body.address).toEqual({
      address1: 'Mannerheimintie 12',
      address2: 'c/o Virtanen',
      address3: 'entrance A, floor 3, apartment 4',
      city: 'Helsinki',
      region: 'Uusimaa',
      country: 'FIN',
      zipCode: '00100',
    });
    expect(mapped.request.body.temporaryAddress).toEqual({ address1: 'Hamngatan 3', city: 'Stockholm', country: 'SWE', zipCode: '11147' });
    expect(mapped.omitted).toContain('addresses[1] (MAILING) is not sent: Enfuce holds one address and one temporary address');
    expect(mapped.omitted).toContain('addresses[0].validUntil is not sent: Enfuce\'s address has no field for it');
  });

  it('limits first and last names to 255 characters and salutation to 32, never truncating', () => {
    const long = bypass({ name: { first: 'F'.repeat(256), last: 'L'.repeat(255), salutation: 'S'.repeat(33) } });
    const mapped = mapCustomer(long);
    expectError(mapped, ['customer', 'name', 'first'], 'TOO_LONG');
    expectError(mapped, ['customer', 'name', 'salutation'], 'TOO_LONG');
    expect(errorsOf(mapped)).toHaveLength(2);
    expectError(mapCustomer(bypass({ name: { first: 'Aino' } })), ['customer', 'name', 'last'], 'REQUIRED');
  });

  it('under BIN sponsorship requires dateOfBirth, nationality, postal code and a risk score', () => {
    const { dateOfBirth: _dob, nationalities: _n, screening: _s, ...rest } = FULL_PRIVATE_CUSTOMER;
    const input = { ...rest, addresses: [{ ...FULL_PRIVATE_CUSTOMER.addresses[0], postalCode: undefined }] };
    expect(mapInput(input).ok).toBe(true);
    const mapped = mapInput(input, { binSponsored: true });
    expect(errorsOf(mapped).map((error) => [error.field, error.code])).toEqual([
      [['customer', 'dateOfBirth'], 'REQUIRED'],
      [['customer', 'nationalities'], 'REQUIRED'],
      [['customer', 'screening', 'riskScore'], 'REQUIRED'],
      [['customer', 'addresses', 0, 'postalCode'], 'REQUIRED'],
    ]);
    expect(mapInput(FULL_PRIVATE_CUSTOMER, { binSponsored: true }).ok).toBe(true);
  });

  it('takes riskScore from the option, else Pep for a PEP, else the canonical score', () => {
    const risk = (screening: unknown, opts: unknown = {}) =>
      body(mapInput({ ...FULL_PRIVATE_CUSTOMER, screening }, opts)).body.riskScore;
    expect(risk({ riskScore: 'LOW' })).toBe('Low');
    expect(risk({ riskScore: 'MEDIUM' })).toBe('Med');
    expect(risk({ riskScore: 'HIGH' })).toBe('High');
    expect(risk({ pep: true, riskScore: 'LOW' })).toBe('Pep');
    expect(risk({ pep: true }, { riskScore: 'HIGH' })).toBe('High');
    expect(risk(undefined)).toBeUndefined();
  });

  it('sends screening.status as pep OR sanctions, and no screening when neither is known', () => {
    const status = (screening: unknown) => body(mapInput({ ...FULL_PRIVATE_CUSTOMER, screening })).body.screening;
    expect(status({ pep: false, sanctions: true })).toEqual({ status: true });
    expect(status({ pep: false, sanctions: false })).toEqual({ status: false });
    expect(status({ riskScore: 'LOW' })).toBeUndefined();
  });

  it('logs the authenticated caller as auditUser, else the option, else the configured default', () => {
    const customer = canonical(FULL_PRIVATE_CUSTOMER);
    expect(body(mapCustomer(customer, { auditUser: 'ops' }, { auditUser: 'jane@bank' })).auditUser).toBe('jane@bank');
    expect(body(mapCustomer(customer, { auditUser: 'ops' })).auditUser).toBe('ops');
    expect(body(mapCustomer(customer)).auditUser).toBe('customer-graph');
  });

  it('reports additionalValues problems under providerOptions.enfuce', () => {
    const pairs = [{ key: 'segment', value: 'retail' }, { key: 'segment', value: 'private' }];
    expectError(mapInput(FULL_PRIVATE_CUSTOMER, { additionalValues: pairs }), ['providerOptions', 'enfuce', 'additionalValues', 1, 'key'], 'TAKEN');
    expect(body(mapInput(FULL_PRIVATE_CUSTOMER, { additionalValues: pairs.slice(0, 1) })).body.additionalValues).toEqual(pairs.slice(0, 1));
  });

  it('updates only a customer Enfuce already knows', () => {
    const customer = canonical(FULL_PRIVATE_CUSTOMER);
    const update = offline.mapUpdate;
    expectError(update(routingFor(customer, options())), ['customer'], 'NOT_FOUND');
    const mapped = update(routingFor(customer, options(), { externalId: '151077912' }));
    expect(mapped.ok && mapped.request).toMatchObject({ id: '151077912', auditUser: 'customer-graph', body: { regNo: '120485-123A' } });
  });
});

describe('Enfuce options', () => {
  it('apply defaults when fields or the whole object are null, as GraphQL sends them', () => {
    const defaults = { auditUser: undefined, riskScore: undefined, binSponsored: false, additionalValues: [] };
    expect(options(null)).toEqual(defaults);
    expect(options(undefined)).toEqual(defaults);
    expect(options({ auditUser: null, riskScore: null, binSponsored: null, additionalValues: null })).toEqual(defaults);
    expect(options({ riskScore: 'PEP', binSponsored: true, auditUser: ' ops ' })).toMatchObject({ riskScore: 'PEP', binSponsored: true, auditUser: 'ops' });
  });

  it('refuse unknown risk scores at the option\'s own path', () => {
    const result = enfuceProvider.optionsSchema.safeParse({ riskScore: 'Medium' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['riskScore']);
  });
});

describe('Enfuce adapter against its simulator', () => {
  it('creates a private customer: SYNCED with the numeric id, stored by the simulator', async () => {
    const { adapter, sandbox, calls } = await wired();
    const request = body(mapInput(FULL_PRIVATE_CUSTOMER));
    const [outcome] = await adapter.create([request], call());
    expect(outcome).toMatchObject({ status: 'SYNCED', externalId: expect.stringMatching(/^\d+$/), requestId: null, error: null });
    const state = sandbox.state();
    expect(state.records.customers).toEqual([{ id: outcome?.externalId, auditUser: 'customer-graph', customer: request.body }]);
    expect(state.requests).toEqual({ total: 1, byRoute: { 'POST /v3/PRIVATE': 1 } });
    expect(calls).toEqual([expect.objectContaining({ provider: 'ENFUCE', operation: 'customer.create', outcome: 'ok' })]);
  });

  it('updates the customer by its Enfuce id and finds it by regNo', async () => {
    const { adapter, sandbox } = await wired();
    const customer = canonical(FULL_PRIVATE_CUSTOMER);
    const [created] = await adapter.create([body(adapter.mapCreate(routingFor(customer, options())))], call());
    const renamed = canonical({ ...FULL_PRIVATE_CUSTOMER, name: { first: 'Aino', last: 'Korhonen' } });
    const update = body(adapter.mapUpdate(routingFor(renamed, options(), { externalId: created!.externalId })));
    expect(await adapter.update(update, call())).toEqual({ status: 'SYNCED', externalId: created!.externalId, requestId: null, error: null });
    const stored = sandbox.state().records.customers as { customer: { lastName: string } }[];
    expect(stored.map((record) => record.customer.lastName)).toEqual(['Korhonen']);
    expect(await adapter.findCustomerIdByRegNo('120485-123A', call())).toBe(created!.externalId);
    expect(await adapter.findCustomerIdByRegNo('999999-999X', call())).toBeNull();
  });

  it('reports a repeated customerNumber as a rejection that is not retried', async () => {
    const { adapter } = await wired();
    const request = body(mapInput(FULL_PRIVATE_CUSTOMER));
    await adapter.create([request], call());
    const [second] = await adapter.create([request], call());
    expect(second?.status).toBe('FAILED');
    expect(second?.error).toMatchObject({ code: 'PROVIDER_REJECTED', status: 409, providerCode: 'CUSTOMER_NUMBER_TAKEN', retryable: false });
  });

  it('reports an update of an unknown Enfuce id as rejected', async () => {
    const { adapter } = await wired();
    const update = body(adapter.mapUpdate(routingFor(canonical(FULL_PRIVATE_CUSTOMER), options(), { externalId: '42' })));
    const outcome = await adapter.update(update, call());
    expect(outcome.error).toMatchObject({ code: 'PROVIDER_REJECTED', status: 404, providerCode: 'CUSTOMER_NOT_FOUND' });
  });

  it('refuses a request that is not a mapped Enfuce request without calling Enfuce', async () => {
    const { adapter, calls } = await wired();
    const outcome = await adapter.update({ id: 'abc', body: {} }, call());
    expect(outcome.error).toMatchObject({ code: 'PROVIDER_REJECTED', retryable: false });
    expect(calls).toHaveLength(0);
  });
});

describe('Enfuce simulator on its own', () => {
  it('rejects a contract-breaking body with 400 and the field list', async () => {
    const { firstName: _first, ...noFirstName } = VALID_BODY;
    const answer = await send(sandboxOnly(), 'POST', '/v3/PRIVATE', { body: { ...noFirstName, mobileNumber: '0401234567' } });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ status: 400, error: 'Bad Request', code: 'VALIDATION_FAILED' });
    expect(answer.json.errors).toEqual([
      { field: 'firstName', message: 'is required' },
      expect.objectContaining({ field: 'mobileNumber' }),
    ]);
  });

  it('requires the auditUser query parameter and a JSON body', async () => {
    const sandbox = sandboxOnly();
    const noAudit = await send(sandbox, 'POST', '/v3/PRIVATE', { body: VALID_BODY, query: '' });
    expect(noAudit.status).toBe(400);
    expect(noAudit.json.errors).toEqual([expect.objectContaining({ field: 'auditUser' })]);
    expect((await send(sandbox, 'POST', '/v3/PRIVATE', { body: '{not json' })).status).toBe(400);
    expect((await send(sandbox, 'POST', '/v3/PRIVATE', { body: VALID_BODY, contentType: 'text/plain' })).status).toBe(415);
  });

  it('answers 404 for unknown routes and unknown regNos, 405 for a wrong method, and logs each by route', async () => {
    const sandbox = sandboxOnly();
    const unknown = await send(sandbox, 'GET', '/v3/CORPORATE');
    expect(unknown).toMatchObject({ status: 404, json: { status: 404, code: 'NOT_FOUND' } });
    expect((await send(sandbox, 'GET', '/v3/regNo/nobody/id')).json).toMatchObject({ status: 404, code: 'CUSTOMER_NOT_FOUND' });
    const wrongMethod = await send(sandbox, 'DELETE', '/v3/PRIVATE');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(sandbox.state().requests.byRoute).toEqual({
      'GET (unknown route)': 1,
      'GET /v3/regNo/:regNo/id': 1,
      'DELETE /v3/PRIVATE': 1,
    });
  });
});

describe('Enfuce authentication', () => {
  it('the simulator refuses missing and wrong Basic credentials with 401', async () => {
    const sandbox = sandboxOnly();
    const missing = await send(sandbox, 'POST', '/v3/PRIVATE', { body: VALID_BODY, auth: null });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Basic /);
    const wrong = `Basic ${Buffer.from(`${SETTINGS.username}:wrong-password`).toString('base64')}`;
    expect((await send(sandbox, 'POST', '/v3/PRIVATE', { body: VALID_BODY, auth: wrong })).status).toBe(401);
    expect(sandbox.state().records).toEqual({});
  });

  it('the adapter reports refused credentials as PROVIDER_AUTH_FAILED', async () => {
    const sandbox = sandboxOnly();
    const http = createProviderHttp({
      provider: 'ENFUCE',
      fetch: async (input, init) => sandbox.handle(new Request(input, init), new URL(input).pathname.replace('/sandbox/enfuce', '')),
    });
    const bad = enfuceProvider.createAdapter({ baseUrl: ROOT, http, settings: { ...SETTINGS, password: 'not-the-password' } });
    const [outcome] = await bad.create([body(mapInput(FULL_PRIVATE_CUSTOMER))], call());
    expect(outcome).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_AUTH_FAILED', status: 401, retryable: false } });
    await expect(bad.findCustomerIdByRegNo('120485-123A', call())).rejects.toMatchObject({ code: 'PROVIDER_AUTH_FAILED' });
    expect(sandbox.state().requests.byRoute).toEqual({ 'POST /v3/PRIVATE': 1, 'GET /v3/regNo/:regNo/id': 1 });
  });
});

describe('Enfuce faults', () => {
  it('with failureRate 1 every call fails as retryable PROVIDER_UNAVAILABLE with Retry-After', async () => {
    const { adapter, sandbox } = await wired({ faults: { failureRate: 1, seed: 1 } });
    const [outcome] = await adapter.create([body(mapInput(FULL_PRIVATE_CUSTOMER))], call());
    expect(outcome).toMatchObject({
      status: 'FAILED',
      error: { code: 'PROVIDER_UNAVAILABLE', status: 503, retryable: true, retryAfterSeconds: 1, providerCode: 'SERVICE_UNAVAILABLE' },
    });
    expect(sandbox.state().records).toEqual({});
  });

  it('the same seed fails the same requests', async () => {
    const run = async () => {
      const { adapter } = await wired({ faults: { failureRate: 0.5, seed: 7 } });
      const statuses: string[] = [];
      for (let i = 0; i < 12; i++) {
        const mapped = mapCustomer(canonical(FULL_PRIVATE_CUSTOMER), {}, { customerNumber: `C${i}` });
        const [outcome] = await adapter.create([body(mapped)], call());
        statuses.push(outcome!.status);
      }
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['SYNCED', 'FAILED']));
  });
});

describe('Enfuce persistence and settings', () => {
  it('keeps customers in its SQLite file across close and reopen', async () => {
    const file = join(tempDir(), 'sandbox-enfuce.db');
    const first = enfuceProvider.createSandbox({ file, settings: SETTINGS });
    const created = await first.handle(rawRequest('POST', '/v3/PRIVATE', { body: VALID_BODY }), '/v3/PRIVATE');
    const { id } = (await created.json()) as { id: string };
    first.close();
    const reopened = sandboxOnly(file);
    expect(reopened.state().records.customers).toEqual([{ id, auditUser: 'tester', customer: VALID_BODY }]);
    expect((await send(reopened, 'GET', `/v3/regNo/${encodeURIComponent(VALID_BODY.regNo)}/id`)).json).toEqual({ id });
    const next = await send(reopened, 'POST', '/v3/PRIVATE', { body: { ...VALID_BODY, customerNumber: 'C0002' } });
    expect(next.json.id).not.toBe(id);
  });

  it('generates sandbox credentials once per data directory and reuses them', async () => {
    const dir = tempDir();
    const first = await enfuceProvider.sandboxSettings(dir);
    expect(await enfuceProvider.sandboxSettings(dir)).toEqual(first);
    expect(JSON.parse(readFileSync(join(dir, 'sandbox-enfuce-settings.json'), 'utf8'))).toMatchObject({ password: first.password });
    const inMemory = await enfuceProvider.sandboxSettings(null);
    expect(inMemory.password).not.toBe(first.password);
    expect(existsSync(join(dir, 'sandbox-enfuce-settings.json'))).toBe(true);
  });

  it('reads live settings from PROVIDER_ENFUCE_* and names what is missing', () => {
    const env = {
      PROVIDER_ENFUCE_URL: 'https://integration-api-cat2.live.ext.prod.cia.enfuce.com/customer',
      PROVIDER_ENFUCE_USERNAME: 'bank-api',
      PROVIDER_ENFUCE_PASSWORD: 's3cret',
    };
    expect(enfuceProvider.settingsFromEnv(env)).toEqual({ username: 'bank-api', password: 's3cret', defaultAuditUser: 'customer-graph' });
    expect(enfuceProvider.settingsFromEnv({ ...env, PROVIDER_ENFUCE_AUDIT_USER: 'bank-ops' }).defaultAuditUser).toBe('bank-ops');
    const { PROVIDER_ENFUCE_PASSWORD: _password, ...withoutPassword } = env;
    expect(() => enfuceProvider.settingsFromEnv(withoutPassword)).toThrow(/PROVIDER_ENFUCE_PASSWORD: is not set/);
    expect(() => enfuceProvider.settingsFromEnv({ ...env, PROVIDER_ENFUCE_URL: undefined })).toThrow(/PROVIDER_ENFUCE_URL/);
  });
});

describe('Enfuce transport and answers outside the contract', () => {
  const adapterWith = (fetch: FetchLike) =>
    enfuceProvider.createAdapter({ baseUrl: ROOT, settings: SETTINGS, http: createProviderHttp({ provider: 'ENFUCE', fetch }) });
  const createWith = async (fetch: FetchLike, signal = new AbortController().signal) =>
    (await adapterWith(fetch).create([body(mapInput(FULL_PRIVATE_CUSTOMER))], { signal }))[0];

  it('a fetch that throws is PROVIDER_UNAVAILABLE', async () => {
    const outcome = await createWith(() => Promise.reject(new TypeError('connect ECONNREFUSED 127.0.0.1:443')));
    expect(outcome).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_UNAVAILABLE', retryable: true } });
  });

  it('an aborted call is PROVIDER_TIMEOUT', async () => {
    const controller = new AbortController();
    const hanging: FetchLike = (_input, init) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const pending = createWith(hanging, controller.signal);
    controller.abort();
    expect(await pending).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_TIMEOUT', retryable: true } });
  });

  it('a success without a numeric id is PROVIDER_BAD_RESPONSE', async () => {
    const outcome = await createWith(async () => new Response('<html>ok</html>', { status: 200 }));
    expect(outcome).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_BAD_RESPONSE' } });
  });

  it('reads non-JSON error pages, 403 and 429 with Retry-After', async () => {
    const gateway = await createWith(async () => new Response('<html><body>Bad Gateway</body></html>', { status: 502 }));
    expect(gateway?.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', status: 502 });
    expect(gateway?.error?.message).toContain('Bad Gateway');
    const forbidden = await createWith(async () => new Response(JSON.stringify({ message: 'API user lacks access' }), { status: 403 }));
    expect(forbidden?.error).toMatchObject({ code: 'PROVIDER_AUTH_FAILED', status: 403 });
    const limited = await createWith(async () => new Response('', { status: 429, headers: { 'retry-after': '30' } }));
    expect(limited?.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryAfterSeconds: 30, retryable: true });
  });
});
