import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { ProviderError } from '../../src/providers/errors.js';
import { createProviderHttp, type FetchLike } from '../../src/providers/http.js';
import { inProcessSandboxFetch, sandboxBaseUrl } from '../../src/providers/sandbox-mount.js';
import type { ProviderAdapter, Sandbox } from '../../src/providers/types.js';
import { createFirstvisionClient, MAX_PAGES, type FirstvisionSettings } from '../../src/providers/firstvision/client.js';
import {
  currentPriorAddressResponse,
  customerLookupResponse,
  customerToAccountInquiryResponse,
  demographicInquiryResponse,
  updateCustomerResponse,
} from '../../src/providers/firstvision/contract.js';
import {
  firstvisionProvider,
  sandboxSettings,
  type FirstvisionAdapter,
  type FirstvisionCustomerRef,
  type FirstvisionReader,
} from '../../src/providers/firstvision/index.js';
import { networkOfIin } from '../../src/providers/firstvision/mapper.js';
import { optionsSchema, type FirstvisionOptions } from '../../src/providers/firstvision/options.js';
import {
  luhnCheckDigit,
  MANY_ACCOUNTS,
  type AccountRecord,
  type CardRecord,
  type CustomerRecord,
  type RelationshipRecord,
} from '../../src/providers/firstvision/sandbox.js';
import { adapterWithSandbox, canonical, FULL_PRIVATE_CUSTOMER, routingFor, TEST_ORIGIN } from './harness.js';

const START = Date.parse('2026-11-21T10:00:00Z');
const now = () => new Date(START);
const signal = () => new AbortController().signal;
const ORG = 970;
/** Ends in 7: more accounts than one page of 20 (MANY_ACCOUNTS). */
const MANY = '4000123412341234567';
/** Ends in 1: a handful of accounts. */
const FEW = '4000123412341234561';

const READ_ROUTES = {
  accounts: 'POST /customer/accountNumber',
  cards: 'POST /customer/details-l8v4',
  relationships: 'POST /customer/relationshipNumber',
  demographics: 'POST /customer/demographicData',
  lookup: 'POST /customer/lookup',
  generation: 'POST /customer/generation',
  address: 'GET /customer/:accountNumber/current-prior-address',
} as const;

/** The harness's adapter and simulator; the harness types adapters as the shared surface only. */
async function harnessed() {
  const wiring = await adapterWithSandbox(firstvisionProvider, { now });
  return { ...wiring, adapter: wiring.adapter as FirstvisionAdapter };
}

/**
 * Adapter and simulator over a transport the test may wrap (to watch signals, or to stand in for a
 * broken host on one route); built with firstvisionProvider.createAdapter, whose type is the reader.
 */
async function wire(options: { wrap?: (next: FetchLike) => FetchLike; file?: string; settings?: FirstvisionSettings; adapterSettings?: FirstvisionSettings } = {}) {
  const settings = options.settings ?? (await sandboxSettings(null));
  const sandbox = firstvisionProvider.createSandbox({ file: options.file ?? ':memory:', settings, now, sleep: async () => {} });
  const base = inProcessSandboxFetch([sandbox]);
  const http = createProviderHttp({ provider: 'FIRSTVISION', fetch: options.wrap ? options.wrap(base) : base });
  const deps = { baseUrl: sandboxBaseUrl(TEST_ORIGIN, 'FIRSTVISION'), http, settings: options.adapterSettings ?? settings, now };
  return { adapter: firstvisionProvider.createAdapter(deps), client: createFirstvisionClient(deps), sandbox, settings };
}

/** customer/add through the adapter: the full private customer under `customerNumber`, with its own account. */
async function addCustomer(
  adapter: FirstvisionAdapter,
  customerNumber: string,
  input: Record<string, unknown> = {},
  options: Record<string, unknown> = {},
): Promise<FirstvisionCustomerRef> {
  const account = { ...FULL_PRIVATE_CUSTOMER.accounts[0], accountNumber: `5${customerNumber.slice(1)}` };
  const customer = canonical({ ...FULL_PRIVATE_CUSTOMER, accounts: [account], ...input, customerNumber });
  const mapped = adapter.mapCreate(routingFor(customer, optionsSchema.parse(options)));
  if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
  const [outcome] = await adapter.create([mapped.request], { signal: signal() });
  expect(outcome).toMatchObject({ status: 'SYNCED', externalId: customerNumber });
  return { organizationNumber: ORG, customerNumber };
}

function records<T>(sandbox: Sandbox, collection: string): T[] {
  return (sandbox.state().records[collection] ?? []) as T[];
}

function customerRecord(sandbox: Sandbox, customerNumber: string): CustomerRecord {
  const found = records<CustomerRecord>(sandbox, 'customers').find((customer) => customer.customerNumber === customerNumber);
  if (!found) throw new Error(`no customer ${customerNumber} in the simulator`);
  return found;
}

/** The customer's cards as the host lists them: account by account, each account's cards in order. */
function heldCards(sandbox: Sandbox, customerNumber: string): CardRecord[] {
  const accounts = new Map(records<AccountRecord>(sandbox, 'accounts').map((account) => [account.accountNumber, account]));
  const cards = new Map(records<CardRecord>(sandbox, 'cards').map((card) => [card.cardNumber, card]));
  return customerRecord(sandbox, customerNumber).linked!.accountNumbers.flatMap((number) =>
    accounts.get(number)!.cardNumbers.map((cardNumber) => cards.get(cardNumber)!),
  );
}

