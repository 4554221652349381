import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { customers, idempotencyKeys } from '../src/db/tables.js';
import { createTestApp, type TestApp } from './helpers.js';
import { CREATE, fullCustomerInput } from './mutations.js';

function clock(start = Date.parse('2026-11-21T12:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe('idempotency keys', () => {
  let t: TestApp;
  const time = clock();
  beforeEach(async () => {
    t = await createTestApp({ now: time.now });
  });
  afterEach(() => t.close());

  const input = (key: string, overrides: Record<string, unknown> = {}) => ({
    customer: fullCustomerInput({ accounts: [], ...overrides }),
    providers: ['NOAH', 'ENFUCE'],
    idempotencyKey: key,
  });
  const noahPuts = () => t.sandboxState('NOAH').requests.byRoute['PUT /v1/customers/{CustomerID}'] ?? 0;

  it('replays the stored payload for the same key and input: nothing runs again, the providers see one call', async () => {
    const first = await t.graphql(CREATE, { input: input('key-1') });
    const again = await t.graphql(CREATE, { input: input('key-1') });
    expect(first.body.data.customerCreate.userErrors).toEqual([]);
    expect(again.body).toEqual(first.body);
    expect(await t.database.db.select().from(customers)).toHaveLength(1);
    expect(noahPuts()).toBe(1);
    expect(t.sandboxState('ENFUCE').requests.total).toBe(1);
  });

  it('replays userErrors too: a refused input answers the same refusal', async () => {
    const bad = input('key-2', { phones: { mobile: '0401234567' } });
    const first = await t.graphql(CREATE, { input: bad });
    const again = await t.graphql(CREATE, { input: bad });
    expect(first.body.data.customerCreate.userErrors).toHaveLength(1);
    expect(again.body).toEqual(first.body);
  });

  it('refuses the same key with a different input (IDEMPOTENCY_KEY_REUSED) and runs nothing', async () => {
    await t.graphql(CREATE, { input: input('key-3') });
    const other = await t.graphql(CREATE, { input: input('key-3', { email: 'other@example.com' }) });
    expect(other.body.data.customerCreate).toMatchObject({
      customer: null,
      userErrors: [{ field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_KEY_REUSED' }],
    });
    expect(await t.database.db.select().from(customers)).toHaveLength(1);
    expect(noahPuts()).toBe(1);
  });

  it('a key is bound to its mutation: the same key on another mutation is refused', async () => {
    const created = await t.graphql(CREATE, { input: input('key-4') });
    const sync = await t.graphql(
      'mutation ($input: CustomerSyncInput!) { customerSync(input: $input) { userErrors { field code } } }',
      { input: { customerId: created.body.data.customerCreate.customer.id, idempotencyKey: 'key-4' } },
    );
    expect(sync.body.data.customerSync.userErrors).toEqual([{ field: ['input', 'idempotencyKey'], code: 'IDEMPOTENCY_KEY_REUSED' }]);
  });

  it('a concurrent request with the key in use gets a retryable IDEMPOTENCY_KEY_IN_USE error, and runs nothing', async () => {
    const [a, b] = await Promise.all([t.graphql(CREATE, { input: input('key-5') }), t.graphql(CREATE, { input: input('key-5') })]);
    const results = [a.body, b.body];
    const succeeded = results.filter((body) => body.data?.customerCreate?.customer);
    const busy = results.filter((body) => body.errors?.[0]?.extensions?.code === 'IDEMPOTENCY_KEY_IN_USE');
    expect(succeeded).toHaveLength(1);
    expect(busy).toHaveLength(1);
    expect(busy[0]!.errors![0]!.extensions).toMatchObject({ retryable: true, argument: ['input', 'idempotencyKey'] });
    expect(await t.database.db.select().from(customers)).toHaveLength(1);
    expect(noahPuts()).toBe(1);
    // once the first has finished, a retry replays it
    expect((await t.graphql(CREATE, { input: input('key-5') })).body).toEqual(succeeded[0]);
  });

  it('keys expire after the TTL: the same key then runs as new', async () => {
    await t.graphql(CREATE, { input: input('key-6') });
    time.advance(24 * 3_600_000 + 1);
    const later = await t.graphql(CREATE, { input: input('key-6', { name: { first: 'Later', last: 'Customer' } }) });
    expect(later.body.data.customerCreate.userErrors).toEqual([]);
    expect(await t.database.db.select().from(customers)).toHaveLength(2);
  });

  it('answers a retry of a request that committed and then died, from what it committed', async () => {
    const first = await t.graphql(CREATE, { input: input('key-7') });
    const customerId = Buffer.from(first.body.data.customerCreate.customer.id, 'base64url').toString().split(':')[1];
    // as if the process had died after its transaction: no stored payload, an expired lock
    await t.database.db
      .update(idempotencyKeys)
      .set({ response: null, lockedUntil: new Date(time.now().getTime() - 1) })
      .where(and(eq(idempotencyKeys.key, 'key-7')));
    const retry = await t.graphql(CREATE, { input: input('key-7') });
    expect(retry.body.data.customerCreate.customer.id).toBe(first.body.data.customerCreate.customer.id);
    expect(retry.body.data.customerCreate.providerResults.map((r: any) => r.provider)).toEqual(['ENFUCE', 'NOAH']);
    expect(await t.database.db.select().from(customers)).toHaveLength(1);
    expect(customerId).toBeTruthy();
  });

  it('a request that died before committing leaves the key free to take over', async () => {
    // the same input's hash, from a request under another key
    await t.graphql(CREATE, { input: input('key-8-probe') });
    const [probe] = await t.database.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, 'key-8-probe'));
    await t.database.db.insert(idempotencyKeys).values({
      organizationId: t.organizationId,
      key: 'key-8',
      operation: 'customerCreate',
      requestHash: probe!.requestHash,
      // held by a request that died before its transaction: no reference, an expired lock
      lockedUntil: new Date(time.now().getTime() - 1),
      expiresAt: new Date(time.now().getTime() + 3_600_000),
    });
    const run = await t.graphql(CREATE, { input: input('key-8') });
    expect(run.body.data.customerCreate.userErrors).toEqual([]);
    expect(run.body.data.customerCreate.customer).not.toBeNull();
    expect(await t.database.db.select().from(customers)).toHaveLength(2);
  });

  it('refuses an empty or over-long key with a userError', async () => {
    const empty = await t.graphql(CREATE, { input: input('') });
    expect(empty.body.data.customerCreate.userErrors).toMatchObject([{ field: ['input', 'idempotencyKey'], code: 'TOO_SHORT' }]);
    const long = await t.graphql(CREATE, { input: input('k'.repeat(256)) });
    expect(long.body.data.customerCreate.userErrors).toMatchObject([{ field: ['input', 'idempotencyKey'], code: 'TOO_LONG' }]);
  });
});
