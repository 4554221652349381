import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRINTED_SCHEMAS } from '../src/schema/print.js';

describe.each(Object.entries(PRINTED_SCHEMAS))('%s', (file, print) => {
  it('is exactly the SDL printed from the code (run `npm run schema:print` after changing the schema)', () => {
    const committed = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
    expect(print()).toBe(committed);
  });
});
