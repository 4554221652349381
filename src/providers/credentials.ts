/** Shorter strings would redact ordinary words; every real credential is longer. */
const MIN_SECRET_LENGTH = 8;
const SECRET_KEY = /password|secret|token|key|^d$/i;

/**
 * The credential strings inside a provider's settings (passwords, API keys, client secrets,
 * tokens, private JWK members), for credentialRedactor.
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
 * A function that replaces every credential (and its base64 form) and every Basic/Bearer
 * authorization value in text a provider sent back or a transport error carries, so error
 * messages, logs and the GraphQL `error` fields never echo one. Built once per provider: one
 * precompiled pattern runs per answer.
 * @example const redact = credentialRedactor(['pa55word-long']); redact('bad key pa55word-long'); // 'bad key [redacted]'
 */
export function credentialRedactor(secrets: readonly string[]): (text: string) => string {
  const forms = secrets.flatMap((secret) => [secret, Buffer.from(secret).toString('base64')]);
  const pattern = new RegExp(
    [String.raw`\b(Basic|Bearer)\s+[\w+/=.~-]+`, ...forms.map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))].join('|'),
    'gi',
  );
  return (text) => text.replace(pattern, (_match, scheme: string | undefined) => (scheme ? `${scheme} [redacted]` : '[redacted]'));
}
