import { createHmac, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ProviderError, providerErrorCodeForStatus } from '../errors.js';
import { retryAfterSeconds, type ProviderHttpRequest, type ProviderHttpResponse } from '../http.js';
import type { AdapterDependencies, CallOptions, ProviderOutcome } from '../types.js';
import {
  addCustomerResponse,
  cmsNumberGenerationRequest,
  cmsNumberGenerationResponse,
  currentPriorAddressQuery,
  currentPriorAddressResponse,
  customerChannelVersion4Request,
  customerChannelVersion4Response,
  customerLookupRequest,
  customerLookupResponse,
  customerToAccountInquiryRequest,
  customerToAccountInquiryResponse,
  customerToRelationshipInquiryRequest,
  customerToRelationshipInquiryResponse,
  demographicInquiryRequest,
  demographicInquiryResponse,
  errorEnvelope,
  LOOKUP_MAX_RECORDS,
  successEnvelope,
  tokenResponse,
  updateCustomerResponse,
  type AddCustomerRequest,
  type CustomerChannelVersion4Request,
  type CustomerToAccountInquiryRequest,
  type FirstvisionErrorEntry,
  type UpdateCustomerRequest,
} from './contract.js';
import {
  accountFromRow,
  addressesFromResponse,
  cardFromRow,
  demographicsFromResponse,
  lookupMatchFromRow,
  lookupRequest,
  outcomeFromAdd,
  outcomeFromUpdate,
} from './mapper.js';
import type { FirstvisionCard, FirstvisionCustomerRef, FirstvisionLookupMatch, FirstvisionReader } from './read-model.js';

const PROVIDER = 'FIRSTVISION' as const;

/**
 * Credentials and defaults: `apiKey` (header `apikey`, Basic user for the token), `clientSecret`
 * (Basic password and HMAC key), `clientId` (header `X-ClientID`, e.g. 00970), the default
 * organization and logo, and the live base URL (null for the simulator).
 */
export const firstvisionSettingsSchema = z.object({
  url: z.string().nullable(),
  apiKey: z.string().min(1),
  clientSecret: z.string().min(1),
  clientId: z.string().min(1).max(40),
  organizationNumber: z.number().int().min(1).max(998),
  logo: z.number().int().min(0).max(999).nullable(),
});
export type FirstvisionSettings = z.output<typeof firstvisionSettingsSchema>;

/** How long before expiry a cached token is renewed, at most. */
const TOKEN_RENEWAL_MARGIN_MS = 60_000;

/** Host codes meaning "this customer number already exists in the organization" (add). */
const ALREADY_EXISTS = new Set(['VPL5SNA12S', 'VPL5SNA24S']);

/**
 * The message signature: base64 HMAC-SHA256, keyed with the client secret, over
 * `apikey + X-Client-Request-Id + Timestamp + body`.
 * ASSUMPTION: FirstVision's HMAC page names no algorithm or message; this is the composition of
 * Fiserv's generic message-signature docs (https://docs.fiserv.dev/public/docs/message-signature),
 * consistent with the spec's 44-character example signature (32 bytes: SHA-256).
 * @example const signature = messageSignature(secret, { apiKey, requestId, timestamp: '1732183200000', body });
 */
export function messageSignature(
  secret: string,
  parts: { apiKey: string; requestId: string; timestamp: string; body: string },
): string {
  return createHmac('sha256', secret).update(parts.apiKey + parts.requestId + parts.timestamp + parts.body).digest('base64');
}

export interface ApiCall<T> {
  /** Metrics name, e.g. 'customer.add'. */
  operation: string;
  method: ProviderHttpRequest['method'];
  /** Below the base URL, e.g. '/customer/'. */
  path: string;
  body?: unknown;
  /** The envelope's `data` on success. */
  data: z.ZodType<T>;
}

/** The read side (FirstvisionReader) comes with the client: every read is one or more `send`s. */
export interface FirstvisionClient extends FirstvisionReader {
  /** `POST /customer/`. Never throws for provider failures: they come back as FAILED outcomes. */
  addCustomer(request: AddCustomerRequest, call: CallOptions): Promise<ProviderOutcome>;
  /** `PUT /customer/`. Never throws for provider failures. */
  updateCustomer(request: UpdateCustomerRequest, call: CallOptions): Promise<ProviderOutcome>;
  /**
   * One authenticated, signed API call; resolves with the envelope's data and the request id sent,
   * throws a ProviderError otherwise. The building block for the read side (lookups, inquiries).
   */
  send<T>(spec: ApiCall<T>, call: CallOptions): Promise<{ data: T; requestId: string }>;
}

