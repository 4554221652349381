import { ProviderError, providerErrorCodeForStatus, type ProviderErrorCode } from '../errors.js';
import { retryAfterSeconds, type ProviderHttpRequest, type ProviderHttpResponse } from '../http.js';
import type { AdapterDependencies, CallOptions, ProviderOutcome } from '../types.js';
import {
  FLOLIVE_ERROR_CODES,
  floliveCreateCustomerAck,
  floliveErrorEnvelope,
  floliveRequestStatusAck,
  type FloliveRequestStatus,
} from './contract.js';
import { createOutcome, type FloliveCreateCall } from './mapper.js';

/** What the adapter needs to reach floLIVE. */
export interface FloliveSettings {
  /**
   * Sent as `Authorization: Bearer <token>`.
   * UNKNOWN: floLIVE publishes no auth scheme; a bearer token is the conservative choice (no login
   * endpoint is assumed), and floLIVE's AUTH_* error category is what a refusal is read as.
   */
  token: string;
  /** floLIVE id of the customer our credentials belong to: new customers are its sub-customers. */
  requesterCustomerId: string;
}

/** Where a floLIVE request stands, for polling an IN_PROGRESS create. */
export interface FloliveRequestStatusResult {
  status: 'IN_PROGRESS' | 'SYNCED' | 'FAILED';
  /**
   * Always null from this call: Get Request Status V2 answers only `{status}`. The customer's id came
   * with the create ACK (ProviderOutcome.externalId); keep that one.
   */
  externalId: string | null;
  /** Why the request failed, or why its status could not be read (then status stays IN_PROGRESS). */
  error: ProviderError | null;
}

/** floLIVE's terminal statuses; OPEN (not listed) is still in progress. */
const FINAL_STATUSES: Partial<Record<FloliveRequestStatus, () => FloliveRequestStatusResult>> = {
  SUCCESS: () => ({ status: 'SYNCED', externalId: null, error: null }),
  FAILURE: () => ({
    status: 'FAILED',
    externalId: null,
    error: new ProviderError('FLOLIVE', 'PROVIDER_REJECTED', 'floLIVE processed the request and reports FAILURE', {
      providerCode: 'FAILURE',
    }),
  }),
  // The customer was not created because of floLIVE's own fault: sending the create again is safe.
  INTERNAL_ERROR: () => ({
    status: 'FAILED',
    externalId: null,
    error: new ProviderError('FLOLIVE', 'PROVIDER_UNAVAILABLE', 'floLIVE reports INTERNAL_ERROR for the request', {
      providerCode: 'INTERNAL_ERROR',
    }),
  }),
};

/**
 * floLIVE's API over `deps.http`: bearer token, JSON bodies, the `{errorCode, errorMessage, content,
 * pageable}` envelope on every answer. Nothing here throws for floLIVE's failures: create returns a
 * FAILED outcome, requestStatus a result with `error`.
 * @example const client = createFloliveClient({ baseUrl, http, settings }); await client.createCustomer(call, { signal });
 */
