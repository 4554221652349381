import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthenticator, newApiKey } from '../src/auth/authenticator.js';
import { openDatabase } from '../src/db/client.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { apiKeys } from '../src/db/tables.js';
import { ensureRootOrganization } from '../src/domain/organizations.js';
import { createTestApp, TEST_JWT_SECRET, type TestApp } from './helpers.js';
import { CREATE, fullCustomerInput } from './mutations.js';
import { rawColumn, rawRun } from './support/raw-sql.js';
import { sharedTestDatabase } from './support/test-database.js';
import { TEST_IDENTITY_KEY } from './support/test-keys.js';

const QUERY = '{ customers { totalCount } }';

async function raw(t: TestApp, authorization?: string) {
  const response = await t.app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query: QUERY }),
  });
  return { status: response.status, body: (await response.json()) as any, challenge: response.headers.get('www-authenticate') };
}

describe('authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demo: true });
  });
  afterAll(() => t.close());

  it('a GraphQL request without credentials gets 401 with a clear message', async () => {
    const { status, body, challenge } = await raw(t);
    expect(status).toBe(401);
    expect(body.errors[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(body.errors[0].message).toMatch(/Authorization: Bearer/);
    expect(challenge).toMatch(/^Bearer/);
  });

  it('/health stays open, and GraphiQL’s page loads without credentials', async () => {
    expect((await t.app.fetch('http://localhost/health')).status).toBe(200);
    const page = await t.app.fetch('http://localhost/graphql', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('GraphiQL');
  });

  it('a token with a bad signature gets 401 INVALID_TOKEN', async () => {
    const forged = await new SignJWT({ org: t.organizationId, scope: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setAudience('customer-graph')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-different-secret-of-enough-length!!'));
    const { status, body } = await raw(t, `Bearer ${forged}`);
    expect(status).toBe(401);
    expect(body.errors[0].extensions.code).toBe('INVALID_TOKEN');
  });

  it('an expired token says it expired', async () => {
    const expired = await t.authenticator.sign({ organizationId: t.organizationId, subject: 'late', scopes: ['admin'], expiresIn: -60 });
    const { status, body } = await raw(t, `Bearer ${expired}`);
    expect(status).toBe(401);
    expect(body.errors[0]).toMatchObject({ extensions: { code: 'TOKEN_EXPIRED' } });
    expect(body.errors[0].message).toMatch(/expired/);
  });

  it('a token for another audience, without an organization, or malformed gets 401', async () => {
    const secret = new TextEncoder().encode(TEST_JWT_SECRET);
    const otherAudience = await new SignJWT({ org: t.organizationId }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setAudience('other').setExpirationTime('1h').sign(secret);
    const noOrg = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setAudience('customer-graph').setExpirationTime('1h').sign(secret);
    for (const token of [otherAudience, noOrg, 'not-a-jwt']) {
      expect((await raw(t, `Bearer ${token}`)).status).toBe(401);
    }
    expect((await raw(t, `Basic dXNlcjpwYXNz`)).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('API keys: stored hashed, scoped to an organization; a wrong or revoked key gets 401', async () => {
    const { key, hash } = newApiKey('partner-1');
    await t.database.db.insert(apiKeys).values({ id: 'partner-1', organizationId: t.organizationId, name: 'partner', keyHash: hash, scopes: ['customers:read'] });
    const [stored] = await rawColumn<string>(t.database, 'select key_hash from api_keys');
    expect(stored).not.toContain(key.split('_').at(-1)!);
    const ok = await raw(t, `Bearer ${key}`);
    expect(ok).toMatchObject({ status: 200, body: { data: { customers: { totalCount: 24 } } } });
    expect((await raw(t, `Bearer ${key.slice(0, -2)}xx`)).body.errors[0].extensions.code).toBe('INVALID_API_KEY');
    await rawRun(t.database, 'update api_keys set revoked_at = 1');
    expect((await raw(t, `Bearer ${key}`)).status).toBe(401);
  });

  it('scopes: reading needs customers:read, changing needs customers:write (403 FORBIDDEN otherwise); admin holds all', async () => {
    const reader = await t.tokenFor(t.organizationId, ['customers:read']);
    expect((await t.graphql(QUERY, {}, reader)).body).toEqual({ data: { customers: { totalCount: 24 } } });
    const write = await t.graphql(CREATE, { input: { customer: fullCustomerInput({ accounts: [] }), providers: [] } }, reader);
    expect(write.status).toBe(403);
    expect(write.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'customers:write' });
    const writerOnly = await t.tokenFor(t.organizationId, ['customers:write']);
    expect((await t.graphql(QUERY, {}, writerOnly)).body.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect((await t.graphql(QUERY, {}, t.token)).status).toBe(200);
  });

  it('Enfuce’s auditUser is the viewer’s subject', async () => {
    const alice = await t.tokenFor(t.organizationId, ['customers:write', 'customers:read'], 'alice@bank.example');
    const { body } = await t.graphql(CREATE, { input: { customer: fullCustomerInput({ accounts: [] }), providers: ['ENFUCE'] } }, alice);
    expect(body.data.customerCreate.userErrors).toEqual([]);
    const [record] = t.sandboxState('ENFUCE').records['customers'] as { auditUser: string }[];
    expect(record!.auditUser).toBe('alice@bank.example');
  });
});

describe('npm run token', () => {
  const dir = mkdtempSync(join(tmpdir(), 'customer-graph-token-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints only a token on its last line, for the root organization and all scopes by default', async () => {
    const storage = await sharedTestDatabase(dir);
    const url = storage.url;
    const database = await openDatabase({ url });
    await migrateDatabase(database);
    const organizationId = await ensureRootOrganization(database);
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/token.ts', '--scopes', 'customers:read,pii:read'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, DATABASE_URL: url, JWT_SECRET: TEST_JWT_SECRET, IDENTITY_ENCRYPTION_KEY: TEST_IDENTITY_KEY },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const token = run.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const authenticator = await createAuthenticator({ database, secret: TEST_JWT_SECRET, audience: 'customer-graph' });
    expect(await authenticator.authenticate(`Bearer ${token}`)).toEqual({
      organizationId,
      subject: 'local-developer',
      scopes: ['customers:read', 'pii:read'],
      expiresAt: expect.any(Date),
    });
    await database.close();
    await storage.drop();
  });
});
