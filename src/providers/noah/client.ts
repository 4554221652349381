import { createHash } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';
import { z } from 'zod';
import { ProviderError } from '../errors.js';
import { retryAfterSeconds, type ProviderHttpResponse } from '../http.js';
import type { AdapterDependencies, CallOptions, ProviderOutcome } from '../types.js';
import { customerRecordSchema, errorBodySchema, type NoahCustomerRecord, type NoahErrorBody, type NoahPutCustomer } from './contract.js';
import { noahProviderError, putCustomerOutcome } from './mapper.js';

/**
 * NOAH Business API over HTTP. Every request carries `X-Api-Key` and `Api-Signature`, a JWT signed
 * with the customer's EC private key (ES384 for P-384 keys, ES256 for P-256) whose claims bind it
 * to the method, the URL path as sent, the query parameters and a SHA-256 of the exact body bytes.
 */

/** NOAH checks `aud` against this fixed value in sandbox and production alike. */
export const NOAH_AUDIENCE = 'https://api.noah.com';
/** NOAH refuses signatures valid for longer than 15 minutes; we ask for 5. */
export const SIGNATURE_TTL_SECONDS = 300;
export const MAX_SIGNATURE_TTL_SECONDS = 900;

export const ecJwkSchema = z.looseObject({
  kty: z.literal('EC'),
  crv: z.enum(['P-384', 'P-256']),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z.string().min(1).optional(),
});
export type NoahJwk = z.output<typeof ecJwkSchema>;

/** `<type>_<env>_<key>`: type is `apikey`, env `sandbox` or `prod`. */
export const API_KEY_PATTERN = /^apikey_(sandbox|prod)_[A-Za-z0-9_-]+$/;

export const noahSettingsSchema = z.object({
  apiKey: z.string().regex(API_KEY_PATTERN, 'must look like apikey_<sandbox|prod>_<key>'),
  /** The request-signing private key. */
  signingKey: ecJwkSchema.refine((key) => key.d !== undefined, 'must be a private key (with "d")'),
  /** The public half, as registered with the API key; the simulator verifies with it. */
  verificationKey: ecJwkSchema.transform(({ d: _private, ...publicKey }) => publicKey),
});
export type NoahSettings = z.output<typeof noahSettingsSchema>;

export type NoahAlgorithm = 'ES384' | 'ES256';

export function algorithmFor(key: NoahJwk): NoahAlgorithm {
  return key.crv === 'P-384' ? 'ES384' : 'ES256';
}

export function sha256Hex(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

export interface SignableRequest {
  method: string;
  url: string;
  /** The exact body string sent; absent or empty for no body. */
  body?: string | undefined;
}

/**
 * The `Api-Signature` JWT for one request. `queryParams` and `bodyHash` appear only when the request
 * has query parameters or a body, as NOAH's own clients do.
 * @example const jwt = await signRequest(await importSigningKey(settings.signingKey), 'ES384', { method: 'PUT', url, body }, new Date());
 */
export async function signRequest(
  key: SigningKey,
  algorithm: NoahAlgorithm,
  request: SignableRequest,
  issuedAt: Date,
  ttlSeconds = SIGNATURE_TTL_SECONDS,
): Promise<string> {
  const url = new URL(request.url);
  const query = [...url.searchParams];
  const iat = Math.floor(issuedAt.getTime() / 1000);
  return new SignJWT({
    method: request.method,
    path: url.pathname,
    ...(query.length > 0 ? { queryParams: Object.fromEntries(query) } : {}),
    ...(request.body ? { bodyHash: sha256Hex(request.body) } : {}),
  })
    .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
    .setAudience(NOAH_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(key);
}

export type SigningKey = Awaited<ReturnType<typeof importJWK>>;

export function importSigningKey(jwk: NoahJwk): Promise<SigningKey> {
  return importJWK(jwk as JWK, algorithmFor(jwk));
}

/** NOAH's base URLs are often quoted with `/v1`; our paths carry it, so a root given with it is not doubled. */
function apiRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

export function customerPath(customerId: string): string {
  return `/v1/customers/${encodeURIComponent(customerId)}`;
}

export interface NoahClient {
  /** Create-or-update. Never throws for provider failures: they come back as a FAILED outcome. */
  putCustomer(request: NoahPutCustomer, call: CallOptions): Promise<ProviderOutcome>;
  /** NOAH's record for a CustomerID, null when NOAH has none. Throws ProviderError when NOAH cannot answer. */
  getCustomer(customerId: string, call: CallOptions): Promise<NoahCustomerRecord | null>;
}

/**
 * @example const client = createNoahClient({ baseUrl: 'https://api.sandbox.noah.com', http, settings });
 *          const record = await client.getCustomer(customerId, { signal });
 */
export function createNoahClient(deps: AdapterDependencies<NoahSettings>): NoahClient {
  const now = deps.now ?? (() => new Date());
  const root = apiRoot(deps.baseUrl);
  const algorithm = algorithmFor(deps.settings.signingKey);
  let key: Promise<SigningKey> | undefined;

  async function send(operation: string, method: 'GET' | 'PUT', path: string, body: string | undefined, call: CallOptions) {
    const url = `${root}${path}`;
    let signature: string;
    try {
      key ??= importSigningKey(deps.settings.signingKey);
      signature = await signRequest(await key, algorithm, { method, url, body }, now());
    } catch (error) {
      throw new ProviderError('NOAH', 'PROVIDER_AUTH_FAILED', `cannot sign the request with the configured key: ${messageOf(error)}`, {
        cause: error,
      });
    }
    return deps.http({
      operation,
      method,
      url,
      headers: {
        'X-Api-Key': deps.settings.apiKey,
        'Api-Signature': signature,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body }),
      ...call,
    });
  }

  const errorOf = (response: ProviderHttpResponse) =>
    noahProviderError(response.status, errorEnvelope(response), retryAfterSeconds(response.headers, now().getTime()), response.text);

  return {
    async putCustomer(request, call) {
      const customerId = request.path.CustomerID;
      try {
        const response = await send('customer.put', 'PUT', customerPath(customerId), JSON.stringify(request.body), call);
        return putCustomerOutcome(customerId, response.status, () => errorOf(response));
      } catch (error) {
        if (error instanceof ProviderError) return { status: 'FAILED', externalId: null, requestId: null, error };
        throw error;
      }
    },

    async getCustomer(customerId, call) {
      const response = await send('customer.get', 'GET', customerPath(customerId), undefined, call);
      if (response.status === 404 && errorEnvelope(response)?.Type === 'ResourceNotFound') return null;
      if (response.status !== 200) throw errorOf(response);
      const record = customerRecordSchema.safeParse(response.json);
      if (!record.success) {
        const problem = record.error.issues[0];
        throw new ProviderError(
          'NOAH',
          'PROVIDER_BAD_RESPONSE',
          `Get Customer answered 200 with a body that is not a NOAH customer (${problem ? `${problem.path.join('.') || 'body'}: ${problem.message}` : 'unreadable'})`,
          { status: response.status },
        );
      }
      return record.data;
    },
  };
}

/** The NOAH error envelope, when the body is one (gateways and proxies answer with other bodies). */
function errorEnvelope(response: ProviderHttpResponse): NoahErrorBody | undefined {
  const parsed = errorBodySchema.safeParse(response.json);
  return parsed.success ? parsed.data : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
