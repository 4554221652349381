import { keptSandboxSettings } from '../sandbox-kit.js';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ProviderError } from '../errors.js';
import type { AdapterDependencies, CallOptions, ProviderAdapter, ProviderModule, ProviderOutcome } from '../types.js';
import { createCardlyticsClient, settingsSchema, type CardlyticsSettings } from './client.js';
import { customerSchema, MAX_CUSTOMERS_PER_CALL, type CardlyticsCustomer } from './contract.js';
import { mapCustomer } from './mapper.js';
import { optionsSchema, type CardlyticsOptions } from './options.js';
import { createCardlyticsSandbox } from './sandbox.js';

export { ALERT_OPT_IN_STATUSES, ENROLLMENT_OPT_IN_STATUSES, TARGETING_INDICATORS } from './contract.js';
export type { CardlyticsCustomer } from './contract.js';
export type { CardlyticsOptions } from './options.js';
export type { CardlyticsSettings } from './client.js';

/** The Cardlytics adapter, plus the natural-key lookup later reconciliation needs. */
export interface CardlyticsAdapter extends ProviderAdapter<CardlyticsOptions, CardlyticsCustomer, never> {
  /** Takes one customer as mapCreate made it (the outbox hands it back as JSON, so it is checked). */
  readonly reconcile: (request: unknown, call: CallOptions) => Promise<ProviderOutcome | null>;
  /** The customer Cardlytics holds under our customer id, or null (simulator only; throws ProviderError). */
  findCustomer(sourceCustomerId: string, call: CallOptions): Promise<CardlyticsCustomer | null>;
}

/**
 * Maps canonical customers to Cardlytics customers and sends them. There is no update: the path of
 * Cardlytics's update-customers API is not published (UNKNOWN). The simulator replaces a customer
 * whose create is re-sent under the same sourceCustomerId; whether Cardlytics does is UNKNOWN.
 * @example const adapter = createCardlyticsAdapter({ baseUrl, http, settings });
 */
export function createCardlyticsAdapter(deps: AdapterDependencies<CardlyticsSettings>): CardlyticsAdapter {
  const client = createCardlyticsClient(deps);
  const defaults = { organizationId: deps.settings.organizationId, portfolioId: deps.settings.defaultPortfolioId };
  return {
    name: 'CARDLYTICS',
    maxBatchSize: MAX_CUSTOMERS_PER_CALL,
    mapCreate: (routing) => mapCustomer(routing, defaults),
    mapUpdate: null,
    create: (requests, call) => client.createCustomers(requests, call),
    update: null,
    /**
     * One customer at a time, even though creates go in batches: what the outbox keeps per customer
     * is that customer's own mapped request. sourceCustomerId is our id, so a customer stored under
     * it is ours. Only a 404 ResourceNotFoundException means "not stored": the lookup is the
     * simulator's (Cardlytics publishes none), and live any other answer, a missing route's 404
     * included, throws, so nothing is re-sent on a guess.
     */
    async reconcile(request, call) {
      const parsed = customerSchema.safeParse(request);
      if (!parsed.success) return malformed(parsed.error);
      const found = await client.findCustomer(parsed.data.sourceCustomerId, call);
      // The create's requestId was a trace id of the lost answer; the lookup has none to give.
      return found ? { status: 'SYNCED', externalId: found.sourceCustomerId, requestId: null, error: null } : null;
    },
    findCustomer: (sourceCustomerId, call) => client.findCustomer(sourceCustomerId, call),
  };
}

/**
 * A request that is not one Cardlytics customer is our defect, not Cardlytics's: FAILED without
 * retry, and Cardlytics is not called (it would refuse it with a ValidationException).
 */
function malformed(error: z.ZodError): ProviderOutcome {
  const failure = new ProviderError('CARDLYTICS', 'PROVIDER_REJECTED', `not a Cardlytics customer: ${z.prettifyError(error)}`, {
    retryable: false,
    cause: error,
  });
  return { status: 'FAILED', externalId: null, requestId: null, error: failure };
}

const ENV = {
  url: 'PROVIDER_CARDLYTICS_URL',
  institutionId: 'PROVIDER_CARDLYTICS_INSTITUTION_ID',
  organizationId: 'PROVIDER_CARDLYTICS_ORGANIZATION_ID',
  sessionSourceCustomerId: 'PROVIDER_CARDLYTICS_SESSION_SOURCE_CUSTOMER_ID',
  portfolioId: 'PROVIDER_CARDLYTICS_PORTFOLIO_ID',
} as const;

// UNKNOWN: which sourceCustomerId an institution-scope session names; Cardlytics's rewards platform
// documents `no-user-available` for sessions without an end user, so that is the default.
const NO_USER = 'no-user-available';

const blankIsAbsent = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const variable = z.preprocess(blankIsAbsent, z.string().trim());
const optionalVariable = z.preprocess(blankIsAbsent, z.string().trim().optional());

const envSchema = z.object({
  [ENV.url]: z.preprocess(blankIsAbsent, z.url()),
  [ENV.institutionId]: variable,
  [ENV.organizationId]: variable,
  [ENV.sessionSourceCustomerId]: optionalVariable,
  [ENV.portfolioId]: optionalVariable,
});

function settingsFromEnv(env: Record<string, string | undefined>): CardlyticsSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return issue.code === 'invalid_type' && issue.input === undefined ? `${name} is missing` : `${name} ${issue.message}`;
    });
    throw new Error(`Cardlytics live mode: ${problems.join('; ')}`);
  }
  const values = parsed.data;
  return {
    institutionId: values[ENV.institutionId],
    organizationId: values[ENV.organizationId],
    sessionSourceCustomerId: values[ENV.sessionSourceCustomerId] ?? NO_USER,
    defaultPortfolioId: values[ENV.portfolioId] ?? null,
  };
}

const SANDBOX_SETTINGS_FILE = 'sandbox-cardlytics-settings.json';

/** A generated institution id (the stand-in for the mTLS client identity), kept in dataDir. */
async function sandboxSettings(dataDir: string | null): Promise<CardlyticsSettings> {
  return keptSandboxSettings({
    provider: 'CARDLYTICS',
    dataDir,
    file: SANDBOX_SETTINGS_FILE,
    schema: settingsSchema,
    generate: (): CardlyticsSettings => ({
      institutionId: randomUUID(),
      organizationId: 'sandbox-organization',
      sessionSourceCustomerId: NO_USER,
      defaultPortfolioId: 'sandbox-portfolio',
    }),
  });
}

export const cardlyticsProvider: ProviderModule<CardlyticsOptions, CardlyticsSettings> = {
  name: 'CARDLYTICS',
  optionsSchema,
  // The registry holds every provider's adapter as ProviderAdapter<Options>; the domain only hands
  // create requests back that this adapter's own mapper produced.
  createAdapter: (deps) => createCardlyticsAdapter(deps) as unknown as ProviderAdapter<CardlyticsOptions>,
  createSandbox: createCardlyticsSandbox,
  settingsFromEnv,
  sandboxSettings,
};
