/** The identity encryption key of every test process (vitest workers via test/setup.ts, and the child processes tests spawn). */
export const TEST_IDENTITY_KEY = Buffer.alloc(64, 7).toString('base64');
