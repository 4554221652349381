import { ProviderError, providerErrorCodeForStatus } from '../errors.js';
import { retryAfterSeconds, type ProviderHttpRequest, type ProviderHttpResponse } from '../http.js';
import type { AdapterDependencies, CallOptions, ProviderOutcome } from '../types.js';
import { enfuceErrorEnvelope, enfuceRegNoLookupResponse } from './contract.js';
import { toOutcome, type EnfuceCreateRequest, type EnfuceUpdateRequest } from './mapper.js';

/** What the adapter needs to reach Enfuce: an API user (HTTP Basic) and the audit user to fall back on. */
export interface EnfuceSettings {
  username: string;
  password: string;
  /** auditUser when neither the acting user nor providerOptions.enfuce.auditUser gives one. */
  defaultAuditUser: string;
}

// UNKNOWN: the success status of create/update is not published; 200 and 201 are both success.
const SUCCESS_STATUSES = new Set([200, 201]);

/**
 * Enfuce's customer API over `deps.http`: HTTP Basic auth (the API overview's scheme; the rendered
 * endpoint page's Bearer is treated as a documentation-tool default), JSON bodies, `auditUser` in
 * the query. Create and update report failures as FAILED outcomes; the lookup throws ProviderError.
 * @example const client = createEnfuceClient({ baseUrl, http, settings }); await client.create(request, { signal });
 */
export function createEnfuceClient(deps: AdapterDependencies<EnfuceSettings>) {
  const root = deps.baseUrl.replace(/\/+$/, '');
  const nowMs = () => (deps.now ? deps.now().getTime() : Date.now());
  const headers = {
    authorization: basicAuthorization(deps.settings.username, deps.settings.password),
    accept: 'application/json',
  };
  const url = (path: string, auditUser?: string) =>
    `${root}${path}${auditUser === undefined ? '' : `?auditUser=${encodeURIComponent(auditUser)}`}`;

  async function send(request: ProviderHttpRequest): Promise<ProviderOutcome> {
    try {
      const response = await deps.http(request);
      if (SUCCESS_STATUSES.has(response.status)) return toOutcome(response.json);
      return failed(failureOf(response, request.operation, nowMs()));
    } catch (error) {
      if (error instanceof ProviderError) return failed(error);
      throw error;
    }
  }

  return {
    /** `POST {root}/v3/PRIVATE?auditUser=…` */
    create(request: EnfuceCreateRequest, call: CallOptions): Promise<ProviderOutcome> {
      return send({
        operation: 'customer.create',
        method: 'POST',
        url: url('/v3/PRIVATE', request.auditUser),
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(request.body),
        ...call,
      });
    },

    // UNKNOWN: the update's method and path are not fully public; PUT on the private customer's
    // resource with the whole body, mirroring create, is the documented sibling's shape.
    /** `PUT {root}/v3/PRIVATE/{id}?auditUser=…` */
    update(request: EnfuceUpdateRequest, call: CallOptions): Promise<ProviderOutcome> {
      return send({
        operation: 'customer.update',
        method: 'PUT',
        url: url(`/v3/PRIVATE/${encodeURIComponent(request.id)}`, request.auditUser),
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(request.body),
        ...call,
      });
    },

    /**
     * `GET {root}/v3/regNo/{regNo}/id`: the Enfuce id of the customer with this registration number,
     * or null when Enfuce knows none. Failures throw ProviderError.
     * UNKNOWN: whether the lookup takes auditUser; it is sent (the default audit user), as on every other call.
     */
    async findCustomerIdByRegNo(regNo: string, call: CallOptions): Promise<string | null> {
      const response = await deps.http({
        operation: 'customer.findIdByRegNo',
        method: 'GET',
        url: url(`/v3/regNo/${encodeURIComponent(regNo)}/id`, deps.settings.defaultAuditUser),
        headers,
        ...call,
      });
      if (response.status === 404) return null;
      if (response.status !== 200) throw failureOf(response, 'customer.findIdByRegNo', nowMs());
      const parsed = enfuceRegNoLookupResponse.safeParse(response.json);
      if (!parsed.success) {
        throw new ProviderError('ENFUCE', 'PROVIDER_BAD_RESPONSE', 'regNo lookup answered without a numeric id', {
          status: response.status,
          cause: parsed.error,
        });
      }
      return parsed.data.id;
    },
  };
}

export type EnfuceClient = ReturnType<typeof createEnfuceClient>;

/** RFC 7617: base64 of `user:password` in UTF-8. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

function failed(error: ProviderError): ProviderOutcome {
  return { status: 'FAILED', externalId: null, requestId: null, error };
}

/** A non-success answer → ProviderError, reading Enfuce's (unpublished) error envelope defensively. */
function failureOf(response: ProviderHttpResponse, operation: string, nowMs: number): ProviderError {
  const envelope = enfuceErrorEnvelope.safeParse(response.json);
  const body = envelope.success ? envelope.data : undefined;
  const details = (body?.errors ?? [])
    .map((item) => [item.field, item.message].filter(Boolean).join(': '))
    .filter((line) => line.length > 0);
  const unexpectedSuccess = response.status >= 200 && response.status < 300;
  const summary = unexpectedSuccess
    ? `unexpected success status ${response.status}`
    : (body?.message ?? body?.description ?? body?.error ?? (rawExcerpt(response.text) || `HTTP ${response.status}`));
  const code = unexpectedSuccess ? 'PROVIDER_BAD_RESPONSE' : providerErrorCodeForStatus(response.status);
  const retryAfter = retryAfterSeconds(response.headers, nowMs);
  return new ProviderError(
    'ENFUCE',
    code,
    `${operation}: ${[summary, ...details].join('; ')}`,
    {
      status: response.status,
      ...(body?.code ? { providerCode: body.code } : {}),
      ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
    },
  );
}

/** A non-JSON error page (a gateway's HTML) is quoted only in part: the error column is one line. */
function rawExcerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
