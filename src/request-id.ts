import { randomUUID } from 'node:crypto';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import { noteErrorCorrelation, type Correlation } from './correlation.js';

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
 * The response echoes the request's id in X-Request-Id. The id reaches the provider calls' log lines
 * through the context (Context.call(), src/correlation.ts); this notes it on every error leaving
 * execution, before yoga masks and logs the unexpected ones, so their log lines name it too.
 * Registered before yoga's own masking, which runs after every user plugin.
 * @example createYoga({ schema, plugins: [useRequestId()] });
 */
export function useRequestId(): Plugin {
  return {
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (!request) return;
      const correlation: Correlation = { id: requestIdOf(request), origin: 'graphql' };
      return {
        onExecuteDone: (payload) =>
          handleStreamOrSingleExecutionResult(payload, ({ result }) => {
            for (const error of result.errors ?? []) noteErrorCorrelation(error, correlation);
          }),
      };
    },
    onResponse({ request, response }) {
      response.headers.set('x-request-id', requestIdOf(request));
    },
  };
}
