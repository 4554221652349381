import { makeExecutableSchema } from '@graphql-tools/schema';
import { getIntrospectionQuery, GraphQLError } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, GRAPHIQL_EXAMPLE_QUERY, type App } from '../src/app.js';
import { useCompiledExecution } from '../src/compiled-execution.js';
import { createTestApp, type TestApp } from './helpers.js';
import { CREATE, fullCustomerInput } from './mutations.js';

/**
 * src/compiled-execution.ts: graphql-jit must answer exactly what graphql-js answers. Two apps on
 * one database (demo data, the same simulators): the default one (compiled) and one with
 * compiledExecution off; every read below must come back byte-identical from both.
 */
let t: TestApp;
let interpreted: App;

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  interpreted = createApp({ database: t.database, providers: t.providers, authenticator: t.authenticator, logging: false, compiledExecution: false });
});
afterAll(() => t.close());

async function both(query: string, variables?: Record<string, unknown>) {
  const ask = async (app: App) => {
    const response = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { ...t.headers, accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: await response.text() };
  };
  // an operation is compiled the second time it runs: the first answer is graphql-js's own
  const [first, compiled, plain] = [await ask(t.app), await ask(t.app), await ask(interpreted)];
  expect(first).toEqual(plain);
  expect(compiled).toEqual(plain);
  return { status: compiled.status, body: JSON.parse(compiled.body) as { data?: any; errors?: any[] } };
}

const PAGE = /* GraphQL */ `
  query Page($first: Int = 3, $withCards: Boolean!, $skipRelationships: Boolean = false) {
    customers(first: $first) {
      totalCount
      edges {
        cursor
        node {
          __typename
          ...Who
          ... on Customer @include(if: $withCards) {
            accounts { accountNumber cards { __typename last4 network status } holders { id displayName } }
          }
          relationships @skip(if: $skipRelationships) { relationshipNumber }
          identities { type number issuingCountry }
          addresses { kind line1 city country isPrimary }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
  fragment Who on Customer { id customerNumber kind displayName name { first last } createdAt }
`;

