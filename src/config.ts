import { z } from 'zod';
import { isPostgresUrl } from './db/url.js';
import { PROVIDER_NAMES } from './domain/enums.js';
import { faultConfigSchema } from './providers/sandbox-kit.js';

/** One provider's faults: the schema the runtime switch (PUT /sandbox/<provider>/_faults) uses too. */
const faultSchema = faultConfigSchema;

const json = (example: string) =>
  z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be JSON, e.g. ${example}` });
      return z.NEVER;
    }
  });

/** `{"NOAH":{"failureRate":0.3,"latencyMs":20,"latencyJitterMs":10,"kinds":["503","hangAfterWrite"],"seed":7}}` */
const sandboxFaults = json('{"NOAH":{"failureRate":0.3,"seed":7}}').pipe(z.partialRecord(z.enum(PROVIDER_NAMES), faultSchema));

/** `{"FIRSTVISION":{"maxBatchSize":25,"maxInFlight":4}}` */
const providerLimits = json('{"FIRSTVISION":{"maxInFlight":4}}').pipe(
  z.partialRecord(
    z.enum(PROVIDER_NAMES),
    z.strictObject({
      maxBatchSize: z.number().int().min(1).max(1000).optional(),
      maxInFlight: z.number().int().min(1).max(256).optional(),
    }),
  ),
);

const providerList = z
  .string()
  .transform((text) => text.split(',').map((name) => name.trim().toUpperCase()).filter(Boolean))
  .pipe(z.array(z.enum(PROVIDER_NAMES)).min(1));

const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'])
  .transform((value) => ['1', 'true', 'on', 'yes'].includes(value));

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .min(1)
    .default('file:./data/customer-graph.db')
    .refine((url) => url === ':memory:' || url.startsWith('file:') || isPostgresUrl(url), {
      message: 'must be ":memory:", "file:<path>" (SQLite) or "postgres://…" / "postgresql://…"',
    }),
  DEMO_DATA: booleanFlag.default(false),
  /** `sandbox`: providers are the built-in simulators, mounted at /sandbox/<provider>; `live`: PROVIDER_<NAME>_URL + credentials. */
  PROVIDER_MODE: z.enum(['sandbox', 'live']).default('sandbox'),
  /** Providers a mutation routes to when its input names none. */
  PROVIDERS_DEFAULT: providerList.default([...PROVIDER_NAMES]),
  /** Deadline for one provider call made while a mutation waits. */
  PROVIDER_DEADLINE_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  SANDBOX_FAULTS: sandboxFaults.default({}),
  /**
   * Sandbox mode: the simulators served by another process (`npm run sandbox`, e.g.
   * http://127.0.0.1:4010) instead of in this one; SANDBOX_DATA_DIR must then be that process's, so
   * credentials and keys match. Unset: the simulators run in-process, mounted at /sandbox/<provider>.
   */
  SANDBOX_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** With SANDBOX_URL: the directory holding the sandbox settings (default: the database's data directory). */
  SANDBOX_DATA_DIR: z.string().min(1).optional(),
  /** Provider reads per provider: keys per batch and calls in flight at once (default 50 and 8). */
  PROVIDER_LIMITS: providerLimits.default({}),
  /** A GraphQL request's deadline; provider reads still running then are aborted. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  /** How often the outbox worker looks for due rows; 0 turns the worker off. */
  OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(0).default(1_000),
  /** Attempts before a retryable failure is dead-lettered. */
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  /** First retry delay; doubles per attempt, with jitter, up to OUTBOX_BACKOFF_MAX_MS. */
  OUTBOX_BACKOFF_BASE_MS: z.coerce.number().int().min(1).default(1_000),
  OUTBOX_BACKOFF_MAX_MS: z.coerce.number().int().min(1).default(300_000),
  /** Consecutive provider outages that open its circuit. */
  CIRCUIT_FAILURE_THRESHOLD: z.coerce.number().int().min(1).default(5),
  /** How long an open circuit refuses calls before one probe. */
  CIRCUIT_OPEN_MS: z.coerce.number().int().min(1).default(30_000),
  /** How long an idempotency key and its stored payload are kept. */
  IDEMPOTENCY_TTL_HOURS: z.coerce.number().min(0.001).default(24),
  /** HS256 secret for tokens (local use); sandbox mode generates one into the data directory when unset. */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Production: verify tokens with this public key (PEM, SPKI) … */
  JWT_PUBLIC_KEY: z.string().min(1).optional(),
  JWT_PUBLIC_KEY_ALG: z.string().min(1).default('RS256'),
  /** … or with this JWKS endpoint. */
  JWKS_URL: z.url().optional(),
  JWT_AUDIENCE: z.string().min(1).default('customer-graph'),
  JWT_ISSUER: z.string().min(1).optional(),
  /** 64 bytes, base64: encrypts identity numbers at rest and keys their blind index; sandbox mode generates one into the data directory. */
  IDENTITY_ENCRYPTION_KEY: z.string().min(1).optional(),
  MAX_QUERY_DEPTH: z.coerce.number().int().min(1).default(12),
  MAX_QUERY_ALIASES: z.coerce.number().int().min(0).default(15),
  MAX_QUERY_TOKENS: z.coerce.number().int().min(10).default(5000),
  MAX_QUERY_COST: z.coerce.number().int().min(1).default(100_000),
  MAX_QUERY_DIRECTIVES: z.coerce.number().int().min(0).default(10),
  /** Largest request body; larger ones get 413. */
  MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(5 * 1024 * 1024),
  /** Introspection and "did you mean" suggestions: switch both off in production. */
  INTROSPECTION: booleanFlag.default(true),
  FIELD_SUGGESTIONS: booleanFlag.default(true),
  /** Requests must not be "simple" (send JSON or the x-graphql-csrf header). */
  CSRF_PREVENTION: booleanFlag.default(true),
  /** Path of a codegen persisted-documents manifest: only its operations are accepted. */
  TRUSTED_DOCUMENTS: z.string().min(1).optional(),
  /** How often IN_PROGRESS floLIVE links are checked in the background; 0 turns the poll off. */
  FLOLIVE_POLL_INTERVAL_MS: z.coerce.number().int().min(0).default(5_000),
  /** Milliseconds SQLite waits on a locked database before failing with SQLITE_BUSY. */
  SQLITE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).default(5000),
  /**
   * GraphiQL at /graphql: `bundled` serves its assets from this process (works without internet
   * access, ~9 MB page), `cdn` loads them from unpkg (small page, needs the browser to reach unpkg),
   * `off` disables it (production).
   */
  GRAPHIQL: z.enum(['bundled', 'cdn', 'off']).default('bundled'),
  /**
   * Per-request SQL loaders batch keys into one statement per relation. `off` exists only so the
   * benchmark can measure the N+1 cost of not batching; never switch it off in production.
   */
  DATALOADER_BATCHING: booleanFlag.default(true),
  /**
   * Queries run compiled by graphql-jit (src/compiled-execution.ts); `off` runs every
   * operation through graphql-js — the benchmark's before/after, and a fallback should a compiled
   * operation ever misbehave.
   */
  GRAPHQL_JIT: booleanFlag.default(true),
  /** pino's level for the JSON logs on stdout (src/logger.ts). */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Postgres: the most connections one instance's pool opens. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  /**
   * OpenTelemetry tracing (src/tracing.ts): `otlp` exports to OTEL_EXPORTER_OTLP_ENDPOINT, `console`
   * prints spans, `none` loads no SDK at all.
   */
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'console', 'none'], { error: 'must be otlp, console or none' }).default('none'),
  OTEL_SERVICE_NAME: z.string().trim().min(1, 'must not be empty').max(255).default('customer-graph'),
  /** Read by the OTLP exporter itself (with the other OTEL_EXPORTER_OTLP_* variables); checked here so a typo stops the start. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://collector:4318' }).optional(),
}).superRefine((config, context) => {
  // A Postgres database is shared by instances, and it has no data directory for generated keys:
  // keys one instance generated for itself would leave its rows unreadable to the others.
  if (!isPostgresUrl(config.DATABASE_URL)) return;
  if (!config.IDENTITY_ENCRYPTION_KEY) {
    context.addIssue({ code: 'custom', path: ['IDENTITY_ENCRYPTION_KEY'], message: 'is required with a Postgres DATABASE_URL (every instance must use the same key)' });
  }
  if (!config.JWT_SECRET && !config.JWT_PUBLIC_KEY && !config.JWKS_URL) {
    context.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'JWT_SECRET, JWT_PUBLIC_KEY or JWKS_URL is required with a Postgres DATABASE_URL (every instance must verify the same tokens)' });
  }
});

export type Config = z.infer<typeof configSchema>;

/**
 * Parses configuration from an environment map; throws one error naming every bad variable.
 * @example loadConfig({ PORT: '4001', DEMO_DATA: 'on' })
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return result.data;
}
