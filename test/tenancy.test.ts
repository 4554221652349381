import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { organizations } from '../src/db/tables.js';
import { encodeGlobalId } from '../src/global-id.js';
import { createTestApp, type TestApp } from './helpers.js';
import { fullCustomerInput } from './mutations.js';

/**
 * Three organizations: the demo's root (parent), its Business Banking child, and an unrelated
 * tenant. Each viewer sees its own subtree, and nothing of the others — not even that they exist.
 */
describe('tenant isolation', () => {
  let t: TestApp;
  const token: Record<'parent' | 'child' | 'unrelated', string> = { parent: '', child: '', unrelated: '' };
  const ids: Record<string, Record<string, string>> = {};

  const NODE_QUERY = `{
    customers(first: 100) { totalCount edges { node {
      id customerNumber organization { id parent { id } }
      identities { id } addresses { id } accounts { id cards { id } } relationships { id }
    } } }
  }`;

  beforeAll(async () => {
    t = await createTestApp({ demo: true });
    const [child] = await t.database.db.select().from(organizations).where((await import('drizzle-orm')).eq(organizations.name, 'Demo Bank Business Banking'));
    await t.database.db.insert(organizations).values({ id: 'org-unrelated', name: 'Unrelated Telco' });
    token.parent = t.token;
    token.child = await t.tokenFor(child!.id, ['admin'], 'child-admin');
    token.unrelated = await t.tokenFor('org-unrelated', ['admin'], 'unrelated-admin');
    const created = await t.graphql(
      'mutation ($input: CustomerCreateInput!) { customerCreate(input: $input) { customer { id } userErrors { message } } }',
      { input: { customer: fullCustomerInput({ customerNumber: '9990000000000000001', accounts: [{ ...fullCustomerInput().accounts[0], accountNumber: '9990000000000000001' }] }), providers: [] } },
      token.unrelated,
    );
    expect(created.body.data.customerCreate.userErrors).toEqual([]);
    // one object of every type for each tenant, read as that tenant
    for (const tenant of ['parent', 'child', 'unrelated'] as const) {
      const { body } = await t.graphql(NODE_QUERY, {}, token[tenant]);
      const withEverything = body.data.customers.edges
        .map((edge: any) => edge.node)
        .find((node: any) => node.identities.length && node.accounts.some((a: any) => a.cards.length)) ?? body.data.customers.edges[0].node;
      const account = withEverything.accounts.find((a: any) => a.cards.length) ?? withEverything.accounts[0];
      ids[tenant] = {
        Customer: withEverything.id,
        customerNumber: withEverything.customerNumber,
        Organization: withEverything.organization.id,
        Identity: withEverything.identities[0].id,
        Address: withEverything.addresses[0].id,
        Account: account.id,
        Card: account.cards[0].id,
      };
      if (withEverything.relationships[0]) ids[tenant]!.Relationship = withEverything.relationships[0].id;
    }
  });
  afterAll(() => t.close());

  it('lists: the parent sees itself and its child, the child only itself, the unrelated tenant only itself', async () => {
    const count = async (tenant: keyof typeof token) => (await t.graphql('{ customers { totalCount } }', {}, token[tenant])).body.data.customers.totalCount;
    expect(await count('parent')).toBe(24);
    expect(await count('child')).toBe(8);
    expect(await count('unrelated')).toBe(1);
  });

  const pairs = [
    ['child', 'parent'],
    ['unrelated', 'parent'],
    ['unrelated', 'child'],
    ['parent', 'unrelated'],
    ['child', 'unrelated'],
  ] as const;

  it.each(pairs)('%s cannot read %s: node, nodes, customer(id), customer(customerNumber) are null for every type', async (viewer, owner) => {
    for (const [typename, id] of Object.entries(ids[owner]!)) {
      if (typename === 'customerNumber') continue;
      const { body } = await t.graphql('query ($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }', { id }, token[viewer]);
      expect(body, `${viewer} reading ${owner}'s ${typename}`).toEqual({ data: { node: null, nodes: [null] } });
    }
    const { body } = await t.graphql(
      'query ($id: ID!, $n: String!) { a: customer(id: $id) { id } b: customer(customerNumber: $n) { id } }',
      { id: ids[owner]!.Customer, n: ids[owner]!.customerNumber },
      token[viewer],
    );
    expect(body).toEqual({ data: { a: null, b: null } });
  });

  it('the parent reads its child’s objects', async () => {
    for (const [typename, id] of Object.entries(ids.child!)) {
      if (typename === 'customerNumber') continue;
      const { body } = await t.graphql('query ($id: ID!) { node(id: $id) { id } }', { id }, token.parent);
      expect(body.data.node, typename).toEqual({ id });
    }
  });

  it('the child does not see its parent organization', async () => {
    const { body } = await t.graphql('query ($id: ID!) { node(id: $id) { ... on Organization { id parent { id } } } }', { id: ids.child!.Organization }, token.child);
    expect(body.data.node).toEqual({ id: ids.child!.Organization, parent: null });
  });

  it.each(pairs)('%s cannot find %s’s customers through customerLookup or the customers filter', async (viewer, owner) => {
    const { body } = await t.graphql(
      'query ($n: String!, $org: ID!) { customerLookup(input: { identifier: { value: $n } }) { totalCount } customers(filter: { organizationId: $org }) { totalCount } }',
      { n: ids[owner]!.customerNumber, org: ids[owner]!.Organization },
      token[viewer],
    );
    expect(body.data).toEqual({ customerLookup: { totalCount: 0 }, customers: { totalCount: 0 } });
  });

  it.each(pairs)('%s cannot change %s’s customers: update and sync say not found', async (viewer, owner) => {
    const update = await t.graphql(
      'mutation ($id: ID!) { customerUpdate(input: { id: $id, customer: { email: "x@example.com" } }) { customer { id } userErrors { field code } } }',
      { id: ids[owner]!.Customer },
      token[viewer],
    );
    expect(update.body.data.customerUpdate).toEqual({ customer: null, userErrors: [{ field: ['input', 'id'], code: 'NOT_FOUND' }] });
    const sync = await t.graphql(
      'mutation ($id: ID!) { customerSync(input: { customerId: $id }) { customer { id } userErrors { field code } } }',
      { id: ids[owner]!.Customer },
      token[viewer],
    );
    expect(sync.body.data.customerSync).toEqual({ customer: null, userErrors: [{ field: ['input', 'customerId'], code: 'NOT_FOUND' }] });
  });

  it.each(pairs)('%s cannot create a sub-customer under %s’s customer', async (viewer, owner) => {
    const { body } = await t.graphql(
      'mutation ($input: CustomerCreateInput!) { customerCreate(input: $input) { customer { id } userErrors { field code } } }',
      { input: { customer: fullCustomerInput({ accounts: [], parentId: ids[owner]!.Customer }), providers: ['FLOLIVE'] } },
      token[viewer],
    );
    expect(body.data.customerCreate).toEqual({ customer: null, userErrors: [{ field: ['input', 'customer', 'parentId'], code: 'NOT_FOUND' }] });
  });

  it.each(pairs)('%s cannot import sub-customers under %s’s customer', async (viewer, owner) => {
    const { body } = await t.graphql(
      'mutation ($input: CustomersImportInput!) { customersImport(input: $input) { importedCount userErrors { field code } } }',
      { input: { items: [{ customer: fullCustomerInput({ accounts: [], parentId: ids[owner]!.Customer }) }], providers: [] } },
      token[viewer],
    );
    expect(body.data.customersImport).toEqual({ importedCount: 0, userErrors: [{ field: ['input', 'items', '0', 'customer', 'parentId'], code: 'NOT_FOUND' }] });
  });

  it.each(pairs)('%s reads none of %s’s audit events', async (viewer, owner) => {
    const ownerOrganization = Buffer.from(ids[owner]!.Organization!, 'base64url').toString().split(':')[1];
    const own = await t.graphql('{ auditEvents(first: 100) { edges { node { organizationId } } } }', {}, token[owner]);
    expect(own.body.data.auditEvents.edges.length, `${owner} has events of its own`).toBeGreaterThan(0);
    const { body } = await t.graphql('{ auditEvents(first: 100) { edges { node { organizationId } } } }', {}, token[viewer]);
    expect(body.data.auditEvents.edges.map((edge: any) => edge.node.organizationId)).not.toContain(ownerOrganization);
  });

  it('writes land in the writer’s own organization: customerCreate, customersImport, customerNumbersGenerate', async () => {
    const childOrganization = Buffer.from(ids.child!.Organization!, 'base64url').toString().split(':')[1];
    const created = await t.graphql(
      'mutation ($input: CustomerCreateInput!) { customerCreate(input: $input) { customer { organization { id } } } }',
      { input: { customer: fullCustomerInput({ accounts: [] }), providers: [] } },
      token.child,
    );
    expect(created.body.data.customerCreate.customer.organization.id).toBe(ids.child!.Organization);
    const imported = await t.graphql(
      'mutation ($input: CustomersImportInput!) { customersImport(input: $input) { importedCount items { customer { organization { id } } } } }',
      { input: { items: [{ customer: fullCustomerInput({ accounts: [] }) }], providers: [] } },
      token.child,
    );
    expect(imported.body.data.customersImport.items[0].customer.organization.id).toBe(ids.child!.Organization);
    const generated = await t.graphql('mutation { customerNumbersGenerate(input: { count: 2 }) { customerNumbers userErrors { code } } }', {}, token.child);
    const numbers: string[] = generated.body.data.customerNumbersGenerate.customerNumbers;
    expect(numbers).toHaveLength(2);
    const { reservedCustomerNumbers } = await import('../src/db/tables.js');
    const rows = await t.database.db.select().from(reservedCustomerNumbers);
    expect(rows.filter((row) => numbers.includes(row.customerNumber)).map((row) => row.organizationId)).toEqual([childOrganization, childOrganization]);
  });

  it('the parent may create a sub-customer under its child’s customer', async () => {
    const { body } = await t.graphql(
      'mutation ($input: CustomerCreateInput!) { customerCreate(input: $input) { customer { parent { id } } userErrors { field code } } }',
      { input: { customer: fullCustomerInput({ accounts: [], parentId: ids.child!.Customer }), providers: [] } },
      token.parent,
    );
    expect(body.data.customerCreate).toEqual({ customer: { parent: { id: ids.child!.Customer } }, userErrors: [] });
  });

  it('organizationCreate: under an organization the viewer sees; another tenant’s is not found; needs admin', async () => {
    const create = (parentId: string, as: string) =>
      t.graphql(
        'mutation ($p: ID) { organizationCreate(input: { name: "Branch", parentId: $p }) { organization { id parent { id } } userErrors { field code } } }',
        { p: parentId },
        as,
      );
    expect((await create(ids.child!.Organization!, token.parent)).body.data.organizationCreate.organization.parent).toEqual({ id: ids.child!.Organization });
    expect((await create(ids.parent!.Organization!, token.child)).body.data.organizationCreate.userErrors).toEqual([{ field: ['input', 'parentId'], code: 'NOT_FOUND' }]);
    expect((await create(encodeGlobalId('Organization', 'org-unrelated'), token.parent)).body.data.organizationCreate.userErrors).toEqual([
      { field: ['input', 'parentId'], code: 'NOT_FOUND' },
    ]);
    const writer = await t.tokenFor('org-unrelated', ['customers:read', 'customers:write']);
    expect((await create(encodeGlobalId('Organization', 'org-unrelated'), writer)).body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });
});
