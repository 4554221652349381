import { GraphQLError } from 'graphql';

/**
 * Codes carried in `extensions.code` of every deliberate GraphQL error. Anything thrown without one
 * is a bug: yoga masks it as "Unexpected error." and logs the original.
 */
export const ErrorCode = {
  /** An argument is well-typed but not acceptable (out of range, malformed). */
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  /** A global ID could not be decoded. Unknown-but-well-formed IDs resolve to null instead. */
  INVALID_ID: 'INVALID_ID',
  /** A federation entity key names more than one object the viewer sees (an account number used in two of its organizations). */
  AMBIGUOUS_KEY: 'AMBIGUOUS_KEY',
  /** The ID names nothing the viewer may see: missing, or another tenant's (the two are not told apart). */
  NOT_FOUND: 'NOT_FOUND',
  /** A pagination cursor was not issued by this server for this connection. */
  INVALID_CURSOR: 'INVALID_CURSOR',
  /** Another request with the same idempotency key is still running: retry shortly (extensions.retryable). */
  IDEMPOTENCY_KEY_IN_USE: 'IDEMPOTENCY_KEY_IN_USE',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * A client-facing error with a stable code and, for argument problems, the argument path.
 * @example throw new AppError(ErrorCode.BAD_USER_INPUT, 'first must be at most 100', { argument: ['first'] });
 */
export class AppError extends GraphQLError {
  readonly code: ErrorCode;

  // No originalError: yoga masks a GraphQL error that wraps a non-GraphQL one, and these are deliberate.
  constructor(code: ErrorCode, message: string, options: { argument?: readonly string[]; retryable?: boolean } = {}) {
    super(message, {
      extensions: {
        code,
        ...(options.argument ? { argument: options.argument } : {}),
        ...(options.retryable === undefined ? {} : { retryable: options.retryable }),
      },
    });
    this.code = code;
  }
}
