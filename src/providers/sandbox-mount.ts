import { ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { ProviderName } from '../domain/enums.js';
import { faultConfigSchema, isConnectionCut, jsonResponse, readBody } from './sandbox-kit.js';
import type { Sandbox } from './types.js';

const MOUNT = /^\/sandbox\/([a-z]+)(\/.*)?$/;

/** Where a provider's simulator is mounted below an origin: `<origin>/sandbox/<provider in lower case>`. */
export function sandboxBaseUrl(origin: string, provider: ProviderName): string {
  return `${origin.replace(/\/$/, '')}/sandbox/${provider.toLowerCase()}`;
}

/**
 * Routes `/sandbox/<provider>/…` to that provider's simulator (the provider's own paths below the
 * prefix) and answers `GET /sandbox/<provider>/_state` and `GET|PUT|DELETE …/_faults`; null for any
 * other path. Faults apply to the provider's own paths only, so `_state` and `_faults` always answer.
 * `serverContext` is the Node server's (`{ req, res }`), when there is a socket: a simulated
 * connection cut then really drops it.
 * @example const response = routeToSandbox(sandboxes, request, serverContext) ?? notFound();
 */
export function routeToSandbox(sandboxes: Iterable<Sandbox>, request: Request, serverContext?: unknown): Promise<Response> | null {
  const match = MOUNT.exec(new URL(request.url).pathname);
  if (!match) return null;
  const sandbox = [...sandboxes].find((candidate) => candidate.name.toLowerCase() === match[1]);
  if (!sandbox) {
    return Promise.resolve(jsonResponse(404, { error: `no simulator for "${match[1]}" is mounted` }));
  }
  const path = match[2] ?? '/';
  if (path === '/_state') {
    return Promise.resolve(
      request.method === 'GET' ? jsonResponse(200, sandbox.state()) : jsonResponse(405, { error: 'use GET' }, { allow: 'GET' }),
    );
  }
  if (path === '/_faults') return faultSwitch(sandbox, request);
  const answer = sandbox.handle(request, path);
  const socket = nodeResponseOf(serverContext);
  return socket ? answer.then((response) => dropIfCut(response, socket)) : answer;
}

/**
 * The runtime switch: GET the faults in force (null when none), PUT a FaultConfig to replace them,
 * DELETE to clear them. A PUT that is not a valid FaultConfig is a 400 naming each bad field.
 */
async function faultSwitch(sandbox: Sandbox, request: Request): Promise<Response> {
  switch (request.method) {
    case 'GET':
      return jsonResponse(200, sandbox.faults());
    case 'DELETE':
      sandbox.setFaults(null);
      return new Response(null, { status: 204 });
    case 'PUT': {
      const { raw, json } = await readBody(request);
      if (json === undefined) {
        const issues = [{ field: 'body', message: raw.length === 0 ? 'a FaultConfig is required' : 'must be JSON' }];
        return jsonResponse(400, { error: `invalid fault config: ${describe(issues)}`, issues });
      }
      const parsed = faultConfigSchema.safeParse(json);
      if (!parsed.success) {
        const issues = issuesOf(parsed.error);
        return jsonResponse(400, { error: `invalid fault config: ${describe(issues)}`, issues });
      }
      sandbox.setFaults(parsed.data);
      return jsonResponse(200, sandbox.faults());
    }
    default:
      return jsonResponse(405, { error: 'use GET, PUT or DELETE' }, { allow: 'GET, PUT, DELETE' });
  }
}

/** One issue per bad field; an unknown field is named itself, not its parent. */
function issuesOf(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.flatMap((issue) => {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...at, key].join('.'), message: 'is not a FaultConfig field' }));
    }
    return [{ field: at.join('.') || 'body', message: issue.message }];
  });
}

function describe(issues: { field: string; message: string }[]): string {
  return issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
}

function nodeResponseOf(serverContext: unknown): ServerResponse | undefined {
  const res = (serverContext as { res?: unknown } | null | undefined)?.res;
  return res instanceof ServerResponse ? res : undefined;
}

/**
 * A Node server meets a failing body stream by leaving the response open, so a cut would reach the
 * caller as a hang. Sending the headers and destroying the socket makes it what it stands for: the
 * caller's read fails with a reset, as in process.
 */
function dropIfCut(response: Response, res: ServerResponse): Response {
  if (!isConnectionCut(response) || res.destroyed || res.headersSent) return response;
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.flushHeaders();
  res.destroy();
  return response;
}

/**
 * A fetch that never leaves the process: requests to `/sandbox/<provider>/…` URLs go straight to the
 * simulators, with real Request/Response objects (headers and body bytes as sent). Like a real fetch
 * it rejects with the signal's reason once the signal aborts, whatever the simulator is still doing.
 */
export function inProcessSandboxFetch(sandboxes: Iterable<Sandbox>) {
  const list = [...sandboxes];
  return async (input: string, init: RequestInit): Promise<Response> => {
    // The caller's own signal, not request.signal: Node links the two only while the Request lives.
    const signal = init.signal ?? undefined;
    // An aborted call is never sent, as with fetch.
    if (signal?.aborted) throw signal.reason;
    const request = new Request(input, init);
    const answer = routeToSandbox(list, request) ?? Promise.resolve(jsonResponse(404, { error: `not a sandbox URL: ${input}` }));
    return signal ? untilAborted(answer, signal) : answer;
  };
}

function untilAborted(answer: Promise<Response>, signal: AbortSignal): Promise<Response> {
  return new Promise<Response>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
