/**
 * The production entry `npm start` runs (built: dist/src/start.js). It settles NODE_ENV before any
 * library loads — graphql-js picks its plain `instanceof` checks instead of the development ones
 * that look for a second copy of graphql on every type check (~2 % of a stitched read) — and then
 * starts src/server.ts. `npm run dev` and the tests run src/server.ts directly, keeping those checks.
 */
process.env['NODE_ENV'] ??= 'production';
await import('./server.js');
