import { createServer, type Server } from 'node:http';
import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../src/global-id.js';
import { printSubgraphSdl } from '../src/schema/print.js';
import { seedCustomerGraph } from './fixtures.js';
import { createTestApp, type TestApp } from './helpers.js';
import { closeServer, listenOnLoopback, startTransactionsSubgraph, TRANSACTIONS_TYPE_DEFS, type TransactionsSubgraph } from './support/transactions-subgraph.js';

const customerId = (i: number) => encodeGlobalId('Customer', `cus-${String(i).padStart(4, '0')}`);

/**
 * customer-graph in a supergraph: composed with a second subgraph by @theguild/federation-composition
 * and served by Hive Gateway, every server on loopback; the client's Authorization header is
 * forwarded to both subgraphs.
 */
describe('supergraph: customer-graph + transactions through Hive Gateway', () => {
  let t: TestApp;
  let customerGraph: Server;
  let transactions: TransactionsSubgraph;
  let gateway: GatewayRuntime;
  let gatewayServer: Server;
  let gatewayUrl: string;
  let supergraphSdl: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedCustomerGraph(t.database, 10);
    customerGraph = createServer(t.app);
    const customerGraphUrl = await listenOnLoopback(customerGraph, '/graphql');
    transactions = await startTransactionsSubgraph([
      { id: 'tx-1', amountMinor: 1250, currency: 'EUR', accountNumber: 'A1', customerId: customerId(1) },
      { id: 'tx-2', amountMinor: 399, currency: 'EUR', accountNumber: 'A1', customerId: customerId(1) },
      { id: 'tx-3', amountMinor: 8000, currency: 'SEK', accountNumber: 'A2', customerId: customerId(2) },
    ]);

    const composed = composeServices([
      { name: 'customer-graph', typeDefs: parse(printSubgraphSdl()), url: customerGraphUrl },
      { name: 'transactions', typeDefs: parse(TRANSACTIONS_TYPE_DEFS), url: transactions.url },
    ]);
    expect(composed.errors, composed.errors?.map((error) => error.message).join('\n')).toBeUndefined();
    supergraphSdl = composed.supergraphSdl!;

    gateway = createGatewayRuntime({
      supergraph: supergraphSdl,
      logging: false,
      propagateHeaders: {
        fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }),
      },
    });
    gatewayServer = createServer(gateway);
    gatewayUrl = await listenOnLoopback(gatewayServer, '/graphql');
  });

  afterAll(async () => {
    await gateway?.dispose();
    if (gatewayServer) await closeServer(gatewayServer);
    await transactions?.close();
    if (customerGraph) await closeServer(customerGraph);
    t?.close();
  });

  async function throughGateway(query: string, authorization: string | null = `Bearer ${t.token}`) {
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, body: (await response.json()) as { data?: any; errors?: { message: string; path?: unknown[]; extensions?: any }[] } };
  }

  it('composes with no errors: the entities join on their keys', () => {
    expect(supergraphSdl).toContain('@join__type(graph: CUSTOMER_GRAPH, key: "accountNumber")');
    expect(supergraphSdl).toContain('@join__type(graph: TRANSACTIONS, key: "accountNumber")');
    expect(supergraphSdl).toContain('@join__type(graph: CUSTOMER_GRAPH, key: "id")');
  });

  it('a query from transactions into customer-graph: Customer by id, Account by accountNumber, with the token forwarded', async () => {
    const before = transactions.authorizations.length;
    const { status, body } = await throughGateway(`{
      recentTransactions {
        id amountMinor currency
        customer { customerNumber displayName }
        account { accountNumber type holders { customerNumber } }
      }
    }`);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.recentTransactions).toEqual([
      { id: 'tx-1', amountMinor: 1250, currency: 'EUR', customer: { customerNumber: 'FX000001', displayName: 'First1 Last1' }, account: { accountNumber: 'A1', type: 'CHECKING', holders: [{ customerNumber: 'FX000001' }] } },
      { id: 'tx-2', amountMinor: 399, currency: 'EUR', customer: { customerNumber: 'FX000001', displayName: 'First1 Last1' }, account: { accountNumber: 'A1', type: 'CHECKING', holders: [{ customerNumber: 'FX000001' }] } },
      { id: 'tx-3', amountMinor: 8000, currency: 'SEK', customer: { customerNumber: 'FX000002', displayName: 'First2 Last2' }, account: { accountNumber: 'A2', type: 'CHECKING', holders: [{ customerNumber: 'FX000002' }] } },
    ]);
    expect(transactions.authorizations.slice(before)).toEqual([`Bearer ${t.token}`]);
  });

  it('a query from customer-graph into transactions: an account’s transactions by its accountNumber', async () => {
    const before = transactions.authorizations.length;
    const { body } = await throughGateway(`{
      customer(customerNumber: "FX000001") {
        customerNumber
        accounts { accountNumber transactions { id amountMinor customer { id } } }
      }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.customer).toEqual({
      customerNumber: 'FX000001',
      accounts: [
        { accountNumber: 'A1', transactions: [{ id: 'tx-1', amountMinor: 1250, customer: { id: customerId(1) } }, { id: 'tx-2', amountMinor: 399, customer: { id: customerId(1) } }] },
        { accountNumber: 'J0', transactions: [] },
      ],
    });
    expect(transactions.authorizations.slice(before)).toEqual([`Bearer ${t.token}`]);
  });

  it('customer-graph refuses a request the client sent without credentials, through the gateway too', async () => {
    const { body } = await throughGateway('{ customer(customerNumber: "FX000001") { customerNumber } }', null);
    expect(body.data?.customer ?? null).toBeNull();
    expect(body.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(body.errors)).toContain('UNAUTHENTICATED');
  });

  it('another tenant’s token sees none of customer-graph’s objects behind another subgraph’s references', async () => {
    const { organizations } = await import('../src/db/tables.js');
    await t.database.db.insert(organizations).values({ id: 'org-gateway-other', name: 'Other' });
    const other = await t.tokenFor('org-gateway-other', ['customers:read']);
    const { body } = await throughGateway('{ recentTransactions { id customer { customerNumber displayName } } }', `Bearer ${other}`);
    expect(body.data.recentTransactions).toEqual([
      { id: 'tx-1', customer: null },
      { id: 'tx-2', customer: null },
      { id: 'tx-3', customer: null },
    ]);
    // the gateway reports each entity customer-graph resolved to null as a (masked) error at its fields
    // (in no particular order)
    expect(new Set(body.errors?.map((error) => JSON.stringify(error.path)))).toEqual(
      new Set([0, 1, 2].map((i) => JSON.stringify(['recentTransactions', i, 'customer', 'customerNumber']))),
    );
  });
});
