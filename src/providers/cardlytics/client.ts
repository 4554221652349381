import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ProviderError, providerErrorCodeForStatus } from '../errors.js';
import { retryAfterSeconds, type ProviderHttpRequest, type ProviderHttpResponse } from '../http.js';
import type { AdapterDependencies, CallOptions, ProviderOutcome } from '../types.js';
import {
  createCustomersResponseSchema,
  customerSchema,
  ERROR_TYPES,
  errorEnvelopeSchema,
  HEADERS,
  INSTITUTION_SCOPE,
  MAX_CUSTOMERS_PER_CALL,
  startSessionResponseSchema,
  type CardlyticsCustomer,
  type CardlyticsErrorEnvelope,
  type CardlyticsStartSessionRequest,
} from './contract.js';

const PROVIDER = 'CARDLYTICS';

/**
 * Who we are to Cardlytics. Live, the caller is authenticated by its mTLS client certificate and
 * allow-listed IP; that is the transport's concern (the fetch given to createProviderHttp presents
 * the certificate), so none of it appears here.
 */
export const settingsSchema = z.object({
  /** Sent as X-CDLX-Institution-Id on startSession. */
  institutionId: z.string().min(1),
  /** The organization sessions are started for, and customers' default organizationId. */
  organizationId: z.string().min(1),
  /** startSession requires a sourceCustomerId even for institution-scope sessions. */
  sessionSourceCustomerId: z.string().min(1),
  /** sourcePortfolioId for accounts that name none and whose caller gave no portfolioId option. */
  defaultPortfolioId: z.string().min(1).nullable(),
});
export type CardlyticsSettings = z.infer<typeof settingsSchema>;

export interface CardlyticsClient {
  /** Sends customers in calls of at most 50; one outcome per customer, in order. Never throws. */
  createCustomers(customers: readonly CardlyticsCustomer[], call: CallOptions): Promise<ProviderOutcome[]>;
  /**
   * The stored customer by its natural key, or null. Only the simulator answers this: Cardlytics
   * publishes no lookup endpoint. Throws ProviderError when the call fails.
   */
  findCustomer(sourceCustomerId: string, call: CallOptions): Promise<CardlyticsCustomer | null>;
}

/**
 * The Cardlytics Publisher API v2 over `deps.http`: a cached session token (renewed once on 401),
 * customers in batches of at most 50, and the provider's envelopes read into outcomes.
 * @example const client = createCardlyticsClient({ baseUrl, http, settings });
 *          const outcomes = await client.createCustomers([customer], { signal });
 */
