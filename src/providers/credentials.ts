/** Shorter strings would redact ordinary words; every real credential is longer. */
const MIN_SECRET_LENGTH = 8;
const SECRET_KEY = /password|secret|token|key|^d$/i;

/**
 * The credential strings inside a provider's settings (passwords, API keys, client secrets,
 * tokens, private JWK members), for redactCredentials.
 */
export function credentialValues(settings: unknown, key = ''): string[] {
  if (typeof settings === 'string') return SECRET_KEY.test(key) && settings.length >= MIN_SECRET_LENGTH ? [settings] : [];
  if (Array.isArray(settings)) return settings.flatMap((entry) => credentialValues(entry, key));
  if (settings && typeof settings === 'object') {
    return Object.entries(settings).flatMap(([name, value]) => credentialValues(value, SECRET_KEY.test(key) ? key : name));
  }
  return [];
}

/**
 * Replaces every credential (and its base64 form) and every Basic/Bearer authorization value in
 * text a provider sent back or a transport error carries, so error messages, logs and the GraphQL
 * `error` fields never echo one.
 */
export function redactCredentials(text: string, secrets: readonly string[]): string {
  let redacted = text.replace(/\b(Basic|Bearer)\s+[\w+/=.~-]+/gi, '$1 [redacted]');
  for (const secret of secrets) {
    for (const form of [secret, Buffer.from(secret).toString('base64')]) redacted = redacted.split(form).join('[redacted]');
  }
  return redacted;
}
