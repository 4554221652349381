/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query CustomerList($first: Int!, $after: String) {\n    customers(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          customerNumber\n          displayName\n          kind\n          status\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.CustomerListDocument,
    "\n  query CustomerDetail($id: ID!) {\n    customer(id: $id) {\n      id\n      customerNumber\n      displayName\n      kind\n      status\n      email\n      createdAt\n      accounts {\n        accountNumber\n        type\n        cards {\n          last4\n          iin\n          network\n          status\n        }\n      }\n      providerLinks {\n        provider\n        status\n        attempts\n        error\n      }\n    }\n  }\n": typeof types.CustomerDetailDocument,
    "\n  mutation CustomerCreate($input: CustomerCreateInput!) {\n    customerCreate(input: $input) {\n      customer {\n        id\n        customerNumber\n        displayName\n      }\n      providerResults {\n        provider\n        status\n        error\n      }\n      userErrors {\n        field\n        message\n        code\n        provider\n      }\n    }\n  }\n": typeof types.CustomerCreateDocument,
};
const documents: Documents = {
    "\n  query CustomerList($first: Int!, $after: String) {\n    customers(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          customerNumber\n          displayName\n          kind\n          status\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.CustomerListDocument,
    "\n  query CustomerDetail($id: ID!) {\n    customer(id: $id) {\n      id\n      customerNumber\n      displayName\n      kind\n      status\n      email\n      createdAt\n      accounts {\n        accountNumber\n        type\n        cards {\n          last4\n          iin\n          network\n          status\n        }\n      }\n      providerLinks {\n        provider\n        status\n        attempts\n        error\n      }\n    }\n  }\n": types.CustomerDetailDocument,
    "\n  mutation CustomerCreate($input: CustomerCreateInput!) {\n    customerCreate(input: $input) {\n      customer {\n        id\n        customerNumber\n        displayName\n      }\n      providerResults {\n        provider\n        status\n        error\n      }\n      userErrors {\n        field\n        message\n        code\n        provider\n      }\n    }\n  }\n": types.CustomerCreateDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerList($first: Int!, $after: String) {\n    customers(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          customerNumber\n          displayName\n          kind\n          status\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query CustomerList($first: Int!, $after: String) {\n    customers(first: $first, after: $after) {\n      totalCount\n      edges {\n        node {\n          id\n          customerNumber\n          displayName\n          kind\n          status\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerDetail($id: ID!) {\n    customer(id: $id) {\n      id\n      customerNumber\n      displayName\n      kind\n      status\n      email\n      createdAt\n      accounts {\n        accountNumber\n        type\n        cards {\n          last4\n          iin\n          network\n          status\n        }\n      }\n      providerLinks {\n        provider\n        status\n        attempts\n        error\n      }\n    }\n  }\n"): (typeof documents)["\n  query CustomerDetail($id: ID!) {\n    customer(id: $id) {\n      id\n      customerNumber\n      displayName\n      kind\n      status\n      email\n      createdAt\n      accounts {\n        accountNumber\n        type\n        cards {\n          last4\n          iin\n          network\n          status\n        }\n      }\n      providerLinks {\n        provider\n        status\n        attempts\n        error\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CustomerCreate($input: CustomerCreateInput!) {\n    customerCreate(input: $input) {\n      customer {\n        id\n        customerNumber\n        displayName\n      }\n      providerResults {\n        provider\n        status\n        error\n      }\n      userErrors {\n        field\n        message\n        code\n        provider\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CustomerCreate($input: CustomerCreateInput!) {\n    customerCreate(input: $input) {\n      customer {\n        id\n        customerNumber\n        displayName\n      }\n      providerResults {\n        provider\n        status\n        error\n      }\n      userErrors {\n        field\n        message\n        code\n        provider\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;