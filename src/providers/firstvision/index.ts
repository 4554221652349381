import { keptSandboxSettings } from '../sandbox-kit.js';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ProviderError } from '../errors.js';
import type { AdapterDependencies, ProviderAdapter, ProviderModule, ProviderOutcome } from '../types.js';
import { createFirstvisionClient, firstvisionSettingsSchema, type FirstvisionSettings } from './client.js';
import { addCustomerRequest, type AddCustomerRequest, type UpdateCustomerRequest } from './contract.js';
import { mapAddCustomer, mapUpdateCustomer } from './mapper.js';
import { optionsSchema, type FirstvisionOptions } from './options.js';
import type { FirstvisionReader } from './read-model.js';
import { createFirstvisionSandbox } from './sandbox.js';

export type { FirstvisionClient } from './client.js';
export { CONTACT_FLAGS, type ContactFlag, type FirstvisionOptions } from './options.js';
export type {
  FirstvisionAccount,
  FirstvisionAddress,
  FirstvisionCard,
  FirstvisionCustomerRef,
  FirstvisionDemographics,
  FirstvisionLookupCriteria,
  FirstvisionLookupMatch,
  FirstvisionMatchMode,
  FirstvisionReader,
} from './read-model.js';
export type { FirstvisionSettings };

/** The shared adapter surface plus FirstVision's read side (accounts, cards, lookup …). */
export interface FirstvisionAdapter<CreateRequest = unknown, UpdateRequest = unknown>
  extends ProviderAdapter<FirstvisionOptions, CreateRequest, UpdateRequest>,
    FirstvisionReader {
  /** The configured organization and logo: what a customer without its own options is kept under. */
  readonly defaults: { organizationNumber: number; logo: number | null };
}

/** The module, with createAdapter typed to the FirstVision adapter so callers reach the read side. */
export interface FirstvisionModule extends ProviderModule<FirstvisionOptions, FirstvisionSettings> {
  createAdapter(dependencies: AdapterDependencies<FirstvisionSettings>): FirstvisionAdapter;
}

/**
 * The FirstVision adapter: customer add (`POST /customer/`) and update (`PUT /customer/`), one
 * customer per call, and the read side (FirstvisionReader) over the same authenticated client.
 * @example const adapter = createFirstvisionAdapter({ baseUrl, http, settings });
 *          const { accounts } = await adapter.accountNumbers({ organizationNumber: 970, customerNumber }, { signal });
 */
export function createFirstvisionAdapter(
  deps: AdapterDependencies<FirstvisionSettings>,
): FirstvisionAdapter<AddCustomerRequest, UpdateCustomerRequest> {
  const client = createFirstvisionClient(deps);
  const defaults = { organizationNumber: deps.settings.organizationNumber };
  return {
    name: 'FIRSTVISION',
    defaults: { organizationNumber: deps.settings.organizationNumber, logo: deps.settings.logo },
    maxBatchSize: 1,
    mapCreate: (routing) => mapAddCustomer(routing, defaults),
    mapUpdate: (routing) => mapUpdateCustomer(routing, defaults),
    create: (requests, call) => Promise.all(requests.map((request) => client.addCustomer(request, call))),
    update: (request, call) => client.updateCustomer(request, call),
    /**
     * FirstVision keys a customer by organization and customer number, and ours is final before the
     * add (given by the caller or generated), so a customer the host knows under them is the one the
     * lost add created, as addCustomer already reads "customer number already exists".
     */
    async reconcile(request, call) {
      const parsed = addCustomerRequest.safeParse(request);
      if (!parsed.success) return malformed(parsed.error);
      const { organizationNumber, customerNumber } = parsed.data.customerData.customerKeyData;
      const found = await client.demographics({ organizationNumber, customerNumber }, call);
      return found ? { status: 'SYNCED', externalId: customerNumber, requestId: null, error: null } : null;
    },
    accountNumbers: client.accountNumbers,
    cards: client.cards,
    relationshipNumbers: client.relationshipNumbers,
    demographics: client.demographics,
    addressHistory: client.addressHistory,
    lookup: client.lookup,
    generateCustomerNumbers: client.generateCustomerNumbers,
  };
}

