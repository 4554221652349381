import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { FaultInjector, jsonResponse, readBody, sandboxSurface, SandboxStore } from '../sandbox-kit.js';
import type { Sandbox, SandboxDependencies } from '../types.js';
import type { FloliveSettings } from './client.js';
import {
  FLOLIVE_ERROR_CODES,
  floliveAckBody,
  floliveCreateCustomerRequest,
  floliveNak,
  type FloliveCreateCustomerRequest,
  type FloliveRequestStatus,
} from './contract.js';

/** A sub-customer as the simulator keeps it. `outcome` is decided on acceptance, revealed by the status call. */
export interface FloliveSandboxCustomer {
  id: string;
  parentId: string;
  requestId: string;
  outcome: 'SUCCESS' | 'FAILURE';
  /** Why the outcome is FAILURE; floLIVE's status call does not say, the simulator's state does. */
  reason: string | null;
  body: FloliveCreateCustomerRequest;
}

/** An async request: OPEN until its first status call, then its customer's outcome. */
export interface FloliveSandboxRequest {
  requestId: string;
  requesterId: string;
  customerId: string;
  status: FloliveRequestStatus;
}

const CUSTOMERS = 'customers';
const REQUESTS = 'requests';
/**
 * UNKNOWN: floLIVE's code for an internal error; named like the contract's simulator codes, so it
 * cannot be mistaken for a real one.
 */
const INTERNAL_ERROR_CODE = 'GLOBAL_INTERNAL_ERROR';
const UNAVAILABLE_MESSAGE = 'Service unavailable. Please try again';

interface Exchange {
  request: Request;
  params: string[];
  store: SandboxStore;
  settings: FloliveSettings;
  now: Date;
}

type Handler = (exchange: Exchange) => Promise<Response>;

const ROUTES: { pattern: RegExp; template: string; methods: Record<string, Handler> }[] = [
  { pattern: /^\/api\/v2\/customer\/([^/]+)$/, template: '/api/v2/customer/:id', methods: { POST: createCustomer } },
  { pattern: /^\/api\/v2\/global\/call\/([^/]+)$/, template: '/api/v2/global/call/:requestId', methods: { GET: requestStatus } },
];

/**
 * floLIVE's Create Customer and Get Request Status V2 as a simulator: the bearer token from the
 * settings, the requester's own sub-customers only, the contract schemas the mapper checks, floLIVE's
 * envelope on every answer, state in its own SQLite file, faults answered in that envelope (by default
 * GLOBAL_1001 with 503; the 'nak' kind is the same NAK with 200, which floLIVE's envelope allows).
 *
 * Completion is deterministic: a request is OPEN until its first status call, which answers its final
 * status. The simulator's one business rule (UNKNOWN whether floLIVE has it): a sub-customer whose
 * `name` repeats a successfully created sibling's ends in FAILURE.
 * @example const sandbox = createFloliveSandbox({ file: ':memory:', settings }); await sandbox.handle(request, '/api/v2/customer/' + settings.requesterCustomerId);
 */
export function createFloliveSandbox(deps: SandboxDependencies<FloliveSettings>): Sandbox {
  const store = new SandboxStore('FLOLIVE', deps.file, ['$.body.name']);
  // floLIVE's simulator has always failed with its GLOBAL_1001 NAK and 503; it stays the default kind.
  const faults = new FaultInjector(deps.faults, { sleep: deps.sleep, defaultKinds: ['503'] });
  const now = deps.now ?? (() => new Date());
  const expected = digest(`Bearer ${deps.settings.token}`);

  async function answer(request: Request, path: string, at: Date): Promise<{ template: string; response: Response }> {
    const matched = ROUTES.map((route) => ({ route, match: route.pattern.exec(path) })).find((entry) => entry.match);
    const template = `${request.method} ${matched?.route.template ?? '(unknown route)'}`;
    const response = await faults.answer(
      {
        internalError: () => nak(500, INTERNAL_ERROR_CODE, 'simulated: an internal error occurred'),
        unavailable: () => nak(503, FLOLIVE_ERROR_CODES.serviceUnavailable, UNAVAILABLE_MESSAGE),
        nak: () => nak(200, FLOLIVE_ERROR_CODES.serviceUnavailable, UNAVAILABLE_MESSAGE),
      },
      () => apply(request, path, matched, at),
    );
    return { template, response };
  }

  /** What floLIVE does with a request: authenticate, route, then the route's handler. */
  async function apply(
    request: Request,
    path: string,
    matched: { route: (typeof ROUTES)[number]; match: RegExpExecArray | null } | undefined,
    at: Date,
  ): Promise<Response> {
    const given = request.headers.get('authorization');
    if (!given || !timingSafeEqual(digest(given), expected)) {
      return nak(401, FLOLIVE_ERROR_CODES.unauthorized, 'a valid bearer token is required');
    }
    if (!matched?.match) return nak(404, FLOLIVE_ERROR_CODES.notFound, `no resource at ${path}`);
    const handler = matched.route.methods[request.method];
    if (!handler) {
      const allow = Object.keys(matched.route.methods).join(', ');
      return nak(405, FLOLIVE_ERROR_CODES.methodNotAllowed, `use ${allow}`, { allow });
    }
    const params = matched.match.slice(1).map(safeDecode);
    return handler({ request, params, store, settings: deps.settings, now: at });
  }

  return sandboxSurface({
    name: 'FLOLIVE',
    store,
    faults,
    now: () => now().getTime(),
    answer: async (request, path) => {
      const { template, response } = await answer(request, path, now());
      return { route: template, response };
    },
  });
}

