import { createHash, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { FaultInjector, jsonResponse, readBody, sandboxSurface, SandboxStore } from '../sandbox-kit.js';
import type { Sandbox, SandboxDependencies } from '../types.js';
import { basicAuthorization, type EnfuceSettings } from './client.js';
import { enfuceAuditQuery, enfucePrivateCustomer, type EnfuceErrorEnvelope, type EnfucePrivateCustomer } from './contract.js';

/** A customer as the simulator keeps it: Enfuce's id, the body as last accepted, who sent it. */
export interface EnfuceSandboxCustomer {
  id: string;
  auditUser: string;
  customer: EnfucePrivateCustomer;
}

const CUSTOMERS = 'customers';
/** Simulated ids are numeric strings like Enfuce's ("151077912"), issued in sequence. */
const FIRST_ID = 151_000_001;

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

interface Exchange {
  request: Request;
  params: string[];
  store: SandboxStore;
  now: Date;
}

type Handler = (exchange: Exchange) => Promise<Response>;

interface Route {
  pattern: RegExp;
  template: string;
  methods: Record<string, Handler>;
}

const ROUTES: Route[] = [
  { pattern: /^\/v3\/PRIVATE$/, template: '/v3/PRIVATE', methods: { POST: createCustomer } },
  { pattern: /^\/v3\/PRIVATE\/([^/]+)$/, template: '/v3/PRIVATE/:id', methods: { PUT: updateCustomer } },
  { pattern: /^\/v3\/regNo\/([^/]+)\/id$/, template: '/v3/regNo/:regNo/id', methods: { GET: findIdByRegNo } },
];

/**
 * Enfuce's customer API as a simulator: HTTP Basic with the configured API user, the same contract
 * schemas the mapper checks, the error envelope documented in contract.ts, customers kept in its
 * own SQLite file, faults answered with that envelope (503 unless the fault config names other kinds).
 * @example const sandbox = createEnfuceSandbox({ file: ':memory:', settings }); await sandbox.handle(request, '/v3/PRIVATE');
 */
export function createEnfuceSandbox(deps: SandboxDependencies<EnfuceSettings>): Sandbox {
  const store = new SandboxStore('ENFUCE', deps.file, ['$.customer.customerNumber', '$.customer.regNo']);
  // Enfuce's simulator has always failed with 503 + Retry-After; it stays the default kind.
  const faults = new FaultInjector(deps.faults, { sleep: deps.sleep, defaultKinds: ['503'] });
  const now = deps.now ?? (() => new Date());
  const expected = digest(basicAuthorization(deps.settings.username, deps.settings.password));

  async function answer(request: Request, path: string, at: Date): Promise<{ template: string; response: Response }> {
    const matched = ROUTES.map((route) => ({ route, match: route.pattern.exec(path) })).find((entry) => entry.match);
    const template = `${request.method} ${matched?.route.template ?? '(unknown route)'}`;
    const response = await faults.answer(
      {
        internalError: () => failure(500, 'INTERNAL_ERROR', 'simulated: an unexpected error occurred', at),
        unavailable: () => failure(503, 'SERVICE_UNAVAILABLE', 'the service is temporarily unavailable', at),
      },
      () => apply(request, path, matched, at),
    );
    return { template, response };
  }

  /** What Enfuce does with a request: authenticate, route, then the route's handler. */
  async function apply(
    request: Request,
    path: string,
    matched: { route: Route; match: RegExpExecArray | null } | undefined,
    at: Date,
  ): Promise<Response> {
    const given = request.headers.get('authorization');
    if (!given || !timingSafeEqual(digest(given), expected)) {
      return failure(401, 'UNAUTHORIZED', 'valid HTTP Basic credentials are required', at, [], {
        'www-authenticate': 'Basic realm="Enfuce customer API"',
      });
    }
    if (!matched?.match) return failure(404, 'NOT_FOUND', `no resource at ${path}`, at);
    const handler = matched.route.methods[request.method];
    if (!handler) {
      const allow = Object.keys(matched.route.methods).join(', ');
      return failure(405, 'METHOD_NOT_ALLOWED', `use ${allow}`, at, [], { allow });
    }
    const params = matched.match.slice(1).map((segment) => safeDecode(segment));
    return handler({ request, params, store, now: at });
  }

  return sandboxSurface({
    name: 'ENFUCE',
    store,
    faults,
    now: () => now().getTime(),
    answer: async (request, path) => {
      const { template, response } = await answer(request, path, now());
      return { route: template, response };
    },
  });
}

async function createCustomer(exchange: Exchange): Promise<Response> {
  const accepted = await acceptedWrite(exchange);
  if (accepted instanceof Response) return accepted;
  const { store, now } = exchange;
  const taken = customersWhere(store, '$.customer.customerNumber', accepted.customer.customerNumber)[0];
  if (taken) return customerNumberTaken(accepted.customer.customerNumber, now);
  const id = String(FIRST_ID + store.count(CUSTOMERS));
  store.put(CUSTOMERS, id, { id, ...accepted } satisfies EnfuceSandboxCustomer, now.getTime());
  return jsonResponse(201, { description: 'Private customer created', id });
}

async function updateCustomer(exchange: Exchange): Promise<Response> {
  const { store, now, params } = exchange;
  const id = params[0] ?? '';
  if (!store.get<EnfuceSandboxCustomer>(CUSTOMERS, id)) {
    return failure(404, 'CUSTOMER_NOT_FOUND', `no customer with id ${id}`, now);
  }
  const accepted = await acceptedWrite(exchange);
  if (accepted instanceof Response) return accepted;
  const taken = customersWhere(store, '$.customer.customerNumber', accepted.customer.customerNumber).find((record) => record.id !== id);
  if (taken) return customerNumberTaken(accepted.customer.customerNumber, now);
  store.put(CUSTOMERS, id, { id, ...accepted } satisfies EnfuceSandboxCustomer, now.getTime());
  return jsonResponse(200, { description: 'Private customer updated', id });
}

/**
 * Enfuce does not validate regNo, so several customers may share one.
 * UNKNOWN: which one the lookup returns then; the simulator answers with the oldest.
 */
async function findIdByRegNo({ store, params, now }: Exchange): Promise<Response> {
  const regNo = params[0] ?? '';
  const found = customersWhere(store, '$.customer.regNo', regNo)[0];
  return found ? jsonResponse(200, { id: found.id }) : failure(404, 'CUSTOMER_NOT_FOUND', 'no customer has this regNo', now);
}

/** The auditUser query, a JSON body and the private customer contract, as create and update share them. */
async function acceptedWrite({ request, now }: Exchange): Promise<Omit<EnfuceSandboxCustomer, 'id'> | Response> {
  const query = enfuceAuditQuery.safeParse({ auditUser: new URL(request.url).searchParams.get('auditUser') ?? undefined });
  if (!query.success) return validationFailure(query.error, now);
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('application/json')) {
    return failure(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json', now);
  }
  const { json } = await readBody(request);
  if (json === undefined) return failure(400, 'MALFORMED_BODY', 'the body is not JSON', now);
  const body = enfucePrivateCustomer.safeParse(json);
  if (!body.success) return validationFailure(body.error, now);
  return { auditUser: query.data.auditUser, customer: body.data };
}

/** Customers with `value` at an indexed path, oldest first. */
function customersWhere(store: SandboxStore, path: '$.customer.customerNumber' | '$.customer.regNo', value: string): EnfuceSandboxCustomer[] {
  return store.findBy<EnfuceSandboxCustomer>(CUSTOMERS, path, value);
}

// UNKNOWN: Enfuce's answer to a repeated customerNumber; the simulator refuses it with 409.
function customerNumberTaken(customerNumber: string, now: Date): Response {
  return failure(409, 'CUSTOMER_NUMBER_TAKEN', `customerNumber ${customerNumber} is already in use`, now, [
    { field: 'customerNumber', message: 'is already in use' },
  ]);
}

function validationFailure(error: z.ZodError, now: Date): Response {
  const errors = error.issues.map((issue) => ({
    field: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  return failure(400, 'VALIDATION_FAILED', 'the request breaks the customer API contract', now, errors);
}

/** The simulator's error envelope (see enfuceErrorEnvelope in contract.ts). */
function failure(
  status: number,
  code: string,
  message: string,
  now: Date,
  errors: { field: string; message: string }[] = [],
  headers: Record<string, string> = {},
): Response {
  const body: EnfuceErrorEnvelope & { timestamp: string } = {
    timestamp: now.toISOString(),
    status,
    error: STATUS_TEXT[status] ?? 'Error',
    code,
    message,
    ...(errors.length > 0 ? { errors } : {}),
  };
  return jsonResponse(status, body, headers);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
