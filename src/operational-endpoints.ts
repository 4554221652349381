import type { Plugin } from 'graphql-yoga';
import type { Database } from './db/client.js';
import type { Metrics } from './metrics.js';

/**
 * `GET /health` (readiness: the database answers) and `GET /metrics` (Prometheus text).
 * Liveness without a database check stays at yoga's own `/health/live`.
 * @example createYoga({ schema, plugins: [useOperationalEndpoints({ database, metrics })] });
 */
export function useOperationalEndpoints({ database, metrics }: { database: Database; metrics: Metrics }): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (url.pathname === '/health') {
        const databaseUp = isDatabaseUp(database);
        endResponse(
          fetchAPI.Response.json(
            { status: databaseUp ? 'ok' : 'unavailable', checks: { database: databaseUp ? 'ok' : 'unavailable' } },
            { status: databaseUp ? 200 : 503, headers: { 'cache-control': 'no-store' } },
          ),
        );
      } else if (url.pathname === '/metrics') {
        endResponse(
          new fetchAPI.Response(await metrics.registry.metrics(), {
            headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' },
          }),
        );
      }
    },
  };
}

function isDatabaseUp(database: Database): boolean {
  try {
    return database.sqlite.prepare('select 1 as up').get() !== undefined;
  } catch {
    return false;
  }
}
