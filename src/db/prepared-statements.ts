import { getTableColumns, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { tablesDialect } from './tables.js';
import type { Db } from './client.js';

const cache = new WeakMap<Db, Map<string, unknown>>();

/** A built drizzle query that can be prepared: an insert, update or select builder. */
interface Preparable {
  prepare(name: string): unknown;
}

/**
 * A drizzle query prepared once per connection (per transaction on Postgres) and reused, whose
 * placeholders are encoded through their columns before it runs.
 *
 * Why: building and preparing a drizzle statement costs several times running it, which is what a
 * write per row of a bulk import would otherwise pay per row. And drizzle's own placeholder encoding
 * walks a class chain per value and encodes null as a value (a null boolean would become 0, a null
 * date would throw); here each value is encoded as drizzle encodes a literal — a Date to epoch
 * milliseconds, a boolean to the dialect's boolean, JSON to text, an encrypted column encrypted — and
 * null stays NULL. A value left undefined is refused rather than stored as a guess. Drizzle still logs
 * every run, so statement counts are as with an ad-hoc query. On Postgres the statement is a named
 * server-side prepared statement (`name`).
 *
 * `columnsOf` names each placeholder and the column that encodes its value; `build` gets `slot(name)`
 * to put the placeholder where a value goes (insert values, update sets, conditions). Both run once.
 * @example const update = preparedQuery(tx, 'outbox:touch', () => ({ id: outbox.id, now: outbox.updatedAt }), (db, slot) =>
 *            db.update(outbox).set({ updatedAt: slot('now') }).where(eq(outbox.id, slot('id'))));
 *          await update.run({ id, now: new Date() });
 */
export function preparedQuery<Row = unknown>(
  db: Db,
  name: string,
  columnsOf: () => Readonly<Record<string, AnyColumn>>,
  build: (db: Db, slot: (name: string) => SQL) => Preparable,
): PreparedQuery<Row> {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map()));
  let statement = statements.get(name) as PreparedQuery<Row> | undefined;
  if (statement === undefined) {
    const columns = columnsOf();
    const slot = (key: string) => {
      if (!(key in columns)) throw new Error(`${name}: no column for placeholder "${key}"`);
      return sql`${sql.placeholder(key)}`;
    };
    const prepared = build(db, slot).prepare(name.replace(/[^A-Za-z0-9_]/g, '_')) as DialectPrepared<Row>;
    const encode = encoderOf(name, columns);
    statement =
      tablesDialect() === 'postgres'
        ? {
            run: async (values) => void (await prepared.execute(encode(values))),
            get: async (values) => ((await prepared.execute(encode(values))) as Row[])[0],
            placeholders: Object.keys(columns).length,
          }
        : {
            run: async (values) => void prepared.run(encode(values)),
            get: async (values) => prepared.get(encode(values)),
            placeholders: Object.keys(columns).length,
          };
    statements.set(name, statement);
  }
  return statement;
}

/** What drizzle's prepare answers: SQLite's runs synchronously, Postgres's `execute` answers a promise. */
interface DialectPrepared<Row> {
  run(values: Record<string, unknown>): unknown;
  get(values: Record<string, unknown>): Row | undefined;
  execute(values: Record<string, unknown>): Promise<unknown>;
}

export interface PreparedQuery<Row = unknown> {
  /** Runs the statement with `values` (encoded; throws when one is undefined). */
  run(values: Readonly<Record<string, unknown>>): Promise<void>;
  /** Runs it and answers its first row (a select, or a write with `returning`). */
  get(values: Readonly<Record<string, unknown>>): Promise<Row | undefined>;
  placeholders: number;
}

function encoderOf(name: string, columns: Readonly<Record<string, AnyColumn>>) {
  const entries = Object.entries(columns);
  return (values: Readonly<Record<string, unknown>>): Record<string, unknown> => {
    const encoded: Record<string, unknown> = {};
    for (const [key, column] of entries) {
      const value = values[key];
      if (value === undefined) throw new Error(`${name}: no value for ${column.name} (placeholder "${key}")`);
      encoded[key] = value === null ? null : column.mapToDriverValue(value);
    }
    return encoded;
  };
}

/**
 * Inserts `row` (every key a column of `table`) with a statement prepared once per connection under
 * `name`: one statement per table and column set, run per row.
 * @example await insertPrepared(tx, 'cards', cards, { id, accountId, … });
 */
export async function insertPrepared<T extends SQLiteTable>(db: Db, name: string, table: T, row: T['$inferInsert']): Promise<void> {
  const keys = Object.keys(row);
  const statement = preparedQuery(
    db,
    `insert:${name}`,
    () => Object.fromEntries(keys.map((key) => [key, columnOf(table, key)])),
    (tx, slot) => tx.insert(table).values(Object.fromEntries(keys.map((key) => [key, slot(key)])) as T['$inferInsert']),
  );
  // encode refuses a missing column; the same count then means the same columns
  if (keys.length !== statement.placeholders) throw new Error(`insert:${name}: a row with other columns than the statement's`);
  await statement.run(row);
}

function columnOf(table: SQLiteTable, key: string): AnyColumn {
  const column = (getTableColumns(table) as Record<string, AnyColumn>)[key];
  if (!column) throw new Error(`${key} is not a column`);
  return column;
}
