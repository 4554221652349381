import type { Plugin } from 'graphql-yoga';
import type { Database } from './db/client.js';
import { outboxDepth } from './domain/outbox-depth.js';
import type { Metrics } from './metrics.js';
import type { CircuitBreakers } from './providers/circuit-breaker.js';

/**
 * `GET /health` (readiness: the database answers; each provider's circuit state) and `GET /metrics`
 * (Prometheus text; the outbox's depth and circuit states are read at scrape time).
 * Liveness without a database check stays at yoga's own `/health/live`.
 * @example createYoga({ schema, plugins: [useOperationalEndpoints({ database, metrics })] });
 */
export function useOperationalEndpoints({
  database,
  metrics,
  breakers,
  now = () => new Date(),
}: {
  database: Database;
  metrics: Metrics;
  breakers: CircuitBreakers;
  now?: () => Date;
}): Plugin {
  const circuits = () =>
    Object.fromEntries(Object.values(breakers).map((breaker) => [breaker.provider, breaker.state(now().getTime())]));
  metrics.watchCircuits(() => circuits());
  // ages by the wall clock: rows are stamped with the database's, never with an injected one
  metrics.watchOutbox(() => outboxDepth(database, Date.now()));
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      if (url.pathname === '/health') {
        const databaseUp = await isDatabaseUp(database);
        endResponse(
          fetchAPI.Response.json(
            {
              status: databaseUp ? 'ok' : 'unavailable',
              // an open circuit degrades one provider; the service itself still accepts work (it queues)
              checks: { database: databaseUp ? 'ok' : 'unavailable', circuits: circuits() },
            },
            { status: databaseUp ? 200 : 503, headers: { 'cache-control': 'no-store' } },
          ),
        );
      } else if (url.pathname === '/metrics') {
        endResponse(
          new fetchAPI.Response(await metrics.scrape(), {
            headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' },
          }),
        );
      }
    },
  };
}

async function isDatabaseUp(database: Database): Promise<boolean> {
  try {
    await database.ping();
    return true;
  } catch {
    return false;
  }
}
