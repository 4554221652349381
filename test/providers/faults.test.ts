import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServerAdapter } from '@whatwg-node/server';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { cardlyticsProvider } from '../../src/providers/cardlytics/index.js';
import { enfuceProvider } from '../../src/providers/enfuce/index.js';
import { firstvisionProvider } from '../../src/providers/firstvision/index.js';
import { floliveProvider } from '../../src/providers/flolive/index.js';
import { createProviderHttp, type FetchLike, type ProviderCallEvent } from '../../src/providers/http.js';
import { noahProvider } from '../../src/providers/noah/index.js';
import { FAULT_KINDS, FaultInjector } from '../../src/providers/sandbox-kit.js';
import { inProcessSandboxFetch, routeToSandbox, sandboxBaseUrl } from '../../src/providers/sandbox-mount.js';
import type { FaultConfig, FaultKind, ProviderAdapter, ProviderModule, ProviderOutcome, Sandbox } from '../../src/providers/types.js';
import { adapterWithSandbox, canonical, FULL_PRIVATE_CUSTOMER, routingFor, TEST_ORIGIN } from './harness.js';

/**
 * Fault injection in the five simulators: for every provider and every FaultKind, what the simulator
 * answers, what the adapter makes of it, and whether the provider acted on the request; determinism
 * per seed, latency jitter, and the runtime switch at /sandbox/<provider>/_faults.
 *
 * Each create test first syncs one customer without faults (so FirstVision's token and Cardlytics's
 * session are held and the fault hits the create itself), then switches faults on and creates a
 * second customer.
 */

/** What one simulator answered, as the adapter's fetch received it. */
interface Seen {
  status: number;
  headers: Headers;
  /** The body, or why it could not be read (a reset), or why there was no answer at all (a hang). */
  body: { text: string } | { readFailed: string } | { noAnswer: string };
}

function read(pending: Promise<Response>): Promise<Seen> {
  return pending.then(
    (response) => {
      // Cloned before the adapter reads the original, so both see the same bytes (or the same reset).
      const copy = response.clone();
      return copy.text().then(
        (text) => ({ status: response.status, headers: response.headers, body: { text } }),
        (error: unknown) => ({ status: response.status, headers: response.headers, body: { readFailed: codeOf(error) } }),
      );
    },
    (error: unknown) => ({ status: 0, headers: new Headers(), body: { noAnswer: (error as Error).name } }),
  );
}

function codeOf(error: unknown): string {
  return String((error as { code?: unknown }).code ?? (error as Error).message);
}

/** A module's adapter over its simulator in process, recording every answer the simulator gave. */
async function wired(module: ProviderModule, sandboxOptions: { faults?: FaultConfig } = {}) {
  const { sandbox, settings, adapter: mapper } = await adapterWithSandbox(module, sandboxOptions);
  const inner = inProcessSandboxFetch([sandbox]);
  const answers: Promise<Seen>[] = [];
  const fetch: FetchLike = (url, init) => {
    const pending = inner(url, init);
    answers.push(read(pending));
    return pending;
  };
  const calls: ProviderCallEvent[] = [];
  const adapter = module.createAdapter({
    baseUrl: sandboxBaseUrl(TEST_ORIGIN, module.name),
    http: createProviderHttp({ provider: module.name, fetch, onCall: (event) => calls.push(event) }),
    settings,
  });
  const lastAnswer = async () => (await Promise.all(answers)).at(-1)!;
  return { sandbox, settings, mapper, adapter, calls, lastAnswer };
}

/** Customer `i`: its own id, customer number and account, so no provider sees a duplicate. */
function createRequest(module: ProviderModule, mapper: ProviderAdapter, i: number): unknown {
  const customerNumber = `4000123412340${String(i).padStart(6, '0')}`;
  const customer = canonical({
    ...FULL_PRIVATE_CUSTOMER,
    customerNumber,
    accounts: [{ ...FULL_PRIVATE_CUSTOMER.accounts[0], accountNumber: `4000000000000${String(i).padStart(6, '0')}` }],
  });
  const routing = routingFor(customer, module.optionsSchema.parse(null), {
    customerId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    customerNumber,
  });
  const mapped = mapper.mapCreate(routing);
  if (!mapped.ok) throw new Error(`expected a request, got ${JSON.stringify(mapped.errors)}`);
  return mapped.request;
}

