import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { FaultInjector, jsonResponse, readBody, sandboxSurface, SandboxStore } from '../sandbox-kit.js';
import type { Sandbox, SandboxDependencies } from '../types.js';
import type { CardlyticsSettings } from './client.js';
import {
  createCustomersRequestSchema,
  ERROR_TYPES,
  HEADERS,
  INSTITUTION_SCOPE,
  startSessionRequestSchema,
  type CardlyticsCustomer,
  type CardlyticsValidationError,
} from './contract.js';

/**
 * UNKNOWN: Cardlytics's problem type for an overloaded service (its error-handling page lists 429, not
 * 503); a Spring exception name like its other types.
 */
const SERVICE_UNAVAILABLE_TYPE = 'ServiceUnavailableException';

/** Session tokens live one hour (the reference page; the rewards-platform variant says 15 minutes). */
const SESSION_TTL_MS = 60 * 60 * 1000;

interface StoredSession {
  scopes: string[];
  organizationId: string;
  sourceCustomerId: string;
  expiresAt: string;
}

/** What one request is answered from: the sandbox's state, the clock and the request's trace id. */
interface Incoming {
  store: SandboxStore;
  settings: CardlyticsSettings;
  now: Date;
  requestId: string;
  request: Request;
}

/** An incoming request on its route, with the route's path parameters. */
interface Exchange extends Incoming {
  params: string[];
}

interface Route {
  method: 'GET' | 'POST';
  /** The path below the provider root, as the request log names it. */
  template: string;
  pattern: RegExp;
  authenticated: boolean;
  answer(exchange: Exchange): Promise<Response> | Response;
}

const ROUTES: readonly Route[] = [
  {
    method: 'POST',
    template: '/v2/session/startSession',
    pattern: /^\/v2\/session\/startSession$/,
    authenticated: false,
    answer: startSession,
  },
  {
    method: 'POST',
    template: '/v2/data/customers',
    pattern: /^\/v2\/data\/customers$/,
    authenticated: true,
    answer: createCustomers,
  },
  {
    method: 'GET',
    template: '/v2/data/customers/:sourceCustomerId',
    pattern: /^\/v2\/data\/customers\/([^/]+)$/,
    authenticated: true,
    answer: getCustomer,
  },
];

/**
 * A simulator of the Cardlytics Publisher API v2: startSession, create customers (≤ 50, stored by
 * sourceCustomerId, a re-send replaces) and, as a simulator-only aid for reconciliation (Cardlytics
 * publishes no lookup), `GET /v2/data/customers/{sourceCustomerId}`. It enforces contract.ts and
 * answers in Cardlytics's problem envelope `{type, title, status, validationErrors, requestId}`.
 *
 * mTLS and IP allow-listing, which authenticate the caller live, cannot be simulated over plain
 * loopback HTTP. The X-CDLX-Institution-Id header stands in for the client certificate: startSession
 * is refused (401 SessionValidationException) unless it names the configured institution and its
 * body the configured organization. Data calls need a token from startSession with scope
 * api:institution that has not expired.
 * @example const sandbox = createCardlyticsSandbox({ file: ':memory:', settings });
 *          const response = await sandbox.handle(request, '/v2/data/customers');
 */
export function createCardlyticsSandbox(deps: SandboxDependencies<CardlyticsSettings>): Sandbox {
  const store = new SandboxStore('CARDLYTICS', deps.file);
  const faults = new FaultInjector(deps.faults, { sleep: deps.sleep });
  const clock = deps.now ?? (() => new Date());

  function answer(path: string, route: Route | undefined, incoming: Incoming): Promise<Response> {
    const { requestId } = incoming;
    return faults.answer(
      {
        internalError: () => problem(500, ERROR_TYPES.internal, 'Internal Server Error', requestId),
        unavailable: () => problem(503, SERVICE_UNAVAILABLE_TYPE, 'Service Unavailable', requestId),
      },
      () => apply(path, route, incoming),
    );
  }

  /** What Cardlytics does with a request: route, authenticate where the route needs it, answer. */
  async function apply(path: string, route: Route | undefined, incoming: Incoming): Promise<Response> {
    const { request, requestId } = incoming;
    const match = route?.pattern.exec(path);
    if (!route || !match) {
      return problem(404, ERROR_TYPES.noRoute, `No endpoint ${request.method} ${path}`, requestId);
    }
    if (route.method !== request.method) {
      const allow = ROUTES.filter((candidate) => candidate.pattern.test(path)).map((candidate) => candidate.method);
      return problem(405, ERROR_TYPES.methodNotAllowed, `Request method '${request.method}' is not supported`, requestId, [], {
        allow: allow.join(', '),
      });
    }
    if (route.authenticated) {
      const refusal = authenticate(incoming);
      if (refusal) return refusal;
    }
    return route.answer({ ...incoming, params: match.slice(1) });
  }

  return sandboxSurface({
    name: 'CARDLYTICS',
    store,
    faults,
    now: () => clock().getTime(),
    answer: async (request, path) => {
      const now = clock();
      const route = ROUTES.find((candidate) => candidate.pattern.test(path) && candidate.method === request.method) ??
        ROUTES.find((candidate) => candidate.pattern.test(path));
      const requestId = request.headers.get(HEADERS.requestId) ?? randomUUID();
      const response = await answer(path, route, { store, settings: deps.settings, now, requestId, request });
      return { route: `${request.method} ${route?.template ?? '(no route)'}`, response };
    },
  });
}

