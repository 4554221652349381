import type { ProviderName } from '../domain/enums.js';
import type { FirstvisionCustomerRef } from '../providers/firstvision/read-model.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { CallOptions } from '../providers/types.js';
import type { LoaderBatchObserver } from './keyed.js';
import { providerLoader, type ProviderReadThrottle } from './provider-loader.js';

export type ProviderReadLoaders = ReturnType<typeof createProviderReadLoaders>;

/**
 * The per-request loaders over provider reads. Each call goes through its provider's process-wide
 * limiter and the request's abort signal.
 * @example const reads = createProviderReadLoaders({ providers, throttles, call: () => ({ signal: request.signal }) });
 */
export function createProviderReadLoaders(args: {
  providers: ProviderRegistry;
  throttles: Record<ProviderName, ProviderReadThrottle>;
  /** The request's call options (its signal made on first use). */
  call: () => CallOptions;
  onBatch?: LoaderBatchObserver;
}) {
  const { providers, throttles, call } = args;
  const observed = args.onBatch ? { onBatch: args.onBatch } : {};
  const firstvision = providers.firstvision;
  /** One loader per FirstVision read endpoint, keyed by the customer at FirstVision. */
  const byCustomer = <V>(name: string, load: (ref: FirstvisionCustomerRef, call: CallOptions) => Promise<V>) =>
    providerLoader({ provider: 'FIRSTVISION', throttle: throttles.FIRSTVISION, call, keyOf: firstvisionRefKey, load, name, ...observed });
  return {
    firstvisionAccounts: byCustomer('firstvisionAccounts', (ref, call) => firstvision.accountNumbers(ref, call)),
    firstvisionCards: byCustomer('firstvisionCards', (ref, call) => firstvision.cards(ref, call)),
    firstvisionRelationships: byCustomer('firstvisionRelationships', (ref, call) => firstvision.relationshipNumbers(ref, call)),
    firstvisionDemographics: byCustomer('firstvisionDemographics', (ref, call) => firstvision.demographics(ref, call)),
    firstvisionAddressHistory: byCustomer('firstvisionAddressHistory', (ref, call) => firstvision.addressHistory(ref, call)),
    /** floLIVE `GET /api/v2/global/call/{requestId}`, by request id. */
    floliveRequestStatus: providerLoader({
      name: 'floliveRequestStatus',
      ...observed,
      provider: 'FLOLIVE',
      throttle: throttles.FLOLIVE,
      call,
      keyOf: (requestId: string) => requestId,
      load: (requestId: string, call) => providers.flolive.requestStatus(requestId, call),
    }),
  };
}

export function firstvisionRefKey(ref: FirstvisionCustomerRef): string {
  return `${ref.organizationNumber}:${ref.customerNumber}`;
}
