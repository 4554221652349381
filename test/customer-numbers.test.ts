import { createAuthenticator } from '../src/auth/authenticator.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { openDatabase } from '../src/db/client.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { reservedCustomerNumbers } from '../src/db/tables.js';
import { ensureRootOrganization } from '../src/domain/organizations.js';
import { createProviderRegistry } from '../src/providers/registry.js';
import { createTestApp, TEST_JWT_SECRET } from './helpers.js';
import { testYogaLogger, watchPii } from './log-capture.js';
import { sharedTestDatabase } from './support/test-database.js';

const GENERATE = /* GraphQL */ `
  mutation ($input: CustomerNumbersGenerateInput!) {
    customerNumbersGenerate(input: $input) { customerNumbers userErrors { field message code provider } }
  }
`;

/** The server's pieces on `url` and simulator state in `dir`, as a restart would open them. */
async function openOnFiles(dir: string, url: string) {
  const database = await openDatabase({ url });
  await migrateDatabase(database);
  const providers = await createProviderRegistry({ mode: 'sandbox', dataDir: dir });
  const organizationId = await ensureRootOrganization(database);
  const authenticator = await createAuthenticator({ database, secret: TEST_JWT_SECRET, audience: 'customer-graph' });
  const token = await authenticator.sign({ organizationId, subject: 'test', scopes: ['admin'] });
  watchPii(database);
  const app = createApp({ database, providers, authenticator, logging: testYogaLogger });
  const generate = async (count: number): Promise<string[]> => {
    const response = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: GENERATE, variables: { input: { count } } }),
    });
    const body = (await response.json()) as any;
    expect(body.data.customerNumbersGenerate.userErrors).toEqual([]);
    return body.data.customerNumbersGenerate.customerNumbers;
  };
  return {
    database,
    generate,
    close: async () => {
      providers.close();
      await database.close();
    },
  };
}

describe('customerNumbersGenerate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'customer-graph-numbers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hands out numbers never issued before, across calls and across a restart', async () => {
    const storage = await sharedTestDatabase(dir);
    const first = await openOnFiles(dir, storage.url);
    const a = await first.generate(20);
    const b = await first.generate(20);
    await first.close();

    const restarted = await openOnFiles(dir, storage.url);
    const c = await restarted.generate(20);
    const all = [...a, ...b, ...c];
    expect(all).toHaveLength(60);
    expect(new Set(all).size).toBe(60);
    expect(all.every((number) => /^\d{19}$/.test(number))).toBe(true);
    const reserved = await restarted.database.db.select().from(reservedCustomerNumbers);
    expect(reserved.map((row) => row.customerNumber).sort()).toEqual([...all].sort());
    await restarted.close();
    await storage.drop();
  });

  it('a reserved number can be used as the customer number of a new customer', async () => {
    const t = await createTestApp();
    const { body } = await t.graphql(GENERATE, { input: { count: 1 } });
    const [number] = body.data.customerNumbersGenerate.customerNumbers;
    const created = await t.graphql(
      'mutation ($input: CustomerCreateInput!) { customerCreate(input: $input) { customer { customerNumber } userErrors { field } } }',
      { input: { customer: { customerNumber: number, name: { first: 'Reserved', last: 'Number' } }, providers: [] } },
    );
    expect(created.body.data.customerCreate).toEqual({ customer: { customerNumber: number }, userErrors: [] });
    t.close();
  });

  it.each([0, 100])('refuses count %i with a userError at input.count', async (count) => {
    const t = await createTestApp();
    const { body } = await t.graphql(GENERATE, { input: { count } });
    expect(body.data.customerNumbersGenerate).toMatchObject({ customerNumbers: [], userErrors: [{ field: ['input', 'count'] }] });
    expect(t.sandboxState('FIRSTVISION').requests.total).toBe(0);
    t.close();
  });

  it('a FirstVision outage is a coded error, not a userError, and reserves nothing', async () => {
    const t = await createTestApp({ faults: { FIRSTVISION: { failureRate: 1, seed: 1 } } });
    const { body } = await t.graphql(GENERATE, { input: { count: 3 } });
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', provider: 'FIRSTVISION' });
    expect(await t.database.db.select().from(reservedCustomerNumbers)).toEqual([]);
    t.close();
  });
});