export function createFloliveClient(deps: AdapterDependencies<FloliveSettings>) {
  const root = deps.baseUrl.replace(/\/+$/, '');
  const nowMs = () => (deps.now ? deps.now().getTime() : Date.now());
  const headers = { authorization: `Bearer ${deps.settings.token}`, accept: 'application/json' };

  async function exchange(request: ProviderHttpRequest): Promise<ProviderHttpResponse | ProviderError> {
    try {
      const response = await deps.http(request);
      return isAck(response) ? response : failureOf(response, request.operation, nowMs());
    } catch (error) {
      if (error instanceof ProviderError) return error;
      throw error;
    }
  }

  return {
    /** `POST {root}/api/v2/customer/{parentCustomerId}`: accepted → IN_PROGRESS with requestId and the new id. */
    async createCustomer(call: FloliveCreateCall, options: CallOptions): Promise<ProviderOutcome> {
      const answer = await exchange({
        operation: 'customer.create',
        method: 'POST',
        url: `${root}/api/v2/customer/${encodeURIComponent(call.parentCustomerId)}`,
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(call.body),
        ...options,
      });
      if (answer instanceof ProviderError) return { status: 'FAILED', externalId: null, requestId: null, error: answer };
      const ack = floliveCreateCustomerAck.safeParse(answer.json);
      if (!ack.success) return { status: 'FAILED', externalId: null, requestId: null, error: badResponse(answer, ack.error) };
      return createOutcome(ack.data);
    },

    /**
     * `GET {root}/api/v2/global/call/{requestId}`: SUCCESS → SYNCED, FAILURE/INTERNAL_ERROR → FAILED,
     * OPEN → IN_PROGRESS. When floLIVE says the request id does not exist for our account
     * (GLOBAL_1003) the create never took effect: FAILED. Any other failure of this call says nothing
     * about the request itself: IN_PROGRESS, with the error, to be polled again.
     */
    async requestStatus(requestId: string, options: CallOptions): Promise<FloliveRequestStatusResult> {
      const answer = await exchange({
        operation: 'request.status',
        method: 'GET',
        url: `${root}/api/v2/global/call/${encodeURIComponent(requestId)}`,
        headers,
        ...options,
      });
      if (answer instanceof ProviderError) {
        const unknownRequest = answer.providerCode === FLOLIVE_ERROR_CODES.requestNotFound;
        return { status: unknownRequest ? 'FAILED' : 'IN_PROGRESS', externalId: null, error: answer };
      }
      const ack = floliveRequestStatusAck.safeParse(answer.json);
      if (!ack.success) return { status: 'IN_PROGRESS', externalId: null, error: badResponse(answer, ack.error) };
      const status = ack.data.content[0]?.status ?? 'OPEN';
      return FINAL_STATUSES[status]?.() ?? { status: 'IN_PROGRESS', externalId: null, error: null };
    },
  };
}

export type FloliveClient = ReturnType<typeof createFloliveClient>;

/**
 * UNKNOWN: floLIVE does not say which HTTP statuses carry ACK and NAK. Any 2xx whose envelope has an
 * empty errorCode is an ACK; a NAK may come with any status, 2xx included.
 */
function isAck(response: ProviderHttpResponse): boolean {
  if (response.status < 200 || response.status >= 300) return false;
  const code = (response.json as { errorCode?: unknown } | undefined)?.errorCode;
  return code === undefined || code === null || code === '';
}

/** floLIVE's code decides where it is specific; otherwise the HTTP status does. */
function errorCodeFor(providerCode: string | undefined, status: number): ProviderErrorCode {
  if (providerCode === FLOLIVE_ERROR_CODES.serviceUnavailable) return 'PROVIDER_UNAVAILABLE';
  if (providerCode?.startsWith('AUTH_')) return 'PROVIDER_AUTH_FAILED';
  // A NAK with a 2xx status is a refusal on the merits.
  return status >= 200 && status < 300 ? 'PROVIDER_REJECTED' : providerErrorCodeForStatus(status);
}

function failureOf(response: ProviderHttpResponse, operation: string, nowMs: number): ProviderError {
  const envelope = floliveErrorEnvelope.safeParse(response.json);
  const providerCode = envelope.success ? envelope.data.errorCode : undefined;
  const message = (envelope.success ? envelope.data.errorMessage : undefined) || rawExcerpt(response.text) || `HTTP ${response.status}`;
  const retryAfter = retryAfterSeconds(response.headers, nowMs);
  return new ProviderError('FLOLIVE', errorCodeFor(providerCode, response.status), `${operation}: ${message}`, {
    status: response.status,
    ...(providerCode ? { providerCode } : {}),
    ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
  });
}

function badResponse(response: ProviderHttpResponse, cause: unknown): ProviderError {
  return new ProviderError('FLOLIVE', 'PROVIDER_BAD_RESPONSE', `the ACK breaks floLIVE's envelope: ${rawExcerpt(response.text)}`, {
    status: response.status,
    cause,
  });
}

/** A non-JSON error page (a gateway's HTML) is quoted only in part: the error column is one line. */
function rawExcerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