async function createOne(adapter: ProviderAdapter, request: unknown, signal: AbortSignal): Promise<ProviderOutcome> {
  const [outcome] = await adapter.create([request], { signal });
  return outcome!;
}

const live = () => new AbortController().signal;

function storedCustomers(sandbox: Sandbox): number {
  return sandbox.state().records.customers?.length ?? 0;
}

// ---- per provider: the envelopes it answers faults in ----------------------------------------------------

interface EnvelopeAnswer {
  status: number;
  /** Matched against the parsed body. */
  body: Record<string, unknown>;
  /** What the adapter reports for it. */
  error: Record<string, unknown>;
}

interface ProviderFaults {
  module: ProviderModule;
  /** The outcome status of a create that went through. */
  synced: ProviderOutcome['status'];
  internalError: EnvelopeAnswer;
  unavailable: EnvelopeAnswer;
  nak?: EnvelopeAnswer;
  envelope?: EnvelopeAnswer;
  /** What the adapter makes of a 200 whose body is not JSON. */
  malformed: { status: ProviderOutcome['status']; error: Record<string, unknown> | null };
}

const UNAVAILABLE = { code: 'PROVIDER_UNAVAILABLE', retryable: true };
const RETRY_AFTER = 7;

const PROVIDER_FAULTS: ProviderFaults[] = [
  {
    module: noahProvider,
    synced: 'SYNCED',
    internalError: {
      status: 500,
      body: { Type: 'Unexpected', Action: 'PutCustomer', Detail: 'simulated internal error', Instance: expect.stringMatching(/^urn:noah:error:/) },
      error: { ...UNAVAILABLE, status: 500, providerCode: 'Unexpected' },
    },
    unavailable: {
      status: 503,
      body: { Type: 'Unexpected', Action: 'PutCustomer', Detail: 'simulated: the service is temporarily unavailable' },
      error: { ...UNAVAILABLE, status: 503, providerCode: 'Unexpected', retryAfterSeconds: RETRY_AFTER },
    },
    // NOAH's Put Customer answers 201/204 without a body, so its client reads the status only: a 200
    // is success to it, though the simulator stored nothing (see the malformed test below).
    malformed: { status: 'SYNCED', error: null },
  },
  {
    module: enfuceProvider,
    synced: 'SYNCED',
    internalError: {
      status: 500,
      body: { status: 500, error: 'Internal Server Error', code: 'INTERNAL_ERROR', timestamp: expect.any(String) },
      error: { ...UNAVAILABLE, status: 500, providerCode: 'INTERNAL_ERROR' },
    },
    unavailable: {
      status: 503,
      body: { status: 503, error: 'Service Unavailable', code: 'SERVICE_UNAVAILABLE' },
      error: { ...UNAVAILABLE, status: 503, providerCode: 'SERVICE_UNAVAILABLE', retryAfterSeconds: RETRY_AFTER },
    },
    // 200 is one of Enfuce's success statuses; its client then fails to read the id from the body.
    malformed: { status: 'FAILED', error: { code: 'PROVIDER_BAD_RESPONSE', retryable: false } },
  },
  {
    module: cardlyticsProvider,
    synced: 'SYNCED',
    internalError: {
      status: 500,
      body: { type: 'InternalServerError', title: 'Internal Server Error', status: 500, validationErrors: [], requestId: expect.any(String) },
      error: { ...UNAVAILABLE, status: 500, providerCode: 'InternalServerError' },
    },
    unavailable: {
      status: 503,
      body: { type: 'ServiceUnavailableException', title: 'Service Unavailable', status: 503, validationErrors: [] },
      error: { ...UNAVAILABLE, status: 503, providerCode: 'ServiceUnavailableException', retryAfterSeconds: RETRY_AFTER },
    },
    malformed: { status: 'FAILED', error: { code: 'PROVIDER_BAD_RESPONSE', status: 200, retryable: false } },
  },
  {
    module: floliveProvider,
    synced: 'IN_PROGRESS',
    internalError: {
      status: 500,
      body: { errorCode: 'GLOBAL_INTERNAL_ERROR', content: '', pageable: '' },
      error: { ...UNAVAILABLE, status: 500, providerCode: 'GLOBAL_INTERNAL_ERROR' },
    },
    unavailable: {
      status: 503,
      body: { errorCode: 'GLOBAL_1001', errorMessage: 'Service unavailable. Please try again', content: '', pageable: '' },
      error: { ...UNAVAILABLE, status: 503, providerCode: 'GLOBAL_1001', retryAfterSeconds: RETRY_AFTER },
    },
    // floLIVE's NAK decides by its code, whatever the HTTP status: GLOBAL_1001 on a 200 is still transient.
    nak: {
      status: 200,
      body: { errorCode: 'GLOBAL_1001', errorMessage: 'Service unavailable. Please try again', content: '', pageable: '' },
      error: { ...UNAVAILABLE, status: 200, providerCode: 'GLOBAL_1001' },
    },
    malformed: { status: 'FAILED', error: { code: 'PROVIDER_BAD_RESPONSE', status: 200, retryable: false } },
  },
  {
    module: firstvisionProvider,
    synced: 'SYNCED',
    internalError: {
      status: 500,
      body: { hasError: true, errors: [{ code: '500', description: expect.stringContaining('injected fault') }], data: null },
      error: { ...UNAVAILABLE, status: 500, providerCode: '500' },
    },
    unavailable: {
      status: 503,
      body: { hasError: true, errors: [{ code: '503', description: expect.stringContaining('injected fault') }], data: null },
      error: { ...UNAVAILABLE, status: 503, providerCode: '503', retryAfterSeconds: RETRY_AFTER },
    },
    // The FirstVision client reads any error envelope on a 2xx as a refusal on the merits.
    envelope: {
      status: 200,
      body: { hasError: true, errors: [{ code: 'HOST_ERROR', description: expect.stringContaining('injected fault') }], data: null },
      error: { code: 'PROVIDER_REJECTED', retryable: false, status: 200, providerCode: 'HOST_ERROR' },
    },
    malformed: { status: 'FAILED', error: { code: 'PROVIDER_BAD_RESPONSE', status: 200, retryable: false } },
  },
];

