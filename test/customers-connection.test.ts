import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../src/db/tables.js';
import { DEMO_ROOT_ORGANIZATION_ID } from '../src/domain/demo-data.js';
import { encodeGlobalId } from '../src/global-id.js';
import { createTestApp, type TestApp } from './helpers.js';
import { rawRun } from './support/raw-sql.js';

const PAGE = /* GraphQL */ `
  query Page($first: Int, $after: String, $filter: CustomerFilter) {
    customers(first: $first, after: $after, filter: $filter) {
      totalCount
      edges { cursor node { id customerNumber kind status createdAt } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`;

describe('customers connection', () => {
  let t: TestApp;
  let all: { id: string; customerNumber: string }[];

  beforeAll(async () => {
    t = await createTestApp({ demo: true });
    all = await t.database.db.select().from(customers).orderBy(customers.createdAt, customers.id);
  });
  afterAll(() => t.close());

  async function page(variables: Record<string, unknown>) {
    const { status, body } = await t.graphql(PAGE, variables);
    expect(status).toBe(200);
    return body;
  }

  async function walk(first: number, filter?: Record<string, unknown>): Promise<string[]> {
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const body = await page({ first, after, filter });
      expect(body.errors).toBeUndefined();
      const connection = body.data.customers;
      seen.push(...connection.edges.map((edge: any) => edge.node.customerNumber));
      expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!connection.pageInfo.hasNextPage) return seen;
      expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1).cursor);
      after = connection.pageInfo.endCursor;
    }
    throw new Error('pagination did not end');
  }

  describe('pagination', () => {
    it.each([1, 5, 7, 24, 100])('walks all customers with pages of %i: every one once, in creation order', async (first) => {
      const seen = await walk(first);
      expect(seen).toEqual(all.map((c) => c.customerNumber));
      expect(new Set(seen).size).toBe(all.length);
    });

    it('defaults to 20 a page and reports the total across pages', async () => {
      const body = await page({});
      expect(body.data.customers.edges).toHaveLength(20);
      expect(body.data.customers.totalCount).toBe(all.length);
      expect(body.data.customers.pageInfo.hasNextPage).toBe(true);
    });

    it('first: 0 returns no edges and null cursors', async () => {
      const body = await page({ first: 0 });
      expect(body.data.customers.edges).toEqual([]);
      expect(body.data.customers.pageInfo).toMatchObject({ startCursor: null, endCursor: null });
    });

    it('keeps its place when customers are created meanwhile (keyset, not offset)', async () => {
      const first = await page({ first: 3 });
      const cursor = first.data.customers.pageInfo.endCursor;
      const early = all[0]!;
      await t.database.db.insert(customers).values({
        id: 'zz-inserted-meanwhile',
        organizationId: DEMO_ROOT_ORGANIZATION_ID,
        customerNumber: 'INSERTED01',
        firstName: 'New',
        lastName: 'Comer',
        createdAt: new Date(0),
        updatedAt: new Date(0),
      });
      try {
        const next = await page({ first: 2, after: cursor });
        expect(next.data.customers.edges.map((e: any) => e.node.customerNumber)).toEqual([
          all[3]!.customerNumber,
          all[4]!.customerNumber,
        ]);
        expect(early.customerNumber).toBe(all[0]!.customerNumber);
      } finally {
        await rawRun(t.database, "delete from customers where id = 'zz-inserted-meanwhile'");
      }
    });

    it.each([101, 1000, -1])('refuses first: %i with a coded error naming the argument', async (first) => {
      const body = await page({ first });
      expect(body.data).toBeNull();
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: ['first'] });
      expect(body.errors![0]!.message).toMatch(/first must be between 0 and 100/);
    });

    it.each([
      ['garbage', 'not-a-cursor'],
      ['a global ID', encodeGlobalId('Customer', 'x')],
      ['tampered', Buffer.from('customer:v1:abc:x').toString('base64url')],
    ])('refuses an after cursor that is %s with INVALID_CURSOR', async (_label, after) => {
      const body = await page({ first: 2, after });
      expect(body.data).toBeNull();
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'INVALID_CURSOR', argument: ['after'] });
    });
  });

  describe('filters', () => {
    const numbersOf = (body: any) => body.data.customers.edges.map((e: any) => e.node.customerNumber);

    it('status', async () => {
      const body = await page({ first: 100, filter: { status: ['SUSPENDED'] } });
      expect(body.data.customers.edges.map((e: any) => e.node.status)).toEqual(['SUSPENDED']);
      expect(body.data.customers.totalCount).toBe(1);
      const active = await page({ first: 100, filter: { status: ['ACTIVE'] } });
      expect(active.data.customers.totalCount).toBe(all.length - 1);
    });

    it('kind', async () => {
      const business = await page({ first: 100, filter: { kind: ['BUSINESS'] } });
      expect(business.data.customers.edges.length).toBe(8);
      expect(business.data.customers.edges.every((e: any) => e.node.kind === 'BUSINESS')).toBe(true);
      const both = await page({ first: 100, filter: { kind: ['BUSINESS', 'PRIVATE'] } });
      expect(both.data.customers.totalCount).toBe(all.length);
    });

    it('organization', async () => {
      const { body } = await t.graphql('{ customers(first: 100) { edges { node { kind organization { id name } } } } }');
      const businessOrg = body.data.customers.edges.find((e: any) => e.node.kind === 'BUSINESS').node.organization;
      const filtered = await page({ first: 100, filter: { organizationId: businessOrg.id } });
      expect(filtered.data.customers.totalCount).toBe(8);
      expect(filtered.data.customers.edges.every((e: any) => e.node.kind === 'BUSINESS')).toBe(true);
    });

    it('organization must be an Organization ID', async () => {
      const body = await page({ first: 5, filter: { organizationId: encodeGlobalId('Customer', 'x') } });
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'INVALID_ID', argument: ['filter', 'organizationId'] });
      const garbage = await page({ first: 5, filter: { organizationId: '###' } });
      expect(garbage.errors![0]!.extensions).toMatchObject({ code: 'INVALID_ID', argument: ['filter', 'organizationId'] });
    });

    it('created-at range: from inclusive, to exclusive', async () => {
      const rows = await t.database.db.select().from(customers).orderBy(customers.createdAt, customers.id);
      const to = rows[6]!.createdAt;
      const body = await page({
        first: 100,
        filter: { createdAt: { from: rows[3]!.createdAt.toISOString(), to: to.toISOString() } },
      });
      expect(numbersOf(body)).toEqual(rows.slice(3, 6).map((r) => r.customerNumber));
      const openEnded = await page({ first: 100, filter: { createdAt: { from: to.toISOString() } } });
      expect(openEnded.data.customers.totalCount).toBe(rows.length - 6);
    });

    it('an empty or inverted created-at range is a coded error', async () => {
      const instant = new Date(Date.UTC(2026, 0, 6)).toISOString();
      const body = await page({ first: 5, filter: { createdAt: { from: instant, to: instant } } });
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: ['filter', 'createdAt'] });
    });

    it.each([
      ['a first name, any case', 'aino', ['4000000000000001001']],
      ['a full name', 'Mikko Virtanen', ['4000000000000001002']],
      ['a last name shared by two', 'virtanen', ['4000000000000001001', '4000000000000001002']],
      ['an email fragment', 'elsa.lindqvist@', ['4000000000000001003']],
      ['a customer number', '4000000000000001017', ['4000000000000001017']],
      ['a business name', 'nordic freight', ['4000000000000001017', '4000000000000001018', '4000000000000001019']],
      ['a wildcard, taken literally', '%', []],
      ['an underscore, taken literally', '_', []],
    ])('search matches %s', async (_label, search, expected) => {
      const body = await page({ first: 100, filter: { search } });
      expect(body.errors).toBeUndefined();
      expect(numbersOf(body)).toEqual(expected);
    });

    it.each([
      ['empty', '   '],
      ['too long', 'x'.repeat(101)],
    ])('a search that is %s is a coded error', async (_label, search) => {
      const body = await page({ first: 5, filter: { search } });
      expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: ['filter', 'search'] });
    });

    it('combines criteria with AND and paginates within the filter', async () => {
      const body = await page({ first: 100, filter: { kind: ['PRIVATE'], search: 'virtanen', status: ['ACTIVE'] } });
      expect(numbersOf(body)).toEqual(['4000000000000001001', '4000000000000001002']);
      const seen = await walk(3, { kind: ['BUSINESS'] });
      expect(seen).toHaveLength(8);
      expect(new Set(seen).size).toBe(8);
    });

    it('an unknown enum value is rejected by validation with a 400, not a 500', async () => {
      const { status, body } = await t.graphql('{ customers(filter: { status: [DELETED] }) { totalCount } }');
      expect(status).toBe(400);
      expect(body.errors![0]!.message).toMatch(/DELETED/);
    });
  });
});
