import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';

/**
 * A second subgraph for the federation tests: card transactions that reference customer-graph's
 * Account by accountNumber and Customer by id (its global ID), and add `transactions` to Account.
 * Another team's service in miniature, written the plain @apollo/subgraph way.
 */
export const TRANSACTIONS_TYPE_DEFS = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  type Query {
    recentTransactions: [Transaction!]!
  }

  type Transaction @key(fields: "id") {
    id: ID!
    amountMinor: Int!
    currency: String!
    account: Account!
    "null when customer-graph does not show the holder to the caller"
    customer: Customer
  }

  type Account @key(fields: "accountNumber") {
    accountNumber: String!
    transactions: [Transaction!]!
  }

  type Customer @key(fields: "id", resolvable: false) {
    id: ID!
  }
`;

export interface TransactionRecord {
  id: string;
  amountMinor: number;
  currency: string;
  accountNumber: string;
  /** customer-graph's global ID of the card holder. */
  customerId: string;
}

export interface TransactionsSubgraph {
  url: string;
  /** The Authorization header of every request it received, in order (null when absent). */
  authorizations: (string | null)[];
  close(): Promise<void>;
}

/** Serves the transactions subgraph on a free loopback port. */
export async function startTransactionsSubgraph(records: readonly TransactionRecord[]): Promise<TransactionsSubgraph> {
  const toGraph = (record: TransactionRecord) => ({
    ...record,
    account: { accountNumber: record.accountNumber },
    customer: { id: record.customerId },
  });
  const schema = buildSubgraphSchema({
    typeDefs: parse(TRANSACTIONS_TYPE_DEFS),
    resolvers: {
      Query: { recentTransactions: () => records.map(toGraph) },
      Transaction: {
        __resolveReference: (reference: { id: string }) => {
          const record = records.find((candidate) => candidate.id === reference.id);
          return record ? toGraph(record) : null;
        },
      },
      Account: {
        __resolveReference: (reference: { accountNumber: string }) => reference,
        transactions: (account: { accountNumber: string }) =>
          records.filter((record) => record.accountNumber === account.accountNumber).map(toGraph),
      },
    } as never,
  });
  const authorizations: (string | null)[] = [];
  const yoga = createYoga({
    schema,
    logging: false,
    plugins: [{ onRequest: ({ request }) => void authorizations.push(request.headers.get('authorization')) }],
  });
  const server = createServer(yoga);
  const url = await listenOnLoopback(server, '/graphql');
  return { url, authorizations, close: () => closeServer(server) };
}

/** Listens on 127.0.0.1 on a free port; answers the URL of `path` on it. */
export function listenOnLoopback(server: Server, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`));
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
