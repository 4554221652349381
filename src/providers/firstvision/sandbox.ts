import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { FaultInjector, jsonResponse, readBody, sandboxSurface, SandboxStore } from '../sandbox-kit.js';
import type { Sandbox, SandboxDependencies } from '../types.js';
import { messageSignature, type FirstvisionSettings } from './client.js';
import {
  addCustomerRequestReceived,
  cmsNumberGenerationRequest,
  currentPriorAddressQuery,
  customerChannelVersion4Request,
  customerLookupRequest,
  customerToAccountInquiryRequest,
  customerToRelationshipInquiryRequest,
  demographicInquiryRequest,
  FUZZY_SWITCH,
  SCROLL_PAGE_SIZE,
  updateCustomerRequestReceived,
  type AddCustomerResponse,
  type CmsNumberGenerationResponse,
  type CurrentPriorAddressResponse,
  type CustomerChannelVersion4Response,
  type CustomerLookupRequest,
  type CustomerLookupResponse,
  type CustomerToAccountInquiryResponse,
  type CustomerToRelationshipInquiryResponse,
  type DemographicInquiryResponse,
  type DemographicPerson,
  type FirstvisionErrorEntry,
  type PriorMailer,
  type UpdateCustomerResponse,
} from './contract.js';

/**
 * A FirstVision simulator: the token endpoint, customer add and update, and the read side (account
 * numbers, card details, relationship numbers, demographics, lookup, number generation, current and
 * prior address), with the same contract, token, header and signature checks as the real API and its
 * `{hasError, errors, data}` envelope.
 *
 * State is keyed the way VisionPLUS keys it — organization number + customer number:
 * - `customers`      `<org>:<customerNumber>` → the customer record (key data, miscellaneous, owner,
 *                    co-owner) and its linked data (account numbers in order, relationship numbers,
 *                    prior mailing addresses)
 * - `accounts`       `<org>:<accountNumber>` → the account, its owner and its card numbers
 * - `cards`          `<cardNumber>` → the card (full number, as the host holds it), account and owner
 * - `relationships`  `<org>:<relationshipNumber>` → the relationship and its customer
 * - `issuedNumbers`  `<number>` → a number customer/generation handed out (never handed out again)
 * - `tokens`         access token → who it was issued to and when it expires (not shown in `state()`)
 *
 * Linked data is made when customer/add stores a customer, from a hash of organization + customer
 * number, so the same customer gets the same accounts, cards, relationships and prior addresses in
 * every simulator, run after run. See `deriveLinkedData` for the rules (e.g. which customers have more
 * accounts than one page holds).
 */

const PROVIDER = 'FIRSTVISION' as const;
const TOKEN_LIFETIME_SECONDS = 900;
/** The Timestamp header may differ from the server clock by at most this much (api-request.md). */
const TIMESTAMP_WINDOW_MS = 5 * 60_000;

export interface CustomerRecord {
  organizationNumber: number;
  customerNumber: string;
  accountNumber: string;
  customerKeyData: Record<string, unknown>;
  customerMiscellaneousData: Record<string, unknown>;
  ownerData: Record<string, unknown>;
  coOwnerData: Record<string, unknown>;
  /** Update's numeric status (0, 1, 2) once an update has set it. */
  customerStatus?: number;
  /** Absent only on records stored before the read side existed; made on first read then. */
  linked?: LinkedData;
}

/** What hangs off a customer, in the order the host lists it. */
export interface LinkedData {
  /** The account added with the customer first, then the others. */
  accountNumbers: string[];
  relationshipNumbers: string[];
  /** Prior mailing addresses, most recent first, in the host's pm* fields. */
  priorAddresses: PriorMailer[];
}

export interface AccountRecord {
  organizationNumber: number;
  accountNumber: string;
  /** The owner. */
  customerNumber: string;
  /**
   * UNKNOWN: ARXCAO-ASSOC-TYPE's values are not published; the simulator uses 0 for an account the
   * customer owns and 1 for one where the customer is co-owner (comaker).
   */
  associationType: number;
  logo: number;
  logoDescription: string;
  /** A = active, D = dormant, C = closed (customerMiscellaneousData status letters). */
  internalStatus: string;
  cardNumbers: string[];
}

export interface CardRecord {
  organizationNumber: number;
  accountNumber: string;
  customerNumber: string;
  /** The full card number: the simulator is the host, and the host holds it. */
  cardNumber: string;
  /** yyyy-MM-dd, the last day of the expiry month. */
  expireDate: string;
  /** Blank = active, L = lost (blocked), C = closed. */
  blockCode: string;
  digital: 0 | 1;
}

export interface RelationshipRecord {
  organizationNumber: number;
  relationshipNumber: string;
  customerNumber: string;
}

interface TokenRecord {
  apiKey: string;
  issuedAt: number;
  expiresAt: number;
}

interface HandlerInput {
  request: Request;
  raw: string;
  json: unknown;
  /** Path parameters by name (`:accountNumber` → params.accountNumber). */
  params: Record<string, string>;
}

type Handler = (input: HandlerInput) => Response | Promise<Response>;

interface Route {
  method: string;
  /** The provider path, trailing slash ignored; a `:name` segment matches any one segment. */
  path: string;
  /** How the request log names the route (state().requests.byRoute). */
  template: string;
  /** Whether the call needs the bearer token, client id and signature headers. */
  signed: boolean;
  handler: Handler;
}

/** Path parameters when `path` matches the route's pattern, else null. */
function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const actual = got[i]!;
    if (segment.startsWith(':')) {
      if (actual === '') return null;
      params[segment.slice(1)] = decodeURIComponent(actual);
    } else if (segment !== actual) {
      return null;
    }
  }
  return params;
}

/** An answer in FirstVision's error envelope. */
export function errorResponse(status: number, errors: FirstvisionErrorEntry[], headers: Record<string, string> = {}): Response {
  return jsonResponse(status, { hasError: true, errors, data: null }, headers);
}

function okResponse(data: unknown): Response {
  return jsonResponse(200, { hasError: false, errors: [], data });
}

/**
 * UNKNOWN: the gateway's own error codes (auth, routing, malformed bodies) are not published; the
 * simulator uses the HTTP status as the code, e.g. `{code:"401", description:"…"}`.
 */
const gatewayError = (status: number, description: string, headers: Record<string, string> = {}) =>
  errorResponse(status, [{ code: String(status), description }], headers);

/**
 * UNKNOWN: what the host says when it fails inside a 200 envelope; a named code, not a VisionPLUS-style
 * VPL… one, so it cannot be mistaken for a real host code.
 */
const HOST_ERROR_CODE = 'HOST_ERROR';

/**
 * Builds the FirstVision simulator over its own SQLite file.
 * @example const sandbox = createFirstvisionSandbox({ file: ':memory:', settings });
 */
