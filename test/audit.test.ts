import { desc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../src/db/tables.js';
import { createTestApp, type TestApp } from './helpers.js';
import { CREATE, fullCustomerInput } from './mutations.js';

const EVENTS = '{ auditEvents(first: 10) { edges { node { subject organizationId operation targetIds outcome requestId occurredAt } } } }';

describe('audit trail', () => {
  let t: TestApp;
  let alice: string;
  beforeAll(async () => {
    t = await createTestApp();
    alice = await t.tokenFor(t.organizationId, ['customers:read', 'customers:write'], 'alice');
  });
  afterAll(() => t.close());

  it('every mutation writes a record: subject, organization, operation, targets, outcome, request id, time', async () => {
    const response = await t.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${alice}`, 'x-request-id': 'req-123' },
      body: JSON.stringify({ query: CREATE, variables: { input: { customer: fullCustomerInput({ accounts: [] }), providers: [] } } }),
    });
    const created = ((await response.json()) as any).data.customerCreate.customer;
    const rejected = await t.graphql(CREATE, { input: { customer: fullCustomerInput({ phones: { mobile: '0401' } }), providers: [] } }, alice);
    expect(rejected.body.data.customerCreate.userErrors.length).toBeGreaterThan(0);

    const rows = await t.database.db.select().from(auditEvents).orderBy(auditEvents.occurredAt);
    expect(rows).toHaveLength(2);
    const customerId = Buffer.from(created.id, 'base64url').toString().split(':')[1];
    expect(rows[0]).toMatchObject({ subject: 'alice', organizationId: t.organizationId, operation: 'customerCreate', targetIds: [customerId], outcome: 'ok', requestId: 'req-123' });
    expect(rows[1]).toMatchObject({ subject: 'alice', operation: 'customerCreate', targetIds: [], outcome: 'rejected' });
    expect(rows[1]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a refused update records the customer it tried to reach', async () => {
    const missing = Buffer.from('Customer:someone-else').toString('base64url');
    await t.graphql('mutation ($id: ID!) { customerUpdate(input: { id: $id, customer: {} }) { userErrors { code } } }', { id: missing }, alice);
    const [last] = await t.database.db.select().from(auditEvents).orderBy(auditEvents.occurredAt).limit(1).offset(2);
    expect(last).toMatchObject({ operation: 'customerUpdate', targetIds: ['someone-else'], outcome: 'rejected' });
  });

  it('auditEvents reads the trail, newest first, with the scope audit:read only', async () => {
    const { body } = await t.graphql(EVENTS);
    expect(body.data.auditEvents.edges.map((edge: any) => edge.node.operation)).toEqual(['customerUpdate', 'customerCreate', 'customerCreate']);
    const denied = await t.graphql(EVENTS, {}, alice);
    expect(denied.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'audit:read' });
  });

  it('another tenant sees none of it', async () => {
    const { organizations } = await import('../src/db/tables.js');
    await t.database.db.insert(organizations).values({ id: 'org-other', name: 'Other' });
    const other = await t.tokenFor('org-other', ['audit:read', 'customers:read']);
    const { body } = await t.graphql(EVENTS, {}, other);
    expect(body.data.auditEvents.edges).toEqual([]);
  });

  it('an import records each imported customer once, in item order, and is rejected by its refused item though userErrors were not selected', async () => {
    const IMPORT = 'mutation ($input: CustomersImportInput!) { customersImport(input: $input) { items { customer { id } } } }';
    const items = [
      { customer: fullCustomerInput({ customerNumber: 'AUDIT1', accounts: [] }) },
      { customer: fullCustomerInput({ customerNumber: 'AUDIT2', phones: { mobile: '0401' }, accounts: [] }) },
      { customer: fullCustomerInput({ customerNumber: 'AUDIT3', accounts: [] }) },
    ];
    const { body } = await t.graphql(IMPORT, { input: { items, providers: [] } }, alice);
    const ids = body.data.customersImport.items.map((item: any) => item.customer && Buffer.from(item.customer.id, 'base64url').toString().split(':')[1]);
    expect(ids[1]).toBeNull();
    const [last] = await t.database.db.select().from(auditEvents).orderBy(desc(auditEvents.occurredAt)).limit(1);
    expect(last).toMatchObject({ operation: 'customersImport', targetIds: [ids[0], ids[2]], outcome: 'rejected' });
  });
});
