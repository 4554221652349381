import type { ProviderName } from '../domain/enums.js';
import { jsonResponse } from './sandbox-kit.js';
import type { Sandbox } from './types.js';

const MOUNT = /^\/sandbox\/([a-z]+)(\/.*)?$/;

/** Where a provider's simulator is mounted below an origin: `<origin>/sandbox/<provider in lower case>`. */
export function sandboxBaseUrl(origin: string, provider: ProviderName): string {
  return `${origin.replace(/\/$/, '')}/sandbox/${provider.toLowerCase()}`;
}

/**
 * Routes `/sandbox/<provider>/…` to that provider's simulator (the provider's own paths below the
 * prefix) and answers `GET /sandbox/<provider>/_state`; null for any other path.
 * @example const response = routeToSandbox(sandboxes, request) ?? notFound();
 */
export function routeToSandbox(sandboxes: Iterable<Sandbox>, request: Request): Promise<Response> | null {
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
  return sandbox.handle(request, path);
}

/**
 * A fetch that never leaves the process: requests to `/sandbox/<provider>/…` URLs go straight to the
 * simulators, with real Request/Response objects (headers and body bytes as sent).
 */
export function inProcessSandboxFetch(sandboxes: Iterable<Sandbox>) {
  const list = [...sandboxes];
  return async (input: string, init: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    return (await routeToSandbox(list, request)) ?? jsonResponse(404, { error: `not a sandbox URL: ${input}` });
  };
}