/** Kinds answered with the provider's envelope, and which envelope each provider uses for them. */
function envelopeFor(spec: ProviderFaults, kind: '500' | '503' | 'nak' | 'envelope'): EnvelopeAnswer {
  if (kind === '503') return spec.unavailable;
  if (kind === 'nak') return spec.nak ?? spec.internalError;
  if (kind === 'envelope') return spec.envelope ?? spec.internalError;
  return spec.internalError;
}

/** Syncs customer 0 without faults, then switches to `kind` on every request and sends customer 1. */
async function createUnder(spec: ProviderFaults, kind: FaultKind, signal: AbortSignal = live()) {
  const wiring = await wired(spec.module);
  const { sandbox, mapper, adapter } = wiring;
  expect(await createOne(adapter, createRequest(spec.module, mapper, 0), live())).toMatchObject({ status: spec.synced });
  expect(storedCustomers(sandbox)).toBe(1);
  sandbox.setFaults({ failureRate: 1, kinds: [kind], retryAfterSeconds: RETRY_AFTER, seed: 3 });
  const outcome = await createOne(adapter, createRequest(spec.module, mapper, 1), signal);
  return { ...wiring, outcome, seen: await wiring.lastAnswer() };
}

const ENVELOPE_KINDS = ['500', '503', 'nak', 'envelope'] as const;
/** Each with whether the provider acts on the request before the failure. */
const HANG_KINDS = [
  ['hang', false],
  ['hangAfterWrite', true],
] as const;
const RESET_KINDS = [
  ['reset', false],
  ['resetAfterWrite', true],
] as const;

const sandboxes: Sandbox[] = [];
afterEach(() => sandboxes.splice(0).forEach((sandbox) => sandbox.close()));

