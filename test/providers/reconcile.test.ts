import { describe, expect, it } from 'vitest';
import { cardlyticsProvider, type CardlyticsSettings } from '../../src/providers/cardlytics/index.js';
import { enfuceProvider, type EnfuceSettings } from '../../src/providers/enfuce/index.js';
import { ProviderError } from '../../src/providers/errors.js';
import { firstvisionProvider, type FirstvisionSettings } from '../../src/providers/firstvision/index.js';
import { floliveProvider, type FloliveCreateCall } from '../../src/providers/flolive/index.js';
import { createProviderHttp, type FetchLike, type ProviderCallEvent } from '../../src/providers/http.js';
import { noahProvider, type NoahSettings } from '../../src/providers/noah/index.js';
import { inProcessSandboxFetch, sandboxBaseUrl } from '../../src/providers/sandbox-mount.js';
import type { CustomerRouting, ProviderModule, Sandbox } from '../../src/providers/types.js';
import { adapterWithSandbox, canonical, FULL_PRIVATE_CUSTOMER, routingFor, TEST_ORIGIN } from './harness.js';

/**
 * ProviderAdapter.reconcile, provider by provider: asked before a create of unknown outcome is sent
 * again, it answers null only when re-sending is safe, the provider's outcome when the customer is
 * already there, and throws a ProviderError when the provider cannot be asked.
 *
 * A request of the wrong shape gets, from every adapter, the FAILED outcome its create would give it
 * (PROVIDER_REJECTED, not retryable) without any HTTP call: such a request can never be sent, so its
 * outcome is known without asking.
 */

const call = () => ({ signal: new AbortController().signal });

/** Maps for all five (NOAH's State is the address region). */
const CUSTOMER = canonical(FULL_PRIVATE_CUSTOMER);

/** A second customer: its own id, customer number and account, the same person data otherwise. */
const OTHER = {
  customerId: '0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f60',
  customerNumber: '4000123412349999999',
};
const otherCustomer = canonical({
  ...FULL_PRIVATE_CUSTOMER,
  customerNumber: OTHER.customerNumber,
  accounts: [{ ...FULL_PRIVATE_CUSTOMER.accounts[0], accountNumber: '4000000000000000999' }],
});

/** The create request a module's adapter maps for a customer, as the outbox would keep it (JSON). */
function mappedRequest<O>(
  module: ProviderModule<O>,
  adapter: { mapCreate(routing: CustomerRouting<O>): { ok: true; request: unknown } | { ok: false; errors: unknown } },
  customer = CUSTOMER,
  overrides: Partial<CustomerRouting<O>> = {},
): unknown {
  const mapped = adapter.mapCreate(routingFor(customer, module.optionsSchema.parse(null), overrides));
  if (!mapped.ok) throw new Error(`expected a request, got ${JSON.stringify(mapped.errors)}`);
  return JSON.parse(JSON.stringify(mapped.request));
}

/**
 * The module's adapter over its simulator, with a switch that loses the answer to the next create:
 * the simulator acts on the request, then the connection drops before the answer arrives.
 */
async function withLostAnswers<O, S>(module: ProviderModule<O, S>, isCreate: (url: string, init: RequestInit) => boolean) {
  const { sandbox, settings, adapter: mapper } = await adapterWithSandbox(module);
  const inner = inProcessSandboxFetch([sandbox]);
  let loseNext = false;
  const fetch: FetchLike = async (url, init) => {
    const response = await inner(url, init);
    if (loseNext && isCreate(url, init)) {
      loseNext = false;
      throw new Error('connection reset after the request was sent');
    }
    return response;
  };
  const calls: ProviderCallEvent[] = [];
  const adapter = module.createAdapter({
    baseUrl: sandboxBaseUrl(TEST_ORIGIN, module.name),
    http: createProviderHttp({ provider: module.name, fetch, onCall: (event) => calls.push(event) }),
    settings,
  });
  return { adapter, mapper, sandbox, settings, calls, loseNextAnswer: () => (loseNext = true) };
}

