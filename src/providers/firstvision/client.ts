import { createHmac, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ProviderError, providerErrorCodeForStatus } from '../errors.js';
import { retryAfterSeconds, type ProviderHttpRequest, type ProviderHttpResponse } from '../http.js';
import type { AdapterDependencies, CallOptions, ProviderOutcome } from '../types.js';
import {
  addCustomerResponse,
  errorEnvelope,
  successEnvelope,
  tokenResponse,
  updateCustomerResponse,
  type AddCustomerRequest,
  type FirstvisionErrorEntry,
  type UpdateCustomerRequest,
} from './contract.js';
import { outcomeFromAdd, outcomeFromUpdate } from './mapper.js';

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

export interface FirstvisionClient {
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

  async function attempt(spec: ApiCall<unknown>, body: string, token: string, signal: AbortSignal) {
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
      signal,
    });
    return { response, requestId };
  }

  async function send<T>(spec: ApiCall<T>, { signal }: CallOptions): Promise<{ data: T; requestId: string }> {
    const body = spec.body === undefined ? '' : JSON.stringify(spec.body);
    let sent = await attempt(spec, body, await tokens.get(signal), signal);
    if (sent.response.status === 401) {
      // The token may have been revoked or expired early at the provider: renew once.
      tokens.invalidate();
      sent = await attempt(spec, body, await tokens.get(signal), signal);
    }
    return { data: readEnvelope(sent.response, spec.data, spec.operation, nowMs()), requestId: sent.requestId };
  }

  return {
    send,
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

// ---- token ------------------------------------------------------------------------------------------

function tokenCache(deps: AdapterDependencies<FirstvisionSettings>, root: string, nowMs: () => number) {
  let cached: { token: string; renewAt: number } | null = null;
  let pending: Promise<string> | null = null;

  async function request(signal: AbortSignal): Promise<string> {
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
      signal,
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
    get(signal: AbortSignal): Promise<string> {
      if (cached && nowMs() < cached.renewAt) return Promise.resolve(cached.token);
      pending ??= request(signal).finally(() => {
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
