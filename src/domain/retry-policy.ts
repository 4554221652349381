import type { ProviderError } from '../providers/errors.js';

export interface RetryPolicy {
  /** Attempts before a retryable failure is dead-lettered. */
  maxAttempts: number;
  /** First retry delay; doubles each attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** 0–1 in [0, 1): the jitter source (tests inject a fixed one). */
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 300_000, random: Math.random };

/**
 * What a failed call means for the next one.
 * - retry: only what is safe — transport errors, timeouts, 5xx, 408/429 (with Retry-After) and
 *   floLIVE's GLOBAL_1001 NAK (all PROVIDER_UNAVAILABLE / PROVIDER_TIMEOUT), and a malformed
 *   answer to a successful call. Rejections (4xx, credentials) are never retried.
 * - uncertain: the provider may have acted (timeout, a connection cut, a 500, an unreadable 2xx);
 *   a create is then reconciled by natural key before it is sent again. A 503, 429 or NAK says the
 *   request was not processed.
 */
export function classifyFailure(error: ProviderError): { retry: boolean; uncertain: boolean } {
  const notProcessed = error.status === 503 || error.status === 429 || error.providerCode === 'GLOBAL_1001';
  switch (error.code) {
    case 'PROVIDER_TIMEOUT':
      return { retry: true, uncertain: true };
    case 'PROVIDER_UNAVAILABLE':
      return { retry: true, uncertain: !notProcessed };
    case 'PROVIDER_BAD_RESPONSE': {
      const answeredOk = error.status !== undefined && error.status >= 200 && error.status < 300;
      return { retry: answeredOk, uncertain: answeredOk };
    }
    default:
      return { retry: false, uncertain: false };
  }
}

/**
 * Delay before attempt `attempts + 1`: exponential from baseDelayMs, capped, with "equal jitter"
 * (half fixed, half random) so retries of many rows spread out; never sooner than the provider's
 * Retry-After.
 */
export function retryDelayMs(policy: RetryPolicy, attempts: number, retryAfterSeconds?: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  const jittered = exponential / 2 + policy.random() * (exponential / 2);
  return Math.max(Math.round(jittered), (retryAfterSeconds ?? 0) * 1000);
}
