import { keptSandboxSettings } from '../sandbox-kit.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ProviderError } from '../errors.js';
import type { AdapterDependencies, CallOptions, ProviderAdapter, ProviderModule, ProviderOutcome } from '../types.js';
import { createFloliveClient, type FloliveRequestStatusResult, type FloliveSettings } from './client.js';
import { floliveCreateCustomerRequest } from './contract.js';
import { mapCreateCustomer, type FloliveCreateCall } from './mapper.js';
import { optionsSchema, type FloliveOptions } from './options.js';
import { createFloliveSandbox } from './sandbox.js';

export type { FloliveRequestStatusResult, FloliveSettings } from './client.js';
export type { FloliveCreateCall } from './mapper.js';
export type { FloliveOptions } from './options.js';
export {
  FLOLIVE_CONTACT_ROLES,
  FLOLIVE_CONTACT_TYPES,
  FLOLIVE_CUSTOMER_STATUSES,
  FLOLIVE_DELIVERY_METHODS,
  FLOLIVE_MFA_CONFIGURATIONS,
  FLOLIVE_PAYMENT_DUE_UNITS,
  INVOICE_TEXT_MAX_BYTES,
} from './contract.js';

/** floLIVE's adapter, plus the request-status poll that settles an IN_PROGRESS create. */
export interface FloliveAdapter extends ProviderAdapter<FloliveOptions, FloliveCreateCall> {
  /** Where a create's request stands; never throws for floLIVE's failures (see FloliveRequestStatusResult). */
  requestStatus(requestId: string, call: CallOptions): Promise<FloliveRequestStatusResult>;
}

/** The module, with createAdapter typed to the floLIVE adapter so callers reach requestStatus. */
export interface FloliveModule extends ProviderModule<FloliveOptions, FloliveSettings> {
  createAdapter(deps: AdapterDependencies<FloliveSettings>): FloliveAdapter;
}

const SETTINGS_FILE = 'sandbox-flolive-settings.json';

/**
 * Requests reach the adapter back from the outbox as JSON, so their shape is checked before use.
 * A mismatch is our own defect, not floLIVE's: it fails without retry and floLIVE is not called.
 */
const createCall = z.object({ parentCustomerId: z.string().min(1), body: floliveCreateCustomerRequest });

/**
 * The floLIVE adapter: one sub-customer of the requester per create call, answered asynchronously.
 * @example const adapter = createFloliveAdapter({ baseUrl, http, settings }); await adapter.create([request], { signal });
 */
export function createFloliveAdapter(deps: AdapterDependencies<FloliveSettings>): FloliveAdapter {
  const client = createFloliveClient(deps);
  return {
    name: 'FLOLIVE',
    maxBatchSize: 1,
    mapCreate: (routing) => mapCreateCustomer(routing, deps.settings.requesterCustomerId),
    mapUpdate: null,
    async create(requests, call) {
      const outcomes: ProviderOutcome[] = [];
      for (const request of requests) {
        const parsed = createCall.safeParse(request);
        outcomes.push(parsed.success ? await client.createCustomer(parsed.data, call) : malformed(parsed.error));
      }
      return outcomes;
    },
    update: null,
    requestStatus: (requestId, call) => client.requestStatus(requestId, call),
  };
}

function malformed(error: z.ZodError): ProviderOutcome {
  const failure = new ProviderError('FLOLIVE', 'PROVIDER_REJECTED', `not a floLIVE create request: ${z.prettifyError(error)}`, {
    retryable: false,
    cause: error,
  });
  return { status: 'FAILED', externalId: null, requestId: null, error: failure };
}

const envSchema = z.object({
  PROVIDER_FLOLIVE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  PROVIDER_FLOLIVE_TOKEN: z.string().min(1),
  PROVIDER_FLOLIVE_REQUESTER_ID: z.string().trim().min(1),
});

/** Live settings; throws one Error naming every missing or invalid PROVIDER_FLOLIVE_* variable. */
function settingsFromEnv(env: Record<string, string | undefined>): FloliveSettings {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.input === undefined ? 'is not set' : issue.message}`,
    );
    throw new Error(`floLIVE live mode: ${problems.join('; ')}`);
  }
  return { token: result.data.PROVIDER_FLOLIVE_TOKEN, requesterCustomerId: result.data.PROVIDER_FLOLIVE_REQUESTER_ID };
}

const storedSettings = z.object({ token: z.string().min(32), requesterCustomerId: z.uuid() });

/**
 * A generated bearer token and requester account id (a UUID, like floLIVE's customer ids), kept in
 * `dataDir` so simulator and adapter agree after restarts.
 */
async function sandboxSettings(dataDir: string | null): Promise<FloliveSettings> {
  return keptSandboxSettings({
    provider: 'FLOLIVE',
    dataDir,
    file: SETTINGS_FILE,
    schema: storedSettings,
    generate: () => ({ token: randomBytes(32).toString('base64url'), requesterCustomerId: randomUUID() }),
  });
}

/**
 * floLIVE: sub-customers of our account (`POST /api/v2/customer/{id}`), created asynchronously and
 * settled through `GET /api/v2/global/call/{requestId}` (the adapter's requestStatus).
 * @example const adapter = floliveProvider.createAdapter({ baseUrl, http, settings: await floliveProvider.sandboxSettings(null) });
 */
export const floliveProvider: FloliveModule = {
  name: 'FLOLIVE',
  optionsSchema,
  createAdapter: createFloliveAdapter,
  createSandbox: createFloliveSandbox,
  settingsFromEnv,
  sandboxSettings,
};
