import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { allRows, runSql } from '../../src/db/dialect-sql.js';

/**
 * Raw SQL for tests that look under the API (what is stored, how many rows) or break things on
 * purpose, on either dialect. Write SQL both understand; the rows are objects by column name.
 */
export function rawRows<T = Record<string, unknown>>(database: Database, text: string): Promise<T[]> {
  return allRows<T>(database.db, sql.raw(text));
}

export function rawRun(database: Database, text: string): Promise<void> {
  return runSql(database.db, sql.raw(text));
}

/** The number of rows of `table` (or of a `from …` clause). */
export async function rawCount(database: Database, from: string): Promise<number> {
  const [row] = await rawRows<{ n: number | string }>(database, `select count(*) as n from ${from}`);
  return Number(row!.n);
}

/** One column of every row. */
export async function rawColumn<T = unknown>(database: Database, text: string): Promise<T[]> {
  return (await rawRows<Record<string, T>>(database, text)).map((row) => Object.values(row)[0]!);
}
