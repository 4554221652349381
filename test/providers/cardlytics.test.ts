import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphql } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { builder } from '../../src/builder.js';
import {
  cardlyticsProvider,
  createCardlyticsAdapter,
  type CardlyticsCustomer,
  type CardlyticsOptions,
  type CardlyticsSettings,
} from '../../src/providers/cardlytics/index.js';
import { createProviderHttp, type FetchLike } from '../../src/providers/http.js';
import { inProcessSandboxFetch, sandboxBaseUrl } from '../../src/providers/sandbox-mount.js';
import type { CustomerRouting, Mapped, ProviderOutcome, Sandbox } from '../../src/providers/types.js';
import { CardlyticsOptionsInput } from '../../src/schema/provider-options/cardlytics.js';
import { adapterWithSandbox, canonical, FULL_PRIVATE_CUSTOMER, routingFor, TEST_ORIGIN } from './harness.js';

const BASE_URL = sandboxBaseUrl(TEST_ORIGIN, 'CARDLYTICS');
const SETTINGS: CardlyticsSettings = {
  institutionId: 'institution-test',
  organizationId: '50004',
  sessionSourceCustomerId: 'no-user-available',
  defaultPortfolioId: null,
};
const signal = () => new AbortController().signal;
const options = (input: unknown = {}): CardlyticsOptions => cardlyticsProvider.optionsSchema.parse(input);

/** The adapter over a given fetch (a stub, or the simulator in-process). */
function adapterOver(fetch: FetchLike, settings: CardlyticsSettings = SETTINGS) {
  return cardlyticsProvider.createAdapter({ baseUrl: BASE_URL, http: createProviderHttp({ provider: 'CARDLYTICS', fetch }), settings });
}

/** An adapter for mapping only: any HTTP it attempted would fail the test. */
function mapper(settings: CardlyticsSettings = SETTINGS) {
  return adapterOver(() => Promise.reject(new Error('mapping must do no I/O')), settings);
}

function mapCustomer(
  input: Record<string, unknown>,
  optionInput: unknown = {},
  overrides: Partial<CustomerRouting<CardlyticsOptions>> = {},
) {
  return mapper().mapCreate(routingFor(canonical(input), options(optionInput), overrides));
}

function requestOf(mapped: Mapped<unknown>): CardlyticsCustomer {
  if (!mapped.ok) throw new Error(`expected a request, got ${JSON.stringify(mapped.errors)}`);
  return mapped.request as CardlyticsCustomer;
}

function errorsOf(mapped: Mapped<unknown>) {
  if (mapped.ok) throw new Error('expected user errors, got a request');
  return mapped.errors.map(({ field, code, provider }) => ({ field, code, provider }));
}

