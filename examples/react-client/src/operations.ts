import { graphql } from './gql/index.js';

/*
 * Every operation the app sends. `graphql()` returns a TypedDocumentNode generated from this text
 * (npm run codegen → src/gql/), so urql's hooks know the result and variable types; the same
 * documents are listed by hash in src/gql/persisted-documents.json for TRUSTED_DOCUMENTS.
 */

/** One page of customers in creation order. */
export const CustomerListQuery = graphql(`
  query CustomerList($first: Int!, $after: String) {
    customers(first: $first, after: $after) {
      totalCount
      edges {
        node {
          id
          customerNumber
          displayName
          kind
          status
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** One customer with its accounts, their cards, and where it was routed. */
export const CustomerDetailQuery = graphql(`
  query CustomerDetail($id: ID!) {
    customer(id: $id) {
      id
      customerNumber
      displayName
      kind
      status
      email
      createdAt
      accounts {
        accountNumber
        type
        cards {
          last4
          iin
          network
          status
        }
      }
      providerLinks {
        provider
        status
        attempts
        error
      }
    }
  }
`);

/** Creates a private customer and routes it to the given providers. */
export const CustomerCreateMutation = graphql(`
  mutation CustomerCreate($input: CustomerCreateInput!) {
    customerCreate(input: $input) {
      customer {
        id
        customerNumber
        displayName
      }
      providerResults {
        provider
        status
        error
      }
      userErrors {
        field
        message
        code
        provider
      }
    }
  }
`);
