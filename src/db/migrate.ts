import { fileURLToPath } from 'node:url';
import type Sqlite from 'better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Database, Db } from './client.js';

/** drizzle-kit writes SQLite migrations here (drizzle.config.ts); resolved from this file, not the working directory. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));
/** …and Postgres migrations here (drizzle.postgres.config.ts). */
export const POSTGRES_MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle/postgres', import.meta.url));

/**
 * Applies every pending migration of the database's dialect from its folder (idempotent: applied
 * ones are recorded and skipped). On Postgres, instances starting together take turns (an advisory
 * lock, see openPostgresDatabase), so each migration runs once; on SQLite, see migrateSqlite.
 */
export async function migrateDatabase(database: Database, migrationsFolder?: string): Promise<void> {
  await database.migrate(migrationsFolder ?? (database.dialect === 'postgres' ? POSTGRES_MIGRATIONS_FOLDER : MIGRATIONS_FOLDER));
}

/**
 * SQLite's migration run (openDatabase's `migrate` for a SQLite database).
 *
 * SQLite cannot alter a CHECK constraint, so drizzle-kit rebuilds the table (create new, copy,
 * drop old, rename). Its `PRAGMA foreign_keys=OFF` is a no-op inside the migrator's transaction,
 * and with foreign keys on, dropping the old table would cascade-delete every row that references
 * it. So foreign keys are off for the whole run — SQLite's documented procedure for rebuilds — and
 * the result is checked with `foreign_key_check` before they are switched back on.
 */
export function migrateSqlite(sqlite: Sqlite.Database, db: Db, migrationsFolder: string): void {
  sqlite.pragma('foreign_keys = OFF');
  try {
    migrate(db, { migrationsFolder });
    const violations = sqlite.pragma('foreign_key_check') as unknown[];
    if (violations.length > 0) {
      throw new Error(`migrations left ${violations.length} foreign key violation(s): ${JSON.stringify(violations.slice(0, 5))}`);
    }
  } finally {
    sqlite.pragma('foreign_keys = ON');
  }
}
