import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { customType } from 'drizzle-orm/sqlite-core';
import { dataDirSecret } from '../data-dir-secret.js';

/**
 * Identity numbers at rest: AES-256-GCM, and a keyed blind index (HMAC-SHA256 of the normalised
 * number) so an exact lookup by number needs no decryption. Stored as
 * `v1:<blind index hex>:<base64 iv‖tag‖ciphertext>`.
 *
 * The key is process configuration, set once at start (configureIdentityEncryption) — the column
 * type below encrypts on every write and decrypts on every read, so no caller handles plaintext
 * storage by mistake. With no key configured, reads and writes of identity numbers fail closed.
 */

interface IdentityKeys {
  encryption: Buffer;
  index: Buffer;
}

let keys: IdentityKeys | null = null;

/** 64 bytes, base64: the first 32 encrypt, the last 32 key the blind index. */
export function configureIdentityEncryption(material: string): void {
  const bytes = Buffer.from(material, 'base64');
  if (bytes.length !== 64) throw new Error('IDENTITY_ENCRYPTION_KEY must be 64 bytes, base64-encoded');
  keys = { encryption: bytes.subarray(0, 32), index: bytes.subarray(32) };
}

export function newIdentityKeyMaterial(): string {
  return randomBytes(64).toString('base64');
}

/**
 * The key material for sandbox mode when IDENTITY_ENCRYPTION_KEY is unset: generated once into the
 * data directory (`identity-encryption-key`) — without it, the stored numbers could not be read
 * after a restart.
 */
export async function localIdentityKey(dataDir: string | null): Promise<string> {
  if (dataDir === null) return newIdentityKeyMaterial();
  return dataDirSecret({
    dataDir,
    file: 'identity-encryption-key',
    generate: newIdentityKeyMaterial,
    usable: (kept) => Buffer.from(kept, 'base64').length === 64,
  });
}

function configured(): IdentityKeys {
  if (!keys) throw new Error('identity numbers cannot be read or written: no identity encryption key is configured');
  return keys;
}

/** The blind index of a number: case, spaces and dashes do not count. */
export function identityBlindIndex(number: string): string {
  return createHmac('sha256', configured().index).update(number.replace(/[\s-]/g, '').toUpperCase()).digest('hex');
}

/**
 * A fresh 12-byte AES-GCM IV, cut from a pool of CSPRNG bytes refilled 4 KB at a time — as Node
 * buffers randomUUID — instead of one getrandom call per encryption (~5 % of a bulk import). Each
 * IV is handed out once; the pool is replaced, never rewritten, so a returned IV never changes.
 */
function randomIv(): Buffer {
  if (ivAt + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivAt = 0;
  }
  const iv = ivPool.subarray(ivAt, ivAt + IV_BYTES);
  ivAt += IV_BYTES;
  return iv;
}
const IV_BYTES = 12;
const IV_POOL_BYTES = IV_BYTES * 341;
let ivPool = Buffer.alloc(0);
let ivAt = 0;

export function encryptIdentityNumber(number: string): string {
  const iv = randomIv();
  const cipher = createCipheriv('aes-256-gcm', configured().encryption, iv);
  const ciphertext = Buffer.concat([cipher.update(number, 'utf8'), cipher.final()]);
  return `v1:${identityBlindIndex(number)}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
}

export function decryptIdentityNumber(stored: string): string {
  const match = /^v1:[0-9a-f]{64}:([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!match) throw new Error('an identity number is stored unencrypted: start the server once to encrypt stored numbers');
  const bytes = Buffer.from(match[1]!, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', configured().encryption, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
}

/** The stored-value prefix every encryption of `number` starts with: for `GLOB '<prefix>*'` lookups. */
export function identityLookupPrefix(number: string): string {
  return `v1:${identityBlindIndex(number)}:`;
}

/** A text column holding an encrypted identity number; the application sees plaintext. */
export const encryptedIdentityNumber = customType<{ data: string; driverData: string }>({
  dataType: () => 'text',
  toDriver: (number) => encryptIdentityNumber(number),
  fromDriver: (stored) => decryptIdentityNumber(stored),
});

/**
 * Values that carry PII besides the identities table — outbox payloads (provider request bodies
 * with identity numbers, dates of birth, contacts) and stored idempotent answers — are encrypted
 * whole with the same key: `e1:<base64 iv‖tag‖ciphertext>` of their JSON. Rows written before
 * this (plain JSON) still read.
 */
export function encryptJson(value: unknown): string {
  const iv = randomIv();
  const cipher = createCipheriv('aes-256-gcm', configured().encryption, iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return `e1:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
}

export function decryptJson(stored: string): unknown {
  if (!stored.startsWith('e1:')) return JSON.parse(stored);
  const bytes = Buffer.from(stored.slice(3), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', configured().encryption, bytes.subarray(0, 12));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8'));
}

/** A text column holding encrypted JSON (see encryptJson); the application sees the value. */
export const encryptedJson = <T>() =>
  customType<{ data: T; driverData: string }>({
    dataType: () => 'text',
    toDriver: (value) => encryptJson(value),
    fromDriver: (stored) => decryptJson(stored) as T,
  });

/**
 * Encrypts identity numbers stored before encryption was introduced (or imported raw). Runs at
 * start, after migrations; returns how many it encrypted.
 */
export function encryptStoredIdentityNumbers(sqlite: import('better-sqlite3').Database): number {
  const plain = sqlite.prepare("select id, number from identities where number not like 'v1:%'").all() as { id: string; number: string }[];
  const update = sqlite.prepare('update identities set number = ? where id = ?');
  sqlite.transaction(() => plain.forEach((row) => update.run(encryptIdentityNumber(row.number), row.id)))();
  return plain.length;
}

/**
 * Encrypts outbox payloads and idempotent answers stored as plain JSON (before encryption was
 * introduced). Runs at start, after migrations; returns how many it encrypted.
 */
export function encryptStoredPayloads(sqlite: import('better-sqlite3').Database): number {
  let count = 0;
  sqlite.transaction(() => {
    for (const [table, column, key] of [
      ['outbox', 'payload', 'id'],
      ['idempotency_keys', 'response', 'rowid'],
    ] as const) {
      const plain = sqlite.prepare(`select ${key} as k, ${column} as v from ${table} where ${column} is not null and ${column} not like 'e1:%'`).all() as { k: unknown; v: string }[];
      const update = sqlite.prepare(`update ${table} set ${column} = ? where ${key} = ?`);
      for (const row of plain) update.run(encryptJson(JSON.parse(row.v)), row.k);
      count += plain.length;
    }
  })();
  return count;
}
