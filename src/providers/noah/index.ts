import { keptSandboxSettings } from '../sandbox-kit.js';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { z } from 'zod';
import { ProviderError } from '../errors.js';
import type { AdapterDependencies, CallOptions, ProviderAdapter, ProviderModule, ProviderOutcome } from '../types.js';
import { API_KEY_PATTERN, createNoahClient, ecJwkSchema, noahSettingsSchema, type NoahJwk, type NoahSettings } from './client.js';
import { putCustomerCallSchema } from './contract.js';
import { mapPutCustomer, mapPutCustomerUpdate } from './mapper.js';
import { optionsSchema, type NoahOptions } from './options.js';
import { createNoahSandbox } from './sandbox.js';

export { createNoahClient, type NoahClient, type NoahSettings } from './client.js';
export type { NoahCustomerRecord, NoahPutCustomer } from './contract.js';
export {
  BUILDING_NUMBER_PLACEMENTS,
  DEFAULT_ADDRESS_DETAILS_IN_STREET2,
  DEFAULT_BUILDING_NUMBER_PLACEMENT,
  type NoahOptions,
} from './options.js';

/** Where sandboxSettings keeps the generated API key and signing key pair, inside dataDir. */
export const SANDBOX_CREDENTIALS_FILE = 'sandbox-noah-settings.json';

/**
 * NOAH's adapter: one customer per call, create and update both the same signed PUT. Requests are
 * typed `unknown` at this surface because they come back from the outbox as stored JSON; each is
 * checked against the Put Customer contract before it is signed and sent.
 * @example const adapter = createNoahAdapter({ baseUrl: 'https://api.sandbox.noah.com', http, settings });
 */
export function createNoahAdapter(deps: AdapterDependencies<NoahSettings>): ProviderAdapter<NoahOptions> {
  const client = createNoahClient(deps);
  const put = (request: unknown, call: CallOptions): Promise<ProviderOutcome> => {
    const checked = putCustomerCallSchema.safeParse(request);
    return checked.success ? client.putCustomer(checked.data, call) : Promise.resolve(malformed(checked.error));
  };
  return {
    name: 'NOAH',
    maxBatchSize: 1,
    mapCreate: mapPutCustomer,
    mapUpdate: mapPutCustomerUpdate,
    async create(requests, call) {
      const outcomes: ProviderOutcome[] = [];
      for (const request of requests) outcomes.push(await put(request, call));
      return outcomes;
    },
    update: put,
    /**
     * CustomerID is our own id, chosen before the first PUT, so Get Customer by it is an exact
     * answer: a record means the lost PUT (or an earlier one) landed. A request that is not a Put
     * Customer gets the FAILED outcome create gives it: it could never have been sent.
     */
    async reconcile(request, call) {
      const checked = putCustomerCallSchema.safeParse(request);
      if (!checked.success) return malformed(checked.error);
      const found = await client.getCustomer(checked.data.path.CustomerID, call);
      return found ? { status: 'SYNCED', externalId: found.CustomerID, requestId: null, error: null } : null;
    },
  };
}

/** A request that is not a Put Customer is our defect: it fails without retry and NOAH is not called. */
function malformed(error: z.ZodError): ProviderOutcome {
  const problem = error.issues[0];
  const failure = new ProviderError(
    'NOAH',
    'PROVIDER_REJECTED',
    `not a NOAH Put Customer request (${problem ? `${problem.path.join('.') || 'request'}: ${problem.message}` : 'unreadable'})`,
  );
  return { status: 'FAILED', externalId: null, requestId: null, error: failure };
}

const envSchema = z.object({
  PROVIDER_NOAH_URL: z.url({ error: (issue) => (issue.input === undefined ? 'is not set' : 'must be a URL, e.g. https://api.noah.com') }),
  PROVIDER_NOAH_API_KEY: z
    .string({ error: 'is not set' })
    .regex(API_KEY_PATTERN, 'must look like apikey_<sandbox|prod>_<key>'),
  PROVIDER_NOAH_SIGNING_KEY: z.string({ error: 'is not set' }).min(1, 'is not set'),
});

/**
 * Live mode. PROVIDER_NOAH_SIGNING_KEY is the EC private key (P-384 for ES384, or P-256) whose
 * public half was registered with the API key: PEM (PKCS#8 or SEC1, `\n` escapes allowed) or a JWK.
 * @example noahProvider.settingsFromEnv(process.env)
 */
export function noahSettingsFromEnv(env: Record<string, string | undefined>): NoahSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`NOAH live settings: ${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}`);
  }
  const signingKey = privateJwk(parsed.data.PROVIDER_NOAH_SIGNING_KEY);
  return noahSettingsSchema.parse({ apiKey: parsed.data.PROVIDER_NOAH_API_KEY, signingKey, verificationKey: signingKey });
}

function privateJwk(text: string): NoahJwk {
  try {
    const jwk = text.trim().startsWith('{')
      ? JSON.parse(text)
      : createPrivateKey(text.replace(/\\n/g, '\n')).export({ format: 'jwk' });
    const parsed = ecJwkSchema.safeParse(jwk);
    if (!parsed.success || parsed.data.d === undefined) throw new Error('not an EC P-384 or P-256 private key');
    return parsed.data;
  } catch (error) {
    throw new Error(`NOAH live settings: PROVIDER_NOAH_SIGNING_KEY ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Sandbox mode: an `apikey_sandbox_…` key and a P-384 signing key pair, generated once and kept in
 * `dataDir` so that restarts keep using them (in memory when dataDir is null). The simulator gets
 * the public half from the same settings, as NOAH gets it at API key registration.
 * @example const settings = await noahProvider.sandboxSettings('./data');
 */
export async function noahSandboxSettings(dataDir: string | null): Promise<NoahSettings> {
  return keptSandboxSettings({
    provider: 'NOAH',
    dataDir,
    file: SANDBOX_CREDENTIALS_FILE,
    schema: noahSettingsSchema,
    generate: generateSandboxSettings,
  });
}

async function generateSandboxSettings(): Promise<NoahSettings> {
  const { publicKey, privateKey } = await generateKeyPair('ES384', { extractable: true });
  return noahSettingsSchema.parse({
    apiKey: `apikey_sandbox_${randomBytes(16).toString('hex')}`,
    signingKey: await exportJWK(privateKey),
    verificationKey: await exportJWK(publicKey),
  });
}

export const noahProvider: ProviderModule<NoahOptions, NoahSettings> = {
  name: 'NOAH',
  optionsSchema,
  createAdapter: createNoahAdapter,
  createSandbox: createNoahSandbox,
  settingsFromEnv: noahSettingsFromEnv,
  sandboxSettings: noahSandboxSettings,
};