/**
 * FirstVision's HTTP client: OAuth2 client-credentials token (cached, renewed shortly before expiry
 * and once on a 401), signed calls, and the `{hasError, errors, data}` envelope.
 * @example const client = createFirstvisionClient({ baseUrl, http, settings });
 *          const outcome = await client.addCustomer(request, { signal });
 */
export function createFirstvisionClient(deps: AdapterDependencies<FirstvisionSettings>): FirstvisionClient {
  const nowMs = () => (deps.now ? deps.now() : new Date()).getTime();
  const root = deps.baseUrl.replace(/\/$/, '');
  const tokens = tokenCache(deps, root, nowMs);

  async function attempt(spec: ApiCall<unknown>, body: string, token: string, call: CallOptions) {
    const requestId = randomUUID();
    const timestamp = String(nowMs());
    const response = await deps.http({
      operation: spec.operation,
      method: spec.method,
      url: root + spec.path,
      headers: {
        'Content-Type': 'application/json',
        apikey: deps.settings.apiKey,
        Authorization: `Bearer ${token}`,
        'X-ClientID': deps.settings.clientId,
        'X-Client-Request-Id': requestId,
        Timestamp: timestamp,
        Signature: messageSignature(deps.settings.clientSecret, { apiKey: deps.settings.apiKey, requestId, timestamp, body }),
      },
      ...(spec.method === 'GET' ? {} : { body }),
      ...call,
    });
    return { response, requestId };
  }

  async function send<T>(spec: ApiCall<T>, call: CallOptions): Promise<{ data: T; requestId: string }> {
    const body = spec.body === undefined ? '' : JSON.stringify(spec.body);
    let sent = await attempt(spec, body, await tokens.get(call), call);
    if (sent.response.status === 401) {
      // The token may have been revoked or expired early at the provider: renew once.
      tokens.invalidate();
      sent = await attempt(spec, body, await tokens.get(call), call);
    }
    return { data: readEnvelope(sent.response, spec.data, spec.operation, nowMs()), requestId: sent.requestId };
  }

  return {
    send,
    ...createReader(send),
    async addCustomer(request, call) {
      try {
        const { data, requestId } = await send(
          { operation: 'customer.add', method: 'POST', path: '/customer/', body: request, data: addCustomerResponse },
          call,
        );
        return outcomeFromAdd(data, requestId);
      } catch (error) {
        // Our customer numbers are final, so an existing record under ours was made by an earlier
        // attempt whose answer was lost (timeout): the add has already happened.
        if (error instanceof ProviderError && error.providerCode !== undefined && ALREADY_EXISTS.has(error.providerCode)) {
          return { status: 'SYNCED', externalId: request.customerData.customerKeyData.customerNumber, requestId: null, error: null };
        }
        return failed(error);
      }
    },
    async updateCustomer(request, call) {
      try {
        const { data, requestId } = await send(
          { operation: 'customer.update', method: 'PUT', path: '/customer/', body: request, data: updateCustomerResponse },
          call,
        );
        return outcomeFromUpdate(data, requestId);
      } catch (error) {
        return failed(error);
      }
    },
  };
}

function failed(error: unknown): ProviderOutcome {
  if (!(error instanceof ProviderError)) throw error;
  return { status: 'FAILED', externalId: null, requestId: null, error };
}

// ---- read side --------------------------------------------------------------------------------------

type Send = FirstvisionClient['send'];

/**
 * Pages a well-behaved host never exceeds: 100 pages of 20 is 2,000 accounts or cards under one
 * customer (and 100 lookup pages of 50 are 5,000 matches). A host that keeps saying "more" past that
 * is broken, and following it would never end.
 */
export const MAX_PAGES = 100;

/** Host codes meaning "no such customer" (and, for card numbers, "no such card or account"). */
const NOT_FOUND = new Set(['VPL5SGC04S', 'VPL5SGC01S']);
/** details-l8v4: NO VALID CARDS ARE ASSOCIATED WITH THIS CUSTOMER — an empty list, not a failure. */
const NO_CARDS = 'VPL5SCE07E';

function badResponse(operation: string, message: string): ProviderError {
  return new ProviderError(PROVIDER, 'PROVIDER_BAD_RESPONSE', `${operation}: ${message}`);
}

/**
 * A request that breaks FirstVision's contract is not sent: the host would refuse it on its merits
 * (so PROVIDER_REJECTED, never retried), and the message says which rule it breaks.
 */
