import { defineConfig } from 'drizzle-kit';

/** Postgres migrations, from the tables derived from src/db/schema.ts (src/db/schema.pg.ts). */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.pg.ts',
  out: './drizzle/postgres',
  strict: true,
  verbose: true,
});
