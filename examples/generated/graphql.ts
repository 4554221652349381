/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AccountStatus =
  | 'CLOSED'
  | 'DISPUTED'
  | 'FRAUD_HOLD'
  | 'OPEN';

export type AccountType =
  | 'BUSINESS_CHECKING'
  | 'BUSINESS_CREDIT'
  | 'BUSINESS_SAVINGS'
  | 'CHECKING'
  | 'CREDIT'
  | 'MONEY_MARKET'
  | 'OTHER'
  | 'PREPAID'
  | 'SAVINGS';

export type AddressKind =
  | 'BUSINESS'
  | 'MAILING'
  | 'PRIOR'
  | 'RESIDENTIAL'
  | 'SHIPPING'
  | 'TEMPORARY';

export type AddressPeriod =
  | 'CURRENT'
  | 'PRIOR';

export type CardNetwork =
  | 'AMEX'
  | 'DISCOVER'
  | 'MASTERCARD'
  | 'OTHER'
  | 'VISA';

export type CardStatus =
  | 'ACTIVE'
  | 'BLOCKED'
  | 'CLOSED';

/** All given criteria must match (AND); a list criterion matches any of its values (OR). */
export type CustomerFilter = {
  createdAt?: DateTimeRangeInput | null | undefined;
  kind?: Array<CustomerKind> | null | undefined;
  /** Only customers of this organization. */
  organizationId?: string | number | null | undefined;
  /** Case-insensitive substring of the name, business name, email or customer number (1–100 characters). */
  search?: string | null | undefined;
  status?: Array<CustomerStatus> | null | undefined;
};

/** A natural person (PRIVATE) or a legal entity (BUSINESS). */
export type CustomerKind =
  | 'BUSINESS'
  | 'PRIVATE';

/** Every given criterion must match. Text criteria have their own match mode. */
export type CustomerLookupInput = {
  /** The endCursor of the previous page. */
  after?: string | null | undefined;
  /** An address country or a nationality. */
  country?: string | null | undefined;
  dateOfBirth?: string | null | undefined;
  /** Page size, 0 to 100; default 20. */
  first?: number | null | undefined;
  firstName?: LookupTextInput | null | undefined;
  /** An identity number or the customer number. */
  identifier?: LookupTextInput | null | undefined;
  /** Last name or business name. */
  name?: LookupTextInput | null | undefined;
  /** Any of the customer’s phones, compared on digits only. */
  phone?: LookupTextInput | null | undefined;
  postalCode?: LookupTextInput | null | undefined;
};

export type CustomerStatus =
  | 'ACTIVE'
  | 'SUSPENDED';

/** A half-open range of instants: from (inclusive) to (exclusive); either end may be open. */
export type DateTimeRangeInput = {
  from?: string | null | undefined;
  to?: string | null | undefined;
};

export type IdentityType =
  | 'ADDRESS_PROOF'
  | 'DRIVING_LICENSE'
  | 'NATIONAL_ID'
  | 'PASSPORT'
  | 'RESIDENCE_PERMIT'
  | 'SSN'
  | 'TAX_ID';

export type LookupTextInput = {
  mode?: MatchMode;
  value: string;
};

/** How a text criterion matches, ignoring case and accents: EXACT, BEGINS_WITH, ENDS_WITH, or FUZZY (within 1 edit for 4–7 characters, 2 beyond; short values must be exact). */
export type MatchMode =
  | 'BEGINS_WITH'
  | 'ENDS_WITH'
  | 'EXACT'
  | 'FUZZY';

/** Where a record comes from: kept here (LOCAL), or known only at FirstVision (FIRSTVISION). */
export type RecordSource =
  | 'FIRSTVISION'
  | 'LOCAL';

export type CustomerLookupQueryVariables = Exact<{
  input: CustomerLookupInput;
}>;


export type CustomerLookupQuery = { customerLookup: { totalCount: number, edges: Array<{ cursor: string, node: { score: number, sources: Array<RecordSource>, customer: { id: string, customerNumber: string, kind: CustomerKind, status: CustomerStatus, displayName: string, email: string | null, createdAt: string, demographics: { lastName: string | null, dateOfBirth: string | null } | null, addressHistory: Array<{ period: AddressPeriod, source: RecordSource, city: string | null }> | null } | null, firstvision: { organizationNumber: number, customerNumber: string, lastName: string | null } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null }, sourceErrors: Array<{ source: RecordSource, code: string, message: string }> } };

export type CustomerSummaryFragment = { id: string, customerNumber: string, kind: CustomerKind, status: CustomerStatus, displayName: string, email: string | null, createdAt: string };

export type CustomerByNumberQueryVariables = Exact<{
  customerNumber: string;
}>;


export type CustomerByNumberQuery = { customer: { dateOfBirth: string | null, nationalities: Array<string>, id: string, customerNumber: string, kind: CustomerKind, status: CustomerStatus, displayName: string, email: string | null, createdAt: string, name: { salutation: string | null, first: string, middle: string | null, last: string } | null, phones: { mobile: string | null, landline: string | null }, identities: Array<{ id: string, type: IdentityType, number: string, issuingCountry: string, expiresOn: string | null }>, addresses: Array<{ id: string, kind: AddressKind, line1: string, city: string, postalCode: string | null, country: string, isPrimary: boolean }>, accounts: Array<{ id: string, accountNumber: string, type: AccountType, status: AccountStatus, primaryHolder: { customerNumber: string } | null, holders: Array<{ customerNumber: string }>, cards: Array<{ id: string, last4: string, iin: string, network: CardNetwork, status: CardStatus }> | null }> | null, relationships: Array<{ relationshipNumber: string }> | null, parent: { customerNumber: string } | null, subCustomers: Array<{ customerNumber: string }> } | null };

export type CustomersPageQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: CustomerFilter | null | undefined;
}>;


