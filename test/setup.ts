import { afterAll, expect } from 'vitest';
import { configureIdentityEncryption } from '../src/db/identity-encryption.js';
import { leaksOfThisFile } from './log-capture.js';
import { TEST_IDENTITY_KEY } from './support/test-keys.js';

// Identity numbers are encrypted at rest with a process-wide key (src/db/identity-encryption.ts):
// every test file of this run uses this fixed one.
configureIdentityEncryption(TEST_IDENTITY_KEY);

// Test apps log through test/log-capture.ts; no line of any test file may carry the identity
// numbers, emails or phone numbers its databases held.
afterAll(async () => {
  expect(await leaksOfThisFile(), 'log lines carrying test PII').toEqual([]);
});