describe('compiled execution (graphql-jit) answers as graphql-js does', () => {
  it('the GraphiQL example, a page with fragments, variables and defaults, @skip and @include', async () => {
    const example = await both(GRAPHIQL_EXAMPLE_QUERY);
    expect(example.body.data.customers.edges.length).toBeGreaterThan(0);
    for (const withCards of [true, false]) {
      for (const skipRelationships of [true, false]) {
        const page = await both(PAGE, { withCards, skipRelationships, first: 5 });
        const node = page.body.data.customers.edges[0].node;
        expect('accounts' in node).toBe(withCards);
        expect('relationships' in node).toBe(!skipRelationships);
      }
    }
  });

  it('the next page by cursor, node and nodes through the Node interface, per-entry ID errors', async () => {
    const first = await both(PAGE, { withCards: false, first: 2 });
    const { endCursor } = first.body.data.customers.pageInfo;
    await both(`query ($after: String) { customers(first: 2, after: $after) { edges { node { id } } } }`, { after: endCursor });
    const id = first.body.data.customers.edges[0].node.id;
    const nodes = await both(`query ($id: ID!, $ids: [ID!]!) {
      node(id: $id) { __typename id ... on Customer { customerNumber } }
      nodes(ids: $ids) { __typename id }
    }`, { id, ids: [id, 'not-a-global-id', 'Q3VzdG9tZXI6bm9wZQ'] });
    expect(nodes.body.data.node.id).toBe(id);
    expect(nodes.body.errors?.[0]?.extensions?.code).toBe('INVALID_ID');
  });

  it('resolver errors keep their message, path, locations and extensions (not masked)', async () => {
    const cursor = await both(`{ customers(first: 1, after: "nope") { totalCount } }`);
    expect(cursor.body.errors![0]).toMatchObject({ path: ['customers'], extensions: { code: 'INVALID_CURSOR' }, locations: [{ line: 1, column: 3 }] });
    const range = await both(`{ customers(first: 1000) { totalCount } }`);
    expect(range.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: ['first'] });
  });

  it('bad variables get graphql-js’s messages; an omitted non-null input field with a default is accepted', async () => {
    const wrongType = await both(`query ($first: Int) { customers(first: $first) { totalCount } }`, { first: 'ten' });
    expect(wrongType.body.errors![0].message).toMatch(/Variable "\$first" got invalid value "ten"/);
    const missing = await both(`query ($withCards: Boolean!) { customers(first: 1) { totalCount @include(if: $withCards) } }`);
    expect(missing.body.errors![0].message).toMatch(/Variable "\$withCards" of required type "Boolean!" was not provided/);
    // LookupTextInput.mode is `MatchMode! = EXACT`: graphql-jit alone would refuse it
    const lookup = await both(
      `query ($input: CustomerLookupInput!) { customerLookup(input: $input) { totalCount edges { node { customer { customerNumber } } } } }`,
      { input: { name: { value: 'virtanen' } } },
    );
    expect(lookup.body.errors).toBeUndefined();
    expect(lookup.body.data.customerLookup.totalCount).toBeGreaterThan(0);
  });

  it('a mutation of one root field: refused variables and user errors as graphql-js answers them', async () => {
    // graphql-jit coerces the variables; a refusal (nothing has run) is answered by graphql-js
    const badEnum = await both(CREATE, { input: { customer: fullCustomerInput({ kind: 'ALIEN' }) } });
    expect(badEnum.body.errors![0].message).toMatch(/Variable "\$input" got invalid value "ALIEN" at "input\.customer\.kind"/);
    const unknownField = await both(CREATE, { input: { customer: fullCustomerInput({ nickname: 'x' }) } });
    expect(unknownField.body.errors![0].message).toMatch(/Field "nickname" is not defined by type "CustomerInput"/);
    const badScalar = await both(CREATE, { input: { customer: fullCustomerInput({ email: 'not an address' }) } });
    expect(badScalar.body.errors![0].message).toMatch(/Variable "\$input" got invalid value "not an address" at "input\.customer\.email"/);
    // accepted by both, refused by the use case: no effects, so all three answers can be compared
    const refused = await both(CREATE, { input: { customer: fullCustomerInput({ identities: [] }), providers: ['ENFUCE'] } });
    expect(refused.body.data.customerCreate.userErrors).not.toHaveLength(0);
  });

  it('a mutation of one root field that writes: the compiled answer has graphql-js’s shape and values', async () => {
    const create = async (app: App, lastName: string, accountNumber: string) => {
      const base = fullCustomerInput();
      const customer = { ...base, name: { first: 'Jit', last: lastName }, accounts: base.accounts.map((account) => ({ ...account, accountNumber })) };
      const response = await app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { ...t.headers, accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query: CREATE, variables: { input: { customer, providers: ['ENFUCE'] } } }),
      });
      return JSON.parse(await response.text()) as { data: { customerCreate: Record<string, any> } };
    };
    const normalise = (body: { data: { customerCreate: Record<string, any> } }) =>
      JSON.parse(JSON.stringify(body).replace(/"(id|customerNumber|externalId|requestId|displayName|accountNumber)":"[^"]*"/g, '"$1":"…"').replace(/\(\d{19}\)/g, '(…)'));
    // the second run of the document is the compiled one
    const [first, compiled, plain] = [
      await create(t.app, 'First', '4000000000000000901'),
      await create(t.app, 'Compiled', '4000000000000000902'),
      await create(interpreted, 'Plain', '4000000000000000903'),
    ];
    expect(compiled.data.customerCreate.customer.displayName).toMatch(/Compiled/);
    expect(compiled.data.customerCreate.userErrors).toEqual([]);
    expect(normalise(compiled)).toEqual(normalise(plain));
    expect(normalise(first)).toEqual(normalise(plain));
  });

  it('introspection, and a mutation refused with user errors', async () => {
    await both(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, inputValueDeprecation: true }));
    const refused = await both(`mutation { customerCreate(input: { customer: { kind: PRIVATE, customerNumber: "x" } }) { customer { id } userErrors { field message } } }`);
    expect(refused.body.errors ?? refused.body.data.customerCreate.userErrors).not.toHaveLength(0);
  });
});

