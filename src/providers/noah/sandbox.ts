import { randomUUID } from 'node:crypto';
import { jwtVerify } from 'jose';
import type { z } from 'zod';
import { FaultInjector, jsonResponse, readBody, sandboxSurface, SandboxStore } from '../sandbox-kit.js';
import type { Sandbox, SandboxDependencies } from '../types.js';
import {
  importSigningKey,
  algorithmFor,
  MAX_SIGNATURE_TTL_SECONDS,
  NOAH_AUDIENCE,
  sha256Hex,
  type NoahSettings,
  type SigningKey,
} from './client.js';
import {
  customerIdSchema,
  putCustomerBodySchema,
  type NoahCustomerRecord,
  type NoahErrorBody,
  type NoahErrorType,
} from './contract.js';

/**
 * A NOAH Business API simulator: Put Customer (upsert) and Get Customer under `/v1/customers/…`.
 * It checks what NOAH checks (API key, the request's signed JWT, the Put Customer contract),
 * answers with NOAH's status codes and PascalCase error envelope, and keeps customers in its own
 * SQLite file.
 */

const CUSTOMER_ROUTE = /^\/v1\/customers\/([^/]*)$/;
const COLLECTION = 'customers';
// UNKNOWN: NOAH does not document its clock-skew allowance; 30 s keeps honest clocks working.
const CLOCK_TOLERANCE_SECONDS = 30;

type Route = 'PUT /v1/customers/{CustomerID}' | 'GET /v1/customers/{CustomerID}';

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * @example const sandbox = createNoahSandbox({ file: ':memory:', settings: await noahProvider.sandboxSettings(null) });
 */
export function createNoahSandbox(deps: SandboxDependencies<NoahSettings>): Sandbox {
  const store = new SandboxStore('NOAH', deps.file);
  const faults = new FaultInjector(deps.faults, { sleep: deps.sleep });
  const now = deps.now ?? (() => new Date());
  const verify = signatureVerifier(deps.settings, now);

  async function answer(request: Request, path: string): Promise<{ route: string; response: Response }> {
    const match = CUSTOMER_ROUTE.exec(path.split('?')[0] ?? path);
    if (!match) {
      return { route: `${request.method} (unmatched)`, response: toResponse(failure(404, 'ResourceNotFound', 'Route', `no route ${path}`)) };
    }
    if (request.method !== 'PUT' && request.method !== 'GET') {
      const refusal = failure(405, 'InvalidMessage', 'Route', `${request.method} is not allowed on /v1/customers/{CustomerID}`);
      return { route: `${request.method} /v1/customers/{CustomerID}`, response: toResponse({ ...refusal, headers: { allow: 'GET, PUT' } }) };
    }
    const route: Route = request.method === 'PUT' ? 'PUT /v1/customers/{CustomerID}' : 'GET /v1/customers/{CustomerID}';
    const action = request.method === 'PUT' ? 'PutCustomer' : 'GetCustomer';
    // UNKNOWN: NOAH's Type for an overloaded service; its Type enum has none, so Unexpected as for a 500.
    const response = await faults.answer(
      {
        internalError: () => toResponse(failure(500, 'Unexpected', action, 'simulated internal error')),
        unavailable: () => toResponse(failure(503, 'Unexpected', action, 'simulated: the service is temporarily unavailable')),
      },
      async () => toResponse(await apply(request, match[1] ?? '', action)),
    );
    return { route, response };
  }

  /** What NOAH does with a request on its customer route: authenticate, then store or read. */
  async function apply(request: Request, segment: string, action: string): Promise<Answer> {
    const { raw, json } = await readBody(request);
    const refusal = await verify(request, raw);
    if (refusal) return failure(401, 'Unauthorized', action, refusal);
    const customerId = decodeSegment(segment);
    return request.method === 'PUT' ? putCustomer(customerId, raw, json) : getCustomer(customerId);
  }

  function putCustomer(customerId: string | undefined, raw: string, json: unknown): Answer {
    const idCheck = customerIdSchema.safeParse(customerId);
    const bodyCheck = putCustomerBodySchema.safeParse(json);
    const invalid = [
      ...(idCheck.success ? [] : requestItems(idCheck.error.issues, ['CustomerID'])),
      ...(bodyCheck.success ? [] : raw.length > 0 && json === undefined ? [notJson()] : requestItems(bodyCheck.error.issues, [])),
    ];
    if (!idCheck.success || !bodyCheck.success) {
      return failure(400, 'InvalidMessage', 'PutCustomer', 'the request is invalid; see Extensions.Request', invalid);
    }
    const at = now();
    const existing = store.get<NoahCustomerRecord>(COLLECTION, idCheck.data);
    const record = { ...bodyCheck.data, CustomerID: idCheck.data, Created: existing?.Created ?? at.toISOString() };
    const created = store.put(COLLECTION, idCheck.data, record, at.getTime());
    return { status: created ? 201 : 204 };
  }

  function getCustomer(customerId: string | undefined): Answer {
    const record = customerId === undefined ? undefined : store.get<NoahCustomerRecord>(COLLECTION, customerId);
    return record
      ? { status: 200, body: record }
      : failure(404, 'ResourceNotFound', 'GetCustomer', `no customer with CustomerID ${JSON.stringify(customerId ?? '')}`);
  }

  return sandboxSurface({ name: 'NOAH', store, faults, now: () => now().getTime(), answer });
}