export function createFirstvisionSandbox(deps: SandboxDependencies<FirstvisionSettings>): Sandbox {
  const store = new SandboxStore(PROVIDER, deps.file);
  const faults = new FaultInjector(deps.faults, { sleep: deps.sleep });
  const now = () => (deps.now ? deps.now() : new Date()).getTime();
  const today = () => new Date(now()).toISOString().slice(0, 10);
  /**
   * relationshipNumber's N and P carry no start token, so the host must remember where each caller
   * is: the first item of the page last answered, per caller and customer. A scroll is a conversation,
   * so it is kept in memory, not in the store.
   */
  const relationshipScroll = new Map<string, number>();
  const routes: Route[] = [
    { method: 'POST', path: '/token', template: 'POST /token', signed: false, handler: ({ request, raw }) => issueToken(request, raw) },
    { method: 'POST', path: '/customer', template: 'POST /customer/', signed: true, handler: ({ json }) => addCustomer(json) },
    { method: 'PUT', path: '/customer', template: 'PUT /customer/', signed: true, handler: ({ json }) => updateCustomer(json) },
    read('POST', '/customer/accountNumber', ({ json }) => accountNumberInquiry(json)),
    read('POST', '/customer/details-l8v4', ({ json }) => cardDetails(json)),
    read('POST', '/customer/relationshipNumber', ({ request, json }) => relationshipInquiry(request, json)),
    read('POST', '/customer/demographicData', ({ json }) => demographicInquiry(json)),
    read('POST', '/customer/lookup', ({ json }) => customerLookup(json)),
    read('POST', '/customer/generation', ({ json }) => numberGeneration(json)),
    read('GET', '/customer/:accountNumber/current-prior-address', ({ request, params }) => currentPriorAddress(request, params)),
  ];

  /** A signed route logged under its spec path, e.g. `POST /customer/accountNumber`. */
  function read(method: string, path: string, handler: Handler): Route {
    return { method, path, template: `${method} ${path}`, signed: true, handler };
  }

  function issueToken(request: Request, raw: string): Response {
    const { apiKey, clientSecret } = deps.settings;
    const basic = `Basic ${Buffer.from(`${apiKey}:${clientSecret}`).toString('base64')}`;
    if (!sameText(request.headers.get('authorization'), basic) || request.headers.get('apikey') !== apiKey) {
      return gatewayError(401, 'Invalid client credentials');
    }
    if (!request.headers.get('content-type')?.startsWith('application/x-www-form-urlencoded')) {
      return gatewayError(415, 'Content-Type must be application/x-www-form-urlencoded');
    }
    if (new URLSearchParams(raw).get('grant_type') !== 'client_credentials') {
      return gatewayError(400, 'grant_type must be client_credentials');
    }
    const issuedAt = now();
    const token = randomBytes(24).toString('base64url');
    store.put('tokens', token, { apiKey, issuedAt, expiresAt: issuedAt + TOKEN_LIFETIME_SECONDS * 1000 } satisfies TokenRecord, issuedAt);
    return jsonResponse(200, {
      token_type: 'BearerToken',
      issued_at: String(issuedAt),
      client_id: apiKey,
      access_token: token,
      expires_in: String(TOKEN_LIFETIME_SECONDS),
      status: 'approved',
    });
  }

  /** The checks every API call passes before its body is looked at; null when they pass. */
  function refuseCall(request: Request, raw: string): Response | null {
    const { apiKey, clientId, clientSecret } = deps.settings;
    if (request.headers.get('apikey') !== apiKey) return gatewayError(401, 'Invalid apikey');
    const bearer = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
    const token = bearer === undefined ? undefined : store.get<TokenRecord>('tokens', bearer);
    if (!token || token.apiKey !== apiKey) return gatewayError(401, 'Invalid access token');
    if (token.expiresAt <= now()) return gatewayError(401, 'Access token expired');
    if (request.headers.get('x-clientid') !== clientId) return gatewayError(401, 'Unknown X-ClientID');
    const requestId = request.headers.get('x-client-request-id') ?? '';
    if (requestId.length < 1 || requestId.length > 40) return gatewayError(401, 'X-Client-Request-Id must be 1 to 40 characters');
    const timestamp = request.headers.get('timestamp') ?? '';
    if (!/^\d+$/.test(timestamp) || Math.abs(now() - Number(timestamp)) > TIMESTAMP_WINDOW_MS) {
      return gatewayError(401, 'Timestamp is missing or outside the 5-minute window');
    }
    const expected = messageSignature(clientSecret, { apiKey, requestId, timestamp, body: raw });
    if (!sameText(request.headers.get('signature'), expected)) return gatewayError(401, 'Signature does not match the request');
    // A GET has no body, so nothing to declare the type of.
    if (request.method !== 'GET' && !request.headers.get('content-type')?.startsWith('application/json')) {
      return gatewayError(415, 'Content-Type must be application/json');
    }
    return null;
  }

  function addCustomer(json: unknown): Response {
    const parsed = addCustomerRequestReceived.safeParse(json);
    if (!parsed.success) return contractRefusal(parsed.error, ADD_CODES, 'VPL5SNA03S');
    const { customerKeyData, customerMiscellaneousData, ownerCoOwnerData } = parsed.data.customerData;
    const { organizationNumber, customerNumber, accountNumber } = customerKeyData;
    const owner = ownerCoOwnerData.ownerData;
    if (typeof owner.dateOfBirth === 'string' && owner.dateOfBirth !== '' && Date.parse(`${owner.dateOfBirth}T00:00:00Z`) > now()) {
      return hostError('VPL5SNA38S', 'DATE-OF-BIRTH CANNOT BE A FUTURE DATE');
    }
    const key = `${organizationNumber}:${customerNumber}`;
    if (store.get('customers', key)) return hostError('VPL5SNA12S', 'LOCAL CUSTOMER NUMBER ALREADY EXISTS');
    const account = store.get<{ customerNumber: string }>('accounts', `${organizationNumber}:${accountNumber}`);
    if (account && account.customerNumber !== customerNumber) {
      return hostError('VPL5SNA08S', 'CONFLICTING ORG, ACCOUNT, AND CUSTOMER DATA PASSED TO THE SERVICE');
    }
    const record: CustomerRecord = {
      organizationNumber,
      customerNumber,
      accountNumber,
      customerKeyData,
      customerMiscellaneousData: customerMiscellaneousData ?? {},
      ownerData: owner,
      coOwnerData: ownerCoOwnerData.coOwnerData ?? {},
    };
    store.put('customers', key, { ...record, linked: createLinkedData(record) }, now());
    const dual = customerKeyData.dualFlag === '1';
    const data: AddCustomerResponse = {
      organizationNumber,
      organizationAssociatedToForeignAccount: dual ? organizationNumber : 0,
      foreignCustomerOrganization: dual ? organizationNumber : 0,
      accountNumber,
      customerNumber,
    };
    return okResponse(data);
  }

  function updateCustomer(json: unknown): Response {
    const parsed = updateCustomerRequestReceived.safeParse(json);
    if (!parsed.success) return contractRefusal(parsed.error, UPDATE_CODES, 'VPL5SNA03S');
    const request = parsed.data;
    // numberType 1: a customer number; 0 or blank: a card number, updating the card's customer.
    const byCustomer = request.numberType === '1';
    const customerNumber = byCustomer ? request.customerNumber : cardOwner(request.organizationNumber, request.customerNumber);
    if (customerNumber === undefined) return cardNotFound();
    const key = `${request.organizationNumber}:${customerNumber}`;
    const record = customerOf(request.organizationNumber, customerNumber);
    if (!record) return customerNotFound();
    const updated = applyUpdate(record, request as Record<string, unknown>);
    store.put('customers', key, withPriorAddress(record, updated, today()), now());
    const data: UpdateCustomerResponse = {
      outputArea: {
        organizationNumber: record.organizationNumber,
        customerNumber: record.customerNumber,
        numberType: byCustomer ? '1' : '0',
        foreignUseIndicator: request.foreignUseIndicator ?? '0',
        demographicDataIndicator: request.demographicDataIndicator ?? '0',
        userDataIndicator: request.userDataIndicator ?? '0',
        cmsOrganizationNumber: record.organizationNumber,
        accountNumber: record.accountNumber,
      },
    };
    return okResponse(data);
  }

  // ---- read side ---------------------------------------------------------------------------------------

  function customerNotFound(): Response {
    return hostError('VPL5SGC04S', 'CUSTOMER NUMBER NOT FOUND');
  }

  function cardNotFound(): Response {
    return hostError('VPL5SGC01S', 'REQUESTED CARD/ACCOUNT NUMBER IS NOT FOUND');
  }

  /**
   * The customer number a card belongs to. Card numbers travel zero-padded to 19 digits (the spec's
   * example 0004513070406598974); no card network's numbers start with 0, so the padding comes off.
   */
  function cardOwner(organizationNumber: number, number: string): string | undefined {
    const card = store.get<CardRecord>('cards', number.replace(/^0+/, ''));
    return card && card.organizationNumber === organizationNumber ? card.customerNumber : undefined;
  }

  /** The customer with its linked data, made now for a record stored before the read side existed. */
  function customerOf(organizationNumber: number, customerNumber: string): (CustomerRecord & { linked: LinkedData }) | undefined {
    const key = `${organizationNumber}:${customerNumber}`;
    const record = store.get<CustomerRecord>('customers', key);
    if (!record) return undefined;
    if (record.linked) return { ...record, linked: record.linked };
    const linked = createLinkedData(record);
    store.put('customers', key, { ...record, linked }, now());
    return { ...record, linked };
  }

  /** Derives a new customer's accounts, cards and relationships and stores them; returns the links. */
  function createLinkedData(record: CustomerRecord): LinkedData {
    const derived = deriveLinkedData(record, deps.settings.logo, {
      account: (number) => store.get('accounts', `${record.organizationNumber}:${number}`) !== undefined,
      card: (number) => store.get('cards', number) !== undefined,
      relationship: (number) => store.get('relationships', `${record.organizationNumber}:${number}`) !== undefined,
    });
    const at = now();
    for (const account of derived.accounts) store.put('accounts', `${account.organizationNumber}:${account.accountNumber}`, account, at);
    for (const card of derived.cards) store.put('cards', card.cardNumber, card, at);
    for (const relationship of derived.relationships) {
      store.put('relationships', `${relationship.organizationNumber}:${relationship.relationshipNumber}`, relationship, at);
    }
    return derived.linked;
  }

  function accountsOf(customer: CustomerRecord & { linked: LinkedData }): AccountRecord[] {
    return customer.linked.accountNumbers.flatMap((number) => store.get<AccountRecord>('accounts', `${customer.organizationNumber}:${number}`) ?? []);
  }

  function accountNumberInquiry(json: unknown): Response {
    const parsed = customerToAccountInquiryRequest.safeParse(json);
    if (!parsed.success) return contractRefusal(parsed.error, READ_CODES, 'VPL5SNA03S');
    const { organizationNumber, customerNumber, functionCode, startToken } = parsed.data;
    const customer = customerOf(organizationNumber, customerNumber);
    if (!customer) return customerNotFound();
    const accounts = accountsOf(customer);
    const window = scrollWindow(
      accounts.map(() => 1),
      functionCode ?? ' ',
      startToken ? accounts.findIndex((account) => account.accountNumber === startToken.accountNumber) : 0,
    );
    if (!window) return cardNotFound();
    const next = accounts[window.to];
    const first = window.from > 0 ? accounts[window.from] : undefined;
    const page = accounts.slice(window.from, window.to);
    const data: CustomerToAccountInquiryResponse = {
      nextToken: {
        accountOrganizationNext: next?.organizationNumber ?? 0,
        accountNumberNext: next?.accountNumber ?? '',
        accountTypeNext: next?.associationType ?? 0,
      },
      prevToken: {
        accountOrganizationPrev: first?.organizationNumber ?? 0,
        accountNumberPrev: first?.accountNumber ?? '',
        accountTypePrev: first?.associationType ?? 0,
      },
      more: next ? 'Y' : 'N',
      numberOfOccurrences: page.length,
      acctTable: page.map((account) => ({
        organizationNumber: account.organizationNumber,
        accountNumber: account.accountNumber,
        associationType: account.associationType,
        organizationName: organizationName(account.organizationNumber),
        logo: account.logo,
        logoDescription: account.logoDescription,
        accountInternalStatus: account.internalStatus,
      })),
    };
    return okResponse(data);
  }

  function cardDetails(json: unknown): Response {
    const parsed = customerChannelVersion4Request.safeParse(json);
    if (!parsed.success) return contractRefusal(parsed.error, READ_CODES, 'VPL5SNA03S');
    const { organizationNumber, customerNumber, functionCode, startItem } = parsed.data;
    const customer = customerOf(organizationNumber, customerNumber);
    if (!customer) return customerNotFound();
    const accounts = accountsOf(customer).filter((account) => account.cardNumbers.length > 0);
    if (accounts.length === 0) return hostError('VPL5SCE07E', 'NO VALID CARDS ARE ASSOCIATED WITH THIS CUSTOMER');
    // Whole accounts per page (at most 20 cards), so a start account always begins a page cleanly.
    const window = scrollWindow(
      accounts.map((account) => account.cardNumbers.length),
      functionCode ?? ' ',
      startItem ? accounts.findIndex((account) => account.accountNumber === startItem.startAccount) : 0,
    );
    if (!window) return hostError('VPL5SCE15S', 'ACCOUNT NOT FOUND');
    const next = accounts[window.to];
    const first = window.from > 0 ? accounts[window.from] : undefined;
    const cards = accounts
      .slice(window.from, window.to)
      .flatMap((account) => account.cardNumbers.flatMap((number) => store.get<CardRecord>('cards', number) ?? []));
    const data: CustomerChannelVersion4Response = {
      customerNumber,
      more: next ? 'Y' : 'N',
      numberOfOccurrences: cards.length,
      nextItem: { nextOrganization: next ? String(next.organizationNumber) : '', nextAccount: next?.accountNumber ?? '' },
      prevItem: { prevOrganization: first ? String(first.organizationNumber) : '', prevAccount: first?.accountNumber ?? '' },
      cardTable: cards.map((card) => ({
        organizationNumber: card.organizationNumber,
        accountNumber: card.accountNumber,
        cardNumber: card.cardNumber,
        cardExpireDate: card.expireDate,
        cardBlockCode: card.blockCode,
        digitalCardIndicator: card.digital,
      })),
    };
    return okResponse(data);
  }

  function relationshipInquiry(request: Request, json: unknown): Response {
    const parsed = customerToRelationshipInquiryRequest.safeParse(json);
    if (!parsed.success) return contractRefusal(parsed.error, RELATIONSHIP_CODES, 'VPL5SNA03S');
    const { organizationNumber, customerNumber, functionCode } = parsed.data;
    const customer = customerOf(organizationNumber, customerNumber);
    if (!customer) return customerNotFound();
    const numbers = customer.linked.relationshipNumbers;
    const caller = `${request.headers.get('x-clientid')}|${organizationNumber}:${customerNumber}`;
    const last = relationshipScroll.get(caller) ?? 0;
    const from =
      functionCode === 'N'
        ? Math.min(last + SCROLL_PAGE_SIZE, numbers.length)
        : functionCode === 'P'
          ? Math.max(0, last - SCROLL_PAGE_SIZE)
          : 0;
    const to = Math.min(from + SCROLL_PAGE_SIZE, numbers.length);
    relationshipScroll.set(caller, from);
    const data: CustomerToRelationshipInquiryResponse = {
      organizationNumber,
      customerNumber,
      more: to < numbers.length ? 'Y' : 'N',
      numberOfOccurrences: to - from,
      relationshipTable: numbers.slice(from, to).map((relationshipNumber) => ({ organizationNumber, relationshipNumber })),
    };
    return okResponse(data);
  }

  function demographicInquiry(json: unknown): Response {
    const parsed = demographicInquiryRequest.safeParse(json);
    if (!parsed.success) return contractRefusal(parsed.error, READ_CODES, 'VPL5SNA03S');
    const { organizationNumber, customerAccountCardNumber, numberType } = parsed.data;
    const customerNumber = numberType === '1' ? customerAccountCardNumber : cardOwner(organizationNumber, customerAccountCardNumber);
    if (customerNumber === undefined) return cardNotFound();
    const customer = customerOf(organizationNumber, customerNumber);
    if (!customer) return customerNotFound();
    const misc = customer.customerMiscellaneousData;
    const data: DemographicInquiryResponse = {
      organizationNumber,
      customerNumber,
      vipStatus: String(misc.vipStatus ?? 0),
      ...(typeof misc.sicCode === 'number' ? { sicCode: misc.sicCode } : {}),
      nameAddrData: [
        demographicPerson(1, customer.ownerData),
        ...(Object.keys(customer.coOwnerData).length > 0 ? [demographicPerson(2, customer.coOwnerData)] : []),
      ],
    };
    return okResponse(data);
  }

  function customerLookup(json: unknown): Response {
    const parsed = customerLookupRequest.safeParse(json);
    if (!parsed.success) return contractRefusal(parsed.error, LOOKUP_CODES, 'VPL5SNA03S');
    const request = parsed.data;
    const search = lookupSearch(request);
    if ('refusal' in search) return hostError(search.refusal.code, search.refusal.description);
    const function_ = request.serviceFunctionCode?.trim() ?? '';
    const token = request.startToken?.trim() ?? '';
    if (function_ !== '' && token === '') return hostError('VPL5SZL04S', 'SERVICE TOKEN CANNOT BE LOW VALUES FOR PREV OR NEXT FUNCTION');
    const matches = store
      .list<CustomerRecord>('customers')
      .filter((customer) => !request.organizationNumber || customer.organizationNumber === request.organizationNumber)
      .filter((customer) => search.matches(customer))
      .sort((a, b) => lookupKey(a).localeCompare(lookupKey(b)));
    const at = token === '' ? 0 : matches.findIndex((customer) => lookupKey(customer) >= token);
    const start = at < 0 ? matches.length : at;
    const from = function_ === 'P' ? Math.max(0, start - request.numberOfRecords) : start;
    const to = function_ === 'P' ? start : Math.min(from + request.numberOfRecords, matches.length);
    const next = matches[to];
    const data: CustomerLookupResponse = {
      more: next ? 'Y' : 'N',
      numberOfOccurrences: to - from,
      nextToken: next ? lookupKey(next) : '',
      prevToken: from > 0 ? lookupKey(matches[from]!) : '',
      customerTable: matches.slice(from, to).map((customer) => {
        const owner = customer.ownerData;
        return {
          organizationNumber: customer.organizationNumber,
          customerNumber: customer.customerNumber,
          lastBusinessName: lastBusinessName(owner),
          firstName: textOf(owner.firstName),
          middleName: textOf(owner.middleName),
          dateOfBirth: textOf(owner.dateOfBirth),
          postalCode: textOf(owner.postalCode),
          countryCode: textOf(owner.countryCode),
        };
      }),
    };
    return okResponse(data);
  }

  /**
   * Reserves numbers never handed out before by this simulator (kept in the store, so also after a
   * restart) and never equal to a customer or account number on file. Only customer and account
   * numbers are answered: CmsNumberGenerationResponse has no place for the other kinds.
   */
  function numberGeneration(json: unknown): Response {
    const parsed = cmsNumberGenerationRequest.safeParse(json);
    if (!parsed.success) return contractRefusal(parsed.error, READ_CODES, 'VPL5SNA03S');
    const request = parsed.data;
    const at = now();
    const customersOnFile = new Set(store.list<CustomerRecord>('customers').map((customer) => customer.customerNumber));
    const reserve = (kind: 'customer' | 'account', make: () => string, onFile: (number: string) => boolean): string => {
      let number = make();
      while (store.get('issuedNumbers', number) !== undefined || onFile(number)) number = make();
      store.put('issuedNumbers', number, { kind, organizationNumber: request.organizationNumber, logo: request.logo, issuedAt: at }, at);
      return number;
    };
    const customerData = Array.from({ length: request.customerNumbersRequested ?? 0 }, (_, i) => ({
      sequence: i + 1,
      customerNumber: reserve('customer', () => randomNumber(String(randomInt(1, 10))), (number) => customersOnFile.has(number)),
    }));
    const organization = String(request.organizationNumber).padStart(3, '0');
    const accountData = Array.from({ length: request.accountNumbersRequested ?? 0 }, (_, i) => ({
      sequence: i + 1,
      accountNumber: reserve(
        'account',
        () => randomNumber(organization),
        (number) => store.get('accounts', `${request.organizationNumber}:${number}`) !== undefined,
      ),
    }));
    const dual = request.dualIndicator === '1';
    const data: CmsNumberGenerationResponse = {
      organizationNumber: request.organizationNumber,
      foreignOrganizationNumber: dual ? request.organizationNumber : 0,
      dualIndicator: dual ? 1 : 0,
      logo: request.logo,
      accountData,
      customerData,
    };
    return okResponse(data);
  }

  function currentPriorAddress(request: Request, params: Record<string, string>): Response {
    const search = new URL(request.url).searchParams;
    const parsed = currentPriorAddressQuery.safeParse({
      accountNumber: params.accountNumber,
      organizationNumber: search.get('organizationNumber') ?? undefined,
      ownerCoOwnerFlag: search.get('ownerCoOwnerFlag') ?? undefined,
      currentPriorFlag: search.get('currentPriorFlag') ?? undefined,
    });
    if (!parsed.success) return contractRefusal(parsed.error, READ_CODES, 'VPL5SNA03S');
    const { accountNumber: number, organizationNumber, ownerCoOwnerFlag, currentPriorFlag } = parsed.data;
    // The path number is a customer, account or relationship number; the host tries each.
    const account = store.get<AccountRecord>('accounts', `${organizationNumber}:${number}`);
    const relationship = store.get<RelationshipRecord>('relationships', `${organizationNumber}:${number}`);
    const customerNumber = store.get('customers', `${organizationNumber}:${number}`)
      ? number
      : (account?.customerNumber ?? relationship?.customerNumber);
    const customer = customerNumber === undefined ? undefined : customerOf(organizationNumber, customerNumber);
    if (!customer) return customerNotFound();
    const primary = store.get<AccountRecord>('accounts', `${organizationNumber}:${customer.accountNumber}`);
    const people = [
      ...(ownerCoOwnerFlag !== '2' ? [customer.ownerData] : []),
      ...(ownerCoOwnerFlag !== '1' && Object.keys(customer.coOwnerData).length > 0 ? [customer.coOwnerData] : []),
    ];
    const current = currentPriorFlag === 'P' ? [] : people.map(nameAddressEntry);
    const prior = currentPriorFlag === 'C' ? [] : customer.linked.priorAddresses;
    const data: CurrentPriorAddressResponse = {
      organizationNumber,
      logo: primary?.logo ?? deps.settings.logo ?? 0,
      accountNumber: account?.accountNumber ?? customer.accountNumber,
      customerNumber: customer.customerNumber,
      relationshipNumber: relationship?.relationshipNumber ?? customer.linked.relationshipNumbers[0] ?? '',
      vipFlag: customer.customerMiscellaneousData.vipStatus === 1 ? 1 : 0,
      customerData: {
        occurrencesForNameAddressField: current.length,
        nameAddressTable: current,
        priorMailerData: { priorMailerFieldsOccurrences: prior.length, priorMailer: prior },
      },
    };
    return okResponse(data);
  }

  async function dispatch(request: Request, path: string): Promise<{ route: string; response: Response }> {
    const normalized = path.length > 1 ? path.replace(/\/$/, '') : path;
    const candidates = routes.flatMap((route) => {
      const params = matchPath(route.path, normalized);
      return params ? [{ route, params }] : [];
    });
    if (candidates.length === 0) return { route: `${request.method} (unknown)`, response: gatewayError(404, `No resource at ${path}`) };
    const found = candidates.find((candidate) => candidate.route.method === request.method);
    if (!found) {
      const allow = candidates.map((candidate) => candidate.route.method).join(', ');
      return { route: `${request.method} ${normalized} (not allowed)`, response: gatewayError(405, `Use ${allow}`, { allow }) };
    }
    const { route, params } = found;
    const response = await faults.answer(
      {
        internalError: () => gatewayError(500, 'Backend Error: the host did not answer (injected fault)'),
        unavailable: () => gatewayError(503, 'Service Unavailable (injected fault)'),
        envelope: () =>
          jsonResponse(200, {
            hasError: true,
            errors: [{ code: HOST_ERROR_CODE, description: 'the host could not complete the request (injected fault)' }],
            data: null,
          }),
      },
      () => apply(request, route, params),
    );
    return { route: route.template, response };
  }

  /** What the gateway and host do with a routed request: the signed-call checks, then the route. */
  async function apply(request: Request, route: Route, params: Record<string, string>): Promise<Response> {
    const { raw, json } = await readBody(request);
    const refusal = route.signed ? refuseCall(request, raw) : null;
    if (refusal) return refusal;
    if (route.signed && route.method !== 'GET' && (json === undefined || typeof json !== 'object' || json === null)) {
      return gatewayError(400, 'Body must be a JSON object');
    }
    return route.handler({ request, raw, json, params });
  }

  return sandboxSurface({
    name: PROVIDER,
    store,
    faults,
    now,
    answer: dispatch,
    state() {
      const state = store.state();
      const { tokens: _secret, ...records } = state.records;
      return { ...state, records };
    },
  });
}

