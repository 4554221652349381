export const SCOPES = ['customers:read', 'customers:write', 'pii:read', 'audit:read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** The scopes a viewer holds: `admin` holds them all. */
export function effectiveScopes(granted: readonly string[]): Scope[] {
  const known = granted.filter((scope): scope is Scope => (SCOPES as readonly string[]).includes(scope));
  return known.includes('admin') ? [...SCOPES] : [...new Set(known)];
}