export function createCardlyticsClient(deps: AdapterDependencies<CardlyticsSettings>): CardlyticsClient {
  const base = deps.baseUrl.replace(/\/$/, '');
  const now = deps.now ?? (() => new Date());
  let token: string | null = null;

  async function startSession(call: CallOptions): Promise<string> {
    const body: CardlyticsStartSessionRequest = {
      sourceCustomerId: deps.settings.sessionSourceCustomerId,
      scopes: [INSTITUTION_SCOPE],
      organizationId: deps.settings.organizationId,
    };
    const response = await deps.http({
      operation: 'session.start',
      method: 'POST',
      url: `${base}/v2/session/startSession`,
      headers: { 'content-type': 'application/json', [HEADERS.institutionId]: deps.settings.institutionId },
      body: JSON.stringify(body),
      ...call,
    });
    if (!isSuccess(response)) throw errorOf(response, 'startSession');
    const parsed = startSessionResponseSchema.safeParse(response.json);
    if (!parsed.success) throw badResponse('startSession', response);
    return parsed.data.sessionToken;
  }

  /** One call with the session token; a 401 (expired or revoked token) renews it and retries once. */
  async function withSession(request: (sessionToken: string) => ProviderHttpRequest, call: CallOptions) {
    const used = token ?? (token = await startSession(call));
    const first = await deps.http(request(used));
    if (first.status !== 401) return first;
    // Another call may have renewed it meanwhile; then that token is the one to retry with.
    const renewed = token !== null && token !== used ? token : (token = await startSession(call));
    const second = await deps.http(request(renewed));
    if (second.status === 401 && token === renewed) token = null;
    return second;
  }

  function postCustomers(customers: readonly CardlyticsCustomer[], call: CallOptions) {
    const requestId = randomUUID();
    return withSession(
      (sessionToken) => ({
        operation: 'customers.create',
        method: 'POST',
        url: `${base}/v2/data/customers`,
        headers: { 'content-type': 'application/json', [HEADERS.sessionToken]: sessionToken, [HEADERS.requestId]: requestId },
        body: JSON.stringify({ customers }),
        ...call,
      }),
      call,
    );
  }

  /**
   * Partial failure (UNKNOWN at Cardlytics): a 400 whose validationErrors all name items
   * (`customers[i]…`) rejected the whole batch for those items. They fail; the others were never
   * stored, so they are sent once more on their own (`retryRest`), and fail retryably if refused again.
   */
  async function sendBatch(
    customers: readonly CardlyticsCustomer[],
    call: CallOptions,
    retryRest: boolean,
  ): Promise<ProviderOutcome[]> {
    let response: ProviderHttpResponse;
    try {
      response = await postCustomers(customers, call);
    } catch (error) {
      return customers.map(() => failed(asProviderError(error), null));
    }
    if (isSuccess(response)) return accepted(customers, response);
    const envelope = envelopeOf(response);
    const requestId = envelope?.requestId ?? null;
    const byItem = itemErrors(envelope, customers.length);
    if (!envelope || !byItem) {
      const error = errorOf(response, 'create customers');
      return customers.map(() => failed(error, requestId));
    }
    const rest = customers.flatMap((customer, i) => (byItem.has(i) ? [] : [{ customer, i }]));
    const restOutcomes =
      retryRest && rest.length > 0
        ? await sendBatch(rest.map((item) => item.customer), call, false)
        : rest.map(() => failed(notStored(envelope), requestId));
    const outcomes = customers.map((_, i) => failed(itemRejection(envelope, byItem.get(i) ?? []), requestId));
    rest.forEach((item, k) => (outcomes[item.i] = restOutcomes[k]!));
    return outcomes;
  }

  function accepted(customers: readonly CardlyticsCustomer[], response: ProviderHttpResponse): ProviderOutcome[] {
    const parsed = createCustomersResponseSchema.safeParse(response.json);
    if (!parsed.success) return customers.map(() => failed(badResponse('create customers', response), null));
    // UNKNOWN: whether ingestion is asynchronous; the only answer is a trace id and no status endpoint
    // exists, so a 200 is final.
    return customers.map((customer) => ({
      status: 'SYNCED',
      externalId: customer.sourceCustomerId,
      requestId: parsed.data.requestId,
      error: null,
    }));
  }

  function errorOf(response: ProviderHttpResponse, operation: string): ProviderError {
    const envelope = envelopeOf(response);
    const detail = envelope
      ? [envelope.title, ...envelope.validationErrors.map((item) => `${item.field}: ${item.message}`)].join('; ')
      : response.text.slice(0, 200) || 'no body';
    const retryAfter = retryAfterSeconds(response.headers, now().getTime());
    return new ProviderError(PROVIDER, providerErrorCodeForStatus(response.status), `${operation}: ${detail}`, {
      status: response.status,
      ...(envelope ? { providerCode: envelope.type } : {}),
      ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
    });
  }

  return {
    async createCustomers(customers, call) {
      const outcomes: ProviderOutcome[] = [];
      for (let start = 0; start < customers.length; start += MAX_CUSTOMERS_PER_CALL) {
        outcomes.push(...(await sendBatch(customers.slice(start, start + MAX_CUSTOMERS_PER_CALL), call, true)));
      }
      return outcomes;
    },

    async findCustomer(sourceCustomerId, call) {
      const response = await withSession(
        (sessionToken) => ({
          operation: 'customers.get',
          method: 'GET',
          url: `${base}/v2/data/customers/${encodeURIComponent(sourceCustomerId)}`,
          headers: { [HEADERS.sessionToken]: sessionToken, [HEADERS.requestId]: randomUUID() },
          ...call,
        }),
        call,
      );
      if (response.status === 404 && envelopeOf(response)?.type === ERROR_TYPES.notFound) return null;
      if (!isSuccess(response)) throw errorOf(response, 'get customer');
      const parsed = customerSchema.safeParse(response.json);
      if (!parsed.success) throw badResponse('get customer', response);
      return parsed.data;
    },
  };
}

function isSuccess(response: ProviderHttpResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

function envelopeOf(response: ProviderHttpResponse): CardlyticsErrorEnvelope | null {
  const parsed = errorEnvelopeSchema.safeParse(response.json);
  return parsed.success ? parsed.data : null;
}

/** Messages per batch index, when every validation error names an item of this batch; else null. */
function itemErrors(envelope: CardlyticsErrorEnvelope | null, size: number): Map<number, string[]> | null {
  if (envelope?.status !== 400 || envelope.type !== ERROR_TYPES.validation || envelope.validationErrors.length === 0) return null;
  const byItem = new Map<number, string[]>();
  for (const item of envelope.validationErrors) {
    const match = /^customers\[(\d+)\]\.?(.*)$/.exec(item.field);
    const index = match ? Number(match[1]) : -1;
    if (index < 0 || index >= size) return null;
    byItem.set(index, [...(byItem.get(index) ?? []), `${match![2] || 'customer'}: ${item.message}`]);
  }
  return byItem;
}

function itemRejection(envelope: CardlyticsErrorEnvelope, messages: string[]): ProviderError {
  return new ProviderError(PROVIDER, 'PROVIDER_REJECTED', `${envelope.title}: ${messages.join('; ')}`, {
    status: envelope.status,
    providerCode: envelope.type,
  });
}

function notStored(envelope: CardlyticsErrorEnvelope): ProviderError {
  return new ProviderError(
    PROVIDER,
    'PROVIDER_REJECTED',
    'not stored: Cardlytics refused the batch because of other customers in it; this one may be sent again',
    { status: envelope.status, providerCode: envelope.type, retryable: true },
  );
}

function badResponse(operation: string, response: ProviderHttpResponse): ProviderError {
  return new ProviderError(PROVIDER, 'PROVIDER_BAD_RESPONSE', `${operation}: unexpected answer ${response.text.slice(0, 200)}`, {
    status: response.status,
  });
}

function asProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError(PROVIDER, 'PROVIDER_UNAVAILABLE', message, { cause: error });
}

function failed(error: ProviderError, requestId: string | null): ProviderOutcome {
  return { status: 'FAILED', externalId: null, requestId, error };
}