/** The module's adapter with other settings than its simulator's, or over another fetch. */
function adapterOver<O, S>(module: ProviderModule<O, S>, settings: S, fetch: FetchLike) {
  const calls: ProviderCallEvent[] = [];
  const adapter = module.createAdapter({
    baseUrl: sandboxBaseUrl(TEST_ORIGIN, module.name),
    http: createProviderHttp({ provider: module.name, fetch, onCall: (event) => calls.push(event) }),
    settings,
  });
  return { adapter, calls };
}

const unreachable: FetchLike = () => Promise.reject(new Error('connect ECONNREFUSED'));

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected a ProviderError, got ${JSON.stringify(value)}`);
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

function routesOf(sandbox: Sandbox): Record<string, number> {
  return sandbox.state().requests.byRoute;
}

const WRONG_SHAPES: [string, unknown][] = [
  ['an empty object', {}],
  ['null', null],
  ['a batch instead of one request', [{}]],
];

describe('NOAH reconcile: Get Customer by CustomerID (our id)', () => {
  const isPut = (_url: string, init: RequestInit) => init.method === 'PUT';

  it('answers null before any create, with one GET and no PUT', async () => {
    const { adapter, sandbox, calls } = await adapterWithSandbox(noahProvider);
    expect(await adapter.reconcile(mappedRequest(noahProvider, adapter), call())).toBeNull();
    expect(calls.map((event) => `${event.operation} ${event.outcome}`)).toEqual(['customer.get http_404']);
    expect(routesOf(sandbox)).toEqual({ 'GET /v1/customers/{CustomerID}': 1 });
  });

  it('after a create answers SYNCED with the externalId create returned', async () => {
    const { adapter } = await adapterWithSandbox(noahProvider);
    const request = mappedRequest(noahProvider, adapter);
    const [created] = await adapter.create([request], call());
    expect(created).toMatchObject({ status: 'SYNCED' });
    expect(await adapter.reconcile(request, call())).toEqual({
      status: 'SYNCED',
      externalId: created!.externalId,
      requestId: null,
      error: null,
    });
  });

  it('finds a create whose answer was lost, and not a customer never sent', async () => {
    const { adapter, sandbox, loseNextAnswer } = await withLostAnswers(noahProvider, isPut);
    const request = mappedRequest(noahProvider, adapter);
    loseNextAnswer();
    const [lost] = await adapter.create([request], call());
    expect(lost).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_UNAVAILABLE' } });
    expect(await adapter.reconcile(request, call())).toMatchObject({ status: 'SYNCED', externalId: '6f1c2a4e-1b7d-4c1e-9a53-2d0f8e6b7c10' });
    const never = mappedRequest(noahProvider, adapter, otherCustomer, { customerId: OTHER.customerId });
    expect(await adapter.reconcile(never, call())).toBeNull();
    expect(routesOf(sandbox)['PUT /v1/customers/{CustomerID}']).toBe(1);
  });

  it('throws a ProviderError when NOAH cannot be asked: unreachable, or refusing the credentials', async () => {
    const { adapter, settings, sandbox } = await adapterWithSandbox(noahProvider);
    const request = mappedRequest(noahProvider, adapter);
    const down = adapterOver(noahProvider, settings, unreachable);
    expect(await rejection(down.adapter.reconcile(request, call()))).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    const wrongKey: NoahSettings = { ...settings, apiKey: 'apikey_sandbox_not0the0key' };
    const refused = adapterOver(noahProvider, wrongKey, inProcessSandboxFetch([sandbox]));
    expect(await rejection(refused.adapter.reconcile(request, call()))).toMatchObject({
      code: 'PROVIDER_AUTH_FAILED',
      status: 401,
      retryable: false,
    });
  });

  it('answers a request of the wrong shape FAILED without calling NOAH', async () => {
    const { adapter, calls } = await adapterWithSandbox(noahProvider);
    for (const [, shape] of WRONG_SHAPES) {
      expect(await adapter.reconcile(shape, call())).toMatchObject({
        status: 'FAILED',
        externalId: null,
        error: { code: 'PROVIDER_REJECTED', retryable: false },
      });
    }
    expect(calls).toEqual([]);
  });
});

describe('ENFUCE reconcile: the regNo → id lookup, claiming the person found', () => {
  const isPost = (_url: string, init: RequestInit) => init.method === 'POST';

  it('answers null when no customer has the regNo, with one lookup and no create', async () => {
    const { adapter, sandbox, calls } = await adapterWithSandbox(enfuceProvider);
    expect(await adapter.reconcile(mappedRequest(enfuceProvider, adapter), call())).toBeNull();
    expect(calls.map((event) => `${event.operation} ${event.outcome}`)).toEqual(['customer.findIdByRegNo http_404']);
    expect(routesOf(sandbox)).toEqual({ 'GET /v3/regNo/:regNo/id': 1 });
  });

  it('after a create finds it by regNo: SYNCED with the id create returned, nothing sent again', async () => {
    const { adapter, sandbox } = await adapterWithSandbox(enfuceProvider);
    const request = mappedRequest(enfuceProvider, adapter);
    const [created] = await adapter.create([request], call());
    expect(created).toMatchObject({ status: 'SYNCED', externalId: expect.stringMatching(/^\d+$/) });
    expect(await adapter.reconcile(request, call())).toEqual({ status: 'SYNCED', externalId: created!.externalId, requestId: null, error: null });
    expect(routesOf(sandbox)['POST /v3/PRIVATE']).toBe(1);
  });

  it('claims the customer Enfuce holds under the regNo: a regNo identifies the person (documented assumption)', async () => {
    const { adapter, sandbox } = await adapterWithSandbox(enfuceProvider);
    const [first] = await adapter.create([mappedRequest(enfuceProvider, adapter)], call());
    const second = mappedRequest(enfuceProvider, adapter, otherCustomer, OTHER);
    expect(await adapter.reconcile(second, call())).toMatchObject({ status: 'SYNCED', externalId: first!.externalId });
    expect(sandbox.state().records.customers).toHaveLength(1);
  });

  it('finds a create whose answer was lost, so the create is not sent twice', async () => {
    const { adapter, sandbox, loseNextAnswer } = await withLostAnswers(enfuceProvider, isPost);
    const request = mappedRequest(enfuceProvider, adapter);
    loseNextAnswer();
    expect((await adapter.create([request], call()))[0]).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_UNAVAILABLE' } });
    const [stored] = sandbox.state().records.customers as { id: string }[];
    expect(await adapter.reconcile(request, call())).toMatchObject({ status: 'SYNCED', externalId: stored!.id });
  });

  it('throws a ProviderError when Enfuce cannot be asked: unreachable, or refusing the credentials', async () => {
    const { adapter, settings, sandbox } = await adapterWithSandbox(enfuceProvider);
    const request = mappedRequest(enfuceProvider, adapter);
    const down = adapterOver(enfuceProvider, settings, unreachable);
    expect(await rejection(down.adapter.reconcile(request, call()))).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryable: true });
    const wrongPassword: EnfuceSettings = { ...settings, password: 'not-the-password-at-all' };
    const refused = adapterOver(enfuceProvider, wrongPassword, inProcessSandboxFetch([sandbox]));
    expect(await rejection(refused.adapter.reconcile(request, call()))).toMatchObject({ code: 'PROVIDER_AUTH_FAILED', status: 401 });
  });

  it('answers a request of the wrong shape FAILED without calling Enfuce', async () => {
    const { adapter, calls } = await adapterWithSandbox(enfuceProvider);
    const valid = mappedRequest(enfuceProvider, adapter) as { body: Record<string, unknown> };
    const noRegNo = { ...valid, body: { ...valid.body, regNo: undefined } };
    for (const shape of [...WRONG_SHAPES.map(([, value]) => value), noRegNo]) {
      expect(await adapter.reconcile(shape, call())).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_REJECTED', retryable: false } });
    }
    expect(calls).toEqual([]);
  });
});

describe('CARDLYTICS reconcile: one customer of a batch, by sourceCustomerId (our id)', () => {
  const isPost = (url: string, init: RequestInit) => init.method === 'POST' && url.endsWith('/v2/data/customers');

  it('answers null before any create', async () => {
    const { adapter, sandbox } = await adapterWithSandbox(cardlyticsProvider);
    expect(await adapter.reconcile(mappedRequest(cardlyticsProvider, adapter), call())).toBeNull();
    expect(routesOf(sandbox)).toEqual({ 'POST /v2/session/startSession': 1, 'GET /v2/data/customers/:sourceCustomerId': 1 });
  });

  it('after a batch create answers each customer SYNCED with the externalId create returned; an unsent one null', async () => {
    const { adapter } = await adapterWithSandbox(cardlyticsProvider);
    const first = mappedRequest(cardlyticsProvider, adapter);
    const second = mappedRequest(cardlyticsProvider, adapter, otherCustomer, OTHER);
    const created = await adapter.create([first, second] as never[], call());
    expect(created.map((outcome) => outcome.status)).toEqual(['SYNCED', 'SYNCED']);
    expect(await adapter.reconcile(first, call())).toEqual({ status: 'SYNCED', externalId: created[0]!.externalId, requestId: null, error: null });
    expect(await adapter.reconcile(second, call())).toEqual({ status: 'SYNCED', externalId: created[1]!.externalId, requestId: null, error: null });
    const unsent = mappedRequest(cardlyticsProvider, adapter, CUSTOMER, { customerId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' });
    expect(await adapter.reconcile(unsent, call())).toBeNull();
  });

  it('finds every customer of a batch whose answer was lost', async () => {
    const { adapter, loseNextAnswer } = await withLostAnswers(cardlyticsProvider, isPost);
    const batch = [mappedRequest(cardlyticsProvider, adapter), mappedRequest(cardlyticsProvider, adapter, otherCustomer, OTHER)];
    loseNextAnswer();
    const lost = await adapter.create(batch as never[], call());
    expect(lost.map((outcome) => outcome.status)).toEqual(['FAILED', 'FAILED']);
    const reconciled = await Promise.all(batch.map((request) => adapter.reconcile(request as never, call())));
    expect(reconciled.map((outcome) => outcome?.externalId)).toEqual(['6f1c2a4e-1b7d-4c1e-9a53-2d0f8e6b7c10', OTHER.customerId]);
  });

  it('throws a ProviderError when Cardlytics cannot be asked: unreachable, or refusing the session', async () => {
    const { adapter, settings, sandbox } = await adapterWithSandbox(cardlyticsProvider);
    const request = mappedRequest(cardlyticsProvider, adapter);
    const down = adapterOver(cardlyticsProvider, settings, unreachable);
    expect(await rejection(down.adapter.reconcile(request as never, call()))).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    const stranger: CardlyticsSettings = { ...settings, institutionId: 'not-our-institution' };
    const refused = adapterOver(cardlyticsProvider, stranger, inProcessSandboxFetch([sandbox]));
    expect(await rejection(refused.adapter.reconcile(request as never, call()))).toMatchObject({ code: 'PROVIDER_AUTH_FAILED', status: 401 });
  });

  it('throws, rather than answering null, for a 404 that is not Cardlytics saying "no such customer"', async () => {
    const { adapter, settings, sandbox } = await adapterWithSandbox(cardlyticsProvider);
    const inner = inProcessSandboxFetch([sandbox]);
    const noRoute: FetchLike = async (url, init) =>
      init.method === 'GET' ? new Response('<html>Not Found</html>', { status: 404, headers: { 'content-type': 'text/html' } }) : inner(url, init);
    const gateway = adapterOver(cardlyticsProvider, settings, noRoute);
    expect(await rejection(gateway.adapter.reconcile(mappedRequest(cardlyticsProvider, adapter) as never, call()))).toMatchObject({
      code: 'PROVIDER_REJECTED',
      status: 404,
    });
  });

  it('answers a request of the wrong shape (a whole batch body included) FAILED without calling Cardlytics', async () => {
    const { adapter, calls } = await adapterWithSandbox(cardlyticsProvider);
    const batchBody = { customers: [mappedRequest(cardlyticsProvider, adapter)] };
    for (const shape of [...WRONG_SHAPES.map(([, value]) => value), batchBody]) {
      expect(await adapter.reconcile(shape as never, call())).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_REJECTED', retryable: false } });
    }
    expect(calls).toEqual([]);
  });
});

describe('FIRSTVISION reconcile: demographics by organization and customer number', () => {
  const isAdd = (url: string, init: RequestInit) => init.method === 'POST' && url.endsWith('/customer/');

  it('answers null before any create', async () => {
    const { adapter, calls } = await adapterWithSandbox(firstvisionProvider);
    expect(await adapter.reconcile(mappedRequest(firstvisionProvider, adapter), call())).toBeNull();
    expect(calls.map((event) => event.operation)).toEqual(['token', 'customer.demographicData']);
  });

  it('after a create answers SYNCED with the externalId create returned (the customer number)', async () => {
    const { adapter } = await adapterWithSandbox(firstvisionProvider);
    const request = mappedRequest(firstvisionProvider, adapter);
    const [created] = await adapter.create([request], call());
    expect(created).toMatchObject({ status: 'SYNCED', externalId: '4000123412341234567' });
    expect(await adapter.reconcile(request, call())).toEqual({ status: 'SYNCED', externalId: created!.externalId, requestId: null, error: null });
  });

  it('finds an add whose answer was lost, and not a customer number never added', async () => {
    const { adapter, sandbox, loseNextAnswer } = await withLostAnswers(firstvisionProvider, isAdd);
    const request = mappedRequest(firstvisionProvider, adapter);
    loseNextAnswer();
    expect((await adapter.create([request], call()))[0]).toMatchObject({ status: 'FAILED' });
    expect(await adapter.reconcile(request, call())).toMatchObject({ status: 'SYNCED', externalId: '4000123412341234567' });
    expect(await adapter.reconcile(mappedRequest(firstvisionProvider, adapter, otherCustomer, OTHER), call())).toBeNull();
    expect(routesOf(sandbox)['POST /customer/']).toBe(1);
  });

  it('throws a ProviderError when FirstVision cannot be asked: unreachable, or refusing the credentials', async () => {
    const { adapter, settings, sandbox } = await adapterWithSandbox(firstvisionProvider);
    const request = mappedRequest(firstvisionProvider, adapter);
    const down = adapterOver(firstvisionProvider, settings, unreachable);
    expect(await rejection(down.adapter.reconcile(request, call()))).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    const wrongSecret: FirstvisionSettings = { ...settings, clientSecret: 'd3Jvbmc=' };
    const refused = adapterOver(firstvisionProvider, wrongSecret, inProcessSandboxFetch([sandbox]));
    expect(await rejection(refused.adapter.reconcile(request, call()))).toMatchObject({ code: 'PROVIDER_AUTH_FAILED' });
  });

  it('answers a request of the wrong shape FAILED without calling FirstVision', async () => {
    const { adapter, calls } = await adapterWithSandbox(firstvisionProvider);
    const valid = mappedRequest(firstvisionProvider, adapter) as { customerData: { customerKeyData: Record<string, unknown> } };
    const shortNumber = {
      ...valid,
      customerData: { ...valid.customerData, customerKeyData: { ...valid.customerData.customerKeyData, customerNumber: '42' } },
    };
    for (const shape of [...WRONG_SHAPES.map(([, value]) => value), shortNumber]) {
      expect(await adapter.reconcile(shape as never, call())).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_REJECTED', retryable: false } });
    }
    expect(calls).toEqual([]);
  });
});

describe('FLOLIVE reconcile: nothing to ask, so a re-send is allowed only where the name guards it', () => {
  it('answers null for a named request before any create, without an HTTP call', async () => {
    const { adapter, calls } = await adapterWithSandbox(floliveProvider);
    const request = mappedRequest(floliveProvider, adapter) as FloliveCreateCall;
    expect(request.body.name).toBe('Aino Virtanen');
    expect(await adapter.reconcile(request, call())).toBeNull();
    expect(calls).toEqual([]);
  });

  it('after a create still answers null, and the re-send it allows ends in FAILURE instead of a second customer', async () => {
    const { sandbox, http, settings } = await adapterWithSandbox(floliveProvider);
    // Built here rather than taken from the harness, to be typed with requestStatus.
    const adapter = floliveProvider.createAdapter({ baseUrl: sandboxBaseUrl(TEST_ORIGIN, 'FLOLIVE'), http, settings });
    const request = mappedRequest(floliveProvider, adapter) as FloliveCreateCall;
    const [created] = await adapter.create([request], call());
    expect(created).toMatchObject({ status: 'IN_PROGRESS', externalId: expect.any(String), requestId: expect.any(String) });
    expect(await adapter.reconcile(request, call())).toBeNull();

    const [resent] = await adapter.create([request], call());
    expect(resent).toMatchObject({ status: 'IN_PROGRESS' });
    expect(await adapter.requestStatus(created!.requestId!, call())).toMatchObject({ status: 'SYNCED' });
    expect(await adapter.requestStatus(resent!.requestId!, call())).toMatchObject({ status: 'FAILED', error: { providerCode: 'FAILURE' } });
    const customers = sandbox.state().records.customers as { id: string; outcome: string }[];
    expect(customers.filter((customer) => customer.outcome === 'SUCCESS').map((customer) => customer.id)).toEqual([created!.externalId]);
  });

  it('rejects a request without a name, which nothing would stop from being created twice', async () => {
    const { adapter, calls } = await adapterWithSandbox(floliveProvider);
    const request = mappedRequest(floliveProvider, adapter) as FloliveCreateCall;
    for (const name of [undefined, '']) {
      const nameless = { ...request, body: { ...request.body, name } };
      expect(await rejection(adapter.reconcile(nameless, call()))).toMatchObject({ code: 'PROVIDER_REJECTED', retryable: false });
    }
    expect(calls).toEqual([]);
  });

  it('asks floLIVE nothing, so an unreachable floLIVE changes no answer; the re-send meets the outage itself', async () => {
    const { adapter, settings } = await adapterWithSandbox(floliveProvider);
    const request = mappedRequest(floliveProvider, adapter);
    const down = adapterOver(floliveProvider, settings, unreachable);
    expect(await down.adapter.reconcile(request, call())).toBeNull();
    expect(down.calls).toEqual([]);
    expect((await down.adapter.create([request], call()))[0]).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_UNAVAILABLE' } });
  });

  it('answers a request of the wrong shape FAILED, like create', async () => {
    const { adapter, calls } = await adapterWithSandbox(floliveProvider);
    for (const [, shape] of WRONG_SHAPES) {
      expect(await adapter.reconcile(shape, call())).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_REJECTED', retryable: false } });
      expect((await adapter.create([shape], call()))[0]).toMatchObject({ status: 'FAILED', error: { code: 'PROVIDER_REJECTED' } });
    }
    expect(calls).toEqual([]);
  });
});
