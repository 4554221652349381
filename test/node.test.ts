import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../src/global-id.js';
import { createTestApp, type TestApp } from './helpers.js';

describe('Node interface and global IDs', () => {
  let t: TestApp;
  let ids: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp({ demo: true });
    const { body } = await t.graphql(`{
      customers(first: 1) { edges { node {
        id organization { id }
        identities { id } addresses { id }
        accounts { id cards { id } relationship { id } }
      } } }
    }`);
    const c = body.data.customers.edges[0].node;
    const account = c.accounts.find((a: any) => a.relationship);
    ids = {
      Customer: c.id,
      Organization: c.organization.id,
      Identity: c.identities[0].id,
      Address: c.addresses[0].id,
      Account: account.id,
      Card: account.cards[0].id,
      Relationship: account.relationship.id,
    };
  });
  afterAll(() => t.close());

  it.each(['Customer', 'Organization', 'Identity', 'Address', 'Account', 'Card', 'Relationship'])(
    'node(id) round-trips a %s: same id, same type',
    async (typename) => {
      const { status, body } = await t.graphql('query ($id: ID!) { node(id: $id) { __typename id } }', { id: ids[typename] });
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.node).toEqual({ __typename: typename, id: ids[typename] });
    },
  );

  it('nodes(ids) returns every type in the order asked', async () => {
    const order = ['Card', 'Customer', 'Relationship', 'Address', 'Organization', 'Account', 'Identity'];
    const { body } = await t.graphql('query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }', {
      ids: order.map((typename) => ids[typename]),
    });
    expect(body.errors).toBeUndefined();
    expect(body.data.nodes).toEqual(order.map((typename) => ({ __typename: typename, id: ids[typename] })));
  });

  it('global IDs are opaque: no type name or raw key in clear text', () => {
    for (const id of Object.values(ids)) {
      expect(id).not.toMatch(/Customer|Account|:/);
    }
  });

  it('a well-formed ID of a missing object resolves to null without an error', async () => {
    const { status, body } = await t.graphql('query ($id: ID!) { node(id: $id) { id } }', {
      id: encodeGlobalId('Customer', 'no-such-customer'),
    });
    expect(status).toBe(200);
    expect(body).toEqual({ data: { node: null } });
  });

  it('an ID of a type that is not a Node (or does not exist) resolves to null', async () => {
    for (const typename of ['PageInfo', 'Nope', 'Query']) {
      const { body } = await t.graphql('query ($id: ID!) { node(id: $id) { id } }', { id: encodeGlobalId(typename, '1') });
      expect(body).toEqual({ data: { node: null } });
    }
  });

  it.each([
    ['not base64', '!!!'],
    ['base64 without a type prefix', Buffer.from('just-an-id').toString('base64url')],
    ['empty', ''],
    ['a raw database id', 'cus-0001'],
    ['too long', 'A'.repeat(300)],
  ])('an undecodable ID (%s) is a coded INVALID_ID error at the field, never a 500', async (_label, id) => {
    const { status, body } = await t.graphql('query ($id: ID!) { node(id: $id) { id } }', { id });
    expect(status).toBe(200);
    expect(body.data).toEqual({ node: null });
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.path).toEqual(['node']);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'INVALID_ID', argument: ['id'] });
  });

  it('nodes reports an undecodable ID at its own index and still returns the others', async () => {
    const { body } = await t.graphql('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: [ids.Customer, 'garbage!', encodeGlobalId('Card', 'missing')],
    });
    expect(body.data.nodes).toEqual([{ id: ids.Customer }, null, null]);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.path).toEqual(['nodes', 1]);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'INVALID_ID', argument: ['ids', '1'] });
  });

  it('nodes refuses more than 100 IDs with a coded error', async () => {
    const { body } = await t.graphql('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: Array.from({ length: 101 }, () => ids.Customer),
    });
    expect(body.data).toBeNull();
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: ['ids'] });
  });

  it('customer(id) returns the customer, and null for an ID of another type', async () => {
    const { body } = await t.graphql('query ($a: ID!, $b: ID!) { a: customer(id: $a) { id } b: customer(id: $b) { id } }', {
      a: ids.Customer,
      b: ids.Account,
    });
    expect(body).toEqual({ data: { a: { id: ids.Customer }, b: null } });
  });

  it('customer(customerNumber) finds by the natural key; an unknown number is null', async () => {
    const { body } = await t.graphql(
      '{ a: customer(customerNumber: "4000000000000001001") { id name { first } } b: customer(customerNumber: "NOPE") { id } }',
    );
    expect(body).toEqual({ data: { a: { id: ids.Customer, name: { first: 'Aino' } }, b: null } });
  });

  it.each([
    ['neither argument', '{ customer { id } }'],
    ['both arguments', `{ customer(id: "x", customerNumber: "4000000000000001001") { id } }`],
  ])('customer with %s is a coded BAD_USER_INPUT error', async (_label, query) => {
    const { status, body } = await t.graphql(query);
    expect(status).toBe(200);
    expect(body.data).toEqual({ customer: null });
    expect(body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(body.errors![0]!.message).toBe('give exactly one of id or customerNumber');
  });

  it('customer(id) with an undecodable ID is a coded INVALID_ID error', async () => {
    const { body } = await t.graphql('{ customer(id: "%%%") { id } }');
    expect(body.data).toEqual({ customer: null });
    expect(body.errors![0]!.extensions!.code).toBe('INVALID_ID');
  });
});
