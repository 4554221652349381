import { keptSandboxSettings } from '../sandbox-kit.js';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ProviderError } from '../errors.js';
import type {
  AdapterDependencies,
  CallOptions,
  CustomerRouting,
  Mapped,
  ProviderAdapter,
  ProviderModule,
  ProviderOutcome,
} from '../types.js';
import { createEnfuceClient, type EnfuceSettings } from './client.js';
import { enfuceCustomerId, enfucePrivateCustomer } from './contract.js';
import { mapCreate, mapUpdate, type EnfuceCreateRequest, type EnfuceUpdateRequest } from './mapper.js';
import { optionsSchema, type EnfuceOptions } from './options.js';
import { createEnfuceSandbox } from './sandbox.js';

export type { EnfuceSettings } from './client.js';
export type { EnfuceOptions } from './options.js';
export type { EnfuceCreateRequest, EnfuceUpdateRequest } from './mapper.js';

/**
 * Enfuce's adapter, plus the natural-key lookup reconciliation uses. `update` takes `unknown`
 * because requests come back from the outbox as JSON; it checks their shape itself.
 */
export interface EnfuceAdapter extends ProviderAdapter<EnfuceOptions, EnfuceCreateRequest, EnfuceUpdateRequest> {
  readonly mapUpdate: (routing: CustomerRouting<EnfuceOptions>) => Mapped<EnfuceUpdateRequest>;
  readonly update: (request: unknown, call: CallOptions) => Promise<ProviderOutcome>;
  readonly reconcile: (request: unknown, call: CallOptions) => Promise<ProviderOutcome | null>;
  /** The Enfuce id of the customer with this regNo, null when none; throws ProviderError on failure. */
  findCustomerIdByRegNo(regNo: string, call: CallOptions): Promise<string | null>;
}

/** The module, typed so that callers who import it directly get the Enfuce adapter's extra lookup. */
export interface EnfuceProviderModule extends ProviderModule<EnfuceOptions, EnfuceSettings> {
  createAdapter(dependencies: AdapterDependencies<EnfuceSettings>): EnfuceAdapter;
}

const DEFAULT_AUDIT_USER = 'customer-graph';
const SANDBOX_USERNAME = 'customer-graph-sandbox';
const CREDENTIALS_FILE = 'sandbox-enfuce-settings.json';

/**
 * Requests reach the adapter back from the outbox as JSON, so their shape is checked before use.
 * A mismatch is our own defect, not Enfuce's: it fails without retry and Enfuce is not called.
 */
const createCall = z.object({ auditUser: z.string(), body: enfucePrivateCustomer });
const updateCall = createCall.extend({ id: enfuceCustomerId });

function malformed(operation: string, error: z.ZodError): ProviderOutcome {
  const failure = new ProviderError('ENFUCE', 'PROVIDER_REJECTED', `not an Enfuce ${operation} request: ${z.prettifyError(error)}`, {
    retryable: false,
    cause: error,
  });
  return { status: 'FAILED', externalId: null, requestId: null, error: failure };
}

/**
 * The Enfuce adapter: one private customer per create call, updates by Enfuce id.
 * @example const adapter = createEnfuceAdapter({ baseUrl, http, settings }); await adapter.create([request], { signal });
 */
export function createEnfuceAdapter(deps: AdapterDependencies<EnfuceSettings>): EnfuceAdapter {
  const client = createEnfuceClient(deps);
  const { defaultAuditUser } = deps.settings;
  return {
    name: 'ENFUCE',
    maxBatchSize: 1,
    mapCreate: (routing) => mapCreate(routing, defaultAuditUser),
    mapUpdate: (routing) => mapUpdate(routing, defaultAuditUser),
    async create(requests, call) {
      const outcomes: ProviderOutcome[] = [];
      for (const request of requests) {
        const parsed = createCall.safeParse(request);
        outcomes.push(parsed.success ? await client.create(parsed.data, call) : malformed('create', parsed.error));
      }
      return outcomes;
    },
    async update(request, call) {
      const parsed = updateCall.safeParse(request);
      return parsed.success ? client.update(parsed.data, call) : malformed('update', parsed.error);
    },
    async reconcile(request, call) {
      const parsed = createCall.safeParse(request);
      if (!parsed.success) return malformed('create', parsed.error);
      const id = await client.findCustomerIdByRegNo(parsed.data.body.regNo, call);
      // see the rule below: the customer found by regNo is the person we sent
      return id === null ? null : { status: 'SYNCED', externalId: id, requestId: null, error: null };
    },
    findCustomerIdByRegNo: (regNo, call) => client.findCustomerIdByRegNo(regNo, call),
  };
}

/*
 * Reconciliation rule. Enfuce's only natural-key read is regNo → id. A regNo is a person's national
 * id, SSN or tax id, so a customer Enfuce holds under it is taken to be the person whose create was
 * lost: it is claimed (SYNCED with Enfuce's id) rather than created a second time. The assumption is
 * that Enfuce holds one private customer per regNo for this programme — Enfuce itself does not
 * validate regNo, and no published read shows which customerNumber an id carries, so the claim
 * cannot be verified further. Only "no customer has this regNo" (404) means safe to send: null.
 */

const envSchema = z.object({
  PROVIDER_ENFUCE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL ending in /customer' }),
  PROVIDER_ENFUCE_USERNAME: z
    .string()
    .min(1)
    .refine((value) => !value.includes(':'), 'must not contain ":" (HTTP Basic user-id)'),
  PROVIDER_ENFUCE_PASSWORD: z.string().min(1),
  PROVIDER_ENFUCE_AUDIT_USER: z.string().trim().min(1).max(255).default(DEFAULT_AUDIT_USER),
});

/** Live settings; throws one Error naming every missing or invalid PROVIDER_ENFUCE_* variable. */
function settingsFromEnv(env: Record<string, string | undefined>): EnfuceSettings {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.input === undefined ? 'is not set' : issue.message}`,
    );
    throw new Error(`Enfuce live mode: ${problems.join('; ')}`);
  }
  return {
    username: result.data.PROVIDER_ENFUCE_USERNAME,
    password: result.data.PROVIDER_ENFUCE_PASSWORD,
    defaultAuditUser: result.data.PROVIDER_ENFUCE_AUDIT_USER,
  };
}

const storedCredentials = z.object({ username: z.string().min(1), password: z.string().min(16) });

/** Sandbox API user: a generated password, kept in `dataDir` so simulator and adapter agree after restarts. */
async function sandboxSettings(dataDir: string | null): Promise<EnfuceSettings> {
  const credentials = await keptSandboxSettings({
    provider: 'ENFUCE',
    dataDir,
    file: CREDENTIALS_FILE,
    schema: storedCredentials,
    generate: () => ({ username: SANDBOX_USERNAME, password: randomBytes(24).toString('base64url') }),
  });
  return { ...credentials, defaultAuditUser: DEFAULT_AUDIT_USER };
}

/**
 * Enfuce card issuing: create and update private customers (`POST /v3/PRIVATE`,
 * `PUT /v3/PRIVATE/{id}`), and the regNo → id lookup for reconciliation.
 * @example const adapter = enfuceProvider.createAdapter({ baseUrl, http, settings: await enfuceProvider.sandboxSettings(null) });
 */
export const enfuceProvider: EnfuceProviderModule = {
  name: 'ENFUCE',
  optionsSchema,
  createAdapter: createEnfuceAdapter,
  createSandbox: createEnfuceSandbox,
  settingsFromEnv,
  sandboxSettings,
};
