import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandboxProcess, startServerProcess, stopServerProcess } from './support/server-process.js';
import { fullCustomerInput } from './mutations.js';

// what `npm start` runs: the build in dist/ (test/global-setup.ts builds it once per run)
const startServer = (env: Record<string, string>) => startServerProcess(env, { build: true });
const stop = stopServerProcess;

async function query(url: string, source: string, token: string | null) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: source }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('server (npm start)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'customer-graph-server-'));
  const env = { DATABASE_URL: `file:${join(dir, 'db', 'customer-graph.db')}`, HOST: '127.0.0.1' };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates an empty file database, loads the demo data, and answers the README query', async () => {
    const server = await startServer(env);
    try {
      expect(server.output()).toMatch(/Loaded demo data: 24 customers/);
      expect(server.graphqlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
      const { status, body } = await query(
        server.graphqlUrl,
        '{ customers(first: 5) { edges { node { id customerNumber name { first last } } } } }',
        server.token,
      );
      expect(status).toBe(200);
      expect(body.data.customers.edges).toHaveLength(5);
      expect(body.data.customers.edges[0].node).toMatchObject({ customerNumber: '4000000000000001001', name: { first: 'Aino', last: 'Virtanen' } });

      const page = await fetch(server.graphqlUrl, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('GraphiQL');
      // sandbox mode: GraphiQL's Headers tab starts with the printed token
      expect(html).toContain(server.token);
      const health = await fetch(server.graphqlUrl.replace('/graphql', '/health'));
      expect(health.status).toBe(200);
      // without the token: 401 with a clear message
      const anonymous = await query(server.graphqlUrl, '{ customers { totalCount } }', null);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(await stop(server.child)).toBe(0);
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('keeps its data across a restart and does not load the demo twice', async () => {
    const server = await startServer(env);
    try {
      expect(server.output()).not.toMatch(/Loaded demo data/);
      const { body } = await query(server.graphqlUrl, '{ customers { totalCount } }', server.token);
      expect(body.data.customers.totalCount).toBe(24);
      expect(await stop(server.child)).toBe(0);
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('refuses to start on bad configuration, naming the variable', async () => {
    await expect(startServer({ ...env, PORT: 'eighty' })).rejects.toThrow(/exited with 1[\s\S]*PORT/);
  });

  it('with SANDBOX_URL, uses the simulators of `npm run sandbox` and serves none itself', async () => {
    const sandboxDir = join(dir, 'sandbox');
    const sandbox = await startSandboxProcess(sandboxDir);
    const server = await startServer({
      DATABASE_URL: `file:${join(dir, 'external', 'customer-graph.db')}`,
      HOST: '127.0.0.1',
      SANDBOX_URL: sandbox.origin,
      SANDBOX_DATA_DIR: sandboxDir,
    });
    try {
      const created = await fetch(server.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
        body: JSON.stringify({
          query: 'mutation ($input: CustomerCreateInput!) { customerCreate(input: $input) { providerResults { provider status error } userErrors { message } } }',
          variables: { input: { customer: fullCustomerInput() } },
        }),
      });
      const payload = ((await created.json()) as any).data.customerCreate;
      expect(payload.userErrors).toEqual([]);
      expect(Object.fromEntries(payload.providerResults.map((r: any) => [r.provider, r.status]))).toEqual({
        CARDLYTICS: 'SYNCED', ENFUCE: 'SYNCED', FIRSTVISION: 'SYNCED', FLOLIVE: 'IN_PROGRESS', NOAH: 'SYNCED',
      });
      // the records are in the sandbox process; the server mounts no simulator of its own
      const state = (await (await fetch(`${sandbox.origin}/sandbox/enfuce/_state`)).json()) as any;
      expect(Object.values(state.records).flat()).toHaveLength(1);
      expect((await fetch(server.graphqlUrl.replace('/graphql', '/sandbox/enfuce/_state'))).status).toBe(404);
    } finally {
      await stop(server.child);
      await stop(sandbox.child);
    }
  });
});