// ---- host codes ---------------------------------------------------------------------------------------

function hostError(code: string, description: string): Response {
  return errorResponse(422, [{ code, description }]);
}

/** customer/add host codes by field (2022 spec's 422 list). */
const ADD_CODES: Readonly<Record<string, string>> = {
  organizationNumber: 'VPL5SNA19S',
  customerNumber: 'VPL5SNA18S',
  accountNumber: 'VPL5SNA09S',
  coOwnerIndicator: 'VPL5SNA04S',
  vipStatus: 'VPL5SNA28S',
  sicCode: 'VPL5SNA29S',
  identificationNumberFlag: 'VPL5SNA30S',
  countryCode: 'VPL5SNA33S',
  postalCode: 'VPL5SNA34S',
  maritalStatus: 'VPL5SNA35S',
  ownOrRentResidenceFlag: 'VPL5SNA36S',
  carrierRoute3and4: 'VPL5SNA37S',
  dateOfBirth: 'VPL5SNA39S',
  dateOfFile: 'VPL5SNA41S',
  numberOfDependents: 'VPL5SNA42S',
  statementMessageIndicator: 'VPL5SNA43S',
  nameTypeIndicator1: 'VPL5SNA46S',
  nameTypeIndicator2: 'VPL5SNA47S',
  nameTypeIndicator3: 'VPL5SNA48S',
  contactIndicator: 'VPL5SNA49S',
  genderCode: 'VPL5SNA57S',
  faxPhoneFlag: 'VPL5SNA58S',
  homePhoneFlag: 'VPL5SNA59S',
  mobilePhoneFlag: 'VPL5SNA60S',
  emailFlag: 'VPL5SNA61S',
  employerPhoneFlag: 'VPL5SNA32S',
  smsFlag: 'VPL5SNA62S',
};

