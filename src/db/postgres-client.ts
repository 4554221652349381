import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Database, DatabaseOptions, Db } from './client.js';
import * as schema from './schema.pg.js';

/**
 * bigint (int8) columns hold epoch milliseconds and counts, far below 2^53: read as numbers, not
 * node-postgres's default strings.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** The advisory lock instances take turns migrating under: an arbitrary constant, the same in every instance. */
const MIGRATION_LOCK_KEY = '7163677312345678';

/**
 * Opens a Postgres database: a node-postgres pool (connections are opened on first use) under
 * drizzle's node-postgres driver, over the Postgres twins of the tables.
 *
 * Transactions are drizzle's: one pooled connection, BEGIN … COMMIT at READ COMMITTED, rolled back
 * if `work` throws. Unlike SQLite's one-writer lock, Postgres runs transactions concurrently, so the
 * code that must not race takes row locks or relies on unique constraints (the outbox claim uses
 * FOR UPDATE SKIP LOCKED, src/domain/outbox-worker.ts).
 */
export function openPostgresDatabase(options: DatabaseOptions): Database {
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, types });
  // An idle pooled connection the server closed (restart, failover, pg_terminate_backend): the pool
  // drops it and connects anew on demand. Without a listener, node-postgres would throw it unhandled.
  // Queries in flight get their own errors.
  pool.on('error', () => undefined);
  const onQuery = options.onQuery;
  const db = drizzle({
    client: pool,
    schema,
    ...(onQuery ? { logger: { logQuery: (query: string, params: unknown[]) => onQuery(query, params) } } : {}),
  }) as unknown as Db;
  return {
    dialect: 'postgres',
    db,
    get sqlite(): never {
      throw new Error('this database is Postgres: database.sqlite exists on SQLite only');
    },
    transaction: (work) => (db as unknown as ReturnType<typeof drizzle>).transaction((tx) => work(tx as unknown as Db)),
    rows: async (text, params) => {
      onQuery?.(text, params as unknown[]);
      return (await pool.query({ text, values: params as unknown[], rowMode: 'array' })).rows as unknown[][];
    },
    migrate: async (folder) => {
      // one connection holds the lock and runs the migrations, so a second instance waits, then finds them applied
      const connection = await pool.connect();
      try {
        await connection.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        await migrate(drizzle({ client: connection }), { migrationsFolder: folder });
      } finally {
        await connection.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
        connection.release();
      }
    },
    ping: async () => {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}