describe.each(PROVIDER_FAULTS.map((spec) => [spec.module.name, spec] as const))('%s under every fault kind', (_name, spec) => {
  it.each(ENVELOPE_KINDS)("'%s' answers in the provider's envelope and stores nothing", async (kind) => {
    const { sandbox, outcome, seen } = await createUnder(spec, kind);
    sandboxes.push(sandbox);
    const expected = envelopeFor(spec, kind);
    expect(seen.status).toBe(expected.status);
    expect(seen.headers.get('content-type')).toMatch(/^application\/json/);
    expect(seen.headers.get('retry-after')).toBe(kind === '503' ? String(RETRY_AFTER) : null);
    expect(JSON.parse((seen.body as { text: string }).text)).toMatchObject(expected.body);
    expect(outcome).toMatchObject({ status: 'FAILED', externalId: null, error: expected.error });
    if (kind !== '503') expect(outcome.error!.retryAfterSeconds).toBeUndefined();
    expect(storedCustomers(sandbox)).toBe(1);
  });

  it.each(HANG_KINDS)("'%s' never answers: the caller's deadline cuts it (PROVIDER_TIMEOUT); the provider acted: %s", async (kind, acted) => {
    const started = performance.now();
    const { sandbox, outcome, seen, calls } = await createUnder(spec, kind, AbortSignal.timeout(50));
    sandboxes.push(sandbox);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(seen.body).toEqual({ noAnswer: 'TimeoutError' });
    expect(outcome).toMatchObject({ status: 'FAILED', externalId: null, error: { code: 'PROVIDER_TIMEOUT', retryable: true, status: undefined } });
    expect(calls.at(-1)!.outcome).toBe('timeout');
    // hangAfterWrite acted first: the provider has the customer though the caller was told nothing.
    expect(storedCustomers(sandbox)).toBe(acted ? 2 : 1);
  });

  it.each(RESET_KINDS)("'%s' cuts the connection after the headers: PROVIDER_UNAVAILABLE; the provider acted: %s", async (kind, acted) => {
    const { sandbox, outcome, seen, calls } = await createUnder(spec, kind);
    sandboxes.push(sandbox);
    expect(seen).toMatchObject({ status: 200, body: { readFailed: 'ECONNRESET' } });
    expect(outcome).toMatchObject({ status: 'FAILED', externalId: null, error: { code: 'PROVIDER_UNAVAILABLE', retryable: true, status: undefined } });
    expect(outcome.error!.message).toContain('ECONNRESET');
    expect(calls.at(-1)!.outcome).toBe('transport_error');
    expect(storedCustomers(sandbox)).toBe(acted ? 2 : 1);
  });

  it("'malformed' is a 200 whose body is not JSON; the provider processed the request (a 2xx says so)", async () => {
    const { sandbox, outcome, seen } = await createUnder(spec, 'malformed');
    sandboxes.push(sandbox);
    expect(seen.status).toBe(200);
    const text = (seen.body as { text: string }).text;
    expect(text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(outcome).toMatchObject(spec.malformed);
    expect(storedCustomers(sandbox)).toBe(2);
  });

  it('faults stop at the provider routes: _state and _faults answer under failureRate 1', async () => {
    const { sandbox } = await wired(spec.module, { faults: { failureRate: 1, kinds: ['hang'] } });
    sandboxes.push(sandbox);
    const base = sandboxBaseUrl(TEST_ORIGIN, spec.module.name);
    const state = await routeToSandbox([sandbox], new Request(`${base}/_state`))!;
    expect(state.status).toBe(200);
    const faults = await routeToSandbox([sandbox], new Request(`${base}/_faults`))!;
    expect(await faults.json()).toEqual({ failureRate: 1, kinds: ['hang'] });
  });

  it('the same seed and request sequence give the same faults; another seed others', async () => {
    const kinds: FaultKind[] = ['500', '503', 'malformed', 'reset', 'resetAfterWrite', 'nak', 'envelope'];
    const run = async (seed: number) => {
      const { sandbox, mapper, adapter } = await wired(spec.module, { faults: { failureRate: 0.5, kinds, seed } });
      sandboxes.push(sandbox);
      const outcomes: string[] = [];
      for (let i = 0; i < 16; i++) {
        const outcome = await createOne(adapter, createRequest(spec.module, mapper, i), live());
        outcomes.push(`${outcome.status} ${outcome.error?.code ?? ''} ${outcome.error?.status ?? ''}`);
      }
      return { outcomes, state: sandbox.state() };
    };
    const first = await run(11);
    const again = await run(11);
    expect(again.outcomes).toEqual(first.outcomes);
    expect(again.state.records.customers?.length).toBe(first.state.records.customers?.length);
    expect(again.state.requests).toEqual(first.state.requests);
    expect(new Set(first.outcomes).size).toBeGreaterThan(2);
    expect((await run(12)).outcomes).not.toEqual(first.outcomes);
  });

  it('latency is latencyMs plus a seeded, uniform 0..latencyJitterMs', async () => {
    const run = async (faults: FaultConfig) => {
      const settings = await spec.module.sandboxSettings(null);
      const waits: number[] = [];
      const sandbox = spec.module.createSandbox({
        file: ':memory:',
        settings,
        faults,
        sleep: async (ms) => {
          waits.push(ms);
        },
      });
      sandboxes.push(sandbox);
      const adapter = spec.module.createAdapter({
        baseUrl: sandboxBaseUrl(TEST_ORIGIN, spec.module.name),
        http: createProviderHttp({ provider: spec.module.name, fetch: inProcessSandboxFetch([sandbox]) }),
        settings,
      });
      for (let i = 0; i < 20; i++) {
        expect(await createOne(adapter, createRequest(spec.module, adapter, i), live())).toMatchObject({ status: spec.synced });
      }
      return waits;
    };
    const jittered = await run({ latencyMs: 20, latencyJitterMs: 10, seed: 5 });
    expect(jittered.length).toBeGreaterThanOrEqual(20);
    for (const ms of jittered) {
      expect(Number.isInteger(ms)).toBe(true);
      expect(ms).toBeGreaterThanOrEqual(20);
      expect(ms).toBeLessThanOrEqual(30);
    }
    expect(new Set(jittered).size).toBeGreaterThan(3);
    expect(await run({ latencyMs: 20, latencyJitterMs: 10, seed: 5 })).toEqual(jittered);
    expect(await run({ latencyMs: 20, latencyJitterMs: 10, seed: 6 })).not.toEqual(jittered);
    expect(new Set(await run({ latencyMs: 20 }))).toEqual(new Set([20]));
    expect(await run({})).toEqual([]);
  });
});

// ---- the shared mechanism -------------------------------------------------------------------------------

describe('FaultInjector', () => {
  const answers = {
    internalError: () => new Response('{"kind":"500"}', { status: 500 }),
    unavailable: () => new Response('{"kind":"503"}', { status: 503 }),
  };

  /** Which of `count` requests fail, and with what status (0: a hang, 200: a cut or malformed). */
  async function plan(config: FaultConfig, count = 40) {
    const injector = new FaultInjector(config, { sleep: async () => {} });
    const seen: (number | null)[] = [];
    for (let i = 0; i < count; i++) {
      let applied = false;
      const response = await injector.answer(answers, async () => {
        applied = true;
        return new Response('ok');
      });
      seen.push(applied && (await response.text().catch(() => '')) === 'ok' ? null : response.status);
    }
    return seen;
  }

  it('picks every configured kind, and adding kinds or jitter does not move which requests fail', async () => {
    const one = await plan({ failureRate: 0.4, kinds: ['500'], seed: 21 });
    const two = await plan({ failureRate: 0.4, kinds: ['500', '503'], latencyMs: 3, latencyJitterMs: 9, seed: 21 });
    expect(two.map((status) => status === null)).toEqual(one.map((status) => status === null));
    expect(new Set(two.filter((status) => status !== null))).toEqual(new Set([500, 503]));
  });

  it("without kinds fails with the simulator's default kind, else '500'", async () => {
    expect(new Set(await plan({ failureRate: 1 }, 5))).toEqual(new Set([500]));
    const enfuceLike = new FaultInjector({ failureRate: 1 }, { defaultKinds: ['503'] });
    const response = await enfuceLike.answer(answers, async () => new Response('ok'));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
  });

  it('refuses a config outside the schema', () => {
    expect(() => new FaultInjector({ failureRate: 2 })).toThrow(/failureRate/);
  });

  it('a hung request is released when its caller aborts, and when the simulator closes', async () => {
    const injector = new FaultInjector({ failureRate: 1, kinds: ['hang'] }, { sleep: async () => {} });
    const first = await injector.answer(answers, async () => new Response('ok'));
    expect(first.status).toBe(0);
    const caller = new AbortController();
    const aborted = injector.deliver(first, new Request('http://sandbox.test/', { signal: caller.signal }));
    caller.abort(new Error('deadline'));
    await expect(aborted).rejects.toThrow('deadline');
    const second = await injector.answer(answers, async () => new Response('ok'));
    const closing = injector.deliver(second, new Request('http://sandbox.test/'));
    injector.close();
    await expect(closing).rejects.toThrow('the simulator was closed');
  });

  it('the kinds the provider tests above cover are all the kinds there are', () => {
    const covered = [...ENVELOPE_KINDS, ...HANG_KINDS.map(([kind]) => kind), ...RESET_KINDS.map(([kind]) => kind), 'malformed'];
    expect([...covered].sort()).toEqual([...FAULT_KINDS].sort());
  });
});

// ---- the runtime switch ---------------------------------------------------------------------------------

describe('runtime switch: /sandbox/<provider>/_faults', () => {
  async function setup() {
    const wiring = await wired(enfuceProvider);
    sandboxes.push(wiring.sandbox);
    const url = `${sandboxBaseUrl(TEST_ORIGIN, 'ENFUCE')}/_faults`;
    const send = async (method: string, body?: string) => {
      const response = await routeToSandbox([wiring.sandbox], new Request(url, { method, ...(body === undefined ? {} : { body }) }))!;
      const text = await response.text();
      return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as unknown) : undefined };
    };
    return { ...wiring, send };
  }

  it('GET is null with no faults; PUT replaces them and GET returns them; DELETE clears them', async () => {
    const { send, adapter, mapper } = await setup();
    expect(await send('GET')).toMatchObject({ status: 200, json: null });

    const config = { failureRate: 1, kinds: ['503'], retryAfterSeconds: 3, seed: 9 };
    expect(await send('PUT', JSON.stringify(config))).toMatchObject({ status: 200, json: config });
    expect(await send('GET')).toMatchObject({ status: 200, json: config });
    expect(await createOne(adapter, createRequest(enfuceProvider, mapper, 1), live())).toMatchObject({
      status: 'FAILED',
      error: { code: 'PROVIDER_UNAVAILABLE', status: 503, retryAfterSeconds: 3 },
    });

    expect((await send('DELETE')).status).toBe(204);
    expect(await send('GET')).toMatchObject({ status: 200, json: null });
    expect(await createOne(adapter, createRequest(enfuceProvider, mapper, 2), live())).toMatchObject({ status: 'SYNCED' });
  });

  it('a PUT restarts the seeded sequence: the same config replays the same faults', async () => {
    const { send, adapter, mapper } = await setup();
    const config = JSON.stringify({ failureRate: 0.5, seed: 4 });
    const statuses = async (from: number) => {
      const seen: string[] = [];
      for (let i = from; i < from + 10; i++) seen.push((await createOne(adapter, createRequest(enfuceProvider, mapper, i), live())).status);
      return seen;
    };
    await send('PUT', config);
    const first = await statuses(0);
    await send('PUT', config);
    expect(await statuses(10)).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['SYNCED', 'FAILED']));
  });

  it.each([
    ['{"failureRate":1.5}', ['failureRate']],
    ['{"kinds":["teapot"]}', ['kinds.0']],
    ['{"kinds":[]}', ['kinds']],
    ['{"latencyMs":-1,"latencyJitterMs":0.5}', ['latencyMs', 'latencyJitterMs']],
    ['{"retryAfterSeconds":"soon"}', ['retryAfterSeconds']],
    ['{"failureRate":0.1,"surprise":true}', ['surprise']],
    ['not json', ['body']],
    ['', ['body']],
  ])('PUT %j is a 400 naming %j, and the faults in force stay', async (body, fields) => {
    const { send } = await setup();
    await send('PUT', '{"latencyMs":5}');
    const refused = await send('PUT', body);
    expect(refused.status).toBe(400);
    const json = refused.json as { error: string; issues: { field: string; message: string }[] };
    expect(json.issues.map((issue) => issue.field)).toEqual(fields);
    for (const field of fields) expect(json.error).toContain(`${field}:`);
    expect((await send('GET')).json).toEqual({ latencyMs: 5 });
  });

  it('other methods are a 405 naming the allowed ones', async () => {
    const { send } = await setup();
    expect(await send('POST', '{}')).toMatchObject({ status: 405 });
    expect((await send('POST', '{}')).headers.get('allow')).toBe('GET, PUT, DELETE');
  });
});

