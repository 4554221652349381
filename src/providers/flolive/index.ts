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
  readonly reconcile: (request: unknown, call: CallOptions) => Promise<ProviderOutcome | null>;
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
    // async, so that the no-name refusal arrives as a rejection like every other adapter's.
    reconcile: async (request) => reconcileByName(request),
    requestStatus: (requestId, call) => client.requestStatus(requestId, call),
  };
}

/**
 * Reconciliation rule. floLIVE cannot be asked: it offers no way to list or find sub-customers, and
 * a create whose answer was lost has no requestId to poll. What makes a re-send safe is floLIVE's
 * refusal of a sub-customer whose `name` repeats one the requester already has: the request ends in
 * FAILURE (seen when its status is polled) instead of making a second customer. So a request with a
 * name is answered null, "safe to send": if the lost create landed, the re-send fails on the name
 * and the link ends FAILED for a person to match with the existing sub-customer; if it did not, the
 * re-send creates it. Without a name nothing guards against a duplicate, and nothing can be asked:
 * that throws, so the create is not sent again. No HTTP call is made either way.
 * UNKNOWN: the name rule is the simulator's; floLIVE does not document it. If floLIVE turns out not to
 * refuse repeated names, every request must take the throwing branch.
 */
function reconcileByName(request: unknown): ProviderOutcome | null {
  const parsed = createCall.safeParse(request);
  if (!parsed.success) return malformed(parsed.error);
  // An empty name is no name: floLIVE (the simulator) checks only names that are set.
  if (parsed.data.body.name) return null;
  throw new ProviderError(
    'FLOLIVE',
    'PROVIDER_REJECTED',
    'floLIVE offers no lookup of sub-customers and this create has no name that floLIVE would refuse to repeat: ' +
      'whether the lost create landed cannot be known, so it is not sent again',
    { retryable: false },
  );
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
