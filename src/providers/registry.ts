import { join } from 'node:path';
import type { ProviderName } from '../domain/enums.js';
import { cardlyticsProvider } from './cardlytics/index.js';
import { credentialValues } from './credentials.js';
import { enfuceProvider } from './enfuce/index.js';
import { firstvisionProvider, type FirstvisionAdapter } from './firstvision/index.js';
import { floliveProvider, type FloliveAdapter } from './flolive/index.js';
import { createProviderHttp, type FetchLike, type ProviderCallEvent } from './http.js';
import { noahProvider } from './noah/index.js';
import { inProcessSandboxFetch, sandboxBaseUrl } from './sandbox-mount.js';
import type { FaultConfig, ProviderAdapter, ProviderModule, Sandbox } from './types.js';
import { nodeHttpFetch } from './node-http-fetch.js';

/** Every provider, by its GraphQL enum value. */
export const PROVIDER_MODULES: Readonly<Record<ProviderName, ProviderModule>> = {
  ENFUCE: enfuceProvider,
  NOAH: noahProvider,
  CARDLYTICS: cardlyticsProvider,
  FLOLIVE: floliveProvider,
  FIRSTVISION: firstvisionProvider,
};

/** The `providerOptions` field of each provider (camel case of its name). */
export const PROVIDER_OPTION_FIELDS: Readonly<Record<ProviderName, string>> = {
  ENFUCE: 'enfuce',
  NOAH: 'noah',
  CARDLYTICS: 'cardlytics',
  FLOLIVE: 'flolive',
  FIRSTVISION: 'firstvision',
};

export interface ProviderRegistry {
  adapter(name: ProviderName): ProviderAdapter;
  /** floLIVE's adapter with its request-status call. */
  readonly flolive: FloliveAdapter;
  /** FirstVision's adapter with its read side. */
  readonly firstvision: FirstvisionAdapter;
  module(name: ProviderName): ProviderModule;
  /** The simulators, in sandbox mode (mounted at /sandbox/<provider>); empty in live mode. */
  readonly sandboxes: readonly Sandbox[];
  close(): void;
}

export interface ProviderRegistryOptions {
  mode: 'sandbox' | 'live';
  env?: Record<string, string | undefined>;
  /** Where simulator state and generated sandbox keys live; null keeps them in memory (tests). */
  dataDir: string | null;
  faults?: Partial<Record<ProviderName, FaultConfig>>;
  onCall?: (event: ProviderCallEvent) => void;
  /**
   * Sandbox mode only. Without it adapters reach the simulators in-process; with it (e.g.
   * `http://127.0.0.1:4010`) they go over real HTTP to simulators served there.
   */
  sandboxOrigin?: string;
  /**
   * Sandbox mode with a sandboxOrigin only: false when another process serves the simulators
   * (`npm run sandbox`, SANDBOX_URL) — this one builds only the adapters, with the sandbox settings
   * (credentials, keys) kept in dataDir, which must be that process's SANDBOX_DATA_DIR. Default true.
   */
  serveSandboxes?: boolean;
  /** The fetch used for real HTTP (live mode, or sandbox mode with sandboxOrigin); default nodeHttpFetch(). */
  fetch?: FetchLike;
  /**
   * Wraps the transport every adapter uses (e.g. a client-certificate transport in live mode);
   * tests use it to observe calls in flight or fail one on purpose.
   */
  transport?: (next: FetchLike) => FetchLike;
  sleep?: (ms: number) => Promise<void>;
}

const IN_PROCESS_ORIGIN = 'http://sandbox.internal';

/**
 * Builds every provider's adapter; in sandbox mode also its simulator, with the same settings so
 * credentials and signing keys match.
 * @example const providers = await createProviderRegistry({ mode: 'sandbox', dataDir: './data' });
 */
export async function createProviderRegistry(options: ProviderRegistryOptions): Promise<ProviderRegistry> {
  const adapters = new Map<ProviderName, ProviderAdapter>();
  const sandboxes: Sandbox[] = [];
  const names = Object.keys(PROVIDER_MODULES) as ProviderName[];
  const settingsByName = new Map<ProviderName, unknown>();

  for (const name of names) {
    const module = PROVIDER_MODULES[name];
    if (options.mode === 'live') {
      settingsByName.set(name, module.settingsFromEnv(options.env ?? {}));
    } else {
      const settings = await module.sandboxSettings(options.dataDir);
      settingsByName.set(name, settings);
      if (options.sandboxOrigin && options.serveSandboxes === false) continue;
      sandboxes.push(
        module.createSandbox({
          file: options.dataDir ? join(options.dataDir, `sandbox-${name.toLowerCase()}.db`) : ':memory:',
          settings,
          ...(options.faults?.[name] ? { faults: options.faults[name] } : {}),
          ...(options.sleep ? { sleep: options.sleep } : {}),
        }),
      );
    }
  }

  const realFetch: FetchLike = options.fetch ?? nodeHttpFetch();
  const useInProcess = options.mode === 'sandbox' && !options.sandboxOrigin;
  const baseTransport = useInProcess ? inProcessSandboxFetch(sandboxes) : realFetch;
  const transport = options.transport ? options.transport(baseTransport) : baseTransport;
  const dependencies = (name: ProviderName) => ({
    baseUrl:
      options.mode === 'live' ? liveBaseUrl(name, options.env ?? {}) : sandboxBaseUrl(options.sandboxOrigin ?? IN_PROCESS_ORIGIN, name),
    http: createProviderHttp({
      provider: name,
      fetch: transport,
      secrets: credentialValues(settingsByName.get(name)),
      ...(options.onCall ? { onCall: options.onCall } : {}),
    }),
    settings: settingsByName.get(name),
  });

  // Adapters with calls beyond the shared surface are built through their own module's typing.
  const flolive = floliveProvider.createAdapter(dependencies('FLOLIVE') as Parameters<typeof floliveProvider.createAdapter>[0]);
  // the shared surface takes options and requests as unknown; the adapter validates them itself
  adapters.set('FLOLIVE', flolive as unknown as ProviderAdapter);
  const firstvision = firstvisionProvider.createAdapter(
    dependencies('FIRSTVISION') as Parameters<typeof firstvisionProvider.createAdapter>[0],
  );
  adapters.set('FIRSTVISION', firstvision as unknown as ProviderAdapter);
  for (const name of names) {
    if (!adapters.has(name)) adapters.set(name, PROVIDER_MODULES[name].createAdapter(dependencies(name)));
  }

  return {
    adapter: (name) => adapters.get(name)!,
    flolive,
    firstvision,
    module: (name) => PROVIDER_MODULES[name],
    sandboxes,
    close: () => sandboxes.forEach((sandbox) => sandbox.close()),
  };
}

function liveBaseUrl(name: ProviderName, env: Record<string, string | undefined>): string {
  const variable = `PROVIDER_${name}_URL`;
  const url = env[variable];
  if (!url) throw new Error(`PROVIDER_MODE=live needs ${variable}`);
  return url.replace(/\/$/, '');
}
