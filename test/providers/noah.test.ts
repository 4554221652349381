import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import type { CanonicalCustomer } from '../../src/domain/canonical-customer.js';
import type { ProviderError } from '../../src/providers/errors.js';
import { createProviderHttp, type FetchLike } from '../../src/providers/http.js';
import { importSigningKey, sha256Hex, signRequest } from '../../src/providers/noah/client.js';
import { errorBodySchema, putCustomerBodySchema, type NoahPutCustomer } from '../../src/providers/noah/contract.js';
import { createNoahClient, noahProvider, SANDBOX_CREDENTIALS_FILE, type NoahOptions, type NoahSettings } from '../../src/providers/noah/index.js';
import { mapPutCustomer, mapPutCustomerUpdate } from '../../src/providers/noah/mapper.js';
import { inProcessSandboxFetch, sandboxBaseUrl } from '../../src/providers/sandbox-mount.js';
import type { FaultConfig, Mapped, Sandbox } from '../../src/providers/types.js';
import { adapterWithSandbox, canonical, FULL_PRIVATE_CUSTOMER, routingFor, TEST_ORIGIN } from './harness.js';

const NOW = new Date('2026-11-21T10:00:00Z');
const CUSTOMER_ID = '6f1c2a4e-1b7d-4c1e-9a53-2d0f8e6b7c10';
const BASE_URL = sandboxBaseUrl(TEST_ORIGIN, 'NOAH');
const DEFAULTS = noahProvider.optionsSchema.parse(null);
const settings = await noahProvider.sandboxSettings(null);

/** The harness customer plus the region NOAH requires for State (FULL_PRIVATE_CUSTOMER has none). */
const NOAH_CUSTOMER = {
  ...FULL_PRIVATE_CUSTOMER,
  addresses: [{ ...FULL_PRIVATE_CUSTOMER.addresses[0], region: 'Uusimaa' }],
};

function mapped(input: Record<string, unknown>, options: NoahOptions = DEFAULTS, overrides = {}): Mapped<NoahPutCustomer> {
  return mapPutCustomer(routingFor(canonical(input), options, overrides));
}

function request(input: Record<string, unknown> = NOAH_CUSTOMER, options: NoahOptions = DEFAULTS): NoahPutCustomer {
  const result = mapped(input, options);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.request;
}

function errorsOf(result: Mapped<NoahPutCustomer>) {
  if (result.ok) throw new Error('expected the mapping to fail');
  return result.errors.map(({ field, code, provider }) => ({ field, code, provider }));
}

function withAddress(address: Record<string, unknown>) {
  return { ...NOAH_CUSTOMER, addresses: [{ ...NOAH_CUSTOMER.addresses[0], ...address }] };
}