/** customer update host codes by field (1.2.0 spec's 422 list). */
const UPDATE_CODES: Readonly<Record<string, string>> = {
  organizationNumber: 'VPL5SGC01E',
  customerNumber: 'VPL5SGC02E',
  foreignUseIndicator: 'VPL5SGC03E',
  numberType: 'VPL5SGC04E',
  demographicDataIndicator: 'VPL5SGC06E',
  userDataIndicator: 'VPL5SGC07E',
  status: 'VPL5SGC09E',
  vipStatus: 'VPL5SGC10E',
  sicCode: 'VPL5SGC11E',
  maritalStatus: 'VPL5SGC12E',
  nameTypeIndicator1: 'VPL5SGC13E',
  nameTypeIndicator2: 'VPL5SGC14E',
  nameTypeIndicator3: 'VPL5SGC15E',
  postalCode: 'VPL5SGC16E',
  ownOrRentResidenceFlag: 'VPL5SGC17E',
  contactIndicator: 'VPL5SGC18E',
  carrierRoute3and4: 'VPL5SGC19E',
  statementMessageIndicator: 'VPL5SGC22E',
  dateOfBirth: 'VPL5SGC23E',
  taxIdType: 'VPL5SGC24E',
  taxIdNumber: 'VPL5SGC25E',
  numberOfDependents: 'VPL5SGC29E',
  countryCode: 'VPL5SGC35E',
  homePhoneIndicator: 'VPL5SGC36E',
  faxPhoneIndicator: 'VPL5SGC37E',
  mobilePhoneIndicator: 'VPL5SGC38E',
  emailIndicator: 'VPL5SGC39E',
  genderCode: 'VPL5SGC40E',
  smsIndicator: 'VPL5SGC41E',
};