/**
 * Checks one request the way NOAH does: a known API key of this environment, then an `Api-Signature`
 * JWT signed by the registered public key, for NOAH's audience, valid at most 15 minutes, bound to
 * this method, path, query and body. Returns why the request is refused, or undefined.
 */
function signatureVerifier(settings: NoahSettings, now: () => Date) {
  const algorithm = algorithmFor(settings.verificationKey);
  let key: Promise<SigningKey> | undefined;
  return async (request: Request, raw: string): Promise<string | undefined> => {
    const apiKey = request.headers.get('x-api-key');
    if (!apiKey) return 'X-Api-Key header is missing';
    if (apiKey !== settings.apiKey || !apiKey.startsWith('apikey_sandbox_')) return 'the API key is not valid for this environment';
    const token = request.headers.get('api-signature');
    if (!token) return 'Api-Signature header is missing';
    key ??= importSigningKey(settings.verificationKey);
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(token, await key, {
        algorithms: [algorithm],
        audience: NOAH_AUDIENCE,
        currentDate: now(),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        maxTokenAge: MAX_SIGNATURE_TTL_SECONDS,
        requiredClaims: ['iat', 'exp', 'method', 'path'],
      }));
    } catch (error) {
      return `Api-Signature is not valid: ${error instanceof Error ? error.message : String(error)}`;
    }
    return claimsMismatch(claims, request, raw);
  };
}

function claimsMismatch(claims: Record<string, unknown>, request: Request, raw: string): string | undefined {
  const url = new URL(request.url);
  const query = Object.fromEntries(url.searchParams);
  if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number' || claims.exp - claims.iat > MAX_SIGNATURE_TTL_SECONDS) {
    return `Api-Signature must expire at most ${MAX_SIGNATURE_TTL_SECONDS} seconds after it was issued`;
  }
  if (claims.method !== request.method) return `Api-Signature was signed for method ${String(claims.method)}, not ${request.method}`;
  if (claims.path !== url.pathname) return `Api-Signature was signed for path ${String(claims.path)}, not ${url.pathname}`;
  if (JSON.stringify(sorted(claims.queryParams ?? {})) !== JSON.stringify(sorted(query))) {
    return 'Api-Signature queryParams do not match the query string';
  }
  if (raw.length > 0 ? claims.bodyHash !== sha256Hex(raw) : claims.bodyHash !== undefined && claims.bodyHash !== sha256Hex('')) {
    return 'Api-Signature bodyHash does not match the request body';
  }
  return undefined;
}

function toResponse(answer: Answer): Response {
  return jsonResponse(answer.status, answer.body, answer.headers);
}

function sorted(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

type RequestItem = NonNullable<NonNullable<NoahErrorBody['Extensions']>['Request']>[number];

/** One Extensions.Request item per invalid field; an unknown field is named itself. */
function requestItems(issues: readonly z.core.$ZodIssue[], prefix: string[]): RequestItem[] {
  return issues.flatMap((issue) => {
    const at = [...prefix, ...issue.path.map(String)];
    const reason = (issue as { params?: { reason?: unknown } }).params?.reason === 'IntegrityValidation' ? 'IntegrityValidation' : 'SchemaValidation';
    const fields = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...at, key]) : [at];
    return fields.map((field) => ({
      Field: field.join('.') || 'body',
      Reason: reason,
      Description: issue.code === 'unrecognized_keys' ? 'is not a NOAH field' : issue.message,
    }));
  });
}

function notJson(): RequestItem {
  return { Field: 'body', Reason: 'SchemaValidation', Description: 'the body is not JSON' };
}

// UNKNOWN: the meaning and vocabulary of Action are not documented; we name the operation that failed.
function failure(status: number, type: NoahErrorType, action: string, detail: string, invalid: RequestItem[] = []): Answer {
  const body: NoahErrorBody = {
    Type: type,
    Instance: `urn:noah:error:${randomUUID()}`,
    Action: action,
    Detail: detail,
    ...(invalid.length > 0 ? { Extensions: { Request: invalid } } : {}),
  };
  return { status, body };
}
