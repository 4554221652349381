import { configureIdentityEncryption } from '../src/db/identity-encryption.js';

// Identity numbers are encrypted at rest with a process-wide key (src/db/identity-encryption.ts):
// every test file of this run uses this fixed one.
configureIdentityEncryption(Buffer.alloc(64, 7).toString('base64'));