/** A sandbox and an adapter that may disagree about keys or clocks (the harness gives them the same). */
function wired(options: {
  adapterSettings?: NoahSettings;
  sandboxSettings?: NoahSettings;
  adapterNow?: () => Date;
  sandboxNow?: () => Date;
  faults?: FaultConfig;
} = {}) {
  const sandbox = noahProvider.createSandbox({
    file: ':memory:',
    settings: options.sandboxSettings ?? settings,
    now: options.sandboxNow ?? (() => NOW),
    sleep: async () => {},
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const http = createProviderHttp({ provider: 'NOAH', fetch: inProcessSandboxFetch([sandbox]) });
  const deps = { baseUrl: BASE_URL, http, settings: options.adapterSettings ?? settings, now: options.adapterNow ?? (() => NOW) };
  return { sandbox, adapter: noahProvider.createAdapter(deps), client: createNoahClient(deps) };
}

const call = () => ({ signal: new AbortController().signal });

/** A request signed with `settings`' key, as a NOAH client would build it; parts can be swapped to break it. */
async function signedRequest(
  method: string,
  path: string,
  body?: string,
  tweak: { signedMethod?: string; signedPath?: string; signedBody?: string; ttlSeconds?: number; issuedAt?: Date; apiKey?: string | null } = {},
): Promise<Request> {
  const url = `${BASE_URL}${path}`;
  const signature = await signRequest(
    await importSigningKey(settings.signingKey),
    'ES384',
    { method: tweak.signedMethod ?? method, url: tweak.signedPath ? `${BASE_URL}${tweak.signedPath}` : url, body: tweak.signedBody ?? body },
    tweak.issuedAt ?? NOW,
    tweak.ttlSeconds,
  );
  const apiKey = tweak.apiKey === undefined ? settings.apiKey : tweak.apiKey;
  return new Request(url, {
    method,
    headers: { 'Api-Signature': signature, 'Content-Type': 'application/json', ...(apiKey === null ? {} : { 'X-Api-Key': apiKey }) },
    ...(body === undefined ? {} : { body }),
  });
}

async function answer(sandbox: Sandbox, req: Request) {
  const response = await sandbox.handle(req, new URL(req.url).pathname.replace('/sandbox/noah', ''));
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
}

function failed(outcome: { status: string; error: ProviderError | null }) {
  expect(outcome.status).toBe('FAILED');
  return outcome.error!;
}

describe('NOAH seed fidelity (seeds/001, Put Customer)', () => {
  it('maps the seed example, as canonical input, to the seed request field for field', () => {
    // The seed's own examples: DateOfBirth and dates 2024-04-16, IssuingCountry/Country US,
    // IDType Passport, State "CA". It names no person, so the names and street are ours.
    const seedExample = {
      name: { first: 'Jane', middle: 'Quinn', last: 'Doe' },
      dateOfBirth: '2024-04-16',
      identities: [{ type: 'PASSPORT', number: 'X1234567', issuingCountry: 'US', issuedOn: '2024-04-16', expiresOn: '2034-04-15' }],
      addresses: [{ line1: 'Main St', buildingNumber: '123', line2: 'Suite 4', city: 'San Francisco', postalCode: '94105', region: 'CA', country: 'US' }],
    };
    const result = mapped(seedExample, { ...DEFAULTS, buildingNumberPlacement: 'BEFORE_STREET' });

    expect(result).toEqual({
      ok: true,
      omitted: [],
      request: {
        path: { CustomerID: CUSTOMER_ID },
        body: {
          FullName: { FirstName: 'Jane', LastName: 'Doe', MiddleName: 'Quinn' },
          DateOfBirth: '2024-04-16',
          Identities: [{ IssuingCountry: 'US', IDNumber: 'X1234567', IssuedDate: '2024-04-16', ExpiryDate: '2034-04-15', IDType: 'Passport' }],
          PrimaryResidence: { Street: '123 Main St', Street2: 'Suite 4', City: 'San Francisco', PostCode: '94105', State: 'CA', Country: 'US' },
        },
      },
    });
  });

  it('seed inconsistency: one example date (2024-04-16) for IssuedDate and ExpiryDate; canonical input needs expiry after issue', () => {
    expect(() =>
      canonical({ ...NOAH_CUSTOMER, identities: [{ type: 'PASSPORT', number: 'X1', issuingCountry: 'US', issuedOn: '2024-04-16', expiresOn: '2024-04-16' }] }),
    ).toThrow(/must be after issuedOn/);
  });

  it('seed inconsistency: DateOfBirth is only "exactly 10 characters"; we also require YYYY-MM-DD', () => {
    const tenCharacters = '16.04.2024';
    expect(putCustomerBodySchema.shape.DateOfBirth.safeParse(tenCharacters).success).toBe(false);
    expect(putCustomerBodySchema.shape.DateOfBirth.safeParse('2024-04-16').success).toBe(true);
    expect(putCustomerBodySchema.shape.DateOfBirth.safeParse('2023-02-30').success).toBe(false);
  });

  it('seed inconsistency: Street2 shows no limit; we apply 200 (UNKNOWN) and report it at the caller field', () => {
    const line2 = 'x'.repeat(200);
    expect(request(withAddress({ line2, apartment: undefined })).body.PrimaryResidence.Street2).toBe(line2);
    // line2 plus the apartment no longer fits: several caller fields made Street2, so the address is named.
    expect(errorsOf(mapped(withAddress({ line2 })))).toEqual([{ field: ['customer', 'addresses', 0], code: 'TOO_LONG', provider: 'NOAH' }]);
  });

  it('seed inconsistency: the seed path is /customers/:CustomerID and lists only Api-Signature; we send /v1 (signed as such) and X-Api-Key too', async () => {
    const sent: Request[] = [];
    const fetch: FetchLike = async (input, init) => {
      sent.push(new Request(input, init));
      return new Response(null, { status: 201 });
    };
    const adapter = noahProvider.createAdapter({ baseUrl: 'https://api.sandbox.noah.com', http: createProviderHttp({ provider: 'NOAH', fetch }), settings, now: () => NOW });

    const [outcome] = await adapter.create([request()], call());

    expect(outcome).toEqual({ status: 'SYNCED', externalId: CUSTOMER_ID, requestId: null, error: null });
    const req = sent[0]!;
    const body = await req.text();
    expect(req.method).toBe('PUT');
    expect(req.url).toBe(`https://api.sandbox.noah.com/v1/customers/${CUSTOMER_ID}`);
    expect(req.headers.get('x-api-key')).toBe(settings.apiKey);
    expect(decodeJwt(req.headers.get('api-signature')!)).toEqual({
      aud: 'https://api.noah.com',
      iat: NOW.getTime() / 1000,
      exp: NOW.getTime() / 1000 + 300,
      method: 'PUT',
      path: `/v1/customers/${CUSTOMER_ID}`,
      bodyHash: sha256Hex(body),
    });
  });

  it('seed inconsistency: "Customer created" shows no body; the outcome needs none (externalId is our CustomerID)', async () => {
    const fetch: FetchLike = async () => new Response(null, { status: 204 });
    const adapter = noahProvider.createAdapter({ baseUrl: 'https://api.noah.com/v1', http: createProviderHttp({ provider: 'NOAH', fetch }), settings });
    expect(await adapter.update!(request(), call())).toEqual({ status: 'SYNCED', externalId: CUSTOMER_ID, requestId: null, error: null });
  });
});

describe('NOAH mapping rules', () => {
  it('maps the full private customer and names everything NOAH cannot hold', () => {
    const result = mapped(NOAH_CUSTOMER);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.request.body.PrimaryResidence).toEqual({
      Street: 'Mannerheimintie 12',
      Street2: 'Apt 4',
      City: 'Helsinki',
      PostCode: '00100',
      State: 'Uusimaa',
      Country: 'FI',
    });
    expect(result.request.body.Identities.map((identity) => identity.IDType)).toEqual(['Passport', 'NationalIDCard']);
    expect(result.omitted.map((sentence) => sentence.split(':')[0])).toEqual([
      'customerNumber',
      'name.salutation',
      'gender',
      'locale',
      'currency',
      'email',
      'phones.mobile',
      'phones.landline',
      'nationalities',
      'screening',
      'accounts and cards',
    ]);
  });

  it.each([
    ['PASSPORT', 'Passport'],
    ['NATIONAL_ID', 'NationalIDCard'],
    ['DRIVING_LICENSE', 'DrivingLicense'],
    ['RESIDENCE_PERMIT', 'ResidencePermit'],
    ['TAX_ID', 'TaxID'],
    ['SSN', 'TaxID'],
    ['ADDRESS_PROOF', 'AddressProof'],
  ])('identity type %s becomes IDType %s', (type, idType) => {
    const body = request({ ...NOAH_CUSTOMER, identities: [{ type, number: 'N-1', issuingCountry: 'US' }] }).body;
    expect(body.Identities).toEqual([{ IssuingCountry: 'US', IDNumber: 'N-1', IDType: idType }]);
  });

  it.each([
    ['first', { first: 'A'.repeat(51), last: 'Virtanen' }],
    ['last', { first: 'Aino', last: 'B'.repeat(51) }],
    ['middle', { first: 'Aino', middle: 'C'.repeat(51), last: 'Virtanen' }],
  ])('a name.%s longer than 50 is refused at the caller path, never cut', (part, name) => {
    expect(errorsOf(mapped({ ...NOAH_CUSTOMER, name }))).toEqual([{ field: ['customer', 'name', part], code: 'TOO_LONG', provider: 'NOAH' }]);
  });

  it('a name of exactly 50 characters is sent whole', () => {
    expect(request({ ...NOAH_CUSTOMER, name: { first: 'A'.repeat(50), last: 'Virtanen' } }).body.FullName.FirstName).toHaveLength(50);
  });

  it('DateOfBirth must be YYYY-MM-DD and is required', () => {
    const customer = canonical(NOAH_CUSTOMER);
    const malformed: CanonicalCustomer = { ...customer, dateOfBirth: '12.04.1985' };
    expect(errorsOf(mapPutCustomer(routingFor(malformed, DEFAULTS)))).toEqual([
      { field: ['customer', 'dateOfBirth'], code: 'INVALID_FORMAT', provider: 'NOAH' },
    ]);
    expect(errorsOf(mapped({ ...NOAH_CUSTOMER, dateOfBirth: undefined }))).toEqual([
      { field: ['customer', 'dateOfBirth'], code: 'REQUIRED', provider: 'NOAH' },
    ]);
  });

  it('an identity is required, and IDNumber is at most 36 characters', () => {
    expect(errorsOf(mapped({ ...NOAH_CUSTOMER, identities: [] }))).toEqual([
      { field: ['customer', 'identities'], code: 'REQUIRED', provider: 'NOAH' },
    ]);
    const long = { type: 'PASSPORT', number: 'P'.repeat(37), issuingCountry: 'FI' };
    expect(errorsOf(mapped({ ...NOAH_CUSTOMER, identities: [NOAH_CUSTOMER.identities[1], long] }))).toEqual([
      { field: ['customer', 'identities', 1, 'number'], code: 'TOO_LONG', provider: 'NOAH' },
    ]);
  });

  it('a residence address with region and postal code is required', () => {
    expect(errorsOf(mapped({ ...NOAH_CUSTOMER, addresses: [] }))).toEqual([
      { field: ['customer', 'addresses'], code: 'REQUIRED', provider: 'NOAH' },
    ]);
    expect(errorsOf(mapped(withAddress({ kind: 'PRIOR', isPrimary: undefined })))).toEqual([
      { field: ['customer', 'addresses'], code: 'REQUIRED', provider: 'NOAH' },
    ]);
    expect(errorsOf(mapped(withAddress({ region: undefined, postalCode: undefined })))).toEqual([
      { field: ['customer', 'addresses', 0, 'postalCode'], code: 'REQUIRED', provider: 'NOAH' },
      { field: ['customer', 'addresses', 0, 'region'], code: 'REQUIRED', provider: 'NOAH' },
    ]);
  });

  it('Street is at least 2 characters, reported at line1', () => {
    expect(errorsOf(mapped(withAddress({ line1: 'A', buildingNumber: undefined })))).toEqual([
      { field: ['customer', 'addresses', 0, 'line1'], code: 'TOO_SHORT', provider: 'NOAH' },
    ]);
  });

  it.each([
    ['US', 'CA', 'CA'],
    ['US', 'California', 'CA'],
    ['US', 'us-ny', 'NY'],
    ['US', 'District of Columbia', 'DC'],
    ['US', 'PR', 'PR'],
    ['CA', 'Québec', 'QC'],
    ['CA', 'ON', 'ON'],
    ['FI', 'Uusimaa', 'Uusimaa'],
  ])('State for %s region "%s" is sent as "%s"', (country, region, state) => {
    expect(request(withAddress({ country, region })).body.PrimaryResidence.State).toBe(state);
  });

  it.each([
    ['US', 'Narnia'],
    ['US', 'ON'],
    ['CA', 'CA'],
  ])('a %s region "%s" that is no ISO 3166-2 subdivision is refused at region', (country, region) => {
    expect(errorsOf(mapped(withAddress({ country, region })))).toEqual([
      { field: ['customer', 'addresses', 0, 'region'], code: 'INVALID', provider: 'NOAH' },
    ]);
  });

  it('CustomerID (our id) must be non-empty and at most 36 characters', () => {
    expect(errorsOf(mapped(NOAH_CUSTOMER, DEFAULTS, { customerId: 'c'.repeat(37) }))).toEqual([
      { field: ['customer'], code: 'TOO_LONG', provider: 'NOAH' },
    ]);
    expect(errorsOf(mapped(NOAH_CUSTOMER, DEFAULTS, { customerId: '' }))).toEqual([{ field: ['customer'], code: 'REQUIRED', provider: 'NOAH' }]);
  });

  it('business customers are not supported', () => {
    expect(errorsOf(mapped({ kind: 'BUSINESS', businessName: 'Acme Oy' }))).toEqual([
      { field: ['customer', 'kind'], code: 'UNSUPPORTED', provider: 'NOAH' },
    ]);
  });

  it('reports every broken rule at once', () => {
    const input = { ...withAddress({ region: undefined }), name: { first: 'A'.repeat(51), last: 'V' }, identities: [] };
    expect(errorsOf(mapped(input)).map((error) => error.field)).toEqual([
      ['customer', 'name', 'first'],
      ['customer', 'identities'],
      ['customer', 'addresses', 0, 'region'],
    ]);
  });

  it('sends the residential address and lists the others as omitted', () => {
    const result = mapped({
      ...NOAH_CUSTOMER,
      addresses: [
        { kind: 'MAILING', line1: 'PL 100', city: 'Helsinki', postalCode: '00101', country: 'FI', isPrimary: true },
        { ...NOAH_CUSTOMER.addresses[0], isPrimary: false, county: 'Helsinki' },
      ],
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.request.body.PrimaryResidence.Street).toBe('Mannerheimintie 12');
    expect(result.omitted).toContain('addresses[0] (MAILING): NOAH holds only the primary residence (addresses[1]); not sent.');
    expect(result.omitted).toContain('addresses[1].county: NOAH PrimaryResidence has no such field; not sent.');
  });

  it('options: building number before the street, and address details left out of Street2', () => {
    const result = mapped(withAddress({ floor: '2', buildingName: 'Talo A' }), {
      buildingNumberPlacement: 'BEFORE_STREET',
      addressDetailsInStreet2: false,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.request.body.PrimaryResidence).toMatchObject({ Street: '12 Mannerheimintie' });
    expect(result.request.body.PrimaryResidence.Street2).toBeUndefined();
    expect(result.omitted.filter((sentence) => sentence.startsWith('addresses[0]'))).toEqual([
      'addresses[0].buildingName: NOAH PrimaryResidence has no such field; not sent.',
      'addresses[0].floor: NOAH PrimaryResidence has no such field; not sent.',
      'addresses[0].apartment: NOAH PrimaryResidence has no such field; not sent.',
    ]);
    expect(request(withAddress({ floor: '2', buildingName: 'Talo A', line2: 'c/o Virtanen' })).body.PrimaryResidence.Street2).toBe(
      'c/o Virtanen, Talo A, Floor 2, Apt 4',
    );
  });

  it('update is the same PUT, addressed to the id NOAH knows', () => {
    const routing = routingFor(canonical(NOAH_CUSTOMER), DEFAULTS, { externalId: 'noah-known-id' });
    const update = mapPutCustomerUpdate(routing);
    const create = mapPutCustomer(routing);
    if (!update.ok || !create.ok) throw new Error('expected both to map');
    expect(update.request).toEqual({ ...create.request, path: { CustomerID: 'noah-known-id' } });
  });

  it('optionsSchema applies defaults for null, undefined and absent fields, and rejects unknown values', () => {
    const defaults = { buildingNumberPlacement: 'AFTER_STREET', addressDetailsInStreet2: true };
    expect(noahProvider.optionsSchema.parse(undefined)).toEqual(defaults);
    expect(noahProvider.optionsSchema.parse({ buildingNumberPlacement: null, addressDetailsInStreet2: null })).toEqual(defaults);
    expect(noahProvider.optionsSchema.parse({ buildingNumberPlacement: 'BEFORE_STREET', addressDetailsInStreet2: false })).toEqual({
      buildingNumberPlacement: 'BEFORE_STREET',
      addressDetailsInStreet2: false,
    });
    const bad = noahProvider.optionsSchema.safeParse({ buildingNumberPlacement: 'MIDDLE' });
    expect(bad.success ? [] : bad.error.issues.map((issue) => issue.path)).toEqual([['buildingNumberPlacement']]);
  });
});

describe('NOAH adapter against its simulator', () => {
  it('creates the customer (201) and the simulator holds it', async () => {
    const { adapter, sandbox, calls } = await adapterWithSandbox(noahProvider, { now: () => NOW });
    const mappedRequest = adapter.mapCreate(routingFor(canonical(NOAH_CUSTOMER), DEFAULTS));
    if (!mappedRequest.ok) throw new Error(JSON.stringify(mappedRequest.errors));

    const outcomes = await adapter.create([mappedRequest.request], call());

    expect(outcomes).toEqual([{ status: 'SYNCED', externalId: CUSTOMER_ID, requestId: null, error: null }]);
    expect(calls.map((c) => [c.operation, c.outcome])).toEqual([['customer.put', 'ok']]);
    const state = sandbox.state();
    expect(state.records.customers).toEqual([{ ...request().body, CustomerID: CUSTOMER_ID, Created: NOW.toISOString() }]);
    expect(state.requests.byRoute).toEqual({ 'PUT /v1/customers/{CustomerID}': 1 });
  });

  it('updates through the same PUT (204), keeps Created, and reads the record back by CustomerID', async () => {
    let clock = NOW;
    const { adapter, client, sandbox } = wired({ adapterNow: () => clock, sandboxNow: () => clock });
    await adapter.create([request()], call());
    clock = new Date(NOW.getTime() + 60_000);
    const renamed = adapter.mapUpdate!(routingFor(canonical({ ...NOAH_CUSTOMER, name: { first: 'Aino', last: 'Korhonen' } }), DEFAULTS));
    if (!renamed.ok) throw new Error(JSON.stringify(renamed.errors));

    expect(await adapter.update!(renamed.request, call())).toMatchObject({ status: 'SYNCED', externalId: CUSTOMER_ID });

    const record = await client.getCustomer(CUSTOMER_ID, call());
    expect(record).toMatchObject({ CustomerID: CUSTOMER_ID, Created: NOW.toISOString(), FullName: { FirstName: 'Aino', LastName: 'Korhonen' } });
    expect(await client.getCustomer('00000000-0000-0000-0000-000000000000', call())).toBeNull();
    expect(sandbox.state().records.customers).toHaveLength(1);
    expect(sandbox.state().requests.byRoute).toEqual({ 'GET /v1/customers/{CustomerID}': 2, 'PUT /v1/customers/{CustomerID}': 2 });
  });

  it('accepts signatures from a registered P-256 key (ES256)', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const es256 = { ...settings, signingKey: { ...(await exportJWK(privateKey)) }, verificationKey: { ...(await exportJWK(publicKey)) } } as NoahSettings;
    const { adapter } = wired({ adapterSettings: es256, sandboxSettings: es256 });
    expect((await adapter.create([request()], call()))[0]!.status).toBe('SYNCED');
  });

  it('refuses a request that is not a NOAH Put Customer without calling NOAH (outbox replay guard)', async () => {
    const { adapter, sandbox } = wired();
    const error = failed(await adapter.update!({ path: { CustomerID: CUSTOMER_ID }, body: { FullName: {} } }, call()));
    expect(error.code).toBe('PROVIDER_REJECTED');
    expect(sandbox.state().requests.total).toBe(0);
  });
});

describe('NOAH simulator contract', () => {
  const sandbox = noahProvider.createSandbox({ file: ':memory:', settings, now: () => NOW });
  afterAll(() => sandbox.close());

  it('rejects a contract-breaking body with 400 InvalidMessage listing every invalid field', async () => {
    const body = request().body;
    const broken = JSON.stringify({
      ...body,
      FullName: { FirstName: 'A'.repeat(51), LastName: 'V' },
      DateOfBirth: '1985-4-12',
      Identities: [{ ...body.Identities[0], IDType: 'SSN' }],
      PrimaryResidence: { ...body.PrimaryResidence, Country: 'US', State: 'Ontario' },
    });

    const res = await answer(sandbox, await signedRequest('PUT', `/v1/customers/${CUSTOMER_ID}`, broken));

    expect(res.status).toBe(400);
    const envelope = errorBodySchema.parse(res.body);
    expect(envelope.Type).toBe('InvalidMessage');
    expect(envelope.Extensions?.Request?.map(({ Field, Reason }) => [Field, Reason])).toEqual([
      ['FullName.FirstName', 'SchemaValidation'],
      ['DateOfBirth', 'SchemaValidation'],
      ['Identities.0.IDType', 'SchemaValidation'],
      ['PrimaryResidence.State', 'IntegrityValidation'],
    ]);
    expect(sandbox.state().records.customers).toBeUndefined();
  });

  it('rejects a CustomerID over 36 characters, a body that is not JSON, and unknown fields', async () => {
    const valid = JSON.stringify(request().body);
    const longId = await answer(sandbox, await signedRequest('PUT', `/v1/customers/${'c'.repeat(37)}`, valid));
    expect([longId.status, errorBodySchema.parse(longId.body).Extensions?.Request?.[0]?.Field]).toEqual([400, 'CustomerID']);
    const notJson = await answer(sandbox, await signedRequest('PUT', `/v1/customers/${CUSTOMER_ID}`, '{"FullName":'));
    expect([notJson.status, errorBodySchema.parse(notJson.body).Extensions?.Request?.[0]?.Description]).toEqual([400, 'the body is not JSON']);
    const extra = await answer(sandbox, await signedRequest('PUT', `/v1/customers/${CUSTOMER_ID}`, JSON.stringify({ ...request().body, Email: 'a@b.c' })));
    expect([extra.status, errorBodySchema.parse(extra.body).Extensions?.Request]).toEqual([
      400,
      [{ Field: 'Email', Reason: 'SchemaValidation', Description: 'is not a NOAH field' }],
    ]);
  });

  it('answers unknown routes 404 ResourceNotFound and wrong methods 405, in its envelope', async () => {
    const unknown = await answer(sandbox, await signedRequest('GET', '/v1/wallets'));
    expect([unknown.status, errorBodySchema.parse(unknown.body).Type]).toEqual([404, 'ResourceNotFound']);
    const wrongMethod = await answer(sandbox, await signedRequest('DELETE', `/v1/customers/${CUSTOMER_ID}`));
    expect([wrongMethod.status, wrongMethod.headers.get('allow'), errorBodySchema.safeParse(wrongMethod.body).success]).toEqual([405, 'GET, PUT', true]);
    const missing = await answer(sandbox, await signedRequest('GET', '/v1/customers/nobody'));
    expect([missing.status, errorBodySchema.parse(missing.body).Type]).toEqual([404, 'ResourceNotFound']);
  });
});

describe('NOAH authentication and request signing', () => {
  const sandbox = noahProvider.createSandbox({ file: ':memory:', settings, now: () => NOW });
  afterAll(() => sandbox.close());
  const path = `/v1/customers/${CUSTOMER_ID}`;
  const body = JSON.stringify(request().body);

  async function refused(req: Request) {
    const res = await answer(sandbox, req);
    expect(res.status).toBe(401);
    expect(errorBodySchema.parse(res.body).Type).toBe('Unauthorized');
    return errorBodySchema.parse(res.body).Detail;
  }

  it('accepts a correctly signed request', async () => {
    expect((await answer(sandbox, await signedRequest('PUT', path, body))).status).toBe(201);
  });

  it('refuses a missing or unknown API key, and a production key in the sandbox', async () => {
    expect(await refused(await signedRequest('PUT', path, body, { apiKey: null }))).toMatch(/X-Api-Key/);
    expect(await refused(await signedRequest('PUT', path, body, { apiKey: 'apikey_sandbox_unknown' }))).toMatch(/API key/);
    expect(await refused(await signedRequest('PUT', path, body, { apiKey: settings.apiKey.replace('sandbox', 'prod') }))).toMatch(/API key/);
  });

  it('refuses a missing Api-Signature', async () => {
    const req = new Request(`${BASE_URL}${path}`, { method: 'PUT', headers: { 'X-Api-Key': settings.apiKey }, body });
    expect(await refused(req)).toMatch(/Api-Signature header is missing/);
  });

  it('refuses a tampered body', async () => {
    const tampered = body.replace('Aino', 'Eino');
    expect(await refused(await signedRequest('PUT', path, tampered, { signedBody: body }))).toMatch(/bodyHash/);
  });

  it('refuses a signature for another path or method', async () => {
    expect(await refused(await signedRequest('PUT', path, body, { signedPath: '/v1/customers/someone-else' }))).toMatch(/path/);
    expect(await refused(await signedRequest('GET', path, undefined, { signedMethod: 'PUT' }))).toMatch(/method/);
  });

  it('refuses an expired signature and one valid for more than 15 minutes', async () => {
    expect(await refused(await signedRequest('PUT', path, body, { issuedAt: new Date(NOW.getTime() - 6 * 60_000) }))).toMatch(/exp/);
    expect(await refused(await signedRequest('PUT', path, body, { ttlSeconds: 901 }))).toMatch(/900 seconds/);
  });

  it('refuses a token for another audience', async () => {
    const jwt = await new SignJWT({ method: 'PUT', path: new URL(`${BASE_URL}${path}`).pathname, bodyHash: sha256Hex(body) })
      .setProtectedHeader({ alg: 'ES384' })
      .setAudience('https://api.example.com')
      .setIssuedAt(NOW.getTime() / 1000)
      .setExpirationTime(NOW.getTime() / 1000 + 300)
      .sign(await importSigningKey(settings.signingKey));
    const req = new Request(`${BASE_URL}${path}`, { method: 'PUT', headers: { 'X-Api-Key': settings.apiKey, 'Api-Signature': jwt }, body });
    expect(await refused(req)).toMatch(/aud/);
  });

  it('the adapter reports a wrong API key, a wrong signing key and an expired signature as PROVIDER_AUTH_FAILED', async () => {
    const other = await noahProvider.sandboxSettings(null);
    const cases = [
      wired({ adapterSettings: { ...settings, apiKey: other.apiKey } }),
      wired({ adapterSettings: { ...settings, signingKey: other.signingKey } }),
      wired({ adapterNow: () => new Date(NOW.getTime() - 10 * 60_000) }),
    ];
    for (const { adapter, sandbox: simulator } of cases) {
      const error = failed((await adapter.create([request()], call()))[0]!);
      expect([error.code, error.status, error.providerCode, error.retryable]).toEqual(['PROVIDER_AUTH_FAILED', 401, 'Unauthorized', false]);
      expect(simulator.state().records.customers).toBeUndefined();
    }
  });
});

describe('NOAH faults and failures', () => {
  it('with failureRate 1 every call fails with the provider 500 envelope → PROVIDER_UNAVAILABLE, retryable', async () => {
    const { adapter, sandbox } = await adapterWithSandbox(noahProvider, { faults: { failureRate: 1, seed: 1 } });
    const error = failed((await adapter.create([request()], call()))[0]!);
    expect([error.code, error.status, error.providerCode, error.retryable]).toEqual(['PROVIDER_UNAVAILABLE', 500, 'Unexpected', true]);
    expect(sandbox.state().records.customers).toBeUndefined();
  });

  it('the same seed fails the same requests', async () => {
    const run = async () => {
      const { adapter } = wired({ faults: { failureRate: 0.5, seed: 7 } });
      const statuses: string[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await adapter.create([request()], call()))[0]!.status);
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['SYNCED', 'FAILED']));
  });

  it('a throwing fetch is PROVIDER_UNAVAILABLE; an aborted call is PROVIDER_TIMEOUT', async () => {
    const refusing: FetchLike = async () => {
      throw new TypeError('fetch failed: ECONNREFUSED');
    };
    // Like fetch: rejects once the signal aborts, at once when it already has.
    const hanging: FetchLike = (_input, init) =>
      new Promise((_resolve, reject) => {
        if (init.signal?.aborted) reject(init.signal.reason);
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    const adapterOver = (fetch: FetchLike) =>
      noahProvider.createAdapter({ baseUrl: 'https://api.noah.com', http: createProviderHttp({ provider: 'NOAH', fetch }), settings });

    const unavailable = failed((await adapterOver(refusing).create([request()], call()))[0]!);
    expect([unavailable.code, unavailable.retryable]).toEqual(['PROVIDER_UNAVAILABLE', true]);

    const controller = new AbortController();
    const pending = adapterOver(hanging).create([request()], { signal: controller.signal });
    controller.abort();
    expect(failed((await pending)[0]!).code).toBe('PROVIDER_TIMEOUT');
  });

  it('reads Retry-After from a 503, and a 400 envelope becomes PROVIDER_REJECTED with the invalid fields', async () => {
    const answers = [
      new Response(JSON.stringify({ Type: 'Unexpected', Detail: 'maintenance' }), { status: 503, headers: { 'retry-after': '30' } }),
      new Response(
        JSON.stringify({ Type: 'InvalidMessage', Detail: 'invalid', Extensions: { Request: [{ Field: 'DateOfBirth', Reason: 'SchemaValidation', Description: 'too young' }] } }),
        { status: 400 },
      ),
    ];
    const fetch: FetchLike = async () => answers.shift()!;
    const adapter = noahProvider.createAdapter({ baseUrl: 'https://api.noah.com', http: createProviderHttp({ provider: 'NOAH', fetch }), settings });

    const busy = failed((await adapter.create([request()], call()))[0]!);
    expect([busy.code, busy.retryAfterSeconds, busy.retryable]).toEqual(['PROVIDER_UNAVAILABLE', 30, true]);
    const rejected = failed((await adapter.create([request()], call()))[0]!);
    expect([rejected.code, rejected.providerCode, rejected.retryable]).toEqual(['PROVIDER_REJECTED', 'InvalidMessage', false]);
    expect(rejected.message).toContain('DateOfBirth: too young');
  });

  it('Get Customer with an unreadable 200 body is PROVIDER_BAD_RESPONSE', async () => {
    const fetch: FetchLike = async () => new Response('<html>ok</html>', { status: 200 });
    const client = createNoahClient({ baseUrl: 'https://api.noah.com', http: createProviderHttp({ provider: 'NOAH', fetch }), settings });
    await expect(client.getCustomer(CUSTOMER_ID, call())).rejects.toMatchObject({ code: 'PROVIDER_BAD_RESPONSE', status: 200 });
  });
});

describe('NOAH settings and persistence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'noah-sandbox-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps customers and generated credentials across close and reopen', async () => {
    const file = join(dir, 'sandbox-noah.db');
    const firstSettings = await noahProvider.sandboxSettings(dir);
    const first = noahProvider.createSandbox({ file, settings: firstSettings });
    const adapter = noahProvider.createAdapter({ baseUrl: BASE_URL, http: createProviderHttp({ provider: 'NOAH', fetch: inProcessSandboxFetch([first]) }), settings: firstSettings });
    expect((await adapter.create([request()], call()))[0]!.status).toBe('SYNCED');
    first.close();

    const againSettings = await noahProvider.sandboxSettings(dir);
    expect(againSettings).toEqual(firstSettings);
    expect(againSettings.apiKey).toMatch(/^apikey_sandbox_[0-9a-f]{32}$/);
    expect(againSettings.signingKey.crv).toBe('P-384');
    const reopened = noahProvider.createSandbox({ file, settings: againSettings });
    const client = createNoahClient({ baseUrl: BASE_URL, http: createProviderHttp({ provider: 'NOAH', fetch: inProcessSandboxFetch([reopened]) }), settings: againSettings });
    expect(reopened.state().records.customers).toHaveLength(1);
    expect(await client.getCustomer(CUSTOMER_ID, call())).toMatchObject({ CustomerID: CUSTOMER_ID });
    reopened.close();
    expect(JSON.parse(readFileSync(join(dir, SANDBOX_CREDENTIALS_FILE), 'utf8'))).toMatchObject({ apiKey: firstSettings.apiKey });
  });

  it('live settings need the URL, the API key and the signing key, naming what is missing', () => {
    expect(() => noahProvider.settingsFromEnv({})).toThrow(/PROVIDER_NOAH_URL.*PROVIDER_NOAH_API_KEY.*PROVIDER_NOAH_SIGNING_KEY/);
    expect(() =>
      noahProvider.settingsFromEnv({ PROVIDER_NOAH_URL: 'https://api.noah.com', PROVIDER_NOAH_API_KEY: 'apikey_prod_abc' }),
    ).toThrow(/PROVIDER_NOAH_SIGNING_KEY is not set/);
    expect(() =>
      noahProvider.settingsFromEnv({ PROVIDER_NOAH_URL: 'https://api.noah.com', PROVIDER_NOAH_API_KEY: 'apikey_prod_abc', PROVIDER_NOAH_SIGNING_KEY: 'nonsense' }),
    ).toThrow(/PROVIDER_NOAH_SIGNING_KEY/);
  });

  it('live settings take a PEM private key (escaped newlines allowed) that the registered public key verifies', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString().replace(/\n/g, '\\n');
    const live = noahProvider.settingsFromEnv({
      PROVIDER_NOAH_URL: 'https://api.sandbox.noah.com',
      PROVIDER_NOAH_API_KEY: 'apikey_sandbox_live1',
      PROVIDER_NOAH_SIGNING_KEY: pem,
    });
    expect(live.signingKey).toMatchObject({ kty: 'EC', crv: 'P-384' });
    expect(live.verificationKey).not.toHaveProperty('d');
    const { adapter } = wired({ adapterSettings: live, sandboxSettings: live });
    expect((await adapter.create([request()], call()))[0]!.status).toBe('SYNCED');
  });
});
