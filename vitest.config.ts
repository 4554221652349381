import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships index.js and index.mjs; without this, dependencies and our code load different
    // copies under vitest ("Cannot use GraphQLSchema from another module or realm").
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // TEST_POSTGRES_URL: a migrated template database for the run (test/support/test-database.ts)
    globalSetup: ['test/global-setup.ts'],
    // better-sqlite3 is a native addon: processes, not worker threads.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
