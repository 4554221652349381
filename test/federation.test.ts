import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, organizations } from '../src/db/tables.js';
import { encodeGlobalId } from '../src/global-id.js';
import { FIXTURE_ORGANIZATION_ID, seedCustomerGraph } from './fixtures.js';
import { createTestApp, type TestApp } from './helpers.js';

const ENTITIES = /* GraphQL */ `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on Customer { id customerNumber }
      ... on Account { id accountNumber }
      ... on Card { id last4 }
      ... on Relationship { id relationshipNumber }
    }
  }
`;

const customer = (i: number) => ({ __typename: 'Customer', id: encodeGlobalId('Customer', `cus-${String(i).padStart(4, '0')}`) });

describe('federation subgraph', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedCustomerGraph(t.database, 120);
  });
  afterAll(() => t.close());

  it('_service { sdl } is the committed subgraph.graphql: @link to federation v2, the @key of each entity', async () => {
    const { body } = await t.graphql('{ _service { sdl } }');
    const committed = readFileSync(new URL('../subgraph.graphql', import.meta.url), 'utf8');
    expect(`${body.data._service.sdl}\n`).toBe(committed);
    expect(committed).toContain('@link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])');
    for (const [type, keys] of Object.entries({ Customer: ['id', 'customerNumber'], Account: ['accountNumber', 'id'], Card: ['id'], Relationship: ['id'] })) {
      const declaration = new RegExp(`^type ${type} implements Node\\n((?:  @key\\(fields: "\\w+"\\)\\n)+)`, 'm').exec(committed);
      expect(declaration?.[1]?.trim().split('\n').map((line) => /"(\w+)"/.exec(line)![1]), type).toEqual(keys);
    }
  });

  it('resolves each key to its object, in the order of the representations', async () => {
    const representations = [
      customer(3),
      { __typename: 'Customer', customerNumber: 'FX000007' },
      { __typename: 'Account', accountNumber: 'A5' },
      { __typename: 'Account', id: encodeGlobalId('Account', 'jnt-0002') },
      { __typename: 'Card', id: encodeGlobalId('Card', 'crd-0011') },
      { __typename: 'Relationship', id: encodeGlobalId('Relationship', 'rel-0004') },
    ];
    const { body } = await t.graphql(ENTITIES, { representations });
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toEqual([
      { __typename: 'Customer', id: customer(3).id, customerNumber: 'FX000003' },
      { __typename: 'Customer', id: customer(7).id, customerNumber: 'FX000007' },
      { __typename: 'Account', id: encodeGlobalId('Account', 'acc-0005'), accountNumber: 'A5' },
      { __typename: 'Account', id: encodeGlobalId('Account', 'jnt-0002'), accountNumber: 'J2' },
      { __typename: 'Card', id: encodeGlobalId('Card', 'crd-0011'), last4: '1011' },
      { __typename: 'Relationship', id: encodeGlobalId('Relationship', 'rel-0004'), relationshipNumber: 'RL4' },
    ]);
  });

  it('what does not exist, or is another type’s ID, is null; an undecodable ID is INVALID_ID at its index only', async () => {
    const representations = [
      { __typename: 'Customer', id: encodeGlobalId('Customer', 'nobody') },
      { __typename: 'Customer', id: encodeGlobalId('Account', 'acc-0001') },
      { __typename: 'Customer', customerNumber: 'NOSUCH' },
      { __typename: 'Account', accountNumber: 'NOSUCH' },
      { __typename: 'Card', id: 'not an id!' },
      customer(1),
    ];
    const { body } = await t.graphql(ENTITIES, { representations });
    expect(body.data._entities).toEqual([null, null, null, null, null, { __typename: 'Customer', id: customer(1).id, customerNumber: 'FX000001' }]);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({ path: ['_entities', 4], extensions: { code: 'INVALID_ID' } });
  });

  it('another tenant’s objects resolve to null, as through node(id)', async () => {
    await t.database.db.insert(organizations).values({ id: 'org-federation-other', name: 'Other' });
    const other = await t.tokenFor('org-federation-other', ['customers:read']);
    const representations = [customer(1), { __typename: 'Customer', customerNumber: 'FX000001' }, { __typename: 'Account', accountNumber: 'A1' }, { __typename: 'Card', id: encodeGlobalId('Card', 'crd-0001') }];
    const { body } = await t.graphql(ENTITIES, { representations }, other);
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toEqual([null, null, null, null]);
  });

  it('an account number two of the viewer’s organizations use: its own organization’s, else AMBIGUOUS_KEY', async () => {
    await t.database.db.insert(organizations).values({ id: 'org-federation-branch', name: 'Branch', parentId: t.organizationId });
    await t.database.db.insert(accounts).values({ id: 'acc-branch-a0', organizationId: 'org-federation-branch', accountNumber: 'A0', type: 'CHECKING' });
    const representations = [{ __typename: 'Account', accountNumber: 'A0' }];

    const root = await t.graphql(ENTITIES, { representations });
    expect(root.body.data._entities).toEqual([null]);
    expect(root.body.errors![0]).toMatchObject({ path: ['_entities', 0], extensions: { code: 'AMBIGUOUS_KEY' } });
    expect(root.body.errors![0]!.message).toBe('account number A0 names accounts in 2 of your organizations: reference the Account by id');

    const branch = await t.graphql(ENTITIES, { representations }, await t.tokenFor('org-federation-branch', ['customers:read']));
    expect(branch.body.data._entities).toEqual([{ __typename: 'Account', id: encodeGlobalId('Account', 'acc-branch-a0'), accountNumber: 'A0' }]);
    const fixture = await t.graphql(ENTITIES, { representations }, await t.tokenFor(FIXTURE_ORGANIZATION_ID, ['customers:read']));
    expect(fixture.body.data._entities).toEqual([{ __typename: 'Account', id: encodeGlobalId('Account', 'acc-0000'), accountNumber: 'A0' }]);
  });

  it('100 Customer representations cost the same SQL statements as 10 (one batch of loads), by either key', async () => {
    const statementsFor = async (representations: object[]) => {
      const before = t.statements.length;
      const { body } = await t.graphql(
        'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { customerNumber accounts { accountNumber } } } }',
        { r: representations },
      );
      expect(body.errors).toBeUndefined();
      expect(body.data._entities.every((entity: unknown) => entity !== null)).toBe(true);
      return t.statements.length - before;
    };
    const byId = (n: number) => Array.from({ length: n }, (_, i) => customer(i));
    const byNumber = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Customer', customerNumber: `FX${String(i).padStart(6, '0')}` }));
    const ten = await statementsFor(byId(10));
    expect(ten).toBeLessThanOrEqual(4);
    expect(await statementsFor(byId(100))).toBe(ten);
    expect(await statementsFor(byNumber(100))).toBe(await statementsFor(byNumber(10)));
  });

  it('answers the same compiled (graphql-jit, from the second run) as on the first run', async () => {
    const representations = [customer(2), { __typename: 'Card', id: 'bad' }, { __typename: 'Account', accountNumber: 'A9' }];
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push((await t.graphql(ENTITIES, { representations })).body);
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
    expect(runs[0]!.data._entities[0]).toMatchObject({ customerNumber: 'FX000002' });
  });
});
