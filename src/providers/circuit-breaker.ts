import type { ProviderName } from '../domain/enums.js';

export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before letting one probe through. */
  openMs: number;
}

export const DEFAULT_CIRCUIT_BREAKER_OPTIONS: CircuitBreakerOptions = { failureThreshold: 5, openMs: 30_000 };

/**
 * A per-provider circuit breaker: after `failureThreshold` consecutive failures (outages, not
 * rejections) it opens and refuses calls for `openMs`; then one probe goes through (half-open): its
 * success closes the circuit, its failure opens it again.
 * @example if (breaker.tryAcquire(Date.now())) { const ok = await call(); breaker.record(ok, Date.now()); }
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private current: CircuitState = 'CLOSED';

  constructor(
    readonly provider: ProviderName,
    private readonly options: CircuitBreakerOptions = DEFAULT_CIRCUIT_BREAKER_OPTIONS,
  ) {}

  state(now: number): CircuitState {
    if (this.current === 'OPEN' && now - this.openedAt >= this.options.openMs) return 'HALF_OPEN';
    return this.current;
  }

  /** When an open circuit will let a probe through. */
  reopensAt(): number {
    return this.openedAt + this.options.openMs;
  }

  /** May a call go out now? In half-open, only one probe at a time. */
  tryAcquire(now: number): boolean {
    const state = this.state(now);
    if (state === 'CLOSED') return true;
    if (state === 'OPEN' || this.probing) return false;
    this.current = 'HALF_OPEN';
    this.probing = true;
    return true;
  }

  /** Records a call's result: `succeeded` false only for outages (5xx, timeouts, transport), never for rejections. */
  record(succeeded: boolean, now: number): void {
    this.probing = false;
    if (succeeded) {
      this.failures = 0;
      this.current = 'CLOSED';
      return;
    }
    this.failures++;
    if (this.current === 'HALF_OPEN' || this.failures >= this.options.failureThreshold) {
      this.current = 'OPEN';
      this.openedAt = now;
    }
  }
}

export type CircuitBreakers = Record<ProviderName, CircuitBreaker>;

export function createCircuitBreakers(options: CircuitBreakerOptions = DEFAULT_CIRCUIT_BREAKER_OPTIONS): CircuitBreakers {
  return {
    ENFUCE: new CircuitBreaker('ENFUCE', options),
    NOAH: new CircuitBreaker('NOAH', options),
    CARDLYTICS: new CircuitBreaker('CARDLYTICS', options),
    FLOLIVE: new CircuitBreaker('FLOLIVE', options),
    FIRSTVISION: new CircuitBreaker('FIRSTVISION', options),
  };
}
