import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { withCorrelation } from './correlation.js';

/**
 * The client's X-Request-Id when it is a sane token (1–128 of letters, digits, `_ . : -`), else a
 * new UUID; the same request keeps it.
 */
const requestIds = new WeakMap<Request, string>();
export function requestIdOf(request: Request): string {
  let id = requestIds.get(request);
  if (!id) {
    const given = request.headers.get('x-request-id');
    id = given && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
    requestIds.set(request, id);
  }
  return id;
}

/**
 * Every request runs with its id as its correlation (src/correlation.ts), so what it causes — its
 * provider calls' log lines above all — carries the id, and the response echoes it in X-Request-Id.
 * @example createYoga({ schema, plugins: [useRequestId()] });
 */
export function useRequestId(): Plugin {
  return {
    instrumentation: {
      request: ({ request }, wrapped) => withCorrelation({ id: requestIdOf(request), origin: 'graphql' }, wrapped),
    },
    onResponse({ request, response }) {
      response.headers.set('x-request-id', requestIdOf(request));
    },
  };
}
