import pino, { type DestinationStream, type Logger } from 'pino';
import type { YogaLogger } from 'graphql-yoga';
import { correlationOfError } from './correlation.js';

/**
 * Structured logs (pino) that never carry PII or secrets:
 * - keys known to hold them are redacted wherever they appear (authorization, tokens, passwords,
 *   keys, secrets, identity numbers, emails, phones, dates of birth);
 * - every string is scrubbed, because errors carry text: drizzle's query errors list their bound
 *   parameters (`params: …` is cut), and emails, phone numbers, long digit runs and bearer tokens
 *   are masked wherever they occur;
 * - a provider call's line carries the `requestId` (and `origin`) of the request or background round
 *   it was made for (src/provider-call-observer.ts), and so does an error's line when the error was
 *   noted leaving a request (yoga's masked errors, src/request-id.ts).
 * @example const logger = createLogger({ level: 'info' }); logger.error({ err }, 'outbox round failed');
 */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      formatters: { log: (object) => scrub(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg)) as Parameters<typeof method>);
        },
      },
      serializers: { err: serializeError },
    },
    options.destination,
  );
}

/**
 * An error as logged: its type, scrubbed message and stack, and what it wraps (a GraphQL error's
 * originalError, an error's cause — on Postgres, drizzle's "Failed query" carries the driver's reason
 * there), a few levels deep.
 */
function serializeError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: scrubText(String(error)) };
  const inner = (error as { originalError?: unknown }).originalError ?? error.cause;
  return {
    type: error.name,
    message: scrubText(error.message),
    stack: scrubText(error.stack ?? ''),
    ...(inner !== undefined && inner !== null && inner !== error && depth < 3 ? { cause: serializeError(inner, depth + 1) } : {}),
  };
}

const REDACTED_KEYS = [
  'authorization',
  'Authorization',
  'token',
  'accessToken',
  'password',
  'secret',
  'clientSecret',
  'apiKey',
  'signingKey',
  'number',
  'email',
  'phone',
  'mobile',
  'landline',
  'dateOfBirth',
];

const UUID_OR_LONG_NUMBER = /\b([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\b|\b[A-Z]{0,3}\d{6,}[A-Z]?\b/g;

const REDACTED = new Set(REDACTED_KEYS);

/** Masks PII and secrets inside free text. */
export function scrubText(text: string): string {
  return text
    .replace(/params: .*/g, 'params: [redacted]')
    .replace(/Bearer\s+[\w.~+/=-]+/gi, 'Bearer [redacted]')
    .replace(/[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(\.[\w-]+)+/g, '[email]')
    .replace(/\+\d[\d\s-]{6,}\d/g, '[phone]')
    // a UUID (request ids, row ids) is left whole: its first group may be eight digits
    .replace(UUID_OR_LONG_NUMBER, (match, uuid: string | undefined) => (uuid ? match : '[number]'))
    .replace(/\b\d{6}-\d{3}[A-Z0-9]\b/g, '[number]');
}

/**
 * Every string scrubbed and every value under a REDACTED_KEYS key censored, at any depth, in one
 * walk. (pino's own `redact` with `*.*.key` wildcards cost ~70 µs a line — most of a line's cost
 * once every provider call is a line.)
 */
function scrub(value: unknown): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object' && !(value instanceof Error)) {
    const scrubbed: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const entry = (value as Record<string, unknown>)[key];
      scrubbed[key] = REDACTED.has(key) && entry !== undefined && entry !== null ? '[redacted]' : scrub(entry);
    }
    return scrubbed;
  }
  return value;
}

/** Yoga's logger over pino: what yoga logs (masked errors with their original) goes through the scrubbing. */
export function yogaLogger(logger: Logger): YogaLogger {
  const forward = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    const error = args.find((arg): arg is Error => arg instanceof Error);
    const text = args.filter((arg) => !(arg instanceof Error)).map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ');
    const correlation = error && correlationOfError(error);
    const named = correlation ? { requestId: correlation.id, origin: correlation.origin } : {};
    if (error) logger[level]({ err: error, ...named }, text || error.message);
    else logger[level](text);
  };
  return { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };
}