describe('SANDBOX_FAULTS', () => {
  it('takes the same FaultConfig per provider, and names a bad field by its path', () => {
    const config = loadConfig({
      SANDBOX_FAULTS: JSON.stringify({ NOAH: { failureRate: 0.2, kinds: ['503', 'hangAfterWrite'], latencyJitterMs: 5, retryAfterSeconds: 2, seed: 1 } }),
    });
    expect(config.SANDBOX_FAULTS).toEqual({ NOAH: { failureRate: 0.2, kinds: ['503', 'hangAfterWrite'], latencyJitterMs: 5, retryAfterSeconds: 2, seed: 1 } });
    expect(() => loadConfig({ SANDBOX_FAULTS: '{"ENFUCE":{"kinds":["teapot"]}}' })).toThrow(/SANDBOX_FAULTS\.ENFUCE\.kinds\.0/);
  });
});

// ---- over a real socket ---------------------------------------------------------------------------------

describe('faults over loopback HTTP', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  /** The simulator served the way `npm run sandbox` serves it, and the adapter on Node's fetch. */
  async function served(module: ProviderModule) {
    const { sandbox, settings, adapter: mapper } = await adapterWithSandbox(module);
    sandboxes.push(sandbox);
    server = createServer(
      createServerAdapter(
        async (request: Request, serverContext: unknown) => (await routeToSandbox([sandbox], request, serverContext)) ?? new Response(null, { status: 404 }),
      ),
    );
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const adapter = module.createAdapter({
      baseUrl: sandboxBaseUrl(origin, module.name),
      http: createProviderHttp({ provider: module.name, fetch: (url, init) => fetch(url, init) }),
      settings,
    });
    return { sandbox, adapter, mapper };
  }

  it.each(RESET_KINDS)("'%s' drops the connection: PROVIDER_UNAVAILABLE, not a wait for the deadline; the provider acted: %s", async (kind, acted) => {
    const { sandbox, adapter, mapper } = await served(enfuceProvider);
    sandbox.setFaults({ failureRate: 1, kinds: [kind] });
    const outcome = await createOne(adapter, createRequest(enfuceProvider, mapper, 1), AbortSignal.timeout(3_000));
    expect(outcome).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_UNAVAILABLE', retryable: true, status: undefined } });
    expect(storedCustomers(sandbox)).toBe(acted ? 1 : 0);
  });

  it("'hangAfterWrite' holds the socket until the caller's deadline, then lets go", async () => {
    const { sandbox, adapter, mapper } = await served(enfuceProvider);
    sandbox.setFaults({ failureRate: 1, kinds: ['hangAfterWrite'] });
    const outcome = await createOne(adapter, createRequest(enfuceProvider, mapper, 1), AbortSignal.timeout(50));
    expect(outcome).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_TIMEOUT', retryable: true } });
    expect(storedCustomers(sandbox)).toBe(1);
    sandbox.setFaults(null);
    expect(await createOne(adapter, createRequest(enfuceProvider, mapper, 2), live())).toMatchObject({ status: 'SYNCED' });
  });
});
