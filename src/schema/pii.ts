import type { Context } from '../context.js';

/**
 * PII without the scope pii:read: identity numbers and emails keep their last 4 characters; dates of
 * birth and phone numbers, whose GraphQL types a mask would break (Date, PhoneNumber), are null.
 * `Customer.piiMasked` tells a client which of the two it is looking at.
 */
export function canReadPii(context: Context): boolean {
  return context.viewer.scopes.includes('pii:read');
}

/** "•••••23A": the last 4 characters, the rest replaced. */
export function maskText(value: string | null | undefined): string | null {
  if (value == null) return null;
  return value.length <= 4 ? '•'.repeat(value.length) : `${'•'.repeat(value.length - 4)}${value.slice(-4)}`;
}

/** "*************@xxxxxxx.com": stars for the local part, x for all of the domain but its last 4 characters — still a valid address. */
export function maskEmail(value: string | null | undefined): string | null {
  if (value == null) return null;
  const at = value.lastIndexOf('@');
  const domain = value.slice(at + 1);
  return `${'*'.repeat(Math.max(1, at))}@${'x'.repeat(Math.max(0, domain.length - 4))}${domain.slice(-4)}`;
}

/** The value when the viewer may read PII, else what `mask` makes of it. */
export function pii<T, M>(context: Context, value: T, mask: (value: T) => M): T | M {
  return canReadPii(context) ? value : mask(value);
}
