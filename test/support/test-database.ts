import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The database a test app runs on. By default in-memory SQLite. With TEST_POSTGRES_URL set (a
 * database the tests may create databases from, e.g. postgres://postgres@127.0.0.1:5432/test), a
 * fresh Postgres database per app, cloned from the run's migrated template (test/global-setup.ts),
 * and dropped when the app closes — every test starts from an empty, migrated database as on SQLite.
 */
export const TEST_POSTGRES_URL = process.env['TEST_POSTGRES_URL'] || undefined;

/** Whether this run's test apps are on Postgres. */
export const onPostgres = TEST_POSTGRES_URL !== undefined;

/** The migrated template of this run (created by test/global-setup.ts). */
export const TEMPLATE_ENV = 'CUSTOMER_GRAPH_TEST_TEMPLATE';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

let counter = 0;

/** A database for one test app: `:memory:`, or a new Postgres database from the template. */
export async function freshTestDatabase(): Promise<TestDatabase> {
  if (!TEST_POSTGRES_URL) return { url: ':memory:', drop: async () => undefined };
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error(`TEST_POSTGRES_URL is set but ${TEMPLATE_ENV} is not: run the tests through vitest (test/global-setup.ts)`);
  const name = `${template.replace(/_template$/, '')}_${process.pid}_${++counter}`;
  await admin(`create database "${name}" template "${template}"`);
  return { url: databaseUrl(name), drop: async () => void (await admin(`drop database if exists "${name}" with (force)`)) };
}

/** TEST_POSTGRES_URL with another database name. */
export function databaseUrl(name: string): string {
  const url = new URL(TEST_POSTGRES_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs one statement on TEST_POSTGRES_URL's own database (create, list and drop databases); its rows. */
export async function admin<Row extends Record<string, unknown> = Record<string, unknown>>(statement: string, values: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return (await client.query<Row>(statement, values)).rows;
  } finally {
    await client.end();
  }
}

/** A name for this run's template: databases of one run share its prefix. */
export function newTemplateName(): string {
  return `cg_test_${randomBytes(4).toString('hex')}_template`;
}

/**
 * A database another process can open as well: a SQLite file in `dir`, or a fresh Postgres database.
 * @example const { url, drop } = await sharedTestDatabase(dir);
 */
export async function sharedTestDatabase(dir: string, file = 'db.sqlite'): Promise<TestDatabase> {
  if (onPostgres) return freshTestDatabase();
  return { url: `file:${dir.replace(/\/$/, '')}/${file}`, drop: async () => undefined };
}