/** Every string anywhere in a value (keys included). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => [key, ...strings(inner)]);
  return [];
}

function isLuhnValid(number: string): boolean {
  return luhnCheckDigit(number.slice(0, -1)) === number.slice(-1);
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a ProviderError, the call succeeded');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const envelope = (data: unknown) => new Response(JSON.stringify({ hasError: false, errors: [], data }), { status: 200, headers: { 'content-type': 'application/json' } });

// ---- typing ---------------------------------------------------------------------------------------------

describe('the adapter is also the reader', () => {
  it('firstvisionProvider.createAdapter is typed as the shared adapter and FirstvisionReader, without a cast', async () => {
    expectTypeOf(firstvisionProvider.createAdapter).returns.toExtend<ProviderAdapter<FirstvisionOptions> & FirstvisionReader>();
    const { adapter, sandbox } = await wire();
    const ref = await addCustomer(adapter, FEW);
    expect((await adapter.accountNumbers(ref, { signal: signal() })).accounts.length).toBeGreaterThan(0);
    sandbox.close();
  });
});

// ---- customer/accountNumber -----------------------------------------------------------------------------

describe('account numbers (customer/accountNumber)', () => {
  it('follows the pages to the end: a customer with more than 20 accounts gets every one, one request per page', async () => {
    const { adapter, sandbox, calls } = await harnessed();
    const ref = await addCustomer(adapter, MANY);
    const result = await adapter.accountNumbers(ref, { signal: signal() });
    const stored = customerRecord(sandbox, MANY).linked!.accountNumbers;
    expect(stored.length).toBeGreaterThan(20);
    expect(result.accounts.map((account) => account.accountNumber)).toEqual(stored);
    expect(new Set(stored).size).toBe(stored.length);
    const pages = Math.ceil(stored.length / 20);
    expect(pages).toBeGreaterThan(1);
    expect(result.pages).toBe(pages);
    expect(sandbox.state().requests.byRoute[READ_ROUTES.accounts]).toBe(pages);
    expect(calls.filter((call) => call.operation === 'customer.accountNumber' && call.outcome === 'ok')).toHaveLength(pages);
    expect(result.accounts[0]).toEqual({
      organizationNumber: ORG,
      accountNumber: `5${MANY.slice(1)}`,
      associationType: '0',
      logo: 401,
      logoDescription: 'VISA CLASSIC CREDIT',
      organizationName: 'ORGANIZATION 970',
      internalStatus: 'A',
    });
    sandbox.close();
  });

  it('a customer with a few accounts: one page, ending with more = N', async () => {
    const { adapter, sandbox } = await harnessed();
    const ref = await addCustomer(adapter, FEW);
    const result = await adapter.accountNumbers(ref, { signal: signal() });
    expect(result.pages).toBe(1);
    expect(result.accounts.length).toBeGreaterThanOrEqual(1);
    expect(result.accounts.length).toBeLessThanOrEqual(6);
    expect(result.accounts.map((account) => account.accountNumber)).toEqual(customerRecord(sandbox, FEW).linked!.accountNumbers);
    sandbox.close();
  });

  it('customer numbers ending in 7, 8 or 9 hold 21–45 accounts, the others 1–6', async () => {
    const { adapter, sandbox } = await harnessed();
    for (let digit = 0; digit <= 9; digit++) {
      const ref = await addCustomer(adapter, `400012341234123456${digit}`);
      const { accounts } = await adapter.accountNumbers(ref, { signal: signal() });
      const many = MANY_ACCOUNTS.test(ref.customerNumber);
      expect(many).toBe(digit >= 7);
      expect(accounts.length).toBeGreaterThanOrEqual(many ? 21 : 1);
      expect(accounts.length).toBeLessThanOrEqual(many ? 45 : 6);
    }
    sandbox.close();
  });

  it('the same customer has the same linked data in every simulator (derived from organization + customer number)', async () => {
    const first = await harnessed();
    const second = await harnessed();
    const refs = await Promise.all([addCustomer(first.adapter, MANY), addCustomer(second.adapter, MANY)]);
    const [a, b] = await Promise.all([first.adapter.cards(refs[0], { signal: signal() }), second.adapter.cards(refs[1], { signal: signal() })]);
    expect(a).toEqual(b);
    expect(customerRecord(first.sandbox, MANY).linked).toEqual(customerRecord(second.sandbox, MANY).linked);
    first.sandbox.close();
    second.sandbox.close();
  });
});

// ---- customer/details-l8v4 ------------------------------------------------------------------------------

describe('cards (customer/details-l8v4)', () => {
  it('never carry a full card number: no string in the result contains one of the host’s card numbers', async () => {
    const { adapter, sandbox } = await harnessed();
    const ref = await addCustomer(adapter, MANY);
    const cards = await adapter.cards(ref, { signal: signal() });
    const held = heldCards(sandbox, MANY);
    expect(cards).toHaveLength(held.length);
    const pans = held.map((card) => card.cardNumber);
    const texts = strings(cards);
    expect(texts.filter((text) => pans.some((pan) => text.includes(pan)))).toEqual([]);
    // The only long digit strings left are the customer's account numbers.
    const accountNumbers = new Set(held.map((card) => card.accountNumber));
    expect(texts.filter((text) => /\d{7,}/.test(text) && !accountNumbers.has(text))).toEqual([]);
    expect(cards.map((card) => `${card.accountNumber}:${card.iin}…${card.last4}`)).toEqual(
      held.map((card) => `${card.accountNumber}:${card.cardNumber.slice(0, 6)}…${card.cardNumber.slice(-4)}`),
    );
    sandbox.close();
  });

  it('pages through whole accounts: more than one request for a customer with many accounts, every card once', async () => {
    const { adapter, sandbox } = await harnessed();
    const ref = await addCustomer(adapter, MANY);
    const cards = await adapter.cards(ref, { signal: signal() });
    const accounts = records<AccountRecord>(sandbox, 'accounts').filter((account) => account.customerNumber === MANY);
    const expected = accounts.reduce((sum, account) => sum + account.cardNumbers.length, 0);
    expect(cards).toHaveLength(expected);
    expect(sandbox.state().requests.byRoute[READ_ROUTES.cards]).toBeGreaterThanOrEqual(Math.ceil(expected / 20));
    expect(sandbox.state().requests.byRoute[READ_ROUTES.cards]).toBeGreaterThan(1);
    expect(new Set(cards.map((card) => card.accountNumber))).toEqual(new Set(accounts.map((account) => account.accountNumber)));
    sandbox.close();
  });

  it('the network follows the IIN: 4 Visa, 51–55 and 2221–2720 Mastercard, 34/37 Amex, 6011/64/65 Discover, else OTHER', () => {
    const cases: [string, string][] = [
      ['411111', 'VISA'],
      ['510000', 'MASTERCARD'],
      ['559999', 'MASTERCARD'],
      ['222100', 'MASTERCARD'],
      ['272099', 'MASTERCARD'],
      ['272100', 'OTHER'],
      ['222099', 'OTHER'],
      ['340000', 'AMEX'],
      ['371449', 'AMEX'],
      ['601100', 'DISCOVER'],
      ['644000', 'DISCOVER'],
      ['650000', 'DISCOVER'],
      ['601200', 'OTHER'],
      ['360000', 'OTHER'],
      ['620000', 'OTHER'],
      ['500000', 'OTHER'],
    ];
    expect(cases.map(([iin]) => [iin, networkOfIin(iin)])).toEqual(cases);
  });

  it('the simulator’s cards are Luhn-valid numbers of several networks; status and expiry come through', async () => {
    const { adapter, sandbox } = await harnessed();
    const ref = await addCustomer(adapter, MANY);
    const cards = await adapter.cards(ref, { signal: signal() });
    const held = heldCards(sandbox, MANY);
    expect(held.every((card) => isLuhnValid(card.cardNumber))).toBe(true);
    expect(new Set(cards.map((card) => card.network)).size).toBeGreaterThanOrEqual(3);
    cards.forEach((card, i) => {
      const host = held[i]!;
      expect(card.network).toBe(networkOfIin(host.cardNumber.slice(0, 6)));
      expect(card.status).toBe(host.blockCode === '' ? 'ACTIVE' : host.blockCode === 'C' ? 'CLOSED' : 'BLOCKED');
      expect(card.expiresOn).toBe(host.expireDate.slice(0, 7));
      expect(card.type).toBeNull();
    });
    expect(cards.some((card) => card.status === 'CLOSED')).toBe(true);
    sandbox.close();
  });

  it('"no valid cards" from the host is an empty list', async () => {
    const { adapter, sandbox } = await wire({
      wrap: (next) => async (input, init) =>
        input.endsWith('/customer/details-l8v4')
          ? new Response(JSON.stringify({ hasError: true, errors: [{ code: 'VPL5SCE07E', description: 'NO VALID CARDS ARE ASSOCIATED WITH THIS CUSTOMER' }], data: null }), { status: 422 })
          : next(input, init),
    });
    const ref = await addCustomer(adapter, FEW);
    expect(await adapter.cards(ref, { signal: signal() })).toEqual([]);
    sandbox.close();
  });
});

// ---- customer/relationshipNumber ------------------------------------------------------------------------

describe('relationship numbers (customer/relationshipNumber)', () => {
  it('returns exactly the customer’s relationship numbers (0–2 each), one request per customer', async () => {
    const { adapter, sandbox } = await harnessed();
    const numbers = ['4000123412341234561', '4000123412341234562', '4000123412341234563', '4000123412341234564', '4000123412341234565', '4000123412341234566'];
    let total = 0;
    for (const customerNumber of numbers) {
      const ref = await addCustomer(adapter, customerNumber);
      const found = await adapter.relationshipNumbers(ref, { signal: signal() });
      const held = records<RelationshipRecord>(sandbox, 'relationships').filter((relationship) => relationship.customerNumber === customerNumber);
      expect(found).toEqual(customerRecord(sandbox, customerNumber).linked!.relationshipNumbers);
      expect(new Set(found)).toEqual(new Set(held.map((relationship) => relationship.relationshipNumber)));
      expect(found.length).toBeLessThanOrEqual(2);
      expect(found.every((number) => /^\d{19}$/.test(number))).toBe(true);
      total += found.length;
    }
    expect(total).toBeGreaterThan(0);
    expect(sandbox.state().requests.byRoute[READ_ROUTES.relationships]).toBe(numbers.length);
    sandbox.close();
  });
});

// ---- customer/demographicData ---------------------------------------------------------------------------

describe('demographics (customer/demographicData)', () => {
  it('what customer/add stored, in canonical terms', async () => {
    const { adapter, sandbox } = await harnessed();
    const ref = await addCustomer(adapter, FEW, { phones: { mobile: '+358401234567', landline: '+35891234567', work: '+35892222222' } }, {
      vipStatus: true,
      demographic1: 'SEGMENT A',
      demographic3: 'BRANCH 12',
    });
    expect(await adapter.demographics(ref, { signal: signal() })).toEqual({
      firstName: 'Aino',
      middleName: null,
      lastName: 'Virtanen',
      nameLine1: null,
      dateOfBirth: '1985-04-12',
      gender: 'FEMALE',
      email: 'aino.virtanen@example.com',
      homePhone: '+35891234567',
      mobilePhone: '+358401234567',
      employerPhone: '+35892222222',
      language: 'FIN',
      employerName: null,
      demographics: ['SEGMENT A', 'BRANCH 12'],
      vip: true,
    });
    expect(sandbox.state().requests.byRoute[READ_ROUTES.demographics]).toBe(1);
    sandbox.close();
  });

  it('a business customer: name line 1, no person names', async () => {
    const { adapter, sandbox } = await harnessed();
    const ref = await addCustomer(adapter, FEW, { kind: 'BUSINESS', businessName: 'Virtanen Oy' });
    expect(await adapter.demographics(ref, { signal: signal() })).toMatchObject({ firstName: null, lastName: null, nameLine1: 'Virtanen Oy', vip: false });
    sandbox.close();
  });

  it('null when FirstVision does not know the customer', async () => {
    const { adapter, sandbox } = await harnessed();
    expect(await adapter.demographics({ organizationNumber: ORG, customerNumber: FEW }, { signal: signal() })).toBeNull();
    sandbox.close();
  });
});

// ---- current/prior address -------------------------------------------------------------------------------

describe('address history (GET customer/{number}/current-prior-address)', () => {
  it('the current address first, marked CURRENT, then the prior mailing addresses, marked PRIOR, most recent first', async () => {
    const { adapter, sandbox } = await harnessed();
    // Some customers have no prior address: take the first of these that has.
    let ref: FirstvisionCustomerRef | undefined;
    for (const customerNumber of ['4000123412341234561', '4000123412341234562', '4000123412341234563', '4000123412341234564']) {
      const added = await addCustomer(adapter, customerNumber);
      if (customerRecord(sandbox, customerNumber).linked!.priorAddresses.length > 0) {
        ref = added;
        break;
      }
    }
    if (!ref) throw new Error('none of the candidates has a prior address');
    const history = await adapter.addressHistory(ref, { signal: signal() });
    const prior = customerRecord(sandbox, ref.customerNumber).linked!.priorAddresses;
    expect(history[0]).toEqual({
      period: 'CURRENT',
      lines: ['Mannerheimintie', 'Apt 4'],
      houseNumber: '12',
      city: 'Helsinki',
      region: null,
      postalCode: '00100',
      country: 'FI',
    });
    expect(history.slice(1).map((address) => address.period)).toEqual(prior.map(() => 'PRIOR'));
    expect(history.slice(1)).toEqual(
      prior.map((mailer) => ({
        period: 'PRIOR',
        lines: [mailer.pmAddressLine1, mailer.pmAddressLine2].filter((line) => line !== undefined),
        houseNumber: mailer.pmHouseNumber,
        city: mailer.pmCity,
        region: mailer.pmStateProvince,
        postalCode: mailer.pmPostalCode,
        country: null,
      })),
    );
    expect(sandbox.state().requests.byRoute[READ_ROUTES.address]).toBe(1);
    sandbox.close();
  });

  it('an update that moves the customer makes the old address the most recent PRIOR one', async () => {
    const { adapter, sandbox } = await harnessed();
    const ref = await addCustomer(adapter, FEW);
    const before = await adapter.addressHistory(ref, { signal: signal() });
    const moved = canonical({
      ...FULL_PRIVATE_CUSTOMER,
      customerNumber: FEW,
      accounts: [{ ...FULL_PRIVATE_CUSTOMER.accounts[0], accountNumber: `5${FEW.slice(1)}` }],
      addresses: [{ kind: 'RESIDENTIAL', line1: 'Aleksanterinkatu', buildingNumber: '5', city: 'Helsinki', postalCode: '00170', country: 'FI', isPrimary: true }],
    });
    const mapped = adapter.mapUpdate!(routingFor(moved, optionsSchema.parse({}), { externalId: FEW }));
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
    expect(await adapter.update!(mapped.request, { signal: signal() })).toMatchObject({ status: 'SYNCED' });
    const after = await adapter.addressHistory(ref, { signal: signal() });
    expect(after[0]).toMatchObject({ period: 'CURRENT', lines: ['Aleksanterinkatu'], houseNumber: '5', postalCode: '00170' });
    expect(after[1]).toEqual({ ...before[0], period: 'PRIOR', country: null });
    expect(after).toHaveLength(before.length + 1);
    sandbox.close();
  });
});

// ---- customer/lookup ------------------------------------------------------------------------------------

describe('lookup (customer/lookup)', () => {
  const PEOPLE = [
    { number: '4100000000000000011', first: 'Aino', last: 'Virtanen', postalCode: '00100', dateOfBirth: '1985-04-12' },
    { number: '4100000000000000021', first: 'Eino', last: 'Virtanen', postalCode: '00200', dateOfBirth: '1979-01-30' },
    { number: '4100000000000000031', first: 'Aino', last: 'Virtala', postalCode: '00100', dateOfBirth: '1990-06-01' },
    { number: '4100000000000000041', first: 'Ülla', last: 'Järvinen', postalCode: '33100', dateOfBirth: '1966-12-24' },
    { number: '4100000000000000051', first: 'Mikko', last: 'Lahtinen', postalCode: '20100', dateOfBirth: '2001-02-03' },
    { number: '4100000000000000061', first: 'Sanna', last: 'Koskela', postalCode: '90100', dateOfBirth: '1995-09-09' },
  ];

  async function directory() {
    const wiring = await harnessed();
    for (const person of PEOPLE) {
      await addCustomer(wiring.adapter, person.number, {
        name: { first: person.first, last: person.last },
        dateOfBirth: person.dateOfBirth,
        addresses: [{ ...FULL_PRIVATE_CUSTOMER.addresses[0], postalCode: person.postalCode }],
      });
    }
    const find = async (criteria: Omit<Parameters<FirstvisionReader['lookup']>[0], 'organizationNumber' | 'limit'> & { limit?: number }) =>
      (await wiring.adapter.lookup({ organizationNumber: ORG, limit: 50, ...criteria }, { signal: signal() })).map((match) => match.lastName + '/' + match.firstName);
    return { ...wiring, find };
  }

  it('EXACT matches the whole last name, ignoring case', async () => {
    const { find, sandbox } = await directory();
    expect(await find({ lastName: { value: 'virtanen', mode: 'EXACT' } })).toEqual(['Virtanen/Aino', 'Virtanen/Eino']);
    expect(await find({ lastName: { value: 'Virta', mode: 'EXACT' } })).toEqual([]);
    sandbox.close();
  });

  it('BEGINS_WITH and ENDS_WITH', async () => {
    const { find, sandbox } = await directory();
    expect(await find({ lastName: { value: 'Virt', mode: 'BEGINS_WITH' } })).toEqual(['Virtanen/Aino', 'Virtanen/Eino', 'Virtala/Aino']);
    expect(await find({ lastName: { value: 'nen', mode: 'ENDS_WITH' } })).toEqual(['Virtanen/Aino', 'Virtanen/Eino', 'Järvinen/Ülla', 'Lahtinen/Mikko']);
    sandbox.close();
  });

  it('FUZZY forgives a typo, a missing letter and accents, but not a different name', async () => {
    const { find, sandbox } = await directory();
    expect(await find({ lastName: { value: 'Virtamen', mode: 'FUZZY' } })).toEqual(['Virtanen/Aino', 'Virtanen/Eino']);
    expect(await find({ lastName: { value: 'Jarvnen', mode: 'FUZZY' } })).toEqual(['Järvinen/Ülla']);
    expect(await find({ lastName: { value: 'Koskinen', mode: 'FUZZY' } })).toEqual([]);
    sandbox.close();
  });

  it('every criterion must hold: last name with first name, postal code, date of birth and country', async () => {
    const { find, sandbox } = await directory();
    expect(await find({ lastName: { value: 'Virt', mode: 'BEGINS_WITH' }, firstName: { value: 'aino', mode: 'EXACT' } })).toEqual([
      'Virtanen/Aino',
      'Virtala/Aino',
    ]);
    expect(await find({ postalCode: { value: '00100', mode: 'EXACT' }, dateOfBirth: '1990-06-01', country: 'FI' })).toEqual(['Virtala/Aino']);
    expect(await find({ lastName: { value: 'Virtanen', mode: 'EXACT' }, country: 'SE' })).toEqual([]);
    sandbox.close();
  });

  it('matches carry the customer number and what identifies the person', async () => {
    const { adapter, sandbox } = await directory();
    expect(await adapter.lookup({ organizationNumber: ORG, limit: 5, lastName: { value: 'Lahtinen', mode: 'EXACT' } }, { signal: signal() })).toEqual([
      { organizationNumber: ORG, customerNumber: '4100000000000000051', firstName: 'Mikko', lastName: 'Lahtinen', dateOfBirth: '2001-02-03', postalCode: '20100' },
    ]);
    sandbox.close();
  });

  it('respects the limit, and follows the start token past FirstVision’s 50 records per call', async () => {
    const { adapter, sandbox } = await harnessed();
    const numbers = Array.from({ length: 55 }, (_, i) => `42000000000000${String(i).padStart(4, '0')}1`);
    for (const number of numbers) await addCustomer(adapter, number, { name: { first: 'Aino', last: 'Mäkinen' } });
    const all = await adapter.lookup({ organizationNumber: ORG, limit: 100, lastName: { value: 'MAKINEN', mode: 'EXACT' } }, { signal: signal() });
    expect(all.map((match) => match.customerNumber)).toEqual(numbers);
    expect(sandbox.state().requests.byRoute[READ_ROUTES.lookup]).toBe(2);
    const three = await adapter.lookup({ organizationNumber: ORG, limit: 3, lastName: { value: 'Mäki', mode: 'BEGINS_WITH' } }, { signal: signal() });
    expect(three.map((match) => match.customerNumber)).toEqual(numbers.slice(0, 3));
    expect(sandbox.state().requests.byRoute[READ_ROUTES.lookup]).toBe(3);
    sandbox.close();
  });

  it('FirstVision’s own rules: a last name of at least 2 characters, and a primary search field', async () => {
    const { adapter, sandbox } = await directory();
    const short = await rejection(adapter.lookup({ organizationNumber: ORG, limit: 5, lastName: { value: 'V', mode: 'BEGINS_WITH' } }, { signal: signal() }));
    expect(short).toMatchObject({ code: 'PROVIDER_REJECTED', status: 422, providerCode: 'VPL5SZL13S', retryable: false });
    const noPrimary = await rejection(adapter.lookup({ organizationNumber: ORG, limit: 5, firstName: { value: 'Aino', mode: 'EXACT' } }, { signal: signal() }));
    expect(noPrimary).toMatchObject({ code: 'PROVIDER_REJECTED', providerCode: 'VPL5SZL07S' });
    const badCountry = await rejection(adapter.lookup({ organizationNumber: ORG, limit: 5, lastName: { value: 'Virtanen', mode: 'EXACT' }, country: 'XX' }, { signal: signal() }));
    expect(badCountry).toMatchObject({ code: 'PROVIDER_REJECTED', status: undefined });
    sandbox.close();
  });
});

// ---- customer/generation --------------------------------------------------------------------------------

describe('number generation (customer/generation)', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('count new 19-digit customer numbers, unique across calls and unlike any customer on file', async () => {
    const { adapter, sandbox } = await harnessed();
    await addCustomer(adapter, FEW);
    const first = await adapter.generateCustomerNumbers({ organizationNumber: ORG, logo: 401, count: 25 }, { signal: signal() });
    const second = await adapter.generateCustomerNumbers({ organizationNumber: ORG, logo: 401, count: 25 }, { signal: signal() });
    const all = [...first, ...second];
    expect(first).toHaveLength(25);
    expect(all.every((number) => /^\d{19}$/.test(number))).toBe(true);
    expect(new Set(all).size).toBe(50);
    expect(all).not.toContain(FEW);
    expect(records(sandbox, 'issuedNumbers')).toHaveLength(50);
    expect(sandbox.state().requests.byRoute[READ_ROUTES.generation]).toBe(2);
    sandbox.close();
  });

  it('a generated number can be used to add the customer', async () => {
    const { adapter, sandbox } = await harnessed();
    const [number] = await adapter.generateCustomerNumbers({ organizationNumber: ORG, logo: 401, count: 1 }, { signal: signal() });
    const ref = await addCustomer(adapter, number!);
    expect((await adapter.demographics(ref, { signal: signal() }))?.lastName).toBe('Virtanen');
    sandbox.close();
  });

  it('numbers stay unique after the simulator is closed and reopened on the same file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'firstvision-read-'));
    const file = join(dir, 'sandbox-firstvision.db');
    const settings = await sandboxSettings(null);
    const first = await wire({ file, settings });
    const before = await first.adapter.generateCustomerNumbers({ organizationNumber: ORG, logo: 401, count: 40 }, { signal: signal() });
    first.sandbox.close();
    const reopened = await wire({ file, settings });
    const after = await reopened.adapter.generateCustomerNumbers({ organizationNumber: ORG, logo: 401, count: 40 }, { signal: signal() });
    expect(new Set([...before, ...after]).size).toBe(80);
    expect(records(reopened.sandbox, 'issuedNumbers')).toHaveLength(80);
    reopened.sandbox.close();
  });

  it('a count outside 1–99 is not sent', async () => {
    const { adapter, sandbox } = await harnessed();
    for (const count of [0, 100, 2.5]) {
      const error = await rejection(adapter.generateCustomerNumbers({ organizationNumber: ORG, logo: 401, count }, { signal: signal() }));
      expect(error).toMatchObject({ code: 'PROVIDER_REJECTED', retryable: false });
    }
    expect(sandbox.state().requests.byRoute[READ_ROUTES.generation]).toBeUndefined();
    sandbox.close();
  });
});

// ---- failures -------------------------------------------------------------------------------------------

describe('failures', () => {
  it('an unknown customer is FirstVision’s not-found host error (VPL5SGC04S), rejected and not retryable', async () => {
    const { adapter, sandbox } = await harnessed();
    const ref = { organizationNumber: ORG, customerNumber: '4999999999999999991' };
    const reads = [
      adapter.accountNumbers(ref, { signal: signal() }),
      adapter.cards(ref, { signal: signal() }),
      adapter.relationshipNumbers(ref, { signal: signal() }),
      adapter.addressHistory(ref, { signal: signal() }),
    ];
    for (const read of reads) {
      expect(await rejection(read)).toMatchObject({ code: 'PROVIDER_REJECTED', status: 422, providerCode: 'VPL5SGC04S', retryable: false });
    }
    sandbox.close();
  });

  it('refused credentials are PROVIDER_AUTH_FAILED', async () => {
    const settings = await sandboxSettings(null);
    const { adapter, sandbox } = await wire({ settings, adapterSettings: { ...settings, clientSecret: 'd3Jvbmc=' } });
    const error = await rejection(adapter.accountNumbers({ organizationNumber: ORG, customerNumber: FEW }, { signal: signal() }));
    expect(error).toMatchObject({ code: 'PROVIDER_AUTH_FAILED', status: 401, retryable: false });
    const lookupError = await rejection(
      adapter.lookup({ organizationNumber: ORG, limit: 5, lastName: { value: 'Virtanen', mode: 'EXACT' } }, { signal: signal() }),
    );
    expect(lookupError).toMatchObject({ code: 'PROVIDER_AUTH_FAILED' });
    sandbox.close();
  });

  it('every page goes out with the caller’s signal; aborting during page 2 is PROVIDER_TIMEOUT', async () => {
    const controller = new AbortController();
    const seen: (AbortSignal | null | undefined)[] = [];
    const { adapter, sandbox } = await wire({
      wrap: (next) => async (input, init) => {
        if (!input.endsWith('/customer/accountNumber')) return next(input, init);
        seen.push(init.signal);
        if (seen.length === 2) controller.abort();
        if (init.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
        return next(input, init);
      },
    });
    const ref = await addCustomer(adapter, MANY);
    const error = await rejection(adapter.accountNumbers(ref, { signal: controller.signal }));
    expect(error).toMatchObject({ code: 'PROVIDER_TIMEOUT', retryable: true });
    expect(seen).toEqual([controller.signal, controller.signal]);
    sandbox.close();
  });

  it('a deadline that passes between pages stops the walk before the next request', async () => {
    const controller = new AbortController();
    let pages = 0;
    const { adapter, sandbox } = await wire({
      wrap: (next) => async (input, init) => {
        const response = await next(input, init);
        if (input.endsWith('/customer/details-l8v4') && ++pages === 1) controller.abort();
        return response;
      },
    });
    const ref = await addCustomer(adapter, MANY);
    expect(await rejection(adapter.cards(ref, { signal: controller.signal }))).toMatchObject({ code: 'PROVIDER_TIMEOUT' });
    expect(pages).toBe(1);
    sandbox.close();
  });

  it(`a host whose paging never ends is cut off after ${MAX_PAGES} pages: PROVIDER_BAD_RESPONSE`, async () => {
    let requests = 0;
    const { adapter, sandbox } = await wire({
      wrap: (next) => async (input, init) => {
        if (!input.endsWith('/customer/accountNumber')) return next(input, init);
        requests += 1;
        const accountNumber = String(6_000_000_000_000_000_000n + BigInt(requests));
        return envelope({
          nextToken: { accountOrganizationNext: ORG, accountNumberNext: String(BigInt(accountNumber) + 1n), accountTypeNext: 0 },
          more: 'Y',
          numberOfOccurrences: 1,
          acctTable: [{ organizationNumber: ORG, accountNumber, associationType: 0 }],
        });
      },
    });
    const error = await rejection(adapter.accountNumbers({ organizationNumber: ORG, customerNumber: FEW }, { signal: signal() }));
    expect(error).toMatchObject({ code: 'PROVIDER_BAD_RESPONSE' });
    expect(error.message).toContain(`${MAX_PAGES} pages`);
    expect(requests).toBe(MAX_PAGES);
    sandbox.close();
  });

  it('a host that repeats its token, or says more without one, is PROVIDER_BAD_RESPONSE at once', async () => {
    for (const nextToken of [{ accountOrganizationNext: ORG, accountNumberNext: '6000000000000000001', accountTypeNext: 0 }, undefined]) {
      let requests = 0;
      const { adapter, sandbox } = await wire({
        wrap: (next) => async (input, init) => {
          if (!input.endsWith('/customer/accountNumber')) return next(input, init);
          requests += 1;
          return envelope({ ...(nextToken ? { nextToken } : {}), more: 'Y', numberOfOccurrences: 0, acctTable: [] });
        },
      });
      const error = await rejection(adapter.accountNumbers({ organizationNumber: ORG, customerNumber: FEW }, { signal: signal() }));
      expect(error).toMatchObject({ code: 'PROVIDER_BAD_RESPONSE' });
      expect(requests).toBe(nextToken ? 2 : 1);
      sandbox.close();
    }
  });
});

// ---- the simulator's read routes ------------------------------------------------------------------------

describe('simulator read routes', () => {
  it('logs each read endpoint under its route template', async () => {
    const { adapter, sandbox } = await harnessed();
    const ref = await addCustomer(adapter, FEW);
    const call = { signal: signal() };
    await adapter.accountNumbers(ref, call);
    await adapter.cards(ref, call);
    await adapter.relationshipNumbers(ref, call);
    await adapter.demographics(ref, call);
    await adapter.addressHistory(ref, call);
    await adapter.lookup({ organizationNumber: ORG, limit: 5, lastName: { value: 'Virtanen', mode: 'EXACT' } }, call);
    await adapter.generateCustomerNumbers({ organizationNumber: ORG, logo: 401, count: 1 }, call);
    expect(sandbox.state().requests.byRoute).toEqual({
      'POST /token': 1,
      'POST /customer/': 1,
      ...Object.fromEntries(Object.values(READ_ROUTES).map((route) => [route, 1])),
    });
    sandbox.close();
  });

  it('current/prior address takes an account or relationship number as well as the customer number', async () => {
    const { adapter, client, sandbox } = await wire();
    let ref: FirstvisionCustomerRef | undefined;
    for (const customerNumber of ['4000123412341234561', '4000123412341234562', '4000123412341234563', '4000123412341234564', '4000123412341234565']) {
      ref = await addCustomer(adapter, customerNumber);
      if (customerRecord(sandbox, customerNumber).linked!.relationshipNumbers.length > 0) break;
    }
    const record = customerRecord(sandbox, ref!.customerNumber);
    const extraAccount = record.linked!.accountNumbers.at(-1)!;
    const byNumber = async (number: string) =>
      (
        await client.send(
          {
            operation: 'test.address',
            method: 'GET',
            path: `/customer/${number}/current-prior-address?organizationNumber=${ORG}&ownerCoOwnerFlag=0&currentPriorFlag=C`,
            data: currentPriorAddressResponse,
          },
          { signal: signal() },
        )
      ).data;
    for (const number of [ref!.customerNumber, extraAccount, record.linked!.relationshipNumbers[0]!]) {
      const data = await byNumber(number);
      expect(data.customerNumber).toBe(ref!.customerNumber);
      expect(data.customerData.nameAddressTable).toHaveLength(1);
      expect(data.customerData.priorMailerData?.priorMailer).toEqual([]);
    }
    sandbox.close();
  });

  it('demographic inquiry by card number (numberType 0, zero-padded to 19) finds the card’s customer', async () => {
    const { adapter, client, sandbox } = await wire();
    await addCustomer(adapter, FEW);
    const [card] = records<CardRecord>(sandbox, 'cards').filter((held) => held.customerNumber === FEW);
    const { data } = await client.send(
      {
        operation: 'test.demographics',
        method: 'POST',
        path: '/customer/demographicData',
        // zero-padded to the field's 19 digits, as the spec's example card number is
        body: { organizationNumber: ORG, customerAccountCardNumber: card!.cardNumber.padStart(19, '0'), numberType: '0' },
        data: demographicInquiryResponse,
      },
      { signal: signal() },
    );
    expect(data.customerNumber).toBe(FEW);
    expect(data.nameAddrData[0]?.nameAddressData?.lastName).toBe('Virtanen');
    sandbox.close();
  });

  it('an update by card number (numberType 0) updates the card’s customer', async () => {
    const { adapter, client, sandbox } = await wire();
    await addCustomer(adapter, FEW);
    const [card] = heldCards(sandbox, FEW);
    const customer = canonical({
      ...FULL_PRIVATE_CUSTOMER,
      customerNumber: FEW,
      accounts: [{ ...FULL_PRIVATE_CUSTOMER.accounts[0], accountNumber: `5${FEW.slice(1)}` }],
      email: 'card.holder@example.com',
    });
    const mapped = adapter.mapUpdate!(routingFor(customer, optionsSchema.parse({}), { externalId: FEW }));
    if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
    const body = { ...(mapped.request as Record<string, unknown>), numberType: '0', customerNumber: card!.cardNumber };
    const { data } = await client.send({ operation: 'test.update', method: 'PUT', path: '/customer/', body, data: updateCustomerResponse }, { signal: signal() });
    expect(data.outputArea).toMatchObject({ customerNumber: FEW, numberType: '0' });
    expect(customerRecord(sandbox, FEW).ownerData.email).toBe('card.holder@example.com');
    sandbox.close();
  });

  it('scrolls back with P: the page before the start token', async () => {
    const { adapter, client, sandbox } = await wire();
    const ref = await addCustomer(adapter, MANY);
    const accounts = customerRecord(sandbox, MANY).linked!.accountNumbers;
    const page = async (body: Record<string, unknown>) =>
      (
        await client.send(
          { operation: 'test.accounts', method: 'POST', path: '/customer/accountNumber', body: { ...ref, ...body }, data: customerToAccountInquiryResponse },
          { signal: signal() },
        )
      ).data;
    const first = await page({ functionCode: ' ' });
    const second = await page({ functionCode: 'N', startToken: { accountOrganizationNumber: ORG, accountNumber: first.nextToken!.accountNumberNext, associationType: first.nextToken!.accountTypeNext } });
    expect(second.acctTable[0]!.accountNumber).toBe(accounts[20]);
    const back = await page({ functionCode: 'P', startToken: { accountOrganizationNumber: ORG, accountNumber: second.prevToken!.accountNumberPrev, associationType: second.prevToken!.accountTypePrev } });
    expect(back.acctTable.map((row) => row.accountNumber)).toEqual(accounts.slice(0, 20));
    expect(back.more).toBe('Y');
    sandbox.close();
  });

  it('lookup scrolls back with P and refuses N without a token (VPL5SZL04S)', async () => {
    const { adapter, client, sandbox } = await wire();
    const numbers = ['4300000000000000011', '4300000000000000021', '4300000000000000031'];
    for (const number of numbers) await addCustomer(adapter, number, { name: { first: 'Aino', last: 'Heikkinen' } });
    const lookup = async (body: Record<string, unknown>) =>
      (
        await client.send(
          {
            operation: 'test.lookup',
            method: 'POST',
            path: '/customer/lookup',
            body: { numberOfRecords: 2, organizationNumber: ORG, primarySearchData: { lastBusinessName: 'Heikkinen' }, lastNameFuzzySwitch: 2, ...body },
            data: customerLookupResponse,
          },
          { signal: signal() },
        )
      ).data;
    const first = await lookup({});
    expect(first).toMatchObject({ more: 'Y', numberOfOccurrences: 2 });
    const second = await lookup({ serviceFunctionCode: 'N', startToken: first.nextToken });
    expect(second.customerTable.map((row) => row.customerNumber)).toEqual([numbers[2]]);
    const back = await lookup({ serviceFunctionCode: 'P', startToken: second.prevToken });
    expect(back.customerTable.map((row) => row.customerNumber)).toEqual(numbers.slice(0, 2));
    expect(await rejection(lookup({ serviceFunctionCode: 'N' }))).toMatchObject({ providerCode: 'VPL5SZL04S' });
    sandbox.close();
  });
});
