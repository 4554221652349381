import type { ProviderName } from '../domain/enums.js';

/** Why a provider call failed, as a client can act on it. */
export const PROVIDER_ERROR_CODES = [
  /** The provider refused the request on its merits (4xx business or validation rejection). Never retried. */
  'PROVIDER_REJECTED',
  /** Credentials, token or signature refused (401/403). Not retried until configuration changes. */
  'PROVIDER_AUTH_FAILED',
  /** 5xx, 429, connection refused/reset: the outcome is a failure, retry is safe. */
  'PROVIDER_UNAVAILABLE',
  /** No answer before the deadline: the provider may or may not have acted. */
  'PROVIDER_TIMEOUT',
  /** An answer that breaks the provider's own contract (bad JSON, unexpected shape). */
  'PROVIDER_BAD_RESPONSE',
] as const;
export type ProviderErrorCode = (typeof PROVIDER_ERROR_CODES)[number];

/**
 * A failed provider call. `retryable` says whether sending the same request again is safe and may
 * succeed; `status` is the HTTP status when there was one; `providerCode` is the provider's own code.
 * @example throw new ProviderError('NOAH', 'PROVIDER_REJECTED', 'InvalidMessage: FullName.FirstName too long', { status: 400 });
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly providerCode: string | undefined;
  /** Seconds the provider asked us to wait (Retry-After), when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly provider: ProviderName,
    readonly code: ProviderErrorCode,
    message: string,
    options: { status?: number; providerCode?: string; retryAfterSeconds?: number; cause?: unknown; retryable?: boolean } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.providerCode = options.providerCode;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.retryable =
      options.retryable ?? (code === 'PROVIDER_UNAVAILABLE' || code === 'PROVIDER_TIMEOUT');
  }

  /** One line for the provider link's `error` column and the GraphQL `error` field. */
  summary(): string {
    const parts = [this.code, this.status === undefined ? undefined : `HTTP ${this.status}`, this.providerCode];
    return `${parts.filter(Boolean).join(' ')}: ${this.message}`;
  }
}

/**
 * The error code for an HTTP status when the provider's envelope says nothing more specific.
 * 429 is unavailable (retry later), other 4xx are rejections.
 */
export function providerErrorCodeForStatus(status: number): ProviderErrorCode {
  if (status === 401 || status === 403) return 'PROVIDER_AUTH_FAILED';
  if (status === 408 || status === 429 || status >= 500) return 'PROVIDER_UNAVAILABLE';
  return 'PROVIDER_REJECTED';
}
