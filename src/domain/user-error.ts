import type { z } from 'zod';
import type { ProviderName } from './enums.js';

/** Closed set of `UserError.code` values: what a client can switch on. */
export const USER_ERROR_CODES = [
  'REQUIRED',
  'INVALID',
  'INVALID_FORMAT',
  'TOO_LONG',
  'TOO_SHORT',
  'TOO_MANY',
  'UNSUPPORTED',
  'NOT_FOUND',
  'TAKEN',
  'IDEMPOTENCY_KEY_REUSED',
] as const;
export type UserErrorCode = (typeof USER_ERROR_CODES)[number];

export type InputPath = readonly (string | number)[];

/**
 * A problem with the caller's input: `field` is the path in the caller's terms (never a provider's
 * field name), `provider` is set when the rule is that provider's.
 */
export interface UserError {
  field: InputPath;
  message: string;
  code: UserErrorCode;
  provider?: ProviderName;
}

/**
 * zod issues → user errors under `prefix`. A rule can choose its code with
 * `ctx.addIssue({ code: 'custom', params: { code: 'TAKEN' } })`.
 * @example zodIssuesToUserErrors(result.error.issues, ['input', 'customer'])
 */
export function zodIssuesToUserErrors(issues: readonly z.core.$ZodIssue[], prefix: InputPath): UserError[] {
  return issues.map((issue) => ({
    field: [...prefix, ...issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment))],
    message: issue.message,
    code: userErrorCodeOf(issue),
  }));
}

export function userErrorCodeOf(issue: z.core.$ZodIssue): UserErrorCode {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined || issue.input === null ? 'REQUIRED' : 'INVALID';
    case 'too_big':
      return issue.origin === 'array' || issue.origin === 'set' ? 'TOO_MANY' : 'TOO_LONG';
    case 'too_small':
      return issue.origin === 'string' && issue.minimum === 1 && issue.input === '' ? 'REQUIRED' : 'TOO_SHORT';
    case 'invalid_format':
      return 'INVALID_FORMAT';
    case 'invalid_value':
      return 'UNSUPPORTED';
    case 'custom': {
      const code = (issue.params as { code?: unknown } | undefined)?.code;
      return typeof code === 'string' && (USER_ERROR_CODES as readonly string[]).includes(code)
        ? (code as UserErrorCode)
        : 'INVALID';
    }
    default:
      return 'INVALID';
  }
}
