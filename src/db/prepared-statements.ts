import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { AnySQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from './client.js';

const cache = new WeakMap<Db, Map<string, unknown>>();

/**
 * A drizzle query prepared once per connection and reused, whose placeholders are encoded through
 * their columns before it runs.
 *
 * Why: building and preparing a drizzle statement costs several times running it, which is what a
 * write per row of a bulk import would otherwise pay per row. And drizzle's own placeholder encoding
 * walks a class chain per value and encodes null as a value (a null boolean would become 0, a null
 * date would throw); here each value is encoded as drizzle encodes a literal — a Date to epoch
 * milliseconds, a boolean to 0/1, JSON to text, an encrypted column encrypted — and null stays NULL.
 * A value left undefined is refused rather than stored as a guess. Drizzle still logs every run, so
 * statement counts are as with an ad-hoc query.
 *
 * `columnsOf` names each placeholder and the column that encodes its value; `build` gets `slot(name)`
 * to put the placeholder where a value goes (insert values, update sets, conditions). Both run once.
 * @example const update = preparedQuery(tx, 'outbox:touch', () => ({ id: outbox.id, now: outbox.updatedAt }), (db, slot) =>
 *            db.update(outbox).set({ updatedAt: slot('now') }).where(eq(outbox.id, slot('id'))).prepare());
 *          update.query.run(update.encode({ id, now: new Date() }));
 */
export function preparedQuery<Q>(
  db: Db,
  name: string,
  columnsOf: () => Readonly<Record<string, AnySQLiteColumn>>,
  build: (db: Db, slot: (name: string) => SQL) => Q,
): PreparedQuery<Q> {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map()));
  let statement = statements.get(name) as PreparedQuery<Q> | undefined;
  if (statement === undefined) {
    const columns = columnsOf();
    const slot = (key: string) => {
      if (!(key in columns)) throw new Error(`${name}: no column for placeholder "${key}"`);
      return sql`${sql.placeholder(key)}`;
    };
    statement = { query: build(db, slot), encode: encoderOf(name, columns), placeholders: Object.keys(columns).length };
    statements.set(name, statement);
  }
  return statement;
}

export interface PreparedQuery<Q> {
  query: Q;
  /** The values for `query`'s placeholders, encoded; throws when one is undefined. */
  encode: (values: Readonly<Record<string, unknown>>) => Record<string, unknown>;
  placeholders: number;
}

function encoderOf(name: string, columns: Readonly<Record<string, AnySQLiteColumn>>) {
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
 * @example insertPrepared(tx, 'cards', cards, { id, accountId, … });
 */
export function insertPrepared<T extends SQLiteTable>(db: Db, name: string, table: T, row: T['$inferInsert']): void {
  const keys = Object.keys(row);
  const statement = preparedQuery(
    db,
    `insert:${name}`,
    () => Object.fromEntries(keys.map((key) => [key, columnOf(table, key)])),
    (tx, slot) =>
      tx
        .insert(table)
        .values(Object.fromEntries(keys.map((key) => [key, slot(key)])) as T['$inferInsert'])
        .prepare(),
  );
  // encode refuses a missing column; the same count then means the same columns
  if (keys.length !== statement.placeholders) throw new Error(`insert:${name}: a row with other columns than the statement's`);
  statement.query.run(statement.encode(row));
}

function columnOf(table: SQLiteTable, key: string): AnySQLiteColumn {
  const column = (getTableColumns(table) as Record<string, AnySQLiteColumn>)[key];
  if (!column) throw new Error(`${key} is not a column`);
  return column;
}

/**
 * `column IN (values)` with the values bound as one JSON array: one statement text and one bound
 * value whatever their number (drizzle's inArray binds, and builds, one parameter per value — a bulk
 * import's lookups carry a thousand), so the compiled statement is reused and SQLite's bound-variable
 * limit never applies. SQLite still searches the column's index for each value.
 * @example db.select().from(customers).where(inJsonList(customers.customerNumber, numbers))
 */
export function inJsonList(column: AnySQLiteColumn, values: readonly (string | number)[]): SQL {
  return sql`${column} in (select value from json_each(${JSON.stringify(values)}))`;
}
