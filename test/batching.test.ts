import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCustomerGraph } from './fixtures.js';
import { createTestApp, type TestApp } from './helpers.js';
import { rawRun } from './support/raw-sql.js';

const STITCHED_READ = /* GraphQL */ `
  query Stitched($first: Int!) {
    customers(first: $first) {
      edges {
        node {
          id
          identities { type number }
          addresses { city }
          accounts {
            accountNumber
            cards { last4 holder { customerNumber } }
            holders { customerNumber }
            primaryHolder { customerNumber }
            relationship { relationshipNumber }
          }
          relationships { relationshipNumber customers { customerNumber } accounts { accountNumber } }
          parent { customerNumber }
          subCustomers { customerNumber }
          cards { last4 }
          providerLinks { provider }
          organization { name }
        }
      }
    }
  }
`;

describe('per-request dataloaders', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedCustomerGraph(t.database, 60);
  });
  afterAll(() => t.close());

  async function statementsFor(first: number): Promise<{ count: number; edges: number }> {
    const before = t.statements.length;
    const { body } = await t.graphql(STITCHED_READ, { first });
    expect(body.errors).toBeUndefined();
    return { count: t.statements.length - before, edges: body.data.customers.edges.length };
  }

  it('run the same number of SQL statements for a page of 5 and a page of 50', async () => {
    const small = await statementsFor(5);
    const large = await statementsFor(50);
    expect(small.edges).toBe(5);
    expect(large.edges).toBe(50);
    expect(large.count).toBe(small.count);
    // one statement for the page, one per relation level; nothing per customer
    expect(large.count).toBeLessThanOrEqual(16);
  });

  it('resolve every relation of the page correctly while batching', async () => {
    const { body } = await t.graphql(STITCHED_READ, { first: 10 });
    const nodes = body.data.customers.edges.map((edge: any) => edge.node);
    const c1 = nodes[1];
    expect(c1.identities.map((i: any) => i.type)).toEqual(['PASSPORT', 'TAX_ID']);
    expect(c1.accounts.map((a: any) => a.accountNumber).sort()).toEqual(['A1', 'J0']);
    const joint = c1.accounts.find((a: any) => a.accountNumber === 'J0');
    expect(joint.holders.map((h: any) => h.customerNumber)).toEqual(['FX000000', 'FX000001']);
    expect(joint.primaryHolder.customerNumber).toBe('FX000000');
    expect(nodes[9].parent.customerNumber).toBe('FX000008');
    expect(nodes[8].subCustomers.map((s: any) => s.customerNumber)).toEqual(['FX000009']);
    expect(nodes[0].relationships[0].customers).toHaveLength(5);
    expect(nodes[0].organization.name).toBe('Fixture Org');
  });

  it('share nothing between requests: a second request reads fresh data', async () => {
    await t.graphql(STITCHED_READ, { first: 5 });
    await rawRun(t.database, "update customers set customer_number = 'RENAMED0' where id = 'cus-0000'");
    const { body } = await t.graphql('{ customers(first: 1) { edges { node { customerNumber } } } }');
    expect(body.data.customers.edges[0].node.customerNumber).toBe('RENAMED0');
  });
});

describe('DATALOADER_BATCHING=off (the benchmark N+1 case)', () => {
  let batched: TestApp;
  let unbatched: TestApp;
  beforeAll(async () => {
    [batched, unbatched] = await Promise.all([createTestApp(), createTestApp({ batchLoads: false })]);
    await seedCustomerGraph(batched.database, 30);
    await seedCustomerGraph(unbatched.database, 30);
  });
  afterAll(() => {
    batched.close();
    unbatched.close();
  });

  it('answers the same, with statements growing with the page size instead of staying flat', async () => {
    const run = async (t: TestApp, first: number) => {
      const before = t.statements.length;
      const { body } = await t.graphql(STITCHED_READ, { first });
      expect(body.errors).toBeUndefined();
      return { data: body.data, statements: t.statements.length - before };
    };
    const [b5, b25, u5, u25] = [await run(batched, 5), await run(batched, 25), await run(unbatched, 5), await run(unbatched, 25)];
    expect(u25.data).toEqual(b25.data);
    expect(u5.data).toEqual(b5.data);
    expect(b25.statements).toBe(b5.statements);
    // several relations per customer, each its own statement now
    expect(u25.statements - u5.statements).toBeGreaterThanOrEqual(20 * 5);
  });
});
