import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identities, outbox } from '../src/db/tables.js';
import { CREATE, fullCustomerInput } from './mutations.js';
import {
  decryptIdentityNumber,
  encryptIdentityNumber,
  encryptJson,
  encryptStoredIdentityNumbers,
  encryptStoredPayloads,
  identityBlindIndex,
} from '../src/db/identity-encryption.js';
import { createTestApp, type TestApp } from './helpers.js';
import { rawColumn } from './support/raw-sql.js';
import { onPostgres } from './support/test-database.js';

describe('identity numbers at rest', () => {
  let t: TestApp;
  let numbers: string[];
  beforeAll(async () => {
    t = await createTestApp({ demo: true });
    numbers = (await t.database.db.select({ number: identities.number }).from(identities)).map((row) => row.number);
  });
  afterAll(() => t.close());

  it('a raw read of the identities table shows no plaintext number', async () => {
    const raw = await rawColumn<string>(t.database, 'select number from identities');
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

  // SQLite files from before encryption at rest; a Postgres database never held numbers in clear
  it.skipIf(onPostgres)('numbers stored in clear (before encryption, or imported raw) are encrypted at start', async () => {
    const other = await createTestApp({ demo: true });
    other.database.sqlite.prepare("update identities set number = 'PLAIN12345' where rowid = (select min(rowid) from identities)").run();
    expect(encryptStoredIdentityNumbers(other.database.sqlite)).toBe(1);
    const raw = other.database.sqlite.prepare('select number from identities').pluck().all() as string[];
    expect(raw.join()).not.toContain('PLAIN12345');
    expect((await other.database.db.select({ number: identities.number }).from(identities)).map((row) => row.number)).toContain('PLAIN12345');
    other.close();
  });

  it('outbox payloads (provider requests) and stored idempotent answers hold no plaintext PII either', async () => {
    const other = await createTestApp();
    const { body } = await other.graphql(CREATE, { input: { customer: fullCustomerInput(), providers: ['NOAH', 'ENFUCE', 'FIRSTVISION'], idempotencyKey: 'at-rest-1' } });
    expect(body.data.customerCreate.userErrors).toEqual([]);
    const payloads = await rawColumn<string>(other.database, 'select payload from outbox');
    const answers = await rawColumn<string>(other.database, 'select response from idempotency_keys');
    expect(payloads.length).toBe(3);
    expect(answers).toHaveLength(1);
    const dump = [...payloads, ...answers].join('\n');
    for (const pii of ['P1234567', '120485-123A', 'aino.virtanen@example.com', '+358401234567', '1985-04-12', 'Virtanen']) expect(dump).not.toContain(pii);
    expect([...payloads, ...answers].every((value) => value.startsWith('e1:'))).toBe(true);
    // the application reads them: the outbox holds the requests, a retry replays the answer
    const rows = await other.database.db.select({ payload: outbox.payload }).from(outbox);
    expect(JSON.stringify(rows)).toContain('1985-04-12');
    const replay = await other.graphql(CREATE, { input: { customer: fullCustomerInput(), providers: ['NOAH', 'ENFUCE', 'FIRSTVISION'], idempotencyKey: 'at-rest-1' } });
    expect(replay.body.data.customerCreate.customer.id).toBe(body.data.customerCreate.customer.id);
    other.close();
  });

  it.skipIf(onPostgres)('payloads stored as plain JSON (before encryption) still read, and are encrypted at start', async () => {
    const other = await createTestApp();
    await other.graphql(CREATE, { input: { customer: fullCustomerInput(), providers: ['NOAH'] } });
    const [row] = await other.database.db.select().from(outbox);
    other.database.sqlite.prepare('update outbox set payload = ? where id = ?').run(JSON.stringify({ request: { marker: 'PLAIN-PAYLOAD' } }), row!.id);
    expect((await other.database.db.select({ payload: outbox.payload }).from(outbox))[0]!.payload).toEqual({ request: { marker: 'PLAIN-PAYLOAD' } });
    expect(encryptStoredPayloads(other.database.sqlite)).toBe(1);
    expect(other.database.sqlite.prepare('select payload from outbox').pluck().get()).toMatch(/^e1:/);
    expect((await other.database.db.select({ payload: outbox.payload }).from(outbox))[0]!.payload).toEqual({ request: { marker: 'PLAIN-PAYLOAD' } });
    other.close();
  });
});

describe('AES-GCM IVs', () => {
  it('every encryption gets its own IV, across refills of the random pool', () => {
    // (the key is the one the app above configured) 1,000 encryptions: the 4 KB pool (341 IVs) is refilled twice on the way
    const ivs = Array.from({ length: 1000 }, (_, i) => {
      const stored = i % 2 ? encryptIdentityNumber('AB123456') : encryptJson({ n: 1 });
      return Buffer.from(stored.split(':').at(-1)!, 'base64').subarray(0, 12).toString('hex');
    });
    expect(new Set(ivs).size).toBe(1000);
    expect(decryptIdentityNumber(encryptIdentityNumber('AB123456'))).toBe('AB123456');
  });
});