/** A request straight to the simulator, as Cardlytics would receive it. */
async function send(sandbox: Sandbox, method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) {
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const request = new Request(`${BASE_URL}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...init.headers },
    ...(body === undefined ? {} : { body }),
  });
  const response = await sandbox.handle(request, path);
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
}

/** POST startSession as the given institution; the answer, with `json.sessionToken` on success. */
function startSession(sandbox: Sandbox, settings: CardlyticsSettings, scopes = ['api:institution'], sourceCustomerId = 'no-user-available') {
  return send(sandbox, 'POST', '/v2/session/startSession', {
    headers: { 'X-CDLX-Institution-Id': settings.institutionId },
    body: { sourceCustomerId, scopes, organizationId: settings.organizationId },
  });
}

/** A valid mapped customer under our id `id`, for batches. */
function customerRequest(id: string): CardlyticsCustomer {
  const customer = canonical(FULL_PRIVATE_CUSTOMER);
  return requestOf(mapper().mapCreate(routingFor(customer, options(), { customerId: id, accountIds: [`acc-${id}`] })));
}

/** A clock tests move by hand. */
function manualClock(start: string) {
  let now = Date.parse(start);
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

const tmpDirs: string[] = [];
afterEach(() => tmpDirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

// Seed 002 "Create customers" request, verbatim.
const SEED_002 = {
  customers: [
    {
      sourceCustomerId: 'afa2r21-25f9-4501-b9db-e78afa73c0e3',
      sourceParentCustomerId: '2e052a88-6ae1-4501-b9db-e78afa73c0e3',
      organizationId: '50004',
      postalCode: '78753',
      country: 'US',
      customerCreationDate: '2017-01-01T08:00:00Z',
      enrollmentStartDate: '2023-01-01T08:00:00Z',
      enrollmentEndDate: '2023-01-01T08:00:00Z',
      enrollmentOptInStatus: 'ACTIVE',
      alertOptInStatus: ['ALL'],
      targetingIndicator: 'TARGET',
      accounts: [
        {
          sourceAccountId: '42c57311-25f9-4501-b9db-e78afa73c0e3',
          sourceCustomerIds: ['afa2r21-25f9-4501-b9db-e78afa73c0e3', '2e052a88-6ae1-4b78-8d96-f3a037402567'],
          primarySourceCustomerId: 'afa2r21-25f9-4501-b9db-e78afa73c0e3',
          status: 'OPEN',
          type: 'DDA',
          sourcePortfolioId: '76afcd28-b494-4b29-b7f2-3eb614a92f97',
          accountOpenDate: '2018-05-12T20:30:00Z',
          accountCloseDate: null,
          cards: [
            {
              sourceAccountId: '42c57311-25f9-4501-b9db-e78afa73c0e3',
              sourceCustomerId: 'afa2r21-25f9-4501-b9db-e78afa73c0e3',
              last4: '2345',
              iin: '123456',
              cardType: 'CREDIT',
              status: 'OPEN',
              networkIdentifier: '3',
              openDate: '2023-01-01T08:00:00Z',
              closeDate: null,
            },
          ],
        },
      ],
    },
  ],
};

describe('Cardlytics seed 002 fidelity', () => {
  const seed = SEED_002.customers[0]!;
  const seedAccount = seed.accounts[0]!;
  const seedCard = seedAccount.cards[0]!;
  const mapped = mapCustomer(
    {
      name: { first: 'Seed', last: 'Customer' },
      addresses: [{ line1: '1 Research Blvd', city: 'Austin', postalCode: '78753', country: 'US' }],
      accounts: [
        {
          accountNumber: '0001',
          type: 'CHECKING',
          status: 'OPEN',
          openedOn: '2018-05-12',
          portfolioId: seedAccount.sourcePortfolioId,
          cards: [{ last4: '2345', iin: '371234', type: 'CREDIT', network: 'AMEX', openedOn: '2023-01-01' }],
        },
      ],
    },
    {
      organizationId: '50004',
      enrollmentOptInStatus: 'ACTIVE',
      alertOptInStatus: ['ALL'],
      targetingIndicator: 'TARGET',
      enrollmentStartDate: '2023-01-01T08:00:00Z',
      enrollmentEndDate: '2023-01-01T08:00:00Z',
    },
    {
      customerId: seed.sourceCustomerId,
      accountIds: [seedAccount.sourceAccountId],
      parent: { customerId: seed.sourceParentCustomerId, customerNumber: '4000123412341230000', externalId: seed.sourceParentCustomerId },
      createdAt: new Date(seed.customerCreationDate),
    },
  );

  it('produces the seed customer field for field, except the named inconsistencies', () => {
    const request = requestOf(mapped);
    expect(request).toEqual({
      ...seed,
      accounts: [
        {
          ...seedAccount,
          // (a) The seed lists a co-holder. One create carries one customer, who is the account's only
          // holder and its primary; a co-holder's own create lists the account under them.
          sourceCustomerIds: [seed.sourceCustomerId],
          // (b) Canonical dates have no time of day: an account opened on 2018-05-12 starts at midnight UTC.
          accountOpenDate: '2018-05-12T00:00:00Z',
          cards: [
            {
              ...seedCard,
              // (c) iin 123456 is not an AmEx range although networkIdentifier says AmEx; the canonical
              // schema refuses that pairing, so the card carries an AmEx IIN.
              iin: '371234',
              // (d) CONTRACTS.md: the seed sends networkIdentifier as the string "3"; the docs type it int.
              networkIdentifier: 3,
              openDate: '2023-01-01T00:00:00Z',
            },
          ],
        },
      ],
    });
    expect(seedCard.networkIdentifier).toBe('3');
    expect(typeof request.accounts[0]!.cards[0]!.networkIdentifier).toBe('number');
  });

  it('is accepted by the simulator, which refuses the seed verbatim only for the string networkIdentifier', async () => {
    const { sandbox, settings } = await adapterWithSandbox(cardlyticsProvider, { settings: { ...SETTINGS } });
    const token = (await startSession(sandbox, settings)).json.sessionToken as string;
    const headers = { 'X-CDLX-Session-Token': token };
    const verbatim = await send(sandbox, 'POST', '/v2/data/customers', { headers, body: SEED_002 });
    expect(verbatim.status).toBe(400);
    expect(verbatim.json.validationErrors).toEqual([
      { field: 'customers[0].accounts[0].cards[0].networkIdentifier', message: 'must be an integer' },
    ]);
    const ours = await send(sandbox, 'POST', '/v2/data/customers', { headers, body: { customers: [requestOf(mapped)] } });
    expect(ours.status).toBe(200);
  });
});

describe('Cardlytics options', () => {
  it('applies the documented defaults to null, absent and all-null input', () => {
    const defaults = {
      organizationId: undefined,
      enrollmentOptInStatus: 'ACTIVE',
      alertOptInStatus: ['ALL'],
      targetingIndicator: 'TARGET',
      enrollmentStartDate: undefined,
      enrollmentEndDate: undefined,
      portfolioId: undefined,
    };
    expect(options(null)).toEqual(defaults);
    expect(options(undefined)).toEqual(defaults);
    expect(
      options({
        organizationId: null,
        enrollmentOptInStatus: null,
        alertOptInStatus: null,
        targetingIndicator: null,
        enrollmentStartDate: null,
        enrollmentEndDate: null,
        portfolioId: null,
      }),
    ).toEqual(defaults);
  });

  it('keeps dates as Cardlytics ISO-8601 text, unchanged by a JSON round trip', () => {
    const parsed = options({ enrollmentStartDate: new Date('2023-01-01T08:00:00Z'), enrollmentEndDate: '2024-01-01T10:00:00+02:00' });
    expect(parsed.enrollmentStartDate).toBe('2023-01-01T08:00:00Z');
    expect(parsed.enrollmentEndDate).toBe('2024-01-01T08:00:00Z');
    expect(options(JSON.parse(JSON.stringify(parsed)))).toEqual(parsed);
  });

  it('refuses unknown enum values, an empty or repeating alert list and blank ids, at the option field', () => {
    const issues = (input: unknown) =>
      cardlyticsProvider.optionsSchema.safeParse(input).error?.issues.map((issue) => issue.path.join('.'));
    expect(issues({ enrollmentOptInStatus: 'PAUSED' })).toEqual(['enrollmentOptInStatus']);
    expect(issues({ alertOptInStatus: ['SOMETIMES'] })).toEqual(['alertOptInStatus.0']);
    expect(issues({ alertOptInStatus: [] })).toEqual(['alertOptInStatus']);
    expect(issues({ alertOptInStatus: ['NEW', 'NEW'] })).toEqual(['alertOptInStatus']);
    expect(issues({ targetingIndicator: 'MAYBE', portfolioId: '  ' })).toEqual(['targetingIndicator', 'portfolioId']);
    expect(issues({ enrollmentStartDate: '2023-01-01' })).toEqual(['enrollmentStartDate']);
  });

  it('accepts what the GraphQL input type CardlyticsOptionsInput produces', async () => {
    builder.queryField('cardlyticsOptionsEcho', (t) =>
      t.string({
        args: { options: t.arg({ type: CardlyticsOptionsInput, required: false }) },
        resolve: (_root, args) => JSON.stringify(cardlyticsProvider.optionsSchema.parse(args.options)),
      }),
    );
    const schema = builder.toSchema();
    const source = 'query ($options: CardlyticsOptionsInput) { cardlyticsOptionsEcho(options: $options) }';
    const echo = async (variables: Record<string, unknown>) => {
      const result = await graphql({ schema, source, variableValues: variables });
      expect(result.errors).toBeUndefined();
      return JSON.parse((result.data as { cardlyticsOptionsEcho: string }).cardlyticsOptionsEcho) as Record<string, unknown>;
    };
    expect(
      await echo({
        options: {
          alertOptInStatus: ['NEW', 'EXPIRING'],
          targetingIndicator: 'DO_NOT_TARGET',
          enrollmentStartDate: '2023-01-01T08:00:00Z',
          portfolioId: 'PF-1',
        },
      }),
    ).toEqual({
      enrollmentOptInStatus: 'ACTIVE',
      alertOptInStatus: ['NEW', 'EXPIRING'],
      targetingIndicator: 'DO_NOT_TARGET',
      enrollmentStartDate: '2023-01-01T08:00:00Z',
      portfolioId: 'PF-1',
    });
    const defaults = { enrollmentOptInStatus: 'ACTIVE', alertOptInStatus: ['ALL'], targetingIndicator: 'TARGET' };
    expect(await echo({})).toEqual(defaults);
    expect(await echo({ options: { organizationId: null, alertOptInStatus: null, enrollmentEndDate: null } })).toEqual(defaults);
  });
});

describe('Cardlytics mapping', () => {
  const customer = FULL_PRIVATE_CUSTOMER;
  const account = FULL_PRIVATE_CUSTOMER.accounts[0];
  const card = account.cards[0];
  const withAccount = (changes: Record<string, unknown>) => ({ ...customer, accounts: [{ ...account, ...changes }] });
  const withCard = (changes: Record<string, unknown>) => withAccount({ cards: [{ ...card, ...changes }] });
  const cardPath = ['customer', 'accounts', 0, 'cards', 0];

  it('sends the customer with its accounts and cards, our ids as Cardlytics ids, and says what it left out', () => {
    const mapped = mapCustomer(customer);
    const id = '6f1c2a4e-1b7d-4c1e-9a53-2d0f8e6b7c10';
    expect(requestOf(mapped)).toEqual({
      sourceCustomerId: id,
      organizationId: '50004',
      postalCode: '00100',
      country: 'FI',
      customerCreationDate: '2026-11-21T10:00:00Z',
      enrollmentStartDate: '2026-11-21T10:00:00Z',
      enrollmentOptInStatus: 'ACTIVE',
      alertOptInStatus: ['ALL'],
      targetingIndicator: 'TARGET',
      accounts: [
        {
          sourceAccountId: 'acc-0',
          sourceCustomerIds: [id],
          primarySourceCustomerId: id,
          status: 'OPEN',
          type: 'CRD',
          sourcePortfolioId: 'PF-RETAIL',
          accountOpenDate: '2024-01-15T00:00:00Z',
          accountCloseDate: null,
          cards: [
            {
              sourceAccountId: 'acc-0',
              sourceCustomerId: id,
              last4: '1234',
              iin: '453201',
              cardType: 'CREDIT',
              status: 'OPEN',
              networkIdentifier: 4,
              openDate: '2024-01-15T00:00:00Z',
              closeDate: null,
            },
          ],
        },
      ],
    });
    expect(mapped.ok && mapped.omitted).toEqual([
      'customer name, dateOfBirth, gender, locale, currency, email, phones, nationalities, identities, screening: not sent; ' +
        "Cardlytics keeps no personal details, only the primary address's postal code and country.",
      'customer.addresses[0]: only postalCode and country are sent; Cardlytics keeps no street address.',
      'customer.customerNumber and accounts[].accountNumber: not sent; ' +
        'Cardlytics identifies customers and accounts by our ids (sourceCustomerId, sourceAccountId).',
    ]);
  });

  it('takes postal code and country from the primary address and names every other address as left out', () => {
    const mapped = mapCustomer({
      ...customer,
      addresses: [
        { kind: 'MAILING', line1: 'PL 12', city: 'Espoo', postalCode: '02100', country: 'FI' },
        { kind: 'RESIDENTIAL', line1: '5th Ave 1', city: 'New York', postalCode: '10001', country: 'US', isPrimary: true },
      ],
    });
    expect(requestOf(mapped)).toMatchObject({ postalCode: '10001', country: 'US' });
    expect(mapped.ok && mapped.omitted).toContain('customer.addresses[0] (MAILING): not sent; Cardlytics takes the primary address only.');
  });

  it('carries the parent as sourceParentCustomerId and the options as enrollment fields', () => {
    const request = requestOf(
      mapCustomer(
        customer,
        {
          organizationId: '60001',
          enrollmentOptInStatus: 'INACTIVE',
          alertOptInStatus: ['NEW', 'REDEMPTION'],
          targetingIndicator: 'DO_NOT_TARGET',
          enrollmentEndDate: '2030-01-01T00:00:00Z',
        },
        { parent: { customerId: 'parent-uuid', customerNumber: '4000123412341230001', externalId: null } },
      ),
    );
    expect(request).toMatchObject({
      sourceParentCustomerId: 'parent-uuid',
      organizationId: '60001',
      enrollmentOptInStatus: 'INACTIVE',
      alertOptInStatus: ['NEW', 'REDEMPTION'],
      targetingIndicator: 'DO_NOT_TARGET',
      enrollmentStartDate: '2026-11-21T10:00:00Z',
      enrollmentEndDate: '2030-01-01T00:00:00Z',
    });
  });

  it.each([
    ['OPEN', 'OPEN'],
    ['CLOSED', 'CLOSED'],
    ['DISPUTED', 'DISPUTE'],
    ['FRAUD_HOLD', 'FRAUD'],
  ])('maps account status %s to %s', (status, expected) => {
    const closedOn = status === 'CLOSED' ? { closedOn: '2025-01-01' } : {};
    expect(requestOf(mapCustomer(withAccount({ status, ...closedOn }))).accounts[0]!.status).toBe(expected);
  });

  it.each([
    ['PREPAID', 'PPD'],
    ['MONEY_MARKET', 'MMA'],
    ['CREDIT', 'CRD'],
    ['CHECKING', 'DDA'],
    ['SAVINGS', 'SAV'],
    ['BUSINESS_CREDIT', 'SBCRD'],
    ['BUSINESS_CHECKING', 'SBDDA'],
    ['BUSINESS_SAVINGS', 'SBS'],
  ])('maps account type %s to %s', (type, expected) => {
    expect(requestOf(mapCustomer(withAccount({ type }))).accounts[0]!.type).toBe(expected);
  });

  it.each([
    ['AMEX', '371234', 3],
    ['VISA', '453201', 4],
    ['MASTERCARD', '222100', 5],
    ['DISCOVER', '601100', 6],
  ])('gives network %s (iin %s) networkIdentifier %i', (network, iin, expected) => {
    expect(requestOf(mapCustomer(withCard({ network, iin }))).accounts[0]!.cards[0]!.networkIdentifier).toBe(expected);
  });

  it('refuses network OTHER: Cardlytics has no networkIdentifier for it', () => {
    expect(errorsOf(mapCustomer(withCard({ network: 'OTHER', iin: '999999' })))).toEqual([
      { field: [...cardPath, 'network'], code: 'UNSUPPORTED', provider: 'CARDLYTICS' },
    ]);
  });

  it('refuses a last4 that is not exactly 4 digits, at the caller’s card', () => {
    const parsed = canonical(customer);
    parsed.accounts[0]!.cards[0]!.last4 = '12a4';
    expect(errorsOf(mapper().mapCreate(routingFor(parsed, options())))).toEqual([
      { field: [...cardPath, 'last4'], code: 'INVALID_FORMAT', provider: 'CARDLYTICS' },
    ]);
  });

  it('expresses a closed card as an OPEN card with a closeDate, which a CLOSED card must have', () => {
    const closed = requestOf(mapCustomer(withCard({ status: 'CLOSED', closedOn: '2025-02-01' }))).accounts[0]!.cards[0]!;
    expect(closed).toMatchObject({ status: 'OPEN', closeDate: '2025-02-01T00:00:00Z' });
    expect(errorsOf(mapCustomer(withCard({ status: 'CLOSED' })))).toEqual([
      { field: [...cardPath, 'closedOn'], code: 'REQUIRED', provider: 'CARDLYTICS' },
    ]);
  });

  it('refuses a BLOCKED card rather than sending it as open', () => {
    expect(errorsOf(mapCustomer(withCard({ status: 'BLOCKED' })))).toEqual([
      { field: [...cardPath, 'status'], code: 'UNSUPPORTED', provider: 'CARDLYTICS' },
    ]);
  });

  it('requires an address, a postal code, account and card open dates, each at the caller’s field', () => {
    expect(errorsOf(mapCustomer({ ...customer, addresses: [] }))).toEqual([
      { field: ['customer', 'addresses'], code: 'REQUIRED', provider: 'CARDLYTICS' },
    ]);
    const { postalCode: _postalCode, ...noPostalCode } = customer.addresses[0];
    expect(errorsOf(mapCustomer({ ...customer, addresses: [noPostalCode] }))).toEqual([
      { field: ['customer', 'addresses', 0, 'postalCode'], code: 'REQUIRED', provider: 'CARDLYTICS' },
    ]);
    expect(errorsOf(mapCustomer(withAccount({ openedOn: null, cards: [{ ...card, openedOn: null }] })))).toEqual([
      { field: ['customer', 'accounts', 0, 'openedOn'], code: 'REQUIRED', provider: 'CARDLYTICS' },
      { field: [...cardPath, 'openedOn'], code: 'REQUIRED', provider: 'CARDLYTICS' },
    ]);
  });

  it('ties an account close date to its status: required when CLOSED, refused while OPEN', () => {
    expect(errorsOf(mapCustomer(withAccount({ status: 'CLOSED' })))).toEqual([
      { field: ['customer', 'accounts', 0, 'closedOn'], code: 'REQUIRED', provider: 'CARDLYTICS' },
    ]);
    expect(errorsOf(mapCustomer(withAccount({ status: 'OPEN', closedOn: '2025-01-01' })))).toEqual([
      { field: ['customer', 'accounts', 0, 'closedOn'], code: 'INVALID', provider: 'CARDLYTICS' },
    ]);
  });

  it('takes the portfolio from the account, else the option, else the settings, else asks for it', () => {
    const bare = withAccount({ portfolioId: null });
    const portfolio = (mapped: Mapped<unknown>) => requestOf(mapped).accounts[0]!.sourcePortfolioId;
    expect(portfolio(mapCustomer(customer, { portfolioId: 'PF-OPTION' }))).toBe('PF-RETAIL');
    expect(portfolio(mapCustomer(bare, { portfolioId: 'PF-OPTION' }))).toBe('PF-OPTION');
    const withDefault = mapper({ ...SETTINGS, defaultPortfolioId: 'PF-SETTINGS' });
    expect(portfolio(withDefault.mapCreate(routingFor(canonical(bare), options())))).toBe('PF-SETTINGS');
    expect(errorsOf(mapCustomer(bare))).toEqual([
      { field: ['customer', 'accounts', 0, 'portfolioId'], code: 'REQUIRED', provider: 'CARDLYTICS' },
    ]);
  });

  it('reports enrollment rules broken through options at the option field', () => {
    expect(errorsOf(mapCustomer(customer, { enrollmentEndDate: '2026-11-20T00:00:00Z' }))).toEqual([
      { field: ['providerOptions', 'cardlytics', 'enrollmentEndDate'], code: 'INVALID', provider: 'CARDLYTICS' },
    ]);
    const unchecked = { ...options(), enrollmentOptInStatus: 'PAUSED' } as unknown as CardlyticsOptions;
    expect(errorsOf(mapper().mapCreate(routingFor(canonical(customer), unchecked)))).toEqual([
      { field: ['providerOptions', 'cardlytics', 'enrollmentOptInStatus'], code: 'UNSUPPORTED', provider: 'CARDLYTICS' },
    ]);
  });

  it('lists the customer as the only holder and primary of its accounts: co-holders come with their own create', () => {
    const request = requestOf(mapCustomer(customer, {}, { customerId: 'holder-1' }));
    expect(request.accounts[0]).toMatchObject({ sourceCustomerIds: ['holder-1'], primarySourceCustomerId: 'holder-1' });
    expect(request.accounts[0]!.cards[0]).toMatchObject({ sourceCustomerId: 'holder-1', sourceAccountId: 'acc-0' });
  });
});

describe('Cardlytics adapter against its simulator', () => {
  it('creates a customer: SYNCED under our id, with the batch requestId, stored by the simulator', async () => {
    const { adapter, sandbox, calls } = await adapterWithSandbox(cardlyticsProvider);
    const routing = routingFor(canonical(FULL_PRIVATE_CUSTOMER), options());
    const request = requestOf(adapter.mapCreate(routing));
    const [outcome] = await adapter.create([request], { signal: signal() });
    expect(outcome).toEqual({
      status: 'SYNCED',
      externalId: routing.customerId,
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      error: null,
    });
    expect(sandbox.state().records.customers).toEqual([request]);
    expect(calls.map((call) => `${call.operation} ${call.outcome}`)).toEqual(['session.start ok', 'customers.create ok']);
  });

  it('keeps one record per sourceCustomerId: a re-send replaces it, reusing the session', async () => {
    const { adapter, sandbox } = await adapterWithSandbox(cardlyticsProvider);
    const first = requestOf(adapter.mapCreate(routingFor(canonical(FULL_PRIVATE_CUSTOMER), options())));
    await adapter.create([first], { signal: signal() });
    const second = { ...first, postalCode: '00200' };
    const [outcome] = await adapter.create([second], { signal: signal() });
    expect(outcome).toMatchObject({ status: 'SYNCED', externalId: first.sourceCustomerId });
    expect(adapter.update).toBeNull();
    expect(sandbox.state().records.customers).toEqual([second]);
    expect(sandbox.state().requests.byRoute).toEqual({ 'POST /v2/session/startSession': 1, 'POST /v2/data/customers': 2 });
  });

  it('finds a stored customer by its natural key through the simulator-only lookup', async () => {
    const { sandbox, settings, http } = await adapterWithSandbox(cardlyticsProvider);
    const adapter = createCardlyticsAdapter({ baseUrl: BASE_URL, http, settings });
    const request = customerRequest('customer-lookup');
    await adapter.create([request], { signal: signal() });
    expect(await adapter.findCustomer('customer-lookup', { signal: signal() })).toEqual(request);
    expect(await adapter.findCustomer('never-sent', { signal: signal() })).toBeNull();
    expect(sandbox.state().requests.byRoute['GET /v2/data/customers/:sourceCustomerId']).toBe(2);
  });

  it('sends 51 customers as two calls of 50 and 1, one outcome each in order', async () => {
    const { adapter, sandbox } = await adapterWithSandbox(cardlyticsProvider);
    const requests = Array.from({ length: 51 }, (_, i) => customerRequest(`customer-${i}`));
    const outcomes = await adapter.create(requests, { signal: signal() });
    expect(outcomes.map((outcome) => outcome.externalId)).toEqual(requests.map((request) => request.sourceCustomerId));
    expect(outcomes.every((outcome) => outcome.status === 'SYNCED')).toBe(true);
    expect(new Set(outcomes.map((outcome) => outcome.requestId)).size).toBe(2);
    expect(sandbox.state().records.customers).toHaveLength(51);
    expect(sandbox.state().requests.byRoute['POST /v2/data/customers']).toBe(2);
  });

  it('fails only the customers a rejected batch names, and stores the rest by resending them', async () => {
    const { adapter, sandbox } = await adapterWithSandbox(cardlyticsProvider);
    const good = [customerRequest('customer-a'), customerRequest('customer-c')];
    const bad = customerRequest('customer-b');
    bad.accounts[0]!.cards[0]!.last4 = '12';
    const outcomes = await adapter.create([good[0]!, bad, good[1]!], { signal: signal() });
    expect(outcomes.map((outcome) => [outcome.externalId, outcome.status])).toEqual([
      ['customer-a', 'SYNCED'],
      [null, 'FAILED'],
      ['customer-c', 'SYNCED'],
    ]);
    expect(outcomes[1]!.error).toMatchObject({
      code: 'PROVIDER_REJECTED',
      status: 400,
      providerCode: 'ValidationException',
      retryable: false,
    });
    expect(outcomes[1]!.error!.message).toContain('accounts[0].cards[0].last4: must be exactly 4 digits');
    expect(outcomes[0]!.requestId).toBe(outcomes[2]!.requestId);
    expect(outcomes[1]!.requestId).not.toBe(outcomes[0]!.requestId);
    expect((sandbox.state().records.customers as CardlyticsCustomer[]).map((customer) => customer.sourceCustomerId)).toEqual([
      'customer-a',
      'customer-c',
    ]);
    expect(sandbox.state().requests.byRoute['POST /v2/data/customers']).toBe(2);
  });
});

describe('Cardlytics simulator', () => {
  async function withSession() {
    const { sandbox, settings } = await adapterWithSandbox(cardlyticsProvider);
    const token = (await startSession(sandbox, settings)).json.sessionToken as string;
    return { sandbox, settings, headers: { 'X-CDLX-Session-Token': token } };
  }

  it('refuses a contract-breaking customer with a ValidationException naming the field', async () => {
    const { sandbox, headers } = await withSession();
    const { postalCode: _postalCode, ...customer } = customerRequest('customer-1');
    const response = await send(sandbox, 'POST', '/v2/data/customers', {
      headers: { ...headers, 'X-CDLX-Request-Id': 'trace-1' },
      body: { customers: [customer] },
    });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      type: 'ValidationException',
      title: 'Validation failed',
      status: 400,
      validationErrors: [{ field: 'customers[0].postalCode', message: 'is required' }],
      requestId: 'trace-1',
    });
    expect(sandbox.state().records.customers).toBeUndefined();
  });

  it('refuses 51 customers in one call', async () => {
    const { sandbox, headers } = await withSession();
    const customers = Array.from({ length: 51 }, (_, i) => customerRequest(`customer-${i}`));
    const response = await send(sandbox, 'POST', '/v2/data/customers', { headers, body: { customers } });
    expect(response.status).toBe(400);
    expect(response.json.validationErrors).toEqual([{ field: 'customers', message: 'must carry at most 50 customers' }]);
  });

  it('refuses a batch naming one customer twice, and an unreadable body', async () => {
    const { sandbox, headers } = await withSession();
    const twice = await send(sandbox, 'POST', '/v2/data/customers', {
      headers,
      body: { customers: [customerRequest('same'), customerRequest('same')] },
    });
    expect(twice.json.validationErrors).toEqual([{ field: 'customers[1].sourceCustomerId', message: 'repeats a customer of this batch' }]);
    const unreadable = await send(sandbox, 'POST', '/v2/data/customers', { headers, body: '{"customers": [' });
    expect(unreadable.status).toBe(400);
    expect(unreadable.json).toMatchObject({ type: 'HttpMessageNotReadable', status: 400 });
  });

  it('echoes X-CDLX-Request-Id as requestId, else answers with a random UUID', async () => {
    const { sandbox, headers } = await withSession();
    const body = { customers: [customerRequest('customer-1')] };
    const traced = await send(sandbox, 'POST', '/v2/data/customers', { headers: { ...headers, 'X-CDLX-Request-Id': 'trace-42' }, body });
    expect(traced.json).toEqual({ requestId: 'trace-42' });
    const untraced = await send(sandbox, 'POST', '/v2/data/customers', { headers, body });
    expect(untraced.json.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('answers an unknown route with 404 and a wrong method with 405, in its envelope, and logs both', async () => {
    const { sandbox, headers } = await withSession();
    const unknown = await send(sandbox, 'GET', '/v2/data/accounts', { headers });
    expect(unknown).toMatchObject({ status: 404, json: { type: 'NoHandlerFoundException', status: 404 } });
    const wrongMethod = await send(sandbox, 'DELETE', '/v2/data/customers', { headers });
    expect(wrongMethod).toMatchObject({ status: 405, json: { type: 'HttpRequestMethodNotSupported', status: 405 } });
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(sandbox.state().requests.byRoute).toMatchObject({ 'GET (no route)': 1, 'DELETE /v2/data/customers': 1 });
  });
});

describe('Cardlytics session auth', () => {
  it('refuses data calls without a session token, or with an unknown one', async () => {
    const { sandbox } = await adapterWithSandbox(cardlyticsProvider);
    const body = { customers: [customerRequest('customer-1')] };
    const missing = await send(sandbox, 'POST', '/v2/data/customers', { body });
    expect(missing).toMatchObject({ status: 401, json: { type: 'SessionValidationException', status: 401 } });
    const unknown = await send(sandbox, 'POST', '/v2/data/customers', { headers: { 'X-CDLX-Session-Token': 'forged' }, body });
    expect(unknown).toMatchObject({ status: 401, json: { type: 'SessionValidationException', title: 'Unknown session token' } });
  });

  it('refuses startSession from another institution or for another organization', async () => {
    const { sandbox, settings } = await adapterWithSandbox(cardlyticsProvider);
    expect((await startSession(sandbox, { ...settings, institutionId: 'someone-else' })).status).toBe(401);
    const otherOrganization = await startSession(sandbox, { ...settings, organizationId: 'not-ours' });
    expect(otherOrganization).toMatchObject({ status: 401, json: { type: 'SessionValidationException' } });
    expect((await startSession(sandbox, settings)).status).toBe(200);
  });

  it('expires tokens after one hour', async () => {
    const clock = manualClock('2026-11-21T10:00:00Z');
    const { sandbox, settings } = await adapterWithSandbox(cardlyticsProvider, { now: clock.now });
    const headers = { 'X-CDLX-Session-Token': (await startSession(sandbox, settings)).json.sessionToken as string };
    clock.advance(59 * 60_000);
    expect((await send(sandbox, 'GET', '/v2/data/customers/none', { headers })).status).toBe(404);
    clock.advance(60_000);
    const expired = await send(sandbox, 'GET', '/v2/data/customers/none', { headers });
    expect(expired).toMatchObject({ status: 401, json: { type: 'SessionValidationException', title: 'Session token expired' } });
  });

  it('gives api:customer sessions only to enrolled customers, and no access to the Data APIs', async () => {
    const { adapter, sandbox, settings } = await adapterWithSandbox(cardlyticsProvider);
    const notEnrolled = await startSession(sandbox, settings, ['api:customer'], 'customer-1');
    expect(notEnrolled.json).toMatchObject({ type: 'ValidationException', status: 400, title: 'User is not enrolled' });
    await adapter.create([customerRequest('customer-1')], { signal: signal() });
    const session = await startSession(sandbox, settings, ['api:customer'], 'customer-1');
    const headers = { 'X-CDLX-Session-Token': session.json.sessionToken as string };
    expect((await send(sandbox, 'GET', '/v2/data/customers/customer-1', { headers })).status).toBe(403);
  });

  it('renews an expired token once and retries, transparently to the caller', async () => {
    const clock = manualClock('2026-11-21T10:00:00Z');
    const { adapter, sandbox, calls } = await adapterWithSandbox(cardlyticsProvider, { now: clock.now });
    await adapter.create([customerRequest('customer-1')], { signal: signal() });
    clock.advance(61 * 60_000);
    const [outcome] = await adapter.create([customerRequest('customer-2')], { signal: signal() });
    expect(outcome!.status).toBe('SYNCED');
    expect(calls.map((call) => `${call.operation} ${call.outcome}`)).toEqual([
      'session.start ok',
      'customers.create ok',
      'customers.create http_401',
      'session.start ok',
      'customers.create ok',
    ]);
    expect(sandbox.state().records.customers).toHaveLength(2);
  });

  it('reports PROVIDER_AUTH_FAILED when the institution is refused, without sending customers', async () => {
    const { sandbox, settings } = await adapterWithSandbox(cardlyticsProvider);
    const stranger = adapterOver(inProcessSandboxFetch([sandbox]), { ...settings, institutionId: 'someone-else' });
    const [outcome] = await stranger.create([customerRequest('customer-1')], { signal: signal() });
    expect(outcome).toMatchObject({
      status: 'FAILED',
      error: { code: 'PROVIDER_AUTH_FAILED', status: 401, providerCode: 'SessionValidationException' },
    });
    expect(sandbox.state().requests.byRoute['POST /v2/data/customers']).toBeUndefined();
  });

  it('reports PROVIDER_AUTH_FAILED when a renewed token is refused too, after exactly one renewal', async () => {
    const { sandbox, settings } = await adapterWithSandbox(cardlyticsProvider);
    const toSandbox = inProcessSandboxFetch([sandbox]);
    const revoked = { type: 'SessionValidationException', title: 'Revoked', status: 401, validationErrors: [] };
    const refusing: FetchLike = (url, init) =>
      url.endsWith('/v2/data/customers') ? Promise.resolve(Response.json(revoked, { status: 401 })) : toSandbox(url, init);
    const adapter = adapterOver(refusing, settings);
    const [outcome] = await adapter.create([customerRequest('customer-1')], { signal: signal() });
    expect(outcome).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_AUTH_FAILED', retryable: false } });
    expect(sandbox.state().requests.byRoute['POST /v2/session/startSession']).toBe(2);
  });
});

describe('Cardlytics faults and transport', () => {
  it('fails every call with failureRate 1: FAILED, PROVIDER_UNAVAILABLE, retryable', async () => {
    const { adapter } = await adapterWithSandbox(cardlyticsProvider, { faults: { failureRate: 1, seed: 1 } });
    const [outcome] = await adapter.create([customerRequest('customer-1')], { signal: signal() });
    expect(outcome).toMatchObject({
      status: 'FAILED',
      externalId: null,
      error: { code: 'PROVIDER_UNAVAILABLE', status: 500, retryable: true, providerCode: 'InternalServerError' },
    });
  });

  it('fails the same requests for the same seed', async () => {
    const statuses = async (seed: number) => {
      const { sandbox, settings } = await adapterWithSandbox(cardlyticsProvider, { faults: { failureRate: 0.5, seed } });
      const sequence: number[] = [];
      for (let i = 0; i < 16; i++) sequence.push((await startSession(sandbox, settings)).status);
      return sequence;
    };
    const first = await statuses(7);
    expect(first).toContain(200);
    expect(first).toContain(500);
    expect(await statuses(7)).toEqual(first);
    expect(await statuses(8)).not.toEqual(first);
  });

  it('passes Retry-After of a 429 on to the error', async () => {
    const tooMany = { type: 'TooManyRequests', title: 'Slow down', status: 429, validationErrors: [] };
    const adapter = adapterOver(async () => Response.json(tooMany, { status: 429, headers: { 'retry-after': '30' } }));
    const [outcome] = await adapter.create([customerRequest('customer-1')], { signal: signal() });
    expect(outcome!.error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', status: 429, retryAfterSeconds: 30 });
  });

  it('reports an unreadable success body as PROVIDER_BAD_RESPONSE', async () => {
    const fetch: FetchLike = async (url) =>
      url.endsWith('/startSession') ? Response.json({ sessionToken: 't' }) : new Response('<html>ok</html>', { status: 200 });
    const adapter = adapterOver(fetch);
    const [outcome] = await adapter.create([customerRequest('customer-1')], { signal: signal() });
    expect(outcome).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_BAD_RESPONSE' } });
  });

  it('turns a transport failure into PROVIDER_UNAVAILABLE and an aborted call into PROVIDER_TIMEOUT', async () => {
    const broken: FetchLike = () => Promise.reject(new TypeError('connect ECONNREFUSED 127.0.0.1:443'));
    const down = adapterOver(broken);
    const [refused] = await down.create([customerRequest('customer-1')], { signal: signal() });
    expect(refused).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_UNAVAILABLE', retryable: true } });

    const hanging: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const slow = adapterOver(hanging);
    const deadline = new AbortController();
    const pending = slow.create([customerRequest('customer-1')], { signal: deadline.signal });
    deadline.abort();
    const [timedOut] = await pending;
    expect(timedOut).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_TIMEOUT', retryable: true } });
  });
});

describe('Cardlytics persistence and settings', () => {
  it('keeps customers in its SQLite file across close and reopen, and its generated settings in dataDir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cardlytics-'));
    tmpDirs.push(dir);
    const settings = await cardlyticsProvider.sandboxSettings(dir);
    expect(await cardlyticsProvider.sandboxSettings(dir)).toEqual(settings);
    const file = join(dir, 'sandbox-cardlytics.db');
    const first = cardlyticsProvider.createSandbox({ file, settings });
    const http = createProviderHttp({ provider: 'CARDLYTICS', fetch: inProcessSandboxFetch([first]) });
    const request = customerRequest('customer-kept');
    const outcomes: ProviderOutcome[] = await cardlyticsProvider
      .createAdapter({ baseUrl: BASE_URL, http, settings })
      .create([request], { signal: signal() });
    expect(outcomes[0]!.status).toBe('SYNCED');
    first.close();

    const reopened = cardlyticsProvider.createSandbox({ file, settings });
    expect(reopened.state().records.customers).toEqual([request]);
    expect(reopened.state().requests.total).toBe(2);
    reopened.close();
  });

  it('generates fresh sandbox credentials in memory when there is no dataDir', async () => {
    const a = await cardlyticsProvider.sandboxSettings(null);
    const b = await cardlyticsProvider.sandboxSettings(null);
    expect(a.institutionId).not.toBe(b.institutionId);
    expect(a).toMatchObject({ organizationId: 'sandbox-organization', defaultPortfolioId: 'sandbox-portfolio' });
  });

  it('reads live settings from PROVIDER_CARDLYTICS_* and names what is missing', () => {
    expect(() => cardlyticsProvider.settingsFromEnv({})).toThrow(
      /PROVIDER_CARDLYTICS_URL is missing.*PROVIDER_CARDLYTICS_INSTITUTION_ID is missing.*PROVIDER_CARDLYTICS_ORGANIZATION_ID is missing/,
    );
    const partial = { PROVIDER_CARDLYTICS_URL: 'https://x', PROVIDER_CARDLYTICS_INSTITUTION_ID: '7' };
    expect(() => cardlyticsProvider.settingsFromEnv(partial)).toThrow(/^Cardlytics live mode: PROVIDER_CARDLYTICS_ORGANIZATION_ID is missing$/);
    const env = {
      PROVIDER_CARDLYTICS_URL: 'https://publisher-uk-fiuat.cardlytics.com',
      PROVIDER_CARDLYTICS_INSTITUTION_ID: '7',
      PROVIDER_CARDLYTICS_ORGANIZATION_ID: '50004',
      PROVIDER_CARDLYTICS_PORTFOLIO_ID: '',
    };
    expect(cardlyticsProvider.settingsFromEnv(env)).toEqual({
      institutionId: '7',
      organizationId: '50004',
      sessionSourceCustomerId: 'no-user-available',
      defaultPortfolioId: null,
    });
  });
});
