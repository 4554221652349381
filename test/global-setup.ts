import { configureIdentityEncryption } from '../src/db/identity-encryption.js';
import { openDatabase } from '../src/db/client.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { admin, databaseUrl, newTemplateName, TEMPLATE_ENV, TEST_POSTGRES_URL } from './support/test-database.js';
import { buildReactExample } from './support/react-example.js';
import { buildServer } from './support/server-process.js';
import { TEST_IDENTITY_KEY } from './support/test-keys.js';

/**
 * Builds dist/ and the React example's dist/ (the browser test serves it) once for the run. With TEST_POSTGRES_URL: one migrated template database for the run (each test app clones it,
 * test/support/test-database.ts), dropped with everything cloned from it when the run ends.
 */
export default async function setup(): Promise<(() => Promise<void>) | void> {
  // dist/ as `npm start` runs it, built once before any test file starts servers from it
  buildServer();
  buildReactExample();
  if (!TEST_POSTGRES_URL) return;
  const template = newTemplateName();
  await admin(`create database "${template}"`);
  configureIdentityEncryption(TEST_IDENTITY_KEY);
  const database = await openDatabase({ url: databaseUrl(template) });
  try {
    await migrateDatabase(database);
  } finally {
    await database.close();
  }
  process.env[TEMPLATE_ENV] = template;
  return async () => {
    const prefix = template.replace(/_template$/, '');
    const left = await admin<{ datname: string }>('select datname from pg_database where datname like $1', [`${prefix}%`]);
    for (const { datname } of left) await admin(`drop database if exists "${datname}" with (force)`);
  };
}