function checked<T>(schema: z.ZodType<T>, body: unknown, operation: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ProviderError(PROVIDER, 'PROVIDER_REJECTED', `${operation} not sent, it breaks FirstVision's contract: ${summarize(parsed.error)}`, {
      retryable: false,
    });
  }
  return parsed.data;
}

/**
 * Requests `first`, then whatever `next` derives from each answer, until it derives nothing. Every
 * page goes out with the caller's signal; a deadline that passes between pages ends the walk there,
 * and more than MAX_PAGES pages is a broken host (PROVIDER_BAD_RESPONSE).
 */
async function everyPage<Request, Page>(
  operation: string,
  call: CallOptions,
  first: Request,
  fetchPage: (request: Request) => Promise<Page>,
  next: (page: Page, request: Request) => Request | null,
): Promise<Page[]> {
  const pages: Page[] = [];
  let request: Request | null = first;
  while (request !== null) {
    if (pages.length === MAX_PAGES) {
      throw badResponse(operation, `FirstVision still had more after ${MAX_PAGES} pages; its paging does not end`);
    }
    if (call.signal.aborted) {
      throw new ProviderError(PROVIDER, 'PROVIDER_TIMEOUT', `no answer to ${operation} before the deadline (after ${pages.length} pages)`);
    }
    const page = await fetchPage(request);
    pages.push(page);
    request = next(page, request);
  }
  return pages;
}

const isOrganization = (value: number) => Number.isInteger(value) && value >= 1 && value <= 998;

