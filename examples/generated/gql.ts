/* eslint-disable */
import * as types from './graphql.js';



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
    "query CustomerLookup($input: CustomerLookupInput!) {\n  customerLookup(input: $input) {\n    totalCount\n    edges {\n      cursor\n      node {\n        score\n        sources\n        customer {\n          ...CustomerSummary\n          demographics {\n            lastName\n            dateOfBirth\n          }\n          addressHistory {\n            period\n            source\n            city\n          }\n        }\n        firstvision {\n          organizationNumber\n          customerNumber\n          lastName\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    sourceErrors {\n      source\n      code\n      message\n    }\n  }\n}": typeof types.CustomerLookupDocument,
    "fragment CustomerSummary on Customer {\n  id\n  customerNumber\n  kind\n  status\n  displayName\n  email\n  createdAt\n}": typeof types.CustomerSummaryFragmentDoc,
    "query CustomerByNumber($customerNumber: String!) {\n  customer(customerNumber: $customerNumber) {\n    ...CustomerSummary\n    name {\n      salutation\n      first\n      middle\n      last\n    }\n    dateOfBirth\n    phones {\n      mobile\n      landline\n    }\n    nationalities\n    identities {\n      id\n      type\n      number\n      issuingCountry\n      expiresOn\n    }\n    addresses {\n      id\n      kind\n      line1\n      city\n      postalCode\n      country\n      isPrimary\n    }\n    accounts {\n      id\n      accountNumber\n      type\n      status\n      primaryHolder {\n        customerNumber\n      }\n      holders {\n        customerNumber\n      }\n      cards {\n        id\n        last4\n        iin\n        network\n        status\n      }\n    }\n    relationships {\n      relationshipNumber\n    }\n    parent {\n      customerNumber\n    }\n    subCustomers {\n      customerNumber\n    }\n  }\n}": typeof types.CustomerByNumberDocument,
    "query CustomersPage($first: Int, $after: String, $filter: CustomerFilter) {\n  customers(first: $first, after: $after, filter: $filter) {\n    totalCount\n    edges {\n      cursor\n      node {\n        ...CustomerSummary\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.CustomersPageDocument,
    "query NodeById($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on Customer {\n      customerNumber\n    }\n    ... on Account {\n      accountNumber\n    }\n    ... on Card {\n      last4\n      iin\n    }\n  }\n}": typeof types.NodeByIdDocument,
};
const documents: Documents = {
    "query CustomerLookup($input: CustomerLookupInput!) {\n  customerLookup(input: $input) {\n    totalCount\n    edges {\n      cursor\n      node {\n        score\n        sources\n        customer {\n          ...CustomerSummary\n          demographics {\n            lastName\n            dateOfBirth\n          }\n          addressHistory {\n            period\n            source\n            city\n          }\n        }\n        firstvision {\n          organizationNumber\n          customerNumber\n          lastName\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    sourceErrors {\n      source\n      code\n      message\n    }\n  }\n}": types.CustomerLookupDocument,
    "fragment CustomerSummary on Customer {\n  id\n  customerNumber\n  kind\n  status\n  displayName\n  email\n  createdAt\n}": types.CustomerSummaryFragmentDoc,
    "query CustomerByNumber($customerNumber: String!) {\n  customer(customerNumber: $customerNumber) {\n    ...CustomerSummary\n    name {\n      salutation\n      first\n      middle\n      last\n    }\n    dateOfBirth\n    phones {\n      mobile\n      landline\n    }\n    nationalities\n    identities {\n      id\n      type\n      number\n      issuingCountry\n      expiresOn\n    }\n    addresses {\n      id\n      kind\n      line1\n      city\n      postalCode\n      country\n      isPrimary\n    }\n    accounts {\n      id\n      accountNumber\n      type\n      status\n      primaryHolder {\n        customerNumber\n      }\n      holders {\n        customerNumber\n      }\n      cards {\n        id\n        last4\n        iin\n        network\n        status\n      }\n    }\n    relationships {\n      relationshipNumber\n    }\n    parent {\n      customerNumber\n    }\n    subCustomers {\n      customerNumber\n    }\n  }\n}": types.CustomerByNumberDocument,
    "query CustomersPage($first: Int, $after: String, $filter: CustomerFilter) {\n  customers(first: $first, after: $after, filter: $filter) {\n    totalCount\n    edges {\n      cursor\n      node {\n        ...CustomerSummary\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.CustomersPageDocument,
    "query NodeById($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on Customer {\n      customerNumber\n    }\n    ... on Account {\n      accountNumber\n    }\n    ... on Card {\n      last4\n      iin\n    }\n  }\n}": types.NodeByIdDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CustomerLookup($input: CustomerLookupInput!) {\n  customerLookup(input: $input) {\n    totalCount\n    edges {\n      cursor\n      node {\n        score\n        sources\n        customer {\n          ...CustomerSummary\n          demographics {\n            lastName\n            dateOfBirth\n          }\n          addressHistory {\n            period\n            source\n            city\n          }\n        }\n        firstvision {\n          organizationNumber\n          customerNumber\n          lastName\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    sourceErrors {\n      source\n      code\n      message\n    }\n  }\n}"): typeof import('./graphql.js').CustomerLookupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment CustomerSummary on Customer {\n  id\n  customerNumber\n  kind\n  status\n  displayName\n  email\n  createdAt\n}"): typeof import('./graphql.js').CustomerSummaryFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CustomerByNumber($customerNumber: String!) {\n  customer(customerNumber: $customerNumber) {\n    ...CustomerSummary\n    name {\n      salutation\n      first\n      middle\n      last\n    }\n    dateOfBirth\n    phones {\n      mobile\n      landline\n    }\n    nationalities\n    identities {\n      id\n      type\n      number\n      issuingCountry\n      expiresOn\n    }\n    addresses {\n      id\n      kind\n      line1\n      city\n      postalCode\n      country\n      isPrimary\n    }\n    accounts {\n      id\n      accountNumber\n      type\n      status\n      primaryHolder {\n        customerNumber\n      }\n      holders {\n        customerNumber\n      }\n      cards {\n        id\n        last4\n        iin\n        network\n        status\n      }\n    }\n    relationships {\n      relationshipNumber\n    }\n    parent {\n      customerNumber\n    }\n    subCustomers {\n      customerNumber\n    }\n  }\n}"): typeof import('./graphql.js').CustomerByNumberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CustomersPage($first: Int, $after: String, $filter: CustomerFilter) {\n  customers(first: $first, after: $after, filter: $filter) {\n    totalCount\n    edges {\n      cursor\n      node {\n        ...CustomerSummary\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): typeof import('./graphql.js').CustomersPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query NodeById($id: ID!) {\n  node(id: $id) {\n    __typename\n    id\n    ... on Customer {\n      customerNumber\n    }\n    ... on Account {\n      accountNumber\n    }\n    ... on Card {\n      last4\n      iin\n    }\n  }\n}"): typeof import('./graphql.js').NodeByIdDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
