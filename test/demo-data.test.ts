import { describe, expect, it } from 'vitest';
import { accountHolders, accounts, cards, customers, identities, relationshipMembers } from '../src/db/tables.js';
import { customerInputSchema } from '../src/domain/canonical-customer.js';
import { storedCustomerInput, storedPrimaryAccounts } from '../src/domain/customer-records.js';
import { linkDemoCustomers, loadDemoData } from '../src/domain/demo-data.js';
import { createTestApp } from './helpers.js';

describe('demo data', () => {
  it('is deterministic: two empty databases get identical rows', async () => {
    const a = await createTestApp({ demo: true });
    const b = await createTestApp({ demo: true });
    for (const table of [customers, identities, accounts, accountHolders, cards]) {
      expect(await a.database.db.select().from(table)).toEqual(await b.database.db.select().from(table));
    }
    a.close();
    b.close();
  });

  it('loads only into an empty database', async () => {
    const t = await createTestApp({ demo: true });
    const before = await t.database.db.select().from(customers);
    expect(await loadDemoData(t.database)).toMatchObject({ loaded: false });
    expect(await t.database.db.select().from(customers)).toHaveLength(before.length);
    t.close();
  });

  it('covers what the graph can show: both kinds, joint accounts, cards, a relationship, a parent and children', async () => {
    const t = await createTestApp({ demo: true });
    const rows = await t.database.db.select().from(customers);
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(rows.filter((c) => c.kind === 'PRIVATE').length).toBeGreaterThan(0);
    expect(rows.filter((c) => c.kind === 'BUSINESS').length).toBeGreaterThan(0);
    expect(rows.filter((c) => c.parentId !== null)).toHaveLength(2);

    const holders = await t.database.db.select().from(accountHolders);
    const byAccount = new Map<string, typeof holders>();
    for (const holder of holders) byAccount.set(holder.accountId, [...(byAccount.get(holder.accountId) ?? []), holder]);
    const joint = [...byAccount.values()].filter((list) => list.length > 1);
    expect(joint.length).toBeGreaterThanOrEqual(3);
    for (const list of byAccount.values()) expect(list.filter((h) => h.isPrimary)).toHaveLength(1);

    expect((await t.database.db.select().from(cards)).length).toBeGreaterThan(20);
    expect(await t.database.db.select().from(relationshipMembers)).toHaveLength(2);
    t.close();
  });

  it('is valid canonical data: every demo customer passes the same validation as customerCreate', async () => {
    const t = await createTestApp({ demo: true });
    for (const row of await t.database.db.select().from(customers)) {
      const { accounts: owned } = await storedPrimaryAccounts(t.database.db, row.id);
      const parsed = customerInputSchema('2026-11-21').safeParse({ ...(await storedCustomerInput(t.database.db, row)), accounts: owned });
      expect(parsed.success, `${row.customerNumber}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
    t.close();
  });

  it('links every demo customer to FirstVision through the ordinary routing, once', async () => {
    const t = await createTestApp({ demo: true });
    const linked = await linkDemoCustomers(t.mutationDeps());
    expect(linked).toEqual({ routed: 24, refused: [] });
    expect(t.sandboxState('FIRSTVISION').records['customers']).toHaveLength(24);
    expect(await linkDemoCustomers(t.mutationDeps())).toEqual({ routed: 0, refused: [] });
    t.close();
  });
});
