import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSelectors } from '../src/loaders/index.js';
import { keyedSelect, rowDecoder } from '../src/loaders/keyed-select.js';
import { customers } from '../src/db/tables.js';
import { seedCustomerGraph } from './fixtures.js';
import { createTestApp, type TestApp } from './helpers.js';
import { rawColumn } from './support/raw-sql.js';

const inArrayOf = (ids: string[]) => inArray(customers.id, ids);

describe('keyedSelect (the loaders\' batch queries)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demo: true });
    await seedCustomerGraph(t.database, 40);
  });
  afterAll(() => t.close());

  /** Every key the seeded database holds for a selector's key column. */
  async function keysFor(name: string): Promise<string[]> {
    const column: Record<string, string> = {
      organizationsById: 'select id from organizations',
      customersById: 'select id from customers',
      customersByNumber: 'select customer_number from customers',
      customersByParentId: 'select distinct parent_id from customers where parent_id is not null',
      identitiesById: 'select id from identities',
      identitiesByCustomerId: 'select id from customers',
      addressesById: 'select id from addresses',
      addressesByCustomerId: 'select id from customers',
      accountsById: 'select id from accounts',
      accountsByNumber: 'select distinct account_number from accounts',
      accountsByCustomerId: 'select id from customers',
      holdersByAccountId: 'select id from accounts',
      cardsById: 'select id from cards',
      cardsByAccountId: 'select id from accounts',
      cardsByHolderId: 'select id from customers',
      relationshipsById: 'select id from relationships',
      relationshipsByCustomerId: 'select id from customers',
      membersByRelationshipId: 'select id from relationships',
      accountsByRelationshipId: 'select id from relationships',
      providerLinksByCustomerId: 'select id from customers',
    };
    const sql = column[name];
    if (!sql) throw new Error(`no keys for ${name}: add the new selector here`);
    return [...(await rawColumn<string>(t.database, sql)), 'no-such-key'];
  }

  it('every selector returns exactly the rows drizzle returns for the same query (values, types, order)', async () => {
    const selectors = createSelectors(t.database);
    for (const [name, select] of Object.entries(selectors)) {
      const keys = await keysFor(name);
      expect(keys.length, name).toBeGreaterThan(1);
      // one batch of all keys, and a batch of a different size (its own rendered SQL)
      for (const batch of [keys, keys.slice(0, 3)]) {
        const ours = await select(batch as never);
        const theirs = await select.viaDrizzle(batch as never);
        expect(ours, name).toEqual(theirs);
        expect((ours as unknown[]).length, name).toBe((theirs as unknown[]).length);
      }
    }
    // dates are Dates, booleans booleans, identity numbers decrypted — as drizzle maps them
    const [identity] = (await selectors.identitiesByCustomerId(['cus-0001'])) as { number: string; createdAt: Date }[];
    expect(identity!.createdAt).toBeInstanceOf(Date);
    expect(identity!.number).not.toMatch(/^v1:/);
  });

  it('counts its statements like drizzle does, and renders each batch size once', async () => {
    const select = keyedSelect(t.database, { id: customers.id }, (ids: string[]) =>
      t.database.db.select({ id: customers.id }).from(customers).where(inArrayOf(ids)),
    );
    const before = t.statements.length;
    expect(await select(['cus-0001', 'cus-0002'])).toEqual([{ id: 'cus-0001' }, { id: 'cus-0002' }]);
    expect(await select(['cus-0003', 'cus-0004'])).toEqual([{ id: 'cus-0003' }, { id: 'cus-0004' }]);
    expect(t.statements.length - before).toBe(2);
  });

  it('refuses a query whose parameters are not exactly its keys', async () => {
    const select = keyedSelect(t.database, { id: customers.id }, (ids: string[]) =>
      t.database.db.select({ id: customers.id }).from(customers).where(inArrayOf([...ids, 'extra'])),
    );
    await expect(select(['cus-0001'])).rejects.toThrow(/parameters must be exactly its keys/);
  });

  it('decodes a shape that is neither column nor table as an error', () => {
    expect(() => rowDecoder({ bad: {} as never })).toThrow(/neither a column nor a table/);
  });
});
