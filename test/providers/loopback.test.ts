import { createAuthenticator } from '../../src/auth/authenticator.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServerAdapter } from '@whatwg-node/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrateDatabase } from '../../src/db/migrate.js';
import { PROVIDER_NAMES } from '../../src/domain/enums.js';
import { ensureRootOrganization } from '../../src/domain/organizations.js';
import { createProviderRegistry, type ProviderRegistry } from '../../src/providers/registry.js';
import { jsonResponse } from '../../src/providers/sandbox-kit.js';
import { routeToSandbox } from '../../src/providers/sandbox-mount.js';
import type { Sandbox } from '../../src/providers/types.js';
import { TEST_JWT_SECRET } from '../helpers.js';
import { fullCustomerInput } from '../mutations.js';
import { testYogaLogger, watchPii } from '../log-capture.js';

/**
 * The adapters' real HTTP path: the simulators are served on a loopback port (as `npm run sandbox`
 * does) and the adapters reach them through nodeHttpFetch (node:http) — the transport live mode uses.
 */
describe('every adapter against its simulator over loopback HTTP', () => {
  let server: Server;
  let origin: string;
  let registry: ProviderRegistry;
  let database: Database;
  let served: readonly Sandbox[] = [];

  beforeAll(async () => {
    server = createServer(
      createServerAdapter(async (request: Request) => (await routeToSandbox(served, request)) ?? jsonResponse(404, { error: 'not found' })),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    registry = await createProviderRegistry({ mode: 'sandbox', dataDir: null, sandboxOrigin: origin });
    served = registry.sandboxes;
    database = await openDatabase({ url: ':memory:' });
    await migrateDatabase(database);
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    registry.close();
    database.close();
  });

  it('customerCreate reaches all five simulators through real sockets', async () => {
    const organizationId = await ensureRootOrganization(database);
    const authenticator = await createAuthenticator({ database, secret: TEST_JWT_SECRET, audience: 'customer-graph' });
    const token = await authenticator.sign({ organizationId, subject: 'test', scopes: ['admin'] });
    watchPii(database);
    const app = createApp({ database, providers: registry, authenticator, logging: testYogaLogger });
    const response = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `mutation ($input: CustomerCreateInput!) { customerCreate(input: $input) {
          providerResults { provider status externalId requestId error } userErrors { field message } } }`,
        variables: { input: { customer: fullCustomerInput() } },
      }),
    });
    const payload = ((await response.json()) as any).data.customerCreate;
    expect(payload.userErrors).toEqual([]);
    const statuses = Object.fromEntries(payload.providerResults.map((r: any) => [r.provider, r.status]));
    expect(statuses).toEqual({ CARDLYTICS: 'SYNCED', ENFUCE: 'SYNCED', FIRSTVISION: 'SYNCED', FLOLIVE: 'IN_PROGRESS', NOAH: 'SYNCED' });

    for (const provider of PROVIDER_NAMES) {
      const state = (await (await fetch(`${origin}/sandbox/${provider.toLowerCase()}/_state`)).json()) as any;
      expect(state.provider).toBe(provider);
      expect(state.requests.total, `${provider} received requests over HTTP`).toBeGreaterThan(0);
      expect(Object.values(state.records).flat().length, `${provider} stored the customer`).toBeGreaterThan(0);
    }
  });

  it('GET /sandbox/<provider>/_state answers only GET; an unknown provider is 404', async () => {
    expect((await fetch(`${origin}/sandbox/noah/_state`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${origin}/sandbox/nobody/_state`)).status).toBe(404);
  });
});
