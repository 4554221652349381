import type { z } from 'zod';
import type { Correlation } from '../correlation.js';
import type { CanonicalCustomer } from '../domain/canonical-customer.js';
import type { ProviderName } from '../domain/enums.js';
import type { UserError } from '../domain/user-error.js';
import type { ProviderError } from './errors.js';
import type { ProviderHttp } from './http.js';

/**
 * Everything a mapper needs to turn one canonical customer into a provider request. Pure data:
 * mappers do no I/O.
 */
export interface CustomerRouting<Options = unknown> {
  /** Our id for the customer (a UUID): NOAH CustomerID, Cardlytics sourceCustomerId. */
  customerId: string;
  /** Final customer number (given by the caller or generated: 19 digits). */
  customerNumber: string;
  customer: CanonicalCustomer;
  /** Our ids of `customer.accounts`, same order (Cardlytics sourceAccountId). */
  accountIds: readonly string[];
  /** The parent customer, with its id at this provider when it has been synced there. */
  parent: { customerId: string; customerNumber: string; externalId: string | null } | null;
  /** This customer's id at this provider (updates), when known. */
  externalId: string | null;
  /** providerOptions.<provider>, validated by the module's optionsSchema (defaults applied). */
  options: Options;
  /** Who is acting (Enfuce auditUser); null when unauthenticated. */
  auditUser: string | null;
  /** When the customer was created with us. */
  createdAt: Date;
}

/**
 * A mapped request, or every reason it cannot be made. Errors' `field` is relative to one mutation
 * item (starts with 'customer' or 'providerOptions'), and `provider` is set.
 */
export type Mapped<Request> =
  | { ok: true; request: Request; /** what the provider cannot represent and was left out, in words */ omitted: string[] }
  | { ok: false; errors: UserError[] };

export interface ProviderOutcome {
  status: 'SYNCED' | 'IN_PROGRESS' | 'FAILED';
  externalId: string | null;
  requestId: string | null;
  error: ProviderError | null;
}

export interface CallOptions {
  /** Aborts at the request's deadline. */
  signal: AbortSignal;
  /** The request or background round the call is made for: its provider-call log lines and metrics name it (src/correlation.ts). */
  correlation?: Correlation | undefined;
}

/** The one surface every provider presents to the domain; each `src/providers/<p>/index.ts` builds one. */
export interface ProviderAdapter<Options = unknown, CreateRequest = unknown, UpdateRequest = unknown> {
  readonly name: ProviderName;
  /** Customers one create call may carry (Cardlytics 50; others 1). */
  readonly maxBatchSize: number;
  mapCreate(routing: CustomerRouting<Options>): Mapped<CreateRequest>;
  /** null when the provider has no update in scope. */
  readonly mapUpdate: ((routing: CustomerRouting<Options>) => Mapped<UpdateRequest>) | null;
  /** Sends mapped creates (at most maxBatchSize); one outcome per request, in order. Never throws for provider failures. */
  create(requests: readonly CreateRequest[], call: CallOptions): Promise<ProviderOutcome[]>;
  readonly update: ((request: UpdateRequest, call: CallOptions) => Promise<ProviderOutcome>) | null;
  /**
   * Before a create whose outcome is unknown (timeout, connection cut after send, a crash while in
   * flight) is sent again: asks the provider, by its natural key, whether it already has the
   * customer. An outcome (SYNCED with externalId, or IN_PROGRESS / FAILED where the provider says so)
   * when it does; null when it certainly does not (safe to send). Throws a ProviderError when the
   * provider cannot be asked — then nothing may be sent.
   */
  reconcile(request: CreateRequest, call: CallOptions): Promise<ProviderOutcome | null>;
}

/** A simulator of one provider's API. */
export interface Sandbox {
  readonly name: ProviderName;
  /**
   * Answers a request as the provider would. `path` is the path below the provider's root (e.g.
   * `/v1/customers/abc`); `request.url` is the full URL as sent (signatures may cover it).
   */
  handle(request: Request, path: string): Promise<Response>;
  /** Stored records and received-request counts: GET /sandbox/<provider>/_state. */
  state(): SandboxState;
  /** The faults injected now, null when none: GET /sandbox/<provider>/_faults. */
  faults(): FaultConfig | null;
  /**
   * Replaces the injected faults (null clears them) and restarts their seeded sequence, so a run
   * after a switch repeats: PUT and DELETE /sandbox/<provider>/_faults.
   */
  setFaults(config: FaultConfig | null): void;
  close(): void;
}

export interface SandboxState {
  provider: ProviderName;
  records: Record<string, unknown[]>;
  requests: { total: number; byRoute: Record<string, number> };
}

export interface AdapterDependencies<Settings> {
  /** The provider's API root, e.g. `https://api.noah.com` or `http://127.0.0.1:4000/sandbox/noah`. */
  baseUrl: string;
  http: ProviderHttp;
  settings: Settings;
  now?: () => Date;
}

export interface SandboxDependencies<Settings> {
  /** SQLite file for the simulator's state (`:memory:` in tests). */
  file: string;
  /** The settings the adapter uses: the simulator checks the same credentials and keys. */
  settings: Settings;
  faults?: FaultConfig;
  now?: () => Date;
  /** How latency faults wait; tests inject an immediate one. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * What a failing simulator request gets. '500' and '503' are the provider's own error envelope (503
 * with Retry-After); 'hang' never answers and 'reset' cuts the connection, both without acting on the
 * request, while 'hangAfterWrite' and 'resetAfterWrite' act on it first, so the caller cannot know the
 * outcome; 'malformed' is a 200 whose body is not JSON; 'nak' is floLIVE's transient NAK (GLOBAL_1001)
 * and 'envelope' FirstVision's 200 with `hasError: true` — other providers answer those two as '500'.
 */
export type FaultKind = '500' | '503' | 'hang' | 'hangAfterWrite' | 'reset' | 'resetAfterWrite' | 'malformed' | 'nak' | 'envelope';

export interface FaultConfig {
  /** PRNG seed: the same seed and the same request sequence give the same latencies and faults. */
  seed?: number;
  /** Added before every answer. */
  latencyMs?: number;
  /** A uniform extra 0..latencyJitterMs ms on top of latencyMs, drawn from the seed. */
  latencyJitterMs?: number;
  /** Share of requests that fail, 0–1. */
  failureRate?: number;
  /**
   * The failures a failing request gets, one picked per request from the seed. Default: the
   * simulator's usual failure, ['500'] (Enfuce and floLIVE: ['503'], what they have always answered).
   */
  kinds?: FaultKind[];
  /** Retry-After of a '503', in seconds; default 1. */
  retryAfterSeconds?: number;
}

/** What `src/providers/<p>/index.ts` exports. */
export interface ProviderModule<Options = any, Settings = any> {
  readonly name: ProviderName;
  /** Validates providerOptions.<provider> (issue paths relative to it) and applies defaults. */
  readonly optionsSchema: z.ZodType<Options, any>;
  createAdapter(dependencies: AdapterDependencies<Settings>): ProviderAdapter<Options>;
  createSandbox(dependencies: SandboxDependencies<Settings>): Sandbox;
  /** Live mode: credentials and defaults from PROVIDER_<NAME>_* variables; throws naming what is missing. */
  settingsFromEnv(env: Record<string, string | undefined>): Settings;
  /** Sandbox mode: working credentials, generated and kept in `dataDir` (null: in memory, for tests). */
  sandboxSettings(dataDir: string | null): Promise<Settings>;
}
