import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Sqlite from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema.js';
import { createTransactionRunner, type RunInTransaction } from './transaction.js';

export type Db = BetterSQLite3Database<typeof schema>;

export interface DatabaseOptions {
  /** `:memory:` or `file:<path>`; the directory of a file database is created if missing. */
  url: string;
  busyTimeoutMs?: number;
  /** Called for every SQL statement drizzle runs (metrics, tests counting statements). */
  onQuery?: (sql: string, params: unknown[]) => void;
}

export interface Database {
  db: Db;
  sqlite: Sqlite.Database;
  /** Runs async work in one write transaction; see createTransactionRunner. */
  transaction: RunInTransaction;
  /**
   * Runs one read statement and returns its rows as arrays (columns in select order), through the
   * same statement cache and statement counter drizzle uses. For hot paths that decode rows
   * themselves (src/loaders/keyed-select.ts); everything else goes through `db`.
   */
  rows(sql: string, params: readonly unknown[]): unknown[][];
  close(): void;
}

/**
 * Opens the SQLite database with the settings the app relies on.
 *
 * - `journal_mode = WAL`: readers never block the writer, and a crash loses no committed transaction.
 * - `synchronous = NORMAL`: in WAL mode this is durable across process crashes (SIGKILL); only an OS
 *   crash or power loss can drop the last transactions, which is the usual trade for write latency.
 * - `foreign_keys = ON`: SQLite leaves them off per connection unless asked.
 * - `busy_timeout`: a second process on the same file waits for the lock instead of failing at once.
 *
 * @example const { db, close } = openDatabase({ url: ':memory:' });
 */
export function openDatabase(options: DatabaseOptions): Database {
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

  const rows = (source: string, params: readonly unknown[]): unknown[][] => {
    onQuery?.(source, params as unknown[]);
    return client.prepare(source).raw(true).all(...params) as unknown[][];
  };
  return { db, sqlite, transaction: createTransactionRunner(sqlite, db), rows, close: () => sqlite.close() };
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