/** FirstvisionReader over `send`: the host's requests and answers checked against contract.ts. */
function createReader(send: Send): FirstvisionReader {
  const key = (ref: FirstvisionCustomerRef) => ({ organizationNumber: ref.organizationNumber, customerNumber: ref.customerNumber });

  async function accountNumbers(ref: FirstvisionCustomerRef, call: CallOptions) {
    const operation = 'customer.accountNumber';
    const first: CustomerToAccountInquiryRequest = { ...key(ref), functionCode: ' ' };
    const pages = await everyPage(
      operation,
      call,
      first,
      async (request) =>
        (
          await send(
            {
              operation,
              method: 'POST',
              path: '/customer/accountNumber',
              body: checked(customerToAccountInquiryRequest, request, operation),
              data: customerToAccountInquiryResponse,
            },
            call,
          )
        ).data,
      (page, request): CustomerToAccountInquiryRequest | null => {
        if (page.more === 'N') return null;
        const token = page.nextToken;
        if (!token || !/^\d{19}$/.test(token.accountNumberNext) || !isOrganization(token.accountOrganizationNext)) {
          throw badResponse(operation, 'more = Y without a usable nextToken');
        }
        const startToken = {
          accountOrganizationNumber: token.accountOrganizationNext,
          accountNumber: token.accountNumberNext,
          associationType: token.accountTypeNext,
        };
        if (request.startToken?.accountNumber === startToken.accountNumber && request.startToken.accountOrganizationNumber === startToken.accountOrganizationNumber) {
          throw badResponse(operation, 'nextToken repeats the token of the page it came with');
        }
        return { ...key(ref), functionCode: 'N', startToken };
      },
    );
    return { accounts: pages.flatMap((page) => page.acctTable.map(accountFromRow)), pages: pages.length };
  }

  async function cards(ref: FirstvisionCustomerRef, call: CallOptions): Promise<FirstvisionCard[]> {
    const operation = 'customer.details-l8v4';
    const fetchPage = async (request: CustomerChannelVersion4Request) => {
      const { data } = await send(
        {
          operation,
          method: 'POST',
          path: '/customer/details-l8v4',
          body: checked(customerChannelVersion4Request, request, operation),
          data: customerChannelVersion4Response,
        },
        call,
      );
      // Card numbers are reduced here, page by page: nothing beyond this line holds a full PAN.
      return { more: data.more, nextItem: data.nextItem, cards: data.cardTable.map(cardFromRow) };
    };
    const first: CustomerChannelVersion4Request = { ...key(ref), functionCode: ' ' };
    try {
      const pages = await everyPage(
        operation,
        call,
        first,
        fetchPage,
        (page, request): CustomerChannelVersion4Request | null => {
          if (page.more === 'N') return null;
          const item = page.nextItem;
          if (!item || !/^\d{19}$/.test(item.nextAccount) || !isOrganization(Number(item.nextOrganization))) {
            throw badResponse(operation, 'more = Y without a usable nextItem');
          }
          if (request.startItem?.startAccount === item.nextAccount) {
            throw badResponse(operation, 'nextItem repeats the start of the page it came with');
          }
          return { ...key(ref), functionCode: 'N', startItem: { startOrganization: item.nextOrganization, startAccount: item.nextAccount } };
        },
      );
      return pages.flatMap((page) => page.cards);
    } catch (error) {
      if (error instanceof ProviderError && error.providerCode === NO_CARDS) return [];
      throw error;
    }
  }

  async function relationshipNumbers(ref: FirstvisionCustomerRef, call: CallOptions): Promise<string[]> {
    const operation = 'customer.relationshipNumber';
    // No start token in this request: N scrolls on from the page the host last gave this caller.
    const pages = await everyPage(
      operation,
      call,
      { ...key(ref), functionCode: ' ' },
      async (request) =>
        (
          await send(
            {
              operation,
              method: 'POST',
              path: '/customer/relationshipNumber',
              body: checked(customerToRelationshipInquiryRequest, request, operation),
              data: customerToRelationshipInquiryResponse,
            },
            call,
          )
        ).data,
      (page) => (page.more === 'N' ? null : { ...key(ref), functionCode: 'N' }),
    );
    return pages.flatMap((page) => page.relationshipTable.map((row) => row.relationshipNumber));
  }

  async function demographics(ref: FirstvisionCustomerRef, call: CallOptions) {
    const operation = 'customer.demographicData';
    const body = checked(
      demographicInquiryRequest,
      { organizationNumber: ref.organizationNumber, customerAccountCardNumber: ref.customerNumber, numberType: '1', foreignUseIndicator: '0' },
      operation,
    );
    try {
      const { data } = await send({ operation, method: 'POST', path: '/customer/demographicData', body, data: demographicInquiryResponse }, call);
      return demographicsFromResponse(data);
    } catch (error) {
      if (error instanceof ProviderError && error.providerCode !== undefined && NOT_FOUND.has(error.providerCode)) return null;
      throw error;
    }
  }

  async function addressHistory(ref: FirstvisionCustomerRef, call: CallOptions) {
    const operation = 'customer.current-prior-address';
    // Owner only (1), both current and prior (B). Checked first: the number goes into the path.
    const query = checked(
      currentPriorAddressQuery,
      { accountNumber: ref.customerNumber, organizationNumber: String(ref.organizationNumber), ownerCoOwnerFlag: '1', currentPriorFlag: 'B' },
      operation,
    );
    const search = new URLSearchParams({
      organizationNumber: String(query.organizationNumber),
      ownerCoOwnerFlag: query.ownerCoOwnerFlag,
      currentPriorFlag: query.currentPriorFlag,
    });
    const { data } = await send(
      {
        operation,
        method: 'GET',
        path: `/customer/${encodeURIComponent(query.accountNumber)}/current-prior-address?${search}`,
        data: currentPriorAddressResponse,
      },
      call,
    );
    return addressesFromResponse(data);
  }

  async function lookup(criteria: Parameters<FirstvisionReader['lookup']>[0], call: CallOptions) {
    const operation = 'customer.lookup';
    if (!Number.isInteger(criteria.limit) || criteria.limit < 1) {
      throw new ProviderError(PROVIDER, 'PROVIDER_REJECTED', `${operation} not sent: limit must be a whole number of at least 1`, { retryable: false });
    }
    const matches: FirstvisionLookupMatch[] = [];
    const bodyFor = (startToken: string | null) => {
      const built = lookupRequest(criteria, { numberOfRecords: Math.min(LOOKUP_MAX_RECORDS, criteria.limit - matches.length), startToken });
      if (!built.ok) throw new ProviderError(PROVIDER, 'PROVIDER_REJECTED', `${operation} not sent: ${built.reason}`, { retryable: false });
      return built.body;
    };
    await everyPage(
      operation,
      call,
      bodyFor(null),
      async (body) => {
        const { data } = await send(
          { operation, method: 'POST', path: '/customer/lookup', body: checked(customerLookupRequest, body, operation), data: customerLookupResponse },
          call,
        );
        matches.push(...data.customerTable.map(lookupMatchFromRow));
        return data;
      },
      (page, body) => {
        if (page.more === 'N' || matches.length >= criteria.limit) return null;
        const token = page.nextToken?.trim();
        if (!token) throw badResponse(operation, 'more = Y without a nextToken');
        if (token === body.startToken) throw badResponse(operation, 'nextToken repeats the token of the page it came with');
        return bodyFor(token);
      },
    );
    return matches.slice(0, criteria.limit);
  }

  async function generateCustomerNumbers(request: { organizationNumber: number; logo: number; count: number }, call: CallOptions) {
    const operation = 'customer.generation';
    if (!Number.isInteger(request.count) || request.count < 1 || request.count > 99) {
      throw new ProviderError(PROVIDER, 'PROVIDER_REJECTED', `${operation} not sent: count must be 1 to 99 (customerNumbersRequested has 2 digits)`, {
        retryable: false,
      });
    }
    const body = checked(
      cmsNumberGenerationRequest,
      { organizationNumber: request.organizationNumber, dualIndicator: '0', logo: request.logo, customerNumbersRequested: request.count },
      operation,
    );
    const { data } = await send({ operation, method: 'POST', path: '/customer/generation', body, data: cmsNumberGenerationResponse }, call);
    const numbers = [...(data.customerData ?? [])].sort((a, b) => a.sequence - b.sequence).map((entry) => entry.customerNumber);
    // The domain keys customers by these: anything but `count` distinct 19-digit numbers is unusable.
    if (numbers.length !== request.count || new Set(numbers).size !== numbers.length || !numbers.every((n) => /^\d{19}$/.test(n))) {
      throw badResponse(operation, `expected ${request.count} distinct 19-digit customer numbers, got ${numbers.length}`);
    }
    return numbers;
  }

  return { accountNumbers, cards, relationshipNumbers, demographics, addressHistory, lookup, generateCustomerNumbers };
}

