import type { Correlation } from '../correlation.js';
import type { CallOptions } from './types.js';
import type { ProviderName } from '../domain/enums.js';
import { providerCallSpan } from '../tracing.js';
import { credentialRedactor } from './credentials.js';
import { ProviderError } from './errors.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** One finished provider HTTP call, for metrics and logs (src/provider-call-observer.ts). */
export interface ProviderCallEvent {
  provider: ProviderName;
  operation: string;
  method: ProviderHttpRequest['method'];
  /** 'ok' for 2xx, 'http_<status>' otherwise, 'timeout' or 'transport_error' when there was no answer. */
  outcome: string;
  /** The HTTP status, when there was an answer. */
  status?: number;
  durationMs: number;
  /** The GraphQL request or background round the call was made for (src/correlation.ts). */
  correlation?: Correlation;
}

export interface ProviderHttpOptions {
  provider: ProviderName;
  fetch: FetchLike;
  /** Reports every call (metrics); must not throw. */
  onCall?: (event: ProviderCallEvent) => void;
  now?: () => number;
  /** This provider's credentials: redacted from every answer and transport error (a provider that echoes one never leaks it). */
  secrets?: readonly string[];
}

/**
 * One HTTP request to a provider. The caller's CallOptions travel with it (`...call`): its `signal`,
 * whose abort ends the call with PROVIDER_TIMEOUT, and its `correlation`, reported with the call's event.
 */
export interface ProviderHttpRequest extends Partial<CallOptions> {
  /** Short, stable name for metrics, e.g. 'customer.create'. */
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** The exact body bytes sent (signatures are computed over this string). */
  body?: string;
}

export interface ProviderHttpResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON; undefined when the body is empty or not JSON. */
  json: unknown;
}

/**
 * Sends one HTTP request to a provider and reads the whole answer. Transport failures become
 * ProviderErrors (PROVIDER_TIMEOUT when the signal aborted, PROVIDER_UNAVAILABLE otherwise); any HTTP
 * status is returned for the adapter to interpret in its provider's terms.
 * @example const http = createProviderHttp({ provider: 'NOAH', fetch });
 *          const res = await http({ operation: 'customer.put', method: 'PUT', url, body, signal });
 */
export function createProviderHttp(options: ProviderHttpOptions) {
  const now = options.now ?? (() => performance.now());
  const redact = credentialRedactor(options.secrets ?? []);
  return function send(request: ProviderHttpRequest): Promise<ProviderHttpResponse> {
    // a copy: the adapter's object may be reused, and the trace context belongs to this call only
    const headers = { ...request.headers };
    return providerCallSpan({ provider: options.provider, operation: request.operation, method: request.method }, headers, (finish) =>
      sendTraced(request, headers, finish),
    );
  };

  async function sendTraced(
    request: ProviderHttpRequest,
    headers: Record<string, string>,
    finish: (outcome: string, status?: number) => void,
  ): Promise<ProviderHttpResponse> {
    const started = now();
    const { correlation } = request;
    const report = (outcome: string, status?: number) => {
      finish(outcome, status);
      options.onCall?.({
        provider: options.provider,
        operation: request.operation,
        method: request.method,
        outcome,
        ...(status === undefined ? {} : { status }),
        durationMs: now() - started,
        ...(correlation ? { correlation } : {}),
      });
    };
    let response: Response;
    let text: string;
    try {
      response = await options.fetch(request.url, {
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        ...(request.signal ? { signal: request.signal } : {}),
      });
      text = redact(await response.text());
    } catch (error) {
      const timedOut = request.signal?.aborted === true;
      report(timedOut ? 'timeout' : 'transport_error');
      throw new ProviderError(
        options.provider,
        timedOut ? 'PROVIDER_TIMEOUT' : 'PROVIDER_UNAVAILABLE',
        timedOut
          ? `no answer to ${request.operation} before the deadline`
          : `${request.operation} failed in transport: ${redact(error instanceof Error ? error.message : String(error))}`,
        { cause: error },
      );
    }
    report(response.ok ? 'ok' : `http_${response.status}`, response.status);
    let json: unknown;
    if (text.length > 0) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    return { status: response.status, headers: response.headers, text, json };
  }
}

export type ProviderHttp = ReturnType<typeof createProviderHttp>;

/** Seconds from a Retry-After header (delta-seconds or HTTP date), if present and sane. */
export function retryAfterSeconds(headers: Headers, nowMs = Date.now()): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}
