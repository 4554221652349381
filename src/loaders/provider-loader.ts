import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { ProviderName } from '../domain/enums.js';
import { ProviderError } from '../providers/errors.js';
import type { CallOptions } from '../providers/types.js';
import type { LoaderBatchObserver } from './keyed.js';

/** How reads from one provider are batched and throttled. */
export interface ProviderLoaderLimits {
  /** Keys one batch may carry (providers without a batch endpoint get one call per key either way). */
  maxBatchSize: number;
  /** Calls to the provider in flight at once, across all requests of this process. */
  maxInFlight: number;
}

export const DEFAULT_PROVIDER_LOADER_LIMITS: ProviderLoaderLimits = { maxBatchSize: 50, maxInFlight: 8 };

/**
 * A counting semaphore: at most `limit` tasks run at once, the rest wait in arrival order.
 * @example const limiter = new CallLimiter(8); await limiter.run(() => reader.cards(ref, call));
 */
export class CallLimiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** The most tasks ever running at once (for tests and diagnostics). */
  peak = 0;

  constructor(readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    try {
      return await task();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

/** Per provider: its limits and the process-wide limiter that enforces maxInFlight. */
export interface ProviderReadThrottle {
  limits: ProviderLoaderLimits;
  limiter: CallLimiter;
}

export function createReadThrottles(
  limits: Partial<Record<ProviderName, Partial<ProviderLoaderLimits>>> = {},
): Record<ProviderName, ProviderReadThrottle> {
  const make = (provider: ProviderName): ProviderReadThrottle => {
    const merged = { ...DEFAULT_PROVIDER_LOADER_LIMITS, ...limits[provider] };
    return { limits: merged, limiter: new CallLimiter(merged.maxInFlight) };
  };
  return {
    ENFUCE: make('ENFUCE'),
    NOAH: make('NOAH'),
    CARDLYTICS: make('CARDLYTICS'),
    FLOLIVE: make('FLOLIVE'),
    FIRSTVISION: make('FIRSTVISION'),
  };
}

/**
 * A DataLoader over a provider read: keys deduplicated per request (by `keyOf`), batches of at
 * most maxBatchSize, every call through the provider's limiter and under the request's abort
 * signal. A failing key rejects only that key, as a GraphQL error whose extensions name the code
 * and the provider — the field is null at its path, its siblings are untouched.
 * @example const cards = providerLoader({ provider: 'FIRSTVISION', throttle, call, keyOf: refKey, load: (ref, call) => reader.cards(ref, call) });
 */
export function providerLoader<K, V>(options: {
  provider: ProviderName;
  throttle: ProviderReadThrottle;
  /** The request's call options, its signal made on first use (most requests call no provider). */
  call: () => CallOptions;
  keyOf: (key: K) => string;
  load: (key: K, call: CallOptions) => Promise<V>;
  /** The loader's name, for onBatch (metrics: dataloader_batch_size). */
  name: string;
  onBatch?: LoaderBatchObserver;
}): DataLoader<K, V, string> {
  const { provider, throttle } = options;
  return new DataLoader<K, V, string>(
    (keys) => {
      options.onBatch?.(options.name, keys.length);
      return Promise.all(
        keys.map((key) =>
          throttle.limiter
            .run(() => {
              const call = options.call();
              if (call.signal.aborted) throw new ProviderError(provider, 'PROVIDER_TIMEOUT', 'the request ended before the call');
              return options.load(key, call);
            })
            .catch((error: unknown) => providerFieldError(provider, error)),
        ),
      );
    },
    { maxBatchSize: throttle.limits.maxBatchSize, cacheKeyFn: options.keyOf },
  );
}

/**
 * The GraphQL error a resolver reports for a failed provider read. It carries no `originalError`:
 * yoga masks any GraphQL error wrapping a non-GraphQL one, and this one is deliberate.
 */
export function providerFieldError(provider: ProviderName, error: unknown): GraphQLError {
  const failure =
    error instanceof ProviderError
      ? error
      : new ProviderError(provider, 'PROVIDER_BAD_RESPONSE', error instanceof Error ? error.message : String(error), {
          cause: error,
        });
  return new GraphQLError(`${provider} could not be read: ${failure.summary()}`, {
    extensions: { code: failure.code, provider, retryable: failure.retryable },
  });
}
