import type { ProviderName } from '../domain/enums.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { providerLoader, type ProviderReadThrottle } from './provider-loader.js';

export type ProviderReadLoaders = ReturnType<typeof createProviderReadLoaders>;

/**
 * The per-request loaders over provider reads. Each call goes through its provider's process-wide
 * limiter and the request's abort signal.
 * @example const reads = createProviderReadLoaders({ providers, throttles, signal: request.signal });
 */
export function createProviderReadLoaders(args: {
  providers: ProviderRegistry;
  throttles: Record<ProviderName, ProviderReadThrottle>;
  signal: AbortSignal;
}) {
  const { providers, throttles, signal } = args;
  return {
    /** floLIVE `GET /api/v2/global/call/{requestId}`, by request id. */
    floliveRequestStatus: providerLoader({
      provider: 'FLOLIVE',
      throttle: throttles.FLOLIVE,
      signal,
      keyOf: (requestId: string) => requestId,
      load: (requestId: string, call) => providers.flolive.requestStatus(requestId, call),
    }),
  };
}