/**
 * A request that is not an AddCustomerRequest is our defect, not FirstVision's: FAILED without
 * retry, and FirstVision is not called (its host would refuse the contract anyway).
 */
function malformed(error: z.ZodError): ProviderOutcome {
  const failure = new ProviderError('FIRSTVISION', 'PROVIDER_REJECTED', `not a FirstVision customer add: ${z.prettifyError(error)}`, {
    retryable: false,
    cause: error,
  });
  return { status: 'FAILED', externalId: null, requestId: null, error: failure };
}

const ENV = {
  url: 'PROVIDER_FIRSTVISION_URL',
  apiKey: 'PROVIDER_FIRSTVISION_API_KEY',
  clientSecret: 'PROVIDER_FIRSTVISION_CLIENT_SECRET',
  clientId: 'PROVIDER_FIRSTVISION_CLIENT_ID',
  organizationNumber: 'PROVIDER_FIRSTVISION_ORGANIZATION_NUMBER',
  logo: 'PROVIDER_FIRSTVISION_LOGO',
} as const;

const envSchema = z.object({
  [ENV.url]: z.url('must be a URL'),
  [ENV.apiKey]: z.string().min(1),
  [ENV.clientSecret]: z.string().min(1),
  [ENV.clientId]: z.string().min(1).max(40),
  [ENV.organizationNumber]: z
    .string()
    .regex(/^\d{1,3}$/, 'must be an organization number 001–998')
    .transform(Number)
    .refine((value) => value >= 1 && value <= 998, 'must be an organization number 001–998'),
  [ENV.logo]: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a logo of at most 3 digits')
    .transform(Number)
    .optional(),
});

/**
 * Live settings from `PROVIDER_FIRSTVISION_*`; throws naming every missing or invalid variable.
 * @example const settings = settingsFromEnv(process.env);
 */
export function settingsFromEnv(env: Record<string, string | undefined>): FirstvisionSettings {
  const present = Object.fromEntries(Object.values(ENV).flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return present[name] === undefined ? `${name} is not set` : `${name} ${issue.message}`;
    });
    throw new Error(`FIRSTVISION live mode: ${problems.join('; ')}`);
  }
  const values = parsed.data;
  return {
    url: values[ENV.url],
    apiKey: values[ENV.apiKey],
    clientSecret: values[ENV.clientSecret],
    clientId: values[ENV.clientId],
    organizationNumber: values[ENV.organizationNumber],
    logo: values[ENV.logo] ?? null,
  };
}

const SANDBOX_CREDENTIALS_FILE = 'sandbox-firstvision-settings.json';

/** A sandbox organization and logo from the seed's examples (orgid 970, logo 401) and the spec's client id. */
function generateSandboxSettings(): FirstvisionSettings {
  return {
    url: null,
    apiKey: randomBytes(16).toString('hex'),
    clientSecret: randomBytes(32).toString('base64'),
    clientId: '00970',
    organizationNumber: 970,
    logo: 401,
  };
}

/**
 * Working sandbox credentials: generated once, kept in `dataDir` and reused, so the simulator's
 * stored tokens and the adapter keep matching across restarts; `dataDir` null generates in memory.
 * @example const settings = await sandboxSettings('./data');
 */
export async function sandboxSettings(dataDir: string | null): Promise<FirstvisionSettings> {
  return keptSandboxSettings({
    provider: 'FIRSTVISION',
    dataDir,
    file: SANDBOX_CREDENTIALS_FILE,
    schema: firstvisionSettingsSchema,
    generate: generateSandboxSettings,
  });
}

/**
 * Fiserv FirstVision (VisionPLUS): customer add and update, and the read side.
 * @example const adapter = firstvisionProvider.createAdapter({ baseUrl, http, settings: await firstvisionProvider.sandboxSettings(null) });
 */
export const firstvisionProvider: FirstvisionModule = {
  name: 'FIRSTVISION',
  optionsSchema,
  // The domain hands back the requests this adapter mapped, so the request types line up at runtime.
  createAdapter: (deps) => createFirstvisionAdapter(deps) as FirstvisionAdapter,
  createSandbox: createFirstvisionSandbox,
  settingsFromEnv,
  sandboxSettings,
};
