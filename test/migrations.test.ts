import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { MIGRATIONS_FOLDER, migrateDatabase } from '../src/db/migrate.js';
import { accountHolders, accounts, cards } from '../src/db/tables.js';
import { seedCustomerGraph } from './fixtures.js';
import { onPostgres } from './support/test-database.js';

/** A copy of drizzle/ holding only the first `count` migrations. */
function migrationsUpTo(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'customer-graph-migrations-'));
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalFile = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8'));
  journal.entries = journal.entries.slice(0, count);
  writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

// SQLite's migration history (table rebuilds); Postgres's migrations start from the current schema
describe.skipIf(onPostgres)('migrations (SQLite)', () => {
  const cleanup: string[] = [];
  afterEach(() => cleanup.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('keep every row when a migration rebuilds a table that others reference with ON DELETE CASCADE', async () => {
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'));
    const rebuild = journal.entries.findIndex((entry: { tag: string }) =>
      readFileSync(join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), 'utf8').includes('DROP TABLE `accounts`'),
    );
    expect(rebuild, 'a migration rebuilds accounts').toBeGreaterThan(0);

    const earlier = migrationsUpTo(rebuild);
    cleanup.push(earlier);
    const database = await openDatabase({ url: ':memory:' });
    await migrateDatabase(database, earlier);
    await seedCustomerGraph(database, 10);
    const before = {
      accounts: (await database.db.select().from(accounts)).length,
      holders: (await database.db.select().from(accountHolders)).length,
      cards: (await database.db.select().from(cards)).length,
    };
    expect(before.cards).toBe(10);

    await migrateDatabase(database);
    expect({
      accounts: (await database.db.select().from(accounts)).length,
      holders: (await database.db.select().from(accountHolders)).length,
      cards: (await database.db.select().from(cards)).length,
    }).toEqual(before);
    expect(database.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    await database.close();
  });
});