/**
 * A contract violation as the host reports it: 422, one error per problem, the rule's own code when
 * the contract names one, else the field's code.
 * UNKNOWN: lengths and shapes have no field-specific host code; `fallback` (VPL5SNA03S, "service input
 * area is not of correct size") stands for them.
 */
function contractRefusal(error: z.ZodError, codes: Readonly<Record<string, string>>, fallback: string): Response {
  return errorResponse(
    422,
    error.issues.map((issue) => {
      const field = [...issue.path].reverse().find((part): part is string => typeof part === 'string');
      const ruleCode = issue.code === 'custom' ? (issue.params as { providerCode?: unknown } | undefined)?.providerCode : undefined;
      return {
        code: typeof ruleCode === 'string' ? ruleCode : ((field && codes[field]) ?? fallback),
        description: `${issue.path.map(String).join('.') || 'body'}: ${issue.message}`,
      };
    }),
  );
}

// ---- update semantics -----------------------------------------------------------------------------------

/** Update field → owner field where the names differ (the rest share names). */
const OWNER_FIELD_OF_UPDATE: Readonly<Record<string, string>> = {
  homePhoneIndicator: 'homePhoneFlag',
  faxPhoneIndicator: 'faxPhoneFlag',
  mobilePhoneIndicator: 'mobilePhoneFlag',
  emailIndicator: 'emailFlag',
  smsIndicator: 'smsFlag',
  faxPhoneNumber: 'homeFaxPhoneNumber',
  taxIdNumber: 'identificationNumber',
  taxIdType: 'identificationNumberFlag',
  userDemographic1: 'demographic1',
  userDemographic2: 'demographic2',
  userDemographic3: 'demographic3',
};
const KEY_FIELDS = new Set(['organizationNumber', 'customerNumber', 'numberType', 'foreignUseIndicator', 'demographicDataIndicator', 'userDataIndicator']);
const MISCELLANEOUS_FIELDS = new Set(['vipStatus', 'sicCode']);

/**
 * Applies an update to the owner (demographicDataIndicator 1) or co-owner (2); a field sent as ""
 * clears it. Miscellaneous data and status always apply.
 */
function applyUpdate(record: CustomerRecord, request: Record<string, unknown>): CustomerRecord {
  const target = request.demographicDataIndicator === '2' ? 'coOwnerData' : 'ownerData';
  const person: Record<string, unknown> = { ...record[target] };
  const miscellaneous: Record<string, unknown> = { ...record.customerMiscellaneousData };
  const updatesPerson = request.demographicDataIndicator === '1' || request.demographicDataIndicator === '2';
  for (const [field, value] of Object.entries(request)) {
    if (KEY_FIELDS.has(field) || field === 'status' || value === undefined) continue;
    if (MISCELLANEOUS_FIELDS.has(field)) miscellaneous[field] = value;
    else if (updatesPerson && (field === 'driverLicense' || field === 'carrierRoute')) Object.assign(person, asRecord(value));
    else if (updatesPerson) person[OWNER_FIELD_OF_UPDATE[field] ?? field] = value;
  }
  const next: CustomerRecord = { ...record, customerMiscellaneousData: miscellaneous, [target]: dropBlanks(person) };
  return typeof request.status === 'number' ? { ...next, customerStatus: request.status } : next;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function dropBlanks(person: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(person).filter(([, value]) => value !== ''));
}

// ---- read side: host codes, paging, lookup ------------------------------------------------------------

/**
 * Read requests' host codes by field: the customer services' codes for organization and numbers
 * (1.2.0 update list), the relationship service's own (VPL5SRC*), the lookup's (VPL5SZL*).
 */
const READ_CODES: Readonly<Record<string, string>> = {
  organizationNumber: 'VPL5SGC01E',
  customerNumber: 'VPL5SGC02E',
  customerAccountCardNumber: 'VPL5SGC02E',
  accountNumber: 'VPL5SGC02E',
  numberType: 'VPL5SGC04E',
  foreignUseIndicator: 'VPL5SGC03E',
};
const RELATIONSHIP_CODES: Readonly<Record<string, string>> = { organizationNumber: 'VPL5SRC06E', customerNumber: 'VPL5SRC07E' };
const LOOKUP_CODES: Readonly<Record<string, string>> = {
  numberOfRecords: 'VPL5SZL03S',
  serviceFunctionCode: 'VPL5SZL05S',
  identifier: 'VPL5SZL21S',
  phoneNumber: 'VPL5SZL26S',
};

/** UNKNOWN: organization names are the bank's own; the simulator names each by its number. */
function organizationName(organizationNumber: number): string {
  return `ORGANIZATION ${String(organizationNumber).padStart(3, '0')}`;
}

/**
 * The items of one page of a scrolled list, as indexes [from, to). Items have weights (an account's
 * number of cards) and a page holds at most 20 by weight, never splitting an item. Space or blank:
 * the first page; N: the page starting at `start`; P: the page ending just before `start`. Null when
 * N or P name a start that is not in the list.
 */
function scrollWindow(weights: readonly number[], functionCode: string, start: number): { from: number; to: number } | null {
  const code = functionCode.trim();
  if (code !== '' && (start < 0 || start >= weights.length)) return null;
  if (code === 'P') {
    let from = start;
    let used = 0;
    while (from > 0 && (from === start || used + weights[from - 1]! <= SCROLL_PAGE_SIZE)) used += weights[--from]!;
    return { from, to: start };
  }
  const from = code === '' ? 0 : start;
  let to = from;
  let used = 0;
  while (to < weights.length && (to === from || used + weights[to]! <= SCROLL_PAGE_SIZE)) used += weights[to++]!;
  return { from, to };
}

