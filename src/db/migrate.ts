import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Database } from './client.js';

/** drizzle-kit writes migrations here; the path is resolved from this file, not the working directory. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

/**
 * Applies every pending migration (idempotent: applied ones are recorded and skipped).
 *
 * SQLite cannot alter a CHECK constraint, so drizzle-kit rebuilds the table (create new, copy,
 * drop old, rename). Its `PRAGMA foreign_keys=OFF` is a no-op inside the migrator's transaction,
 * and with foreign keys on, dropping the old table would cascade-delete every row that references
 * it. So foreign keys are off for the whole run — SQLite's documented procedure for rebuilds — and
 * the result is checked with `foreign_key_check` before they are switched back on.
 */
export function migrateDatabase(database: Database, migrationsFolder = MIGRATIONS_FOLDER): void {
  const { sqlite } = database;
  sqlite.pragma('foreign_keys = OFF');
  try {
    migrate(database.db, { migrationsFolder });
    const violations = sqlite.pragma('foreign_key_check') as unknown[];
    if (violations.length > 0) {
      throw new Error(`migrations left ${violations.length} foreign key violation(s): ${JSON.stringify(violations.slice(0, 5))}`);
    }
  } finally {
    sqlite.pragma('foreign_keys = ON');
  }
}
