/**
 * `npm run build`: the server as one bundled JavaScript program in dist/src/ — what `npm start`
 * runs. Production starts without a TypeScript loader and without resolving and reading several
 * hundred separate modules (start to first answer ~0.8 s instead of ~1.8 s; ~70 MB less resident
 * than under tsx). esbuild only strips types; `npm run typecheck` is what checks them.
 *
 * Kept outside the bundle: better-sqlite3 (a native addon) and the 9 MB GraphiQL bundle (loaded on
 * the first GraphiQL page, src/app.ts). The output sits at dist/src/ so that src/db/migrate.ts's
 * `../../drizzle` (resolved from the running file) is the repository's drizzle/ folder.
 *
 * Source maps are written beside the bundle but not enabled in `npm start`: with
 * `--enable-source-maps` Node holds the 10 MB map in memory and maps stacks as they are read, which
 * cost ~10 % of the stitched read's throughput and 100–200 MB of RSS under mixed load (bench/).
 * For stack traces that point at src/, start with `NODE_OPTIONS=--enable-source-maps npm start`.
 *
 * Whitespace and comments are left out of the bundle (`minifyWhitespace`; names are kept, so stacks
 * still name their functions). V8 keeps a script's whole source text on its heap for as long as the
 * process runs, and one non-ASCII character anywhere — an em dash in a comment — stores all of it as
 * a two-byte string: the 4.9 MB bundle was a ~10 MB string. Without comments the output is ASCII
 * (esbuild escapes the rest in strings and names): 3.6 MB, held as 3.6 MB.
 */
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

/**
 * Deep imports of graphql-js (`graphql/execution/execute.js`, `graphql/validation/…`, from
 * graphql-jit, Apollo's federation packages and graphql-armor) resolve to its CommonJS files, while
 * `graphql` itself resolves to its ES module build: the bundle carried two copies of graphql-js,
 * each with its own classes. Deep imports go to the `.mjs` files, so there is one.
 */
const oneGraphql = {
  name: 'one-graphql',
  setup(build) {
    build.onResolve({ filter: /^graphql\/[^.]+(\.js)?$/ }, async ({ path, resolveDir, kind }) => {
      const module = path.replace(/\.js$/, '');
      for (const candidate of [`${module}.mjs`, `${module}/index.mjs`]) {
        const resolved = await build.resolve(candidate, { resolveDir, kind });
        if (resolved.errors.length === 0) return resolved;
      }
      return undefined;
    });
  },
};

rmSync('dist', { recursive: true, force: true });
const result = await build({
  entryPoints: ['src/start.ts'],
  bundle: true,
  splitting: true,
  outdir: 'dist/src',
  format: 'esm',
  platform: 'node',
  mainFields: ['module', 'main'],
  target: 'node20',
  sourcemap: true,
  external: ['better-sqlite3', '@graphql-yoga/render-graphiql'],
  // CommonJS dependencies inside an ES module bundle call `require`
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  metafile: true,
  logLevel: 'warning',
  plugins: [oneGraphql],
  minifyWhitespace: true,
});
console.log(`built dist/src/start.js from ${Object.keys(result.metafile.inputs).length} modules`);