/** A stored field as text: the add keeps what it received, and numbers in text fields become text. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'number' ? String(value) : undefined;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** The lookup's last-or-business name: the person's last name, else name line 1 (a business). */
function lastBusinessName(person: Record<string, unknown>): string | undefined {
  const last = textOf(person.lastName)?.trim();
  return last ? last : textOf(person.nameLine1);
}

/** Sort key and start token of a lookup row: organization (3 digits) + customer number. */
function lookupKey(customer: CustomerRecord): string {
  return `${String(customer.organizationNumber).padStart(3, '0')}${customer.customerNumber}`;
}

type MatchMode = 'ANY_FUZZY' | 'BEGINS_WITH' | 'DRILL_DOWN' | 'ENDS_WITH' | 'CONTAINS';

const MODE_OF_SWITCH: Readonly<Record<number, MatchMode>> = {
  [FUZZY_SWITCH.ANY_FUZZY]: 'ANY_FUZZY',
  [FUZZY_SWITCH.BEGINS_WITH]: 'BEGINS_WITH',
  [FUZZY_SWITCH.DRILL_DOWN]: 'DRILL_DOWN',
  [FUZZY_SWITCH.ENDS_WITH]: 'ENDS_WITH',
};

/** Case, accents, spaces and punctuation do not matter to a search: "Järvinen-Ek" is "JARVINENEK". */
function searchForm(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

/** Levenshtein distance: insertions, deletions and substitutions cost 1 each. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * Edits "any fuzzy" forgives, by the length of the value searched for: none up to 3 characters (or
 * short values would match nearly everything), 1 up to 7, 2 beyond — the tolerance customer-graph's
 * own matching uses (src/domain/text-match.ts), so the simulator and the local search agree.
 */
function fuzzyTolerance(length: number): number {
  return length <= 3 ? 0 : length <= 7 ? 1 : 2;
}

/**
 * How the simulator matches one search value. Both sides are compared in search form (no case,
 * accents, spaces or punctuation). Begins with, ends with and drill down (the whole value) are
 * literal; "any fuzzy" accepts a Levenshtein distance within fuzzyTolerance (a typo, a missing or
 * extra letter). UNKNOWN: the host's fuzzy algorithm is not published.
 */
function matchesValue(stored: string | undefined, query: string, mode: MatchMode): boolean {
  if (stored === undefined) return false;
  const have = searchForm(stored);
  if (have === '') return false;
  switch (mode) {
    case 'BEGINS_WITH':
      return have.startsWith(query);
    case 'ENDS_WITH':
      return have.endsWith(query);
    case 'CONTAINS':
      return have.includes(query);
    case 'DRILL_DOWN':
      return have === query;
    case 'ANY_FUZZY':
      return editDistance(have, query) <= fuzzyTolerance(query.length);
  }
}

interface SearchField {
  /** The request field and the words its host codes use. */
  field: string;
  value: string | undefined;
  switchValue: number | undefined;
  /** Where `*` may stand: nowhere (refused with `starCode`), only at the end (last name), at either end (first name). */
  wildcard: 'none' | 'end' | 'either';
  starCode?: string;
  min?: { length: number; code: string; label: string };
  stored: (person: Record<string, unknown>) => (string | undefined)[];
}

interface Criterion {
  query: string;
  mode: MatchMode;
  stored: SearchField['stored'];
}

type Refusal = { refusal: FirstvisionErrorEntry };

/**
 * One search value → a criterion, with the host's rules on `*` (VisionPLUS' wildcard: `SMI*`
 * begins with, `*SON` ends with) and minimum lengths (VPL5SZL11S–25S).
 */
function criterionOf(field: SearchField): Criterion | Refusal | null {
  const raw = field.value?.trim() ?? '';
  if (raw === '') return null;
  let mode = MODE_OF_SWITCH[field.switchValue ?? FUZZY_SWITCH.ANY_FUZZY] ?? 'ANY_FUZZY';
  let value = raw;
  if (raw.includes('*')) {
    const leading = raw.startsWith('*');
    const trailing = raw.endsWith('*') && raw.length > 1;
    const inner = raw.slice(leading ? 1 : 0, trailing ? -1 : undefined);
    if (field.wildcard === 'none') {
      if (field.starCode) return { refusal: { code: field.starCode, description: `CANNOT DO AN ASTERISK SEARCH ON ${field.field.toUpperCase()}` } };
    } else if (field.wildcard === 'end' && leading) {
      return { refusal: { code: 'VPL5SZL11S', description: 'FIRST CHARACTER CANNOT BE ASTERISK' } };
    } else if (inner.includes('*')) {
      return field.wildcard === 'end'
        ? { refusal: { code: 'VPL5SZL14S', description: '* CAN BE ONLY AT END BUT CANNOT BE IN BETWEEN FOR LAST NAME' } }
        : { refusal: { code: 'VPL5SZL16S', description: '* CAN BE AT START OR END BUT CANNOT BE IN BETWEEN FOR FIRST NAME' } };
    } else {
      value = inner;
      mode = leading && trailing ? 'CONTAINS' : leading ? 'ENDS_WITH' : 'BEGINS_WITH';
    }
  }
  const query = searchForm(value);
  if (field.min && query.length < field.min.length) {
    return { refusal: { code: field.min.code, description: `MINIMUM NUMBER OF CHARS REQUIRED FOR ENTRY IS ${field.min.length} FOR ${field.min.label}` } };
  }
  return { query, mode, stored: field.stored };
}

const matchesCriterion = (person: Record<string, unknown>) => (criterion: Criterion) =>
  criterion.stored(person).some((stored) => matchesValue(stored, criterion.query, criterion.mode));

/**
 * A lookup request → a predicate over stored customers (their owner data), or the host's refusal.
 * Every primary value sent must match (at least one is required: VPL5SZL07S); optional values all
 * match with optionalDataMatch 1, any one with 0 (the default).
 */
function lookupSearch(request: CustomerLookupRequest): { matches: (customer: CustomerRecord) => boolean } | Refusal {
  const primaryData = request.primarySearchData ?? {};
  const optionalData = request.optionalSearchData ?? {};
  const options = request.requestOptionData ?? {};
  const text = (field: string) => (person: Record<string, unknown>) => [textOf(person[field])];
  const primaryFields: (SearchField & { option: number | undefined })[] = [
    {
      field: 'last name',
      value: primaryData.lastBusinessName,
      switchValue: request.lastNameFuzzySwitch,
      option: options.lastNameOption,
      wildcard: 'end',
      min: { length: 2, code: 'VPL5SZL13S', label: 'LAST NAME' },
      stored: (person) => [lastBusinessName(person)],
    },
    {
      field: 'id number',
      value: primaryData.identifier,
      switchValue: request.identifierFuzzySwitch,
      option: options.identifierOption,
      wildcard: 'none',
      starCode: 'VPL5SZL19S',
      min: { length: 6, code: 'VPL5SZL20S', label: 'ID NUMBER' },
      stored: text('identificationNumber'),
    },
    {
      field: 'phone number',
      value: primaryData.phoneNumber,
      switchValue: request.phoneFuzzySwitch,
      option: options.phoneNumberOption,
      wildcard: 'none',
      starCode: 'VPL5SZL24S',
      min: { length: 6, code: 'VPL5SZL25S', label: 'PHONE NBR' },
      stored: (person) => [textOf(person.homePhoneNumber), textOf(person.mobilePhoneNumber), textOf(person.employerPhoneNumber)],
    },
    {
      field: 'postal code',
      value: primaryData.postalCode,
      switchValue: request.postalFuzzySwitch,
      option: options.postalCodeOption,
      wildcard: 'none',
      stored: text('postalCode'),
    },
  ];
  const optionalFields: SearchField[] = [
    {
      field: 'first name',
      value: optionalData.firstName,
      switchValue: request.firstNameFuzzySwitch,
      wildcard: 'either',
      min: { length: 2, code: 'VPL5SZL15S', label: 'FIRST NAME' },
      stored: text('firstName'),
    },
    { field: 'middle name', value: optionalData.middleName, switchValue: request.middleNameFuzzySwitch, wildcard: 'either', stored: text('middleName') },
    { field: 'date of birth', value: optionalData.dateOfBirth, switchValue: FUZZY_SWITCH.DRILL_DOWN, wildcard: 'none', stored: text('dateOfBirth') },
    { field: 'title', value: optionalData.title, switchValue: request.titleFuzzySwitch, wildcard: 'either', stored: text('title') },
    { field: 'suffix', value: optionalData.suffix, switchValue: request.suffixFuzzySwitch, wildcard: 'either', stored: text('suffix') },
    { field: 'country', value: optionalData.countryCode, switchValue: request.countryFuzzySwitch, wildcard: 'none', stored: text('countryCode') },
    { field: 'user 14', value: optionalData.user14, switchValue: request.user14FuzzySwitch, wildcard: 'either', stored: text('user14') },
    { field: 'user 15', value: optionalData.user15, switchValue: request.user15FuzzySwitch, wildcard: 'either', stored: text('user15') },
  ];
  const required = { code: 'VPL5SZL07S', description: 'FIELD ENTRY REQUIRED FOR PRIMARY SEARCH' };
  if (primaryFields.some((field) => field.option === 1 && !field.value?.trim())) return { refusal: required };
  const primary: Criterion[] = [];
  const optional: Criterion[] = [];
  for (const [fields, into] of [
    [primaryFields, primary],
    [optionalFields, optional],
  ] as const) {
    for (const field of fields) {
      const criterion = criterionOf(field);
      if (criterion === null) continue;
      if ('refusal' in criterion) return criterion;
      into.push(criterion);
    }
  }
  if (primary.length === 0) return { refusal: required };
  const allOptional = request.optionalDataMatch === 1;
  return {
    matches: (customer) => {
      const matches = matchesCriterion(customer.ownerData);
      if (!primary.every(matches)) return false;
      if (optional.length === 0) return true;
      return allOptional ? optional.every(matches) : optional.some(matches);
    },
  };
}

// ---- read side: answers from stored records -----------------------------------------------------------

/** One nameAddrData entry of the demographic answer from an owner or co-owner record. */
function demographicPerson(sequence: number, person: Record<string, unknown>): DemographicPerson {
  const t = (field: string) => textOf(person[field]);
  const cityAndState = [t('city'), t('state')].filter((part) => part !== undefined && part !== '').join(' ');
  return {
    sequence,
    relativeName: t('relativeName'),
    identificationNumberFlag: t('identificationNumberFlag'),
    identificationNumber: t('identificationNumber'),
    homePhoneNumber: t('homePhoneNumber'),
    employerName: t('employerName'),
    employerPhoneNumber: t('employerPhoneNumber'),
    homeFaxPhoneNumber: t('homeFaxPhoneNumber'),
    mobilePhoneNumber: t('mobilePhoneNumber'),
    countryCode: t('countryCode'),
    postalCode: t('postalCode'),
    languageIndicator: t('languageIndicator'),
    dateOfBirth: t('dateOfBirth'),
    email: t('email'),
    demographic1: t('demographic1'),
    demographic2: t('demographic2'),
    demographic3: t('demographic3'),
    nameAddressData: {
      nameLine1: t('nameLine1'),
      nameLine2: t('nameLine2'),
      nameLine3: t('nameLine3'),
      houseNumber: t('houseNumber'),
      houseName: t('houseName'),
      houseAddress1: t('houseAddress1'),
      houseAddress2: t('houseAddress2'),
      houseAddress3: t('houseAddress3'),
      houseAddress4: t('houseAddress4'),
      cityAndState: cityAndState === '' ? undefined : cityAndState.slice(0, 40),
      state: t('state'),
      genderCode: numberOf(person.genderCode),
      lastName: t('lastName'),
      middleName: t('middleName'),
      firstName: t('firstName'),
      suffix: t('suffix'),
      county: t('county'),
    },
  };
}

type NameAddressEntry = NonNullable<CurrentPriorAddressResponse['customerData']['nameAddressTable']>[number];

/** One current nameAddressTable entry: customer/add's owner fields under the address service's names. */
function nameAddressEntry(person: Record<string, unknown>): NameAddressEntry {
  const t = (field: string) => textOf(person[field]);
  return {
    homeTelephone: t('homePhoneNumber'),
    homeTelephoneFlag: numberOf(person.homePhoneFlag),
    workTelephone: t('employerPhoneNumber'),
    workPhoneExtension: t('employerExtensionPhoneNumber'),
    workPhoneFlag: numberOf(person.employerPhoneFlag),
    faxNumber: t('homeFaxPhoneNumber'),
    faxFlag: numberOf(person.faxPhoneFlag),
    mobilePhone: t('mobilePhoneNumber'),
    mobilePhoneFlag: numberOf(person.mobilePhoneFlag),
    countryCode: t('countryCode'),
    postalCode: t('postalCode'),
    languageIndicator: t('languageIndicator'),
    mailingList: t('mailingList'),
    statementMessageIndicator: t('statementMessageIndicator'),
    dateOfBirth: t('dateOfBirth'),
    email: t('email'),
    emailFlag: numberOf(person.emailFlag),
    addressData: {
      nameTypeIndicator1: t('nameTypeIndicator1'),
      nameTypeIndicator2: t('nameTypeIndicator2'),
      nameTypeIndicator3: t('nameTypeIndicator3'),
      nameLine1: t('nameLine1'),
      nameLine2: t('nameLine2'),
      nameLine3: t('nameLine3'),
      houseNumber: t('houseNumber'),
      houseName: t('houseName'),
      addressLine1: t('houseAddress1'),
      addressLine2: t('houseAddress2'),
      addressLine3: t('houseAddress3'),
      addressLine4: t('houseAddress4'),
      city: t('city'),
      stateProvince: t('state'),
      employer: t('employerName'),
      employerAddress1: t('employerAddress1'),
      employerAddress2: t('employerAddress2'),
      shortMessageServiceFlag: t('smsFlag'),
    },
  };
}

/** The owner fields that make the mailing address; a change to any of them is a move. */
const MAILING_ADDRESS_FIELDS = ['houseNumber', 'houseName', 'houseAddress1', 'houseAddress2', 'houseAddress3', 'houseAddress4', 'city', 'state', 'postalCode'];

/** UNKNOWN: how many prior mailers the host keeps; the simulator keeps the 10 most recent. */
const MAX_PRIOR_ADDRESSES = 10;

function priorMailerOf(person: Record<string, unknown>, date: string): PriorMailer {
  const t = (field: string) => textOf(person[field]);
  const name = [t('firstName'), t('lastName')].filter((part) => part !== undefined && part !== '').join(' ');
  return {
    pmDate: date,
    pmNameLine1: (t('nameLine1') || name || undefined)?.slice(0, 40),
    pmHouseNumber: t('houseNumber'),
    pmHouseName: t('houseName'),
    pmAddressLine1: t('houseAddress1'),
    pmAddressLine2: t('houseAddress2'),
    pmAddressLine3: t('houseAddress3'),
    pmAddressLine4: t('houseAddress4'),
    pmCity: t('city'),
    pmStateProvince: t('state'),
    pmPostalCode: t('postalCode'),
  };
}

/**
 * When an update moves the owner (any mailing address field changes), the address left becomes the
 * most recent prior mailing address, dated today — what the host does with PRIOR ADDR active.
 */
function withPriorAddress(before: CustomerRecord, after: CustomerRecord, date: string): CustomerRecord {
  const moved = MAILING_ADDRESS_FIELDS.some((field) => (textOf(before.ownerData[field]) ?? '') !== (textOf(after.ownerData[field]) ?? ''));
  if (!moved || !before.linked) return after;
  const priorAddresses = [priorMailerOf(before.ownerData, date), ...before.linked.priorAddresses].slice(0, MAX_PRIOR_ADDRESSES);
  return { ...after, linked: { ...before.linked, priorAddresses } };
}

// ---- linked data: derived from the customer's key ------------------------------------------------------

/**
 * Deterministic draws from a seed: SHA-256 of `seed#counter`, 4 bytes per draw. The same seed gives
 * the same sequence on every machine and in every run.
 */
class Draw {
  private counter = 0;
  private pool: Buffer = Buffer.alloc(0);

  constructor(private readonly seed: string) {}

  /** 0 ≤ n < bound. */
  int(bound: number): number {
    if (this.pool.length < 4) this.pool = createHash('sha256').update(`${this.seed}#${this.counter++}`).digest();
    const value = this.pool.readUInt32BE(0);
    this.pool = this.pool.subarray(4);
    return value % bound;
  }

  digits(count: number): string {
    let text = '';
    while (text.length < count) text += String(this.int(10));
    return text;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
}

/** The Luhn check digit for `digits` (the digit to append). */
export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return String((10 - (sum % 10)) % 10);
}

/** A random 19-digit number starting with `prefix`, ending in a Luhn check digit (generation). */
function randomNumber(prefix: string): string {
  let digits = prefix;
  while (digits.length < 18) digits += String(randomInt(0, 10));
  return digits + luhnCheckDigit(digits);
}

/**
 * The products (logos) the simulator's organizations issue, each with its card network's number
 * ranges and lengths: Visa 4…, Mastercard 51–55 and 2221–2720, Amex 34/37 (15 digits), Discover
 * 6011/644/65, Diners 36 (14 digits, which customer-graph counts as OTHER).
 */
interface Product {
  logo: number;
  description: string;
  length: number;
  prefix: (draw: Draw) => string;
}

const PRODUCTS: readonly Product[] = [
  { logo: 401, description: 'VISA CLASSIC CREDIT', length: 16, prefix: () => '4' },
  { logo: 402, description: 'VISA DEBIT', length: 16, prefix: () => '4' },
  { logo: 501, description: 'MASTERCARD GOLD CREDIT', length: 16, prefix: (draw) => String(51 + draw.int(5)) },
  { logo: 502, description: 'MASTERCARD PREPAID', length: 16, prefix: (draw) => String(2221 + draw.int(500)) },
  { logo: 601, description: 'AMEX GREEN CREDIT', length: 15, prefix: (draw) => draw.pick(['34', '37']) },
  { logo: 701, description: 'DISCOVER CREDIT', length: 16, prefix: (draw) => draw.pick(['6011', '644', '65']) },
  { logo: 801, description: 'DINERS CLUB CREDIT', length: 14, prefix: () => '36' },
];

const PRIOR_STREETS = ['AV CORRIENTES', 'AV SANTA FE', 'CALLE FLORIDA', 'AV RIVADAVIA', 'AV 18 DE JULIO', 'PASEO DE LA REFORMA', 'CARRERA 7', 'AV BALBOA'];
const PRIOR_CITIES = [
  { city: 'BUENOS AIRES', state: 'BA', postalCode: 'C1043' },
  { city: 'CORDOBA', state: 'X', postalCode: 'X5000' },
  { city: 'MONTEVIDEO', state: 'MO', postalCode: '11000' },
  { city: 'CIUDAD DE MEXICO', state: 'CMX', postalCode: '06600' },
  { city: 'BOGOTA', state: 'DC', postalCode: '110111' },
  { city: 'PANAMA', state: 'PA', postalCode: '0801' },
];

/**
 * Customers whose customer number ends in 7, 8 or 9 hold 21–45 accounts (more than one page of 20);
 * the others hold 1–6. A rule on the number rather than the hash, so a test can pick either kind.
 */
export const MANY_ACCOUNTS = /[789]$/;

/** yyyy-MM-dd of the last day of a month (cards expire at the end of their month). */
function endOfMonth(year: number, month: number): string {
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/**
 * A customer's accounts, cards, relationship numbers and prior addresses, drawn from
 * `<organization>:<customerNumber>`:
 * - accounts: the added account first (the organization's default logo, active, owner), then 0–5
 *   more, or 20–44 more when MANY_ACCOUNTS matches; each with a product, association type (1 in 6
 *   co-owner) and status (1 in 10 closed, 1 in 10 dormant);
 * - cards: 1 per account, 2 for 1 account in 3 (the earlier plastic closed and expired); Luhn-valid
 *   numbers of the product's network; 1 current card in 12 blocked as lost; 1 in 5 digital;
 * - relationship numbers: 0–2; prior mailing addresses: 0–2, dated 2014–2024, most recent first.
 * `taken` says whether a number is already on file (another customer's); such a draw is redrawn.
 */
function deriveLinkedData(
  record: CustomerRecord,
  defaultLogo: number | null,
  taken: { account: (number: string) => boolean; card: (number: string) => boolean; relationship: (number: string) => boolean },
): { linked: LinkedData; accounts: AccountRecord[]; cards: CardRecord[]; relationships: RelationshipRecord[] } {
  const { organizationNumber, customerNumber } = record;
  const draw = new Draw(`${organizationNumber}:${customerNumber}`);
  const organization = String(organizationNumber).padStart(3, '0');
  const drawn = new Set<string>([record.accountNumber]);
  const fresh = (make: () => string, isTaken: (number: string) => boolean) => {
    let number = make();
    while (drawn.has(number) || isTaken(number)) number = make();
    drawn.add(number);
    return number;
  };
  const withCheckDigit = (digits: string) => digits + luhnCheckDigit(digits);

  const accountCount = MANY_ACCOUNTS.test(customerNumber) ? 21 + draw.int(25) : 1 + draw.int(6);
  const accounts: AccountRecord[] = [];
  const cards: CardRecord[] = [];
  for (let i = 0; i < accountCount; i++) {
    const added = i === 0;
    const product = added ? (PRODUCTS.find((candidate) => candidate.logo === defaultLogo) ?? PRODUCTS[0]!) : draw.pick(PRODUCTS);
    const accountNumber = added ? record.accountNumber : fresh(() => withCheckDigit(organization + draw.digits(15)), taken.account);
    const statusDraw = draw.int(10);
    const internalStatus = added || statusDraw > 1 ? 'A' : statusDraw === 0 ? 'C' : 'D';
    const associationType = !added && draw.int(6) === 0 ? 1 : 0;
    const cardCount = draw.int(3) === 0 ? 2 : 1;
    const cardNumbers: string[] = [];
    for (let c = 0; c < cardCount; c++) {
      const closed = internalStatus === 'C' || c < cardCount - 1;
      const blockCode = closed ? 'C' : draw.int(12) === 0 ? 'L' : '';
      const expireDate = closed ? endOfMonth(2023 + draw.int(3), 1 + draw.int(12)) : endOfMonth(2027 + draw.int(5), 1 + draw.int(12));
      const cardNumber = fresh(() => {
        const prefix = product.prefix(draw);
        return withCheckDigit(prefix + draw.digits(product.length - 1 - prefix.length));
      }, taken.card);
      cardNumbers.push(cardNumber);
      cards.push({ organizationNumber, accountNumber, customerNumber, cardNumber, expireDate, blockCode, digital: draw.int(5) === 0 ? 1 : 0 });
    }
    accounts.push({
      organizationNumber,
      accountNumber,
      customerNumber,
      associationType,
      logo: added && defaultLogo !== null ? defaultLogo : product.logo,
      logoDescription: product.description,
      internalStatus,
      cardNumbers,
    });
  }

  const relationships = Array.from({ length: draw.int(3) }, (): RelationshipRecord => ({
    organizationNumber,
    relationshipNumber: fresh(() => withCheckDigit(`${organization}7${draw.digits(14)}`), taken.relationship),
    customerNumber,
  }));

  const priorDates = Array.from({ length: draw.int(3) }, () => endOfMonth(2014 + draw.int(11), 1 + draw.int(12)));
  const priorAddresses = [...new Set(priorDates)]
    .sort((a, b) => b.localeCompare(a))
    .map((pmDate): PriorMailer => {
      const place = draw.pick(PRIOR_CITIES);
      const unit = draw.int(2) === 0 ? `PISO ${1 + draw.int(12)} DTO ${'ABCDEF'[draw.int(6)]}` : undefined;
      return {
        pmDate,
        pmHouseNumber: String(1 + draw.int(4999)),
        pmAddressLine1: draw.pick(PRIOR_STREETS),
        pmAddressLine2: unit,
        pmCity: place.city,
        pmStateProvince: place.state,
        pmPostalCode: place.postalCode,
      };
    });

  return {
    linked: {
      accountNumbers: accounts.map((account) => account.accountNumber),
      relationshipNumbers: relationships.map((relationship) => relationship.relationshipNumber),
      priorAddresses,
    },
    accounts,
    cards,
    relationships,
  };
}

/** Constant-time comparison, so a signature or credential cannot be guessed byte by byte. */
function sameText(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