// ---- token ------------------------------------------------------------------------------------------

function tokenCache(deps: AdapterDependencies<FirstvisionSettings>, root: string, nowMs: () => number) {
  let cached: { token: string; renewAt: number } | null = null;
  let pending: Promise<string> | null = null;

  async function request(call: CallOptions): Promise<string> {
    const { apiKey, clientSecret } = deps.settings;
    const response = await deps.http({
      operation: 'token',
      method: 'POST',
      url: `${root}/token`,
      headers: {
        Authorization: `Basic ${Buffer.from(`${apiKey}:${clientSecret}`).toString('base64')}`,
        apikey: apiKey,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
      ...call,
    });
    if (response.status < 200 || response.status >= 300) throw failure(response, 'token', nowMs());
    const parsed = tokenResponse.safeParse(response.json);
    if (!parsed.success) {
      throw new ProviderError(PROVIDER, 'PROVIDER_BAD_RESPONSE', `token answer is not a FirstVision token: ${parsed.error.message}`, {
        status: response.status,
      });
    }
    const lifetimeMs = parsed.data.expires_in * 1000;
    cached = { token: parsed.data.access_token, renewAt: nowMs() + lifetimeMs - Math.min(TOKEN_RENEWAL_MARGIN_MS, lifetimeMs / 10) };
    return cached.token;
  }

  return {
    /** A valid token, from the cache or a new one; concurrent callers share one token request. */
    get(call: CallOptions): Promise<string> {
      if (cached && nowMs() < cached.renewAt) return Promise.resolve(cached.token);
      pending ??= request(call).finally(() => {
        pending = null;
      });
      return pending;
    },
    invalidate(): void {
      cached = null;
    },
  };
}

// ---- answers ----------------------------------------------------------------------------------------

/** The data of a successful envelope; anything else becomes the ProviderError it stands for. */
function readEnvelope<T>(response: ProviderHttpResponse, data: z.ZodType<T>, operation: string, nowMs: number): T {
  const isError = errorEnvelope.safeParse(response.json).success;
  if (isError || response.status < 200 || response.status >= 300) throw failure(response, operation, nowMs);
  const parsed = successEnvelope(data).safeParse(response.json);
  if (!parsed.success) {
    throw new ProviderError(PROVIDER, 'PROVIDER_BAD_RESPONSE', `${operation} answer breaks FirstVision's envelope: ${summarize(parsed.error)}`, {
      status: response.status,
    });
  }
  return parsed.data.data as T;
}

function failure(response: ProviderHttpResponse, operation: string, nowMs: number): ProviderError {
  const entries: FirstvisionErrorEntry[] = errorEnvelope.safeParse(response.json).data?.errors ?? [];
  const ok = response.status >= 200 && response.status < 300;
  const code = ok ? 'PROVIDER_REJECTED' : providerErrorCodeForStatus(response.status);
  const detail =
    entries.length > 0
      ? entries.map((entry) => `${entry.code} ${entry.description}`).join('; ')
      : response.text.slice(0, 200) || 'no details';
  const retryAfter = retryAfterSeconds(response.headers, nowMs);
  return new ProviderError(PROVIDER, code, `${operation} refused (HTTP ${response.status}): ${detail}`, {
    status: response.status,
    ...(entries[0] ? { providerCode: entries[0].code } : {}),
    ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
  });
}

function summarize(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ');
}
