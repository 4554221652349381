/**
 * Writes schema.graphql and subgraph.graphql from the code, or with --check exits 1 when a committed
 * file has drifted. Usage: npm run schema:print | npm run schema:check
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PRINTED_SCHEMAS } from '../src/schema/print.js';

const check = process.argv.includes('--check');
let drifted = false;
for (const [file, print] of Object.entries(PRINTED_SCHEMAS)) {
  const target = fileURLToPath(new URL(`../${file}`, import.meta.url));
  const printed = print();
  if (!check) {
    writeFileSync(target, printed);
    console.log(`Wrote ${file}.`);
    continue;
  }
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    // a missing file is drift too
  }
  if (committed === printed) {
    console.log(`${file} matches the code.`);
  } else {
    console.error(`${file} is out of date with the code: run \`npm run schema:print\` and commit it.`);
    drifted = true;
  }
}
if (drifted) process.exit(1);
