import { accountHolders, accounts, addresses, cards, customers, identities, organizations, relationshipMembers, relationships } from '../src/db/tables.js';
import type { Database } from '../src/db/client.js';
import { ensureRootOrganization } from '../src/domain/organizations.js';

export const FIXTURE_ORGANIZATION_ID = 'org-fixture-root';

/**
 * n customers with every relation populated: two identities and an address each, an own account
 * with a card, a joint account shared by each pair, a relationship per five customers and a parent
 * for every tenth. Ids and timestamps are deterministic (`cus-0007`, one minute apart).
 */
export async function seedCustomerGraph(database: Database, n: number): Promise<void> {
  const at = (i: number) => new Date(Date.UTC(2026, 1, 1) + i * 60_000);
  const id = (kind: string, i: number) => `${kind}-${String(i).padStart(4, '0')}`;
  // under the root organization, so the test apps' admin token sees it
  const root = await ensureRootOrganization(database);
  await database.transaction(async (tx) => {
    await tx.insert(organizations).values({ id: FIXTURE_ORGANIZATION_ID, name: 'Fixture Org', parentId: root, createdAt: at(0) });
    const customerRows = Array.from({ length: n }, (_, i) => ({
      id: id('cus', i),
      organizationId: FIXTURE_ORGANIZATION_ID,
      parentId: i % 10 === 9 ? id('cus', i - 1) : null,
      customerNumber: `FX${String(i).padStart(6, '0')}`,
      kind: 'PRIVATE' as const,
      firstName: `First${i}`,
      lastName: `Last${i}`,
      createdAt: at(i),
      updatedAt: at(i),
    }));
    await tx.insert(customers).values(customerRows);
    await tx.insert(identities).values(
      customerRows.flatMap((c, i) => [
        { id: id('idn', i * 2), customerId: c.id, type: 'PASSPORT' as const, number: `P${i}`, issuingCountry: 'FI' },
        { id: id('idn', i * 2 + 1), customerId: c.id, type: 'TAX_ID' as const, number: `T${i}`, issuingCountry: 'FI' },
      ]),
    );
    await tx.insert(addresses).values(
      customerRows.map((c, i) => ({
        id: id('adr', i),
        customerId: c.id,
        kind: 'RESIDENTIAL' as const,
        line1: `Street ${i}`,
        city: 'Helsinki',
        country: 'FI',
        isPrimary: true,
      })),
    );
    const relationshipCount = Math.ceil(n / 5);
    await tx.insert(relationships).values(
      Array.from({ length: relationshipCount }, (_, r) => ({
        id: id('rel', r),
        organizationId: FIXTURE_ORGANIZATION_ID,
        relationshipNumber: `RL${r}`,
      })),
    );
    await tx.insert(relationshipMembers).values(customerRows.map((c, i) => ({ relationshipId: id('rel', Math.floor(i / 5)), customerId: c.id })));
    const own = customerRows.map((c, i) => ({
      id: id('acc', i),
      organizationId: FIXTURE_ORGANIZATION_ID,
      relationshipId: id('rel', Math.floor(i / 5)),
      accountNumber: `A${i}`,
      type: 'CHECKING' as const,
      createdAt: at(i),
    }));
    const joint = Array.from({ length: Math.floor(n / 2) }, (_, p) => ({
      id: id('jnt', p),
      organizationId: FIXTURE_ORGANIZATION_ID,
      accountNumber: `J${p}`,
      type: 'SAVINGS' as const,
      createdAt: at(p * 2 + 1),
    }));
    await tx.insert(accounts).values([...own, ...joint]);
    await tx.insert(accountHolders).values([
      ...customerRows.map((c, i) => ({ accountId: id('acc', i), customerId: c.id, isPrimary: true })),
      ...joint.flatMap((a, p) => [
        { accountId: a.id, customerId: id('cus', p * 2), isPrimary: true },
        { accountId: a.id, customerId: id('cus', p * 2 + 1), isPrimary: false },
      ]),
    ]);
    await tx.insert(cards).values(
      customerRows.map((c, i) => ({
        id: id('crd', i),
        accountId: id('acc', i),
        holderId: c.id,
        last4: String(1000 + i).slice(-4),
        iin: '453201',
        type: 'DEBIT' as const,
        network: 'VISA' as const,
      })),
    );
  });
}
