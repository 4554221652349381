import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identities } from '../src/db/schema.js';
import { decryptIdentityNumber, encryptIdentityNumber, encryptStoredIdentityNumbers, identityBlindIndex } from '../src/db/identity-encryption.js';
import { createTestApp, type TestApp } from './helpers.js';

describe('identity numbers at rest', () => {
  let t: TestApp;
  let numbers: string[];
  beforeAll(async () => {
    t = await createTestApp({ demo: true });
    numbers = (await t.database.db.select({ number: identities.number }).from(identities)).map((row) => row.number);
  });
  afterAll(() => t.close());

  it('a raw SQLite read of the identities table shows no plaintext number', () => {
    const raw = t.database.sqlite.prepare('select number from identities').pluck().all() as string[];
    expect(raw).toHaveLength(numbers.length);
    const dump = raw.join('\n');
    for (const number of numbers) expect(dump).not.toContain(number);
    expect(raw.every((value) => /^v1:[0-9a-f]{64}:[A-Za-z0-9+/=]+$/.test(value))).toBe(true);
  });

  it('the application reads them in clear (with pii:read)', async () => {
    const { body } = await t.graphql('{ customer(customerNumber: "4000000000000001001") { identities { number } } }');
    expect(body.data.customer.identities.map((identity: any) => identity.number)).toEqual(expect.arrayContaining([expect.stringMatching(/^P\d{8}$/)]));
  });

  it('lookup by number still works: an exact identifier is found through the blind index', async () => {
    const passport = numbers.find((number) => number.startsWith('P'))!;
    const { body } = await t.graphql('query ($n: String!) { customerLookup(input: { identifier: { value: $n } }) { edges { node { customer { customerNumber } } } } }', {
      n: passport.toLowerCase(),
    });
    expect(body.data.customerLookup.edges).toHaveLength(1);
  });

  it('the same number encrypts differently each time (random IV) but keeps its blind index; tampering is detected', () => {
    const a = encryptIdentityNumber('120485-123A');
    const b = encryptIdentityNumber('120485-123A');
    expect(a).not.toBe(b);
    expect(a.split(':')[1]).toBe(b.split(':')[1]);
    expect(identityBlindIndex('120485 123a')).toBe(identityBlindIndex('120485-123A'));
    expect(decryptIdentityNumber(a)).toBe('120485-123A');
    const [version, index, payload] = a.split(':') as [string, string, string];
    const bytes = Buffer.from(payload, 'base64');
    bytes[bytes.length - 1]! ^= 1;
    expect(() => decryptIdentityNumber(`${version}:${index}:${bytes.toString('base64')}`)).toThrow();
  });

  it('numbers stored in clear (before encryption, or imported raw) are encrypted at start', async () => {
    const other = await createTestApp({ demo: true });
    other.database.sqlite.prepare("update identities set number = 'PLAIN12345' where rowid = (select min(rowid) from identities)").run();
    expect(encryptStoredIdentityNumbers(other.database.sqlite)).toBe(1);
    const raw = other.database.sqlite.prepare('select number from identities').pluck().all() as string[];
    expect(raw.join()).not.toContain('PLAIN12345');
    expect((await other.database.db.select({ number: identities.number }).from(identities)).map((row) => row.number)).toContain('PLAIN12345');
    other.close();
  });
});
