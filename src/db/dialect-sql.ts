/**
 * The few pieces of SQL that differ by dialect, so that callers write each query once: hand-written
 * statements' rows, a bound list of values, row locks. The dialect is the process's (src/db/tables.ts).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db } from './client.js';
import { tablesDialect } from './tables.js';

/**
 * Every row of a hand-written statement (a write with `returning`, say), as objects keyed by the
 * selected column names, with the driver's values (SQLite's integers for booleans, Postgres's booleans).
 * @example const rows = await allRows<{ id: string }>(tx, sql`update outbox set … returning id`);
 */
export async function allRows<Row>(db: Db, query: SQL): Promise<Row[]> {
  if (tablesDialect() === 'postgres') return ((await (db as unknown as PostgresSession).execute(query)) as { rows: Row[] }).rows;
  return db.all<Row>(query);
}

/** Runs a hand-written statement that answers no rows (an update, a delete, DDL). */
export async function runSql(db: Db, query: SQL): Promise<void> {
  if (tablesDialect() === 'postgres') await (db as unknown as PostgresSession).execute(query);
  else db.run(query);
}

interface PostgresSession {
  execute(query: SQL): Promise<unknown>;
}

/**
 * `column IN (values)` with the values bound as one parameter: one statement text and one bound value
 * whatever their number (drizzle's inArray binds, and builds, one parameter per value — a bulk
 * import's lookups carry a thousand), so the compiled statement is reused and SQLite's bound-variable
 * limit never applies. SQLite reads them from a JSON array (`json_each`), Postgres from a text array
 * (`= any($1::text[])`); both still search the column's index for each value.
 * @example db.select().from(customers).where(inJsonList(customers.customerNumber, numbers))
 */
export function inJsonList(column: AnySQLiteColumn, values: readonly string[]): SQL {
  if (tablesDialect() === 'postgres') return sql`${column} = any(${sql.param(values)}::text[])`;
  return sql`${column} in (select value from json_each(${JSON.stringify(values)}))`;
}

/**
 * `query` taking row locks on Postgres (`FOR UPDATE`), so concurrent transactions that read and then
 * change the same rows take turns; on SQLite the write transaction already holds the database's one
 * write lock (BEGIN IMMEDIATE), and the query is unchanged.
 * @example const [row] = await forUpdate(tx.select().from(idempotencyKeys).where(where));
 */
export function forUpdate<Q>(query: Q): Q {
  return tablesDialect() === 'postgres' ? (query as unknown as { for(strength: 'update'): Q }).for('update') : query;
}

/**
 * Makes the transaction `tx` the only one holding `name` until it ends (Postgres: a transaction-level
 * advisory lock), for check-then-write work no constraint can guard, such as "create the root
 * organization unless there is one" when instances start together. On SQLite the write transaction
 * already excludes every other writer.
 * @example await database.transaction(async (tx) => { await lockExclusively(tx, 'root-organization'); … });
 */
export async function lockExclusively(tx: Db, name: string): Promise<void> {
  if (tablesDialect() === 'postgres') await runSql(tx, sql`select pg_advisory_xact_lock(hashtext(${`customer-graph:${name}`}))`);
}