async function startSession({ store, settings, now, requestId, request }: Exchange): Promise<Response> {
  if (request.headers.get(HEADERS.institutionId) !== settings.institutionId) {
    return problem(401, ERROR_TYPES.session, 'Client is not a known institution', requestId);
  }
  const body = await readJson(request, requestId, startSessionRequestSchema);
  if (body instanceof Response) return body;
  if (body.organizationId !== settings.organizationId) {
    return problem(401, ERROR_TYPES.session, 'Organization does not belong to this institution', requestId);
  }
  if (body.scopes.includes('api:customer') && !isEnrolled(store, body.sourceCustomerId)) {
    return problem(400, ERROR_TYPES.validation, 'User is not enrolled', requestId, [
      { field: 'sourceCustomerId', message: 'is not an enrolled (ACTIVE) customer' },
    ]);
  }
  const sessionToken = randomBytes(32).toString('base64url');
  const session: StoredSession = {
    scopes: body.scopes,
    organizationId: body.organizationId,
    sourceCustomerId: body.sourceCustomerId,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
  };
  // Keyed by the token's hash: the state endpoint shows sessions without handing out usable tokens.
  store.put('sessions', digest(sessionToken), session, now.getTime());
  return jsonResponse(200, { sessionToken }, { [HEADERS.requestId]: requestId });
}

async function createCustomers({ store, now, requestId, request }: Exchange): Promise<Response> {
  const body = await readJson(request, requestId, createCustomersRequestSchema);
  if (body instanceof Response) return body;
  // a batch is stored whole, in one commit
  store.transaction(() => {
    for (const customer of body.customers) store.put('customers', customer.sourceCustomerId, customer, now.getTime());
  });
  return jsonResponse(200, { requestId }, { [HEADERS.requestId]: requestId });
}

function getCustomer({ store, requestId, params }: Exchange): Response {
  const sourceCustomerId = safeDecode(params[0] ?? '');
  const customer = sourceCustomerId === null ? undefined : store.get<CardlyticsCustomer>('customers', sourceCustomerId);
  if (!customer) return problem(404, ERROR_TYPES.notFound, `No customer with sourceCustomerId ${params[0]}`, requestId);
  return jsonResponse(200, customer, { [HEADERS.requestId]: requestId });
}

/** null when the session token is good for the Data APIs; else the refusal. */
function authenticate({ store, now, requestId, request }: Incoming): Response | null {
  const token = request.headers.get(HEADERS.sessionToken);
  if (!token) return problem(401, ERROR_TYPES.session, `Missing ${HEADERS.sessionToken}`, requestId);
  const session = store.get<StoredSession>('sessions', digest(token));
  if (!session) return problem(401, ERROR_TYPES.session, 'Unknown session token', requestId);
  if (Date.parse(session.expiresAt) <= now.getTime()) {
    return problem(401, ERROR_TYPES.session, 'Session token expired', requestId);
  }
  if (!session.scopes.includes(INSTITUTION_SCOPE)) {
    return problem(403, ERROR_TYPES.accessDenied, `Session lacks scope ${INSTITUTION_SCOPE}`, requestId);
  }
  return null;
}

/** The body parsed and validated, or Cardlytics's 400 for an unreadable or invalid one. */
async function readJson<T extends z.ZodType>(request: Request, requestId: string, schema: T): Promise<z.output<T> | Response> {
  const { json } = await readBody(request);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return problem(400, ERROR_TYPES.notReadable, 'Request body is not a readable JSON object', requestId);
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const validationErrors = parsed.error.issues.map((issue) => ({ field: fieldPath(issue.path), message: issue.message }));
  return problem(400, ERROR_TYPES.validation, 'Validation failed', requestId, validationErrors);
}

function isEnrolled(store: SandboxStore, sourceCustomerId: string): boolean {
  return store.get<CardlyticsCustomer>('customers', sourceCustomerId)?.enrollmentOptInStatus === 'ACTIVE';
}

function problem(
  status: number,
  type: string,
  title: string,
  requestId: string,
  validationErrors: CardlyticsValidationError[] = [],
  headers: Record<string, string> = {},
): Response {
  const body = { type, title, status, validationErrors, requestId };
  return jsonResponse(status, body, { [HEADERS.requestId]: requestId, ...headers });
}

/** `customers[3].accounts[0].last4`: how a Java bean validator names a field. */
function fieldPath(path: readonly PropertyKey[]): string {
  const field = path.reduce<string>((text, segment) => {
    if (typeof segment === 'number') return `${text}[${segment}]`;
    return text ? `${text}.${String(segment)}` : String(segment);
  }, '');
  return field || 'body';
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
