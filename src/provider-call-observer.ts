import type { Logger } from 'pino';
import { recordProviderCall, type Metrics } from './metrics.js';
import type { ProviderCallEvent } from './providers/http.js';

/**
 * What the process does with every finished provider call: counts and times it (src/metrics.ts) and
 * writes one JSON log line carrying the id of the GraphQL request (X-Request-Id) or background
 * round that caused it — so `requestId` finds all of one request's provider calls. The line holds
 * no URL, body or header: provider, operation, method, outcome, status and duration only.
 * @example createProviderRegistry({ mode, dataDir, onCall: providerCallObserver({ metrics, logger }) });
 */
export function providerCallObserver({ metrics, logger }: { metrics: Metrics; logger?: Logger }): (event: ProviderCallEvent) => void {
  return (event) => {
    recordProviderCall(metrics, event);
    if (!logger) return;
    const line = {
      requestId: event.correlation?.id,
      origin: event.correlation?.origin,
      provider: event.provider,
      operation: event.operation,
      method: event.method,
      outcome: event.outcome,
      status: event.status,
      durationMs: Math.round(event.durationMs * 10) / 10,
    };
    if (event.outcome === 'ok') logger.info(line, 'provider call');
    else logger.warn(line, 'provider call failed');
  };
}
