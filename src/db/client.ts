import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Sqlite from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema.js';
import { selectTables, type Dialect } from './tables.js';
import { isPostgresUrl } from './url.js';
import { migrateSqlite } from './migrate.js';
import { createTransactionRunner, type RunInTransaction } from './transaction.js';

/**
 * The drizzle database queries are written against. Typed as SQLite's; on Postgres it is drizzle's
 * node-postgres database over the twin tables (src/db/tables.ts), which builds the same queries.
 * Await queries (both dialects answer promises); SQLite-only builder methods (`.run()`, `.all()`,
 * `.get()`) do not exist on Postgres.
 */
export type Db = BetterSQLite3Database<typeof schema>;

export interface DatabaseOptions {
  /** `:memory:`, `file:<path>` (SQLite; the directory is created if missing) or `postgres://…` / `postgresql://…`. */
  url: string;
  busyTimeoutMs?: number;
  /** Postgres: most connections the pool opens. */
  poolSize?: number;
  /** Called for every SQL statement drizzle runs (metrics, tests counting statements). */
  onQuery?: (sql: string, params: unknown[]) => void;
}

export interface Database {
  dialect: Dialect;
  db: Db;
  /** The SQLite connection, for SQLite's own maintenance (encrypting legacy rows) and tests; throws on Postgres. */
  readonly sqlite: Sqlite.Database;
  /** Runs async work in one write transaction; see createTransactionRunner and openPostgresDatabase. */
  transaction: RunInTransaction;
  /**
   * Runs one read statement (in the dialect's SQL: `?` or `$1` placeholders) and returns its rows as
   * arrays (columns in select order), counted like drizzle's statements. For hot paths that decode
   * rows themselves (src/loaders/keyed-select.ts); everything else goes through `db`.
   */
  rows(sql: string, params: readonly unknown[]): Promise<unknown[][]>;
  /** Applies the pending migrations in `folder` (migrateDatabase, src/db/migrate.ts, names the dialect's folder). */
  migrate(folder: string): Promise<void>;
  /** Resolves when the database answers a trivial query (health). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the database `options.url` names — SQLite or Postgres — and selects its dialect's tables for
 * the process (src/db/tables.ts). The Postgres driver is loaded only when a Postgres database is
 * opened: merely loaded, node-postgres and drizzle's driver for it raised a SQLite server's resident
 * memory under mixed load by ~100 MB (V8 kept a larger heap; measured with the bench's footprint load).
 * @example const database = await openDatabase({ url: ':memory:' });
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const dialect: Dialect = isPostgresUrl(options.url) ? 'postgres' : 'sqlite';
  selectTables(dialect);
  if (dialect === 'sqlite') return openSqliteDatabase(options);
  const { openPostgresDatabase } = await import('./postgres-client.js');
  return openPostgresDatabase(options);
}

/**
 * Opens the SQLite database with the settings the app relies on.
 *
 * - `journal_mode = WAL`: readers never block the writer, and a crash loses no committed transaction.
 * - `synchronous = NORMAL`: in WAL mode this is durable across process crashes (SIGKILL); only an OS
 *   crash or power loss can drop the last transactions, which is the usual trade for write latency.
 * - `foreign_keys = ON`: SQLite leaves them off per connection unless asked.
 * - `busy_timeout`: a second process on the same file waits for the lock instead of failing at once.
 * - `cache_size` stays better-sqlite3's 16 MB (SQLite's own default is 2 MB): under the bench's mixed
 *   load it fills, but a 2 MB cache made `customersImport` of 10,000 ~5 % slower (8 MB: ~2 %), while
 *   the stitched read measured the same (0.99–1.04×). The simulators' stores use 2 MB (sandbox-kit.ts).
 */
function openSqliteDatabase(options: DatabaseOptions): Database {
  const filename = options.url === ':memory:' ? ':memory:' : options.url.slice('file:'.length);
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });

  const sqlite = new Sqlite(filename);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);

  const onQuery = options.onQuery;
  const client = withStatementCache(sqlite);
  const db = drizzle({
    client,
    schema,
    ...(onQuery ? { logger: { logQuery: (query: string, params: unknown[]) => onQuery(query, params) } } : {}),
  });

  return {
    dialect: 'sqlite',
    db,
    sqlite,
    transaction: createTransactionRunner(sqlite, db),
    rows: async (source, params) => {
      onQuery?.(source, params as unknown[]);
      return client.prepare(source).raw(true).all(...params) as unknown[][];
    },
    migrate: async (folder) => migrateSqlite(sqlite, db, folder),
    ping: async () => {
      client.prepare('select 1').get();
    },
    close: async () => {
      sqlite.close();
    },
  };
}

/** Distinct SQL texts kept compiled; IN (…) lists of every length up to a loader's batch size fit. */
export const STATEMENT_CACHE_SIZE = 2000;

/**
 * The connection as drizzle sees it, with `prepare` answering from a least-recently-used cache of
 * compiled statements keyed by SQL text: drizzle prepares anew for every query it runs, and SQLite's
 * compile costs more than running a small indexed statement. A cached statement is handed back with
 * raw mode off, as a fresh one would be (drizzle switches it on per query for row arrays).
 * Everything else is the connection itself.
 */
export function withStatementCache(sqlite: Sqlite.Database, capacity = STATEMENT_CACHE_SIZE): Sqlite.Database {
  const statements = new Map<string, Sqlite.Statement>();
  const prepare = (source: string): Sqlite.Statement => {
    let statement = statements.get(source);
    if (statement) {
      statements.delete(source);
      if (statement.reader) statement.raw(false);
    } else {
      statement = sqlite.prepare(source);
      if (statements.size >= capacity) statements.delete(statements.keys().next().value!);
    }
    statements.set(source, statement);
    return statement;
  };
  return new Proxy(sqlite, {
    get(target, property) {
      if (property === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