describe('compiled execution on a schema built to fail', () => {
  // what the product schema cannot easily produce: nulls in non-null positions, thrown plain
  // errors (masked), errors in lists, abstract types resolved by __resolveType, a failing mutation
  const order: string[] = [];
  const schema = makeExecutableSchema({
    typeDefs: /* GraphQL */ `
      interface Named { name: String! }
      type Person implements Named { name: String! age: Int }
      type Robot implements Named { name: String! model: String! }
      type Query {
        named: [Named!]!
        broken: Person
        strictList: [Int!]
        looseList: [Int]
        crash: String
        coded: String
        badInt: Int
        badEnum: Color
        deep: Person!
      }
      enum Color { RED }
      type Outcome { bad: Int! coded: String }
      type Mutation { step(n: Int!): Int! fail: Int! outcome: Outcome }
    `,
    resolvers: {
      Named: { __resolveType: (value: { model?: string }) => (value.model ? 'Robot' : 'Person') },
      Query: {
        named: () => [{ name: 'Ada', age: 36 }, { name: 'R2', model: 'astromech' }],
        broken: () => ({ name: null, age: 1 }),
        strictList: () => [1, null, 3],
        looseList: () => [1, new Error('item failed'), 3],
        crash: () => {
          throw new Error('secret detail');
        },
        coded: () => {
          throw new GraphQLError('refused', { extensions: { code: 'REFUSED' } });
        },
        deep: () => ({ name: null }),
        badInt: () => 'abc',
        badEnum: () => 'BLUE',
      },
      Mutation: {
        step: async (_: unknown, { n }: { n: number }) => {
          await new Promise((resolve) => setTimeout(resolve, (3 - n) * 5));
          order.push(`step ${n}`);
          return n;
        },
        fail: () => {
          throw new Error('failed');
        },
        outcome: () => ({
          bad: null,
          coded: () => {
            throw new GraphQLError('refused', { extensions: { code: 'REFUSED' } });
          },
        }),
      },
    },
  });
  const yogaWith = (compiled: boolean) =>
    createYoga({ schema, logging: false, maskedErrors: true, plugins: compiled ? [useCompiledExecution()] : [] });
  const [jit, js] = [yogaWith(true), yogaWith(false)];
  const send = async (yoga: typeof jit, query: string) =>
    (await yoga.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).text();
  // the compiled yoga is asked twice: an operation is compiled the second time it runs (mutations
  // are asked once, their effects are counted; their test runs each one a first time itself)
  const ask = async (yoga: typeof jit, query: string) => {
    if (yoga === jit && !query.startsWith('mutation')) await send(yoga, query);
    return send(yoga, query);
  };

  it.each([
    ['abstract types', '{ named { __typename name ... on Person { age } ... on Robot { model } } }'],
    ['null in a non-null field bubbles to the nullable parent', '{ broken { name age } }'],
    ['null in a non-null list item nulls the list', '{ strictList }'],
    ['an error in a list item', '{ looseList }'],
    ['a thrown plain error is masked', '{ crash coded }'],
    ['a value its scalar or enum cannot serialise', '{ badInt badEnum }'],
  ])('%s', async (_, query) => {
    expect(await ask(jit, query)).toBe(await ask(js, query));
  });

  // the spec leaves the order of errors open: graphql-js lists them as they happen, graphql-jit
  // lists nulls in non-null positions after resolver errors
  it('aliases and fragments locate the error; the same errors, in another order', async () => {
    const query = 'query { a: broken { ...F } b: coded } fragment F on Person { name }';
    const [fromJit, fromJs] = [JSON.parse(await ask(jit, query)), JSON.parse(await ask(js, query))];
    expect(fromJit.data).toEqual(fromJs.data);
    expect(fromJit.errors).toHaveLength(2);
    expect(fromJit.errors).toEqual(expect.arrayContaining(fromJs.errors));
  });

  // graphql-js stops at the first null that reaches the root and never runs later root fields;
  // graphql-jit runs them all, so it may report more errors (the spec allows either)
  it('a null bubbling to the root nulls data, with at least graphql-js’s errors', async () => {
    const query = '{ deep { name } crash }';
    // and this is how one can tell which path ran: the first time graphql-js's, then the compiled one
    expect(JSON.parse(await send(jit, query)).errors).toHaveLength(1);
    const [fromJit, fromJs] = [JSON.parse(await send(jit, query)), JSON.parse(await ask(js, query))];
    expect(fromJit.data).toBeNull();
    expect(fromJs.data).toBeNull();
    expect(fromJit.errors).toEqual(expect.arrayContaining(fromJs.errors));
    expect([fromJit.errors.length, fromJs.errors.length]).toEqual([2, 1]);
  });

  it('a mutation of one root field runs compiled: the same data, at least graphql-js’s errors', async () => {
    for (const query of ['mutation { fail }', 'mutation { step(n: 2) }']) {
      expect(await send(jit, query)).toBe(await send(js, query));
      expect(await send(jit, query)).toBe(await send(js, query));
    }
    const query = 'mutation { outcome { bad coded } }';
    const [fromJs, first, compiled] = [JSON.parse(await send(js, query)), JSON.parse(await send(jit, query)), JSON.parse(await send(jit, query))];
    expect(first).toEqual(fromJs);
    expect(compiled.data).toEqual(fromJs.data);
    // how one can tell which path ran: graphql-js stops completing the object at the null in a
    // non-null field; graphql-jit has still run its sibling and reports that error too
    expect(fromJs.errors.map((error: { path: string[] }) => error.path)).toEqual([['outcome', 'bad']]);
    expect(compiled.errors.map((error: { path: string[] }) => error.path)).toEqual([['outcome', 'coded'], ['outcome', 'bad']]);
    expect(compiled.errors).toEqual(expect.arrayContaining(fromJs.errors));
  });

  it('mutations of several root fields stay with graphql-js: one after another, none after a failed non-null one', async () => {
    order.length = 0;
    await send(jit, 'mutation { a: step(n: 1) b: step(n: 2) c: step(n: 3) }');
    order.length = 0;
    const body = await ask(jit, 'mutation { a: step(n: 1) b: step(n: 2) c: step(n: 3) }');
    expect(JSON.parse(body)).toEqual({ data: { a: 1, b: 2, c: 3 } });
    expect(order).toEqual(['step 1', 'step 2', 'step 3']);
    order.length = 0;
    await send(jit, 'mutation { a: step(n: 1) b: fail c: step(n: 3) }');
    order.length = 0;
    const failed = JSON.parse(await ask(jit, 'mutation { a: step(n: 1) b: fail c: step(n: 3) }'));
    expect(failed.data).toBeNull();
    expect(order).toEqual(['step 1']);
  });
});