async function createCustomer({ request, params, store, settings, now }: Exchange): Promise<Response> {
  const parentId = params[0] ?? '';
  if (parentId !== settings.requesterCustomerId) {
    return nak(
      403,
      FLOLIVE_ERROR_CODES.notEligible,
      `the requester may create only its own sub-customers, not customers under ${parentId}`,
    );
  }
  const { json } = await readBody(request);
  if (json === undefined) return nak(400, FLOLIVE_ERROR_CODES.invalidRequest, 'the body is not JSON');
  const parsed = floliveCreateCustomerRequest.safeParse(tolerateSeedQuirks(json));
  if (!parsed.success) return nak(400, FLOLIVE_ERROR_CODES.invalidRequest, describe(parsed.error));

  const customer: FloliveSandboxCustomer = {
    id: randomUUID(),
    parentId,
    requestId: randomUUID(),
    ...decideOutcome(store, parentId, parsed.data),
    body: parsed.data,
  };
  store.put(CUSTOMERS, customer.id, customer, now.getTime());
  const pending: FloliveSandboxRequest = {
    requestId: customer.requestId,
    requesterId: settings.requesterCustomerId,
    customerId: customer.id,
    status: 'OPEN',
  };
  store.put(REQUESTS, pending.requestId, pending, now.getTime());
  // UNKNOWN: the ACK's HTTP status; 200, as an ordinary success.
  return jsonResponse(200, floliveAckBody([{ requestId: customer.requestId, id: customer.id, customerid: customer.id }]));
}

function decideOutcome(store: SandboxStore, parentId: string, body: FloliveCreateCustomerRequest) {
  const sibling = body.name
    ? store
        .findBy<FloliveSandboxCustomer>(CUSTOMERS, '$.body.name', body.name)
        .find((other) => other.parentId === parentId && other.outcome === 'SUCCESS')
    : undefined;
  return sibling
    ? { outcome: 'FAILURE' as const, reason: `sub-customer ${sibling.id} already has the name "${body.name}"` }
    : { outcome: 'SUCCESS' as const, reason: null };
}

/** A requester sees only its own requests; any other id "does not exist for your account" [DOC]. */
async function requestStatus({ params, store, settings, now }: Exchange): Promise<Response> {
  const requestId = params[0] ?? '';
  const found = store.get<FloliveSandboxRequest>(REQUESTS, requestId);
  if (!found || found.requesterId !== settings.requesterCustomerId) {
    // UNKNOWN: the HTTP status of GLOBAL_1003; 404.
    return nak(404, FLOLIVE_ERROR_CODES.requestNotFound, 'Request ID does not exist for your account');
  }
  if (found.status === 'OPEN') {
    const customer = store.get<FloliveSandboxCustomer>(CUSTOMERS, found.customerId);
    found.status = customer?.outcome ?? 'INTERNAL_ERROR';
    store.put(REQUESTS, requestId, found, now.getTime());
  }
  return jsonResponse(200, floliveAckBody([{ status: found.status }]));
}

/**
 * floLIVE's own example request (seed 003) differs from its field table: `contact` wrapped in another
 * `contact`, lower-case enum values, and `idType: "nationalId"` (the table's ID). The simulator accepts
 * those spellings, as floLIVE evidently did when the example was written; everything else must match
 * the contract.
 */
export function tolerateSeedQuirks(json: unknown): unknown {
  if (!isRecord(json)) return json;
  const wrapped = isRecord(json.contact) && Object.keys(json.contact).length === 1 && isRecord(json.contact.contact);
  const contact = wrapped ? (json.contact as Record<string, unknown>).contact : json.contact;
  return {
    ...json,
    ...upperCased(json, 'type'),
    ...(contact === undefined ? {} : { contact: isRecord(contact) ? withLegacyIdTypes(contact) : contact }),
    ...(Array.isArray(json.address)
      ? { address: json.address.map((address: unknown) => (isRecord(address) ? { ...address, ...upperCased(address, 'type') } : address)) }
      : {}),
  };
}

function withLegacyIdTypes(contact: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(contact.identity)) return contact;
  const identity = contact.identity.map((item: unknown) => {
    if (!isRecord(item) || typeof item.idType !== 'string') return item;
    return { ...item, idType: item.idType === 'nationalId' ? 'ID' : item.idType.toUpperCase() };
  });
  return { ...contact, identity };
}

function upperCased(record: Record<string, unknown>, field: string): Record<string, unknown> {
  const value = record[field];
  return typeof value === 'string' ? { [field]: value.toUpperCase() } : {};
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** floLIVE's NAK carries one message: every contract violation, by floLIVE field path. */
function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || 'body'}: ${issue.message}`).join('; ');
}

function nak(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return jsonResponse(status, floliveNak(code, message), headers);
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
