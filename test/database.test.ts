import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Sqlite from 'better-sqlite3';
import { openDatabase, withStatementCache } from '../src/db/client.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { accountHolders, cards, customers, organizations } from '../src/db/tables.js';
import { seedCustomerGraph } from './fixtures.js';
import { createTestApp, type TestApp } from './helpers.js';
import { rawColumn } from './support/raw-sql.js';
import { onPostgres } from './support/test-database.js';

/** The driver's error, or the one drizzle wrapped it in ("Failed query: …", with the driver's as its cause), matches `pattern`. */
const failedWith = (pattern: RegExp) => (error: unknown) => pattern.test(`${String(error)} ${String((error as { cause?: unknown }).cause)}`);

describe('database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedCustomerGraph(t.database, 4);
  });
  afterAll(() => t.close());

  it.skipIf(onPostgres)('opens file databases in WAL mode with foreign keys on and a busy timeout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'customer-graph-'));
    const database = await openDatabase({ url: `file:${join(dir, 'nested', 'test.db')}`, busyTimeoutMs: 1234 });
    try {
      expect(database.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(database.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(database.sqlite.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(database.sqlite.pragma('busy_timeout', { simple: true })).toBe(1234);
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('migrations are idempotent: applying them twice changes nothing', async () => {
    await expect(migrateDatabase(t.database)).resolves.toBeUndefined();
    const tables = await rawColumn(
      t.database,
      t.database.dialect === 'sqlite'
        ? "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name"
        : "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
    );
    expect(tables).toEqual([
      'account_holders',
      'accounts',
      'addresses',
      'api_keys',
      'audit_events',
      'cards',
      'customers',
      'idempotency_keys',
      'identities',
      'organizations',
      'outbox',
      'outbox_attempts',
      'provider_links',
      'relationship_members',
      'relationships',
      'reserved_customer_numbers',
    ]);
  });

  it('refuses a card that carries more than the last four digits (no PAN can be stored)', async () => {
    await expect(
      t.database.db.insert(cards).values({
        id: 'crd-pan',
        accountId: 'acc-0000',
        holderId: 'cus-0000',
        last4: '4111111111111111',
        iin: '411111',
        type: 'DEBIT',
        network: 'VISA',
      }),
    ).rejects.toSatisfy(failedWith(/CHECK constraint failed: cards_last4_ck|violates check constraint "cards_last4_ck"/));
  });

  it('refuses a second primary holder on one account', async () => {
    await expect(
      t.database.db.insert(accountHolders).values({ accountId: 'jnt-0000', customerId: 'cus-0002', isPrimary: true }),
    ).rejects.toSatisfy(failedWith(/UNIQUE constraint failed: account_holders.account_id|violates unique constraint "account_holders_one_primary_uq"/));
  });

  it('enforces foreign keys', async () => {
    await expect(
      t.database.db.insert(customers).values({
        id: 'cus-orphan',
        organizationId: 'no-such-org',
        customerNumber: 'ORPHAN',
        firstName: 'A',
        lastName: 'B',
      }),
    ).rejects.toSatisfy(failedWith(/FOREIGN KEY constraint failed|violates foreign key constraint "customers_organization_id_organizations_id_fk"/));
  });

  it('refuses a private customer without a name and a business customer without a business name', async () => {
    await expect(
      t.database.db.insert(customers).values({ id: 'x1', organizationId: 'org-fixture-root', customerNumber: 'X1', kind: 'PRIVATE' }),
    ).rejects.toSatisfy(failedWith(/customers_name_ck/));
    await expect(
      t.database.db
        .insert(customers)
        .values({ id: 'x2', organizationId: 'org-fixture-root', customerNumber: 'X2', kind: 'BUSINESS', firstName: 'A', lastName: 'B' }),
    ).rejects.toSatisfy(failedWith(/customers_name_ck/));
  });

  describe('transaction', () => {
    it('commits everything the work wrote', async () => {
      await t.database.transaction(async (tx) => {
        await tx.insert(organizations).values({ id: 'org-tx-1', name: 'One' });
        await tx.insert(organizations).values({ id: 'org-tx-2', name: 'Two', parentId: 'org-tx-1' });
      });
      const rows = await t.database.db.select().from(organizations);
      expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining(['org-tx-1', 'org-tx-2']));
    });

    it('rolls back everything when the work throws, and rethrows', async () => {
      await expect(
        t.database.transaction(async (tx) => {
          await tx.insert(organizations).values({ id: 'org-rolled-back', name: 'Gone' });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      const rows = await t.database.db.select().from(organizations);
      expect(rows.map((r) => r.id)).not.toContain('org-rolled-back');
      if (t.database.dialect === 'sqlite') expect(t.database.sqlite.inTransaction).toBe(false);
    });

    // SQLite has one connection and one writer; Postgres runs transactions side by side on pooled connections
    it.skipIf(onPostgres)('serialises concurrent transactions on one connection instead of merging them', async () => {
      const order: string[] = [];
      const slow = t.database.transaction(async (tx) => {
        order.push('a:start');
        await tx.insert(organizations).values({ id: 'org-a', name: 'A' });
        await new Promise((resolve) => setImmediate(resolve));
        order.push('a:end');
        throw new Error('a fails');
      });
      const fast = t.database.transaction(async (tx) => {
        order.push('b:start');
        await tx.insert(organizations).values({ id: 'org-b', name: 'B' });
        order.push('b:end');
      });
      await expect(slow).rejects.toThrow('a fails');
      await fast;
      expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end']);
      const ids = (await t.database.db.select().from(organizations)).map((r) => r.id);
      expect(ids).toContain('org-b');
      expect(ids).not.toContain('org-a');
    });
  });
});

describe.skipIf(onPostgres)('statement cache (what drizzle prepares through, SQLite)', () => {
  it('compiles each SQL text once, hands it back with raw mode off, and evicts the least recently used', () => {
    const sqlite = new Sqlite(':memory:');
    const client = withStatementCache(sqlite, 2);
    const a = client.prepare('select 1 as one');
    expect(client.prepare('select 1 as one')).toBe(a);
    // drizzle switches raw mode on for row arrays; the next user gets objects again
    expect(a.raw().get()).toEqual([1]);
    expect(client.prepare('select 1 as one').get()).toEqual({ one: 1 });
    // a statement that returns no data has no raw mode to reset
    const write = client.prepare('create table t (x)');
    write.run();
    const insert = client.prepare('insert into t values (1)');
    expect(client.prepare('insert into t values (1)')).toBe(insert);
    // capacity 2: 'select 1' was least recently used and is compiled anew
    expect(client.prepare('select 1 as one')).not.toBe(a);
    // everything else is the connection itself
    expect(client.pragma('user_version', { simple: true })).toBe(0);
    expect(client.inTransaction).toBe(false);
    sqlite.close();
  });

  it('serves drizzle: repeated queries reuse one statement and answer correctly', async () => {
    const database = await openDatabase({ url: ':memory:' });
    await migrateDatabase(database);
    const prepare = database.sqlite.prepare.bind(database.sqlite);
    let compiled = 0;
    database.sqlite.prepare = ((source: string) => (compiled++, prepare(source))) as typeof database.sqlite.prepare;
    for (let i = 0; i < 5; i++) {
      const rows = await database.db.select({ id: organizations.id }).from(organizations);
      expect(rows).toEqual([]);
    }
    expect(compiled).toBe(1);
    await database.close();
  });
});