export type CustomersPageQuery = { customers: { totalCount: number, edges: Array<{ cursor: string, node: { id: string, customerNumber: string, kind: CustomerKind, status: CustomerStatus, displayName: string, email: string | null, createdAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type NodeByIdQueryVariables = Exact<{
  id: string | number;
}>;


export type NodeByIdQuery = { node:
    | { __typename: 'Account', accountNumber: string, id: string }
    | { __typename: 'Address', id: string }
    | { __typename: 'Card', last4: string, iin: string, id: string }
    | { __typename: 'Customer', customerNumber: string, id: string }
    | { __typename: 'Identity', id: string }
    | { __typename: 'Organization', id: string }
    | { __typename: 'Relationship', id: string }
   | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const CustomerSummaryFragmentDoc = new TypedDocumentString(`
    fragment CustomerSummary on Customer {
  id
  customerNumber
  kind
  status
  displayName
  email
  createdAt
}
    `, {"fragmentName":"CustomerSummary"}) as unknown as TypedDocumentString<CustomerSummaryFragment, unknown>;
export const CustomerLookupDocument = new TypedDocumentString(`
    query CustomerLookup($input: CustomerLookupInput!) {
  customerLookup(input: $input) {
    totalCount
    edges {
      cursor
      node {
        score
        sources
        customer {
          ...CustomerSummary
          demographics {
            lastName
            dateOfBirth
          }
          addressHistory {
            period
            source
            city
          }
        }
        firstvision {
          organizationNumber
          customerNumber
          lastName
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
    sourceErrors {
      source
      code
      message
    }
  }
}
    fragment CustomerSummary on Customer {
  id
  customerNumber
  kind
  status
  displayName
  email
  createdAt
}`, {"hash":"sha256:a6beb5d7563c24c3d5340a526b46776a5048d694437ab4d28f801bba28b99dd5"}) as unknown as TypedDocumentString<CustomerLookupQuery, CustomerLookupQueryVariables>;
export const CustomerByNumberDocument = new TypedDocumentString(`
    query CustomerByNumber($customerNumber: String!) {
  customer(customerNumber: $customerNumber) {
    ...CustomerSummary
    name {
      salutation
      first
      middle
      last
    }
    dateOfBirth
    phones {
      mobile
      landline
    }
    nationalities
    identities {
      id
      type
      number
      issuingCountry
      expiresOn
    }
    addresses {
      id
      kind
      line1
      city
      postalCode
      country
      isPrimary
    }
    accounts {
      id
      accountNumber
      type
      status
      primaryHolder {
        customerNumber
      }
      holders {
        customerNumber
      }
      cards {
        id
        last4
        iin
        network
        status
      }
    }
    relationships {
      relationshipNumber
    }
    parent {
      customerNumber
    }
    subCustomers {
      customerNumber
    }
  }
}
    fragment CustomerSummary on Customer {
  id
  customerNumber
  kind
  status
  displayName
  email
  createdAt
}`, {"hash":"sha256:2c8745cc8088ef9c8d61c747233df1943a2256697b69e451cddaba0d8c4404e4"}) as unknown as TypedDocumentString<CustomerByNumberQuery, CustomerByNumberQueryVariables>;
export const CustomersPageDocument = new TypedDocumentString(`
    query CustomersPage($first: Int, $after: String, $filter: CustomerFilter) {
  customers(first: $first, after: $after, filter: $filter) {
    totalCount
    edges {
      cursor
      node {
        ...CustomerSummary
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment CustomerSummary on Customer {
  id
  customerNumber
  kind
  status
  displayName
  email
  createdAt
}`, {"hash":"sha256:cfa2f28c47da843bba31f936f5ab17f05b08b423eb3f5277dde02d14a920f11c"}) as unknown as TypedDocumentString<CustomersPageQuery, CustomersPageQueryVariables>;
export const NodeByIdDocument = new TypedDocumentString(`
    query NodeById($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on Customer {
      customerNumber
    }
    ... on Account {
      accountNumber
    }
    ... on Card {
      last4
      iin
    }
  }
}
    `, {"hash":"sha256:4e723cbf1c2fd9382192547237a0787433193cf086184d5625aafc0756cdee49"}) as unknown as TypedDocumentString<NodeByIdQuery, NodeByIdQueryVariables>;