/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** An account the customer opens as its primary holder. */
export type AccountInput = {
  accountNumber: string;
  cards?: Array<CardInput> | null | undefined;
  closedOn?: string | null | undefined;
  /** Default: the customer's currency. */
  currency?: string | null | undefined;
  openedOn?: string | null | undefined;
  portfolioId?: string | null | undefined;
  /** Default OPEN. */
  status?: AccountStatus | null | undefined;
  type: AccountType;
};

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

export type AddressInput = {
  apartment?: string | null | undefined;
  buildingName?: string | null | undefined;
  buildingNumber?: string | null | undefined;
  city: string;
  company?: string | null | undefined;
  country: string;
  county?: string | null | undefined;
  entrance?: string | null | undefined;
  floor?: string | null | undefined;
  /** At most one; when none is marked, the first address is primary. */
  isPrimary?: boolean | null | undefined;
  /** Default RESIDENTIAL. */
  kind?: AddressKind | null | undefined;
  /** Street name (or the first street line). */
  line1: string;
  line2?: string | null | undefined;
  poBox?: string | null | undefined;
  postalCode?: string | null | undefined;
  recipientName?: string | null | undefined;
  /** State, province or region; for US and CA the ISO 3166-2 subdivision code, e.g. CA. */
  region?: string | null | undefined;
  validFrom?: string | null | undefined;
  validUntil?: string | null | undefined;
};

export type AddressKind =
  | 'BUSINESS'
  | 'MAILING'
  | 'PRIOR'
  | 'RESIDENTIAL'
  | 'SHIPPING'
  | 'TEMPORARY';

/** A card: last four digits and IIN only. Never send a full card number. */
export type CardInput = {
  closedOn?: string | null | undefined;
  /** The first 6 to 8 digits; must fit the network. */
  iin: string;
  last4: string;
  network: CardNetwork;
  openedOn?: string | null | undefined;
  /** Default ACTIVE. */
  status?: CardStatus | null | undefined;
  type: CardType;
};

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

export type CardType =
  | 'CREDIT'
  | 'DEBIT'
  | 'OTHER'
  | 'PREPAID';

/** Offer alerts the customer has opted in to; ALL covers every kind. */
export type CardlyticsAlertOptInStatus =
  | 'ACTIVATED'
  | 'ALL'
  | 'CLOSE_THE_LOOP'
  | 'EXPIRING'
  | 'MISSED_OPPORTUNITY'
  | 'NEW'
  | 'REDEMPTION';

/** Whether the customer takes part in the Cardlytics rewards programme. */
export type CardlyticsEnrollmentOptInStatus =
  | 'ACTIVE'
  | 'INACTIVE';

/** Cardlytics enrollment of this customer. Every field is optional; absent fields take the stated default. */
export type CardlyticsOptionsInput = {
  /** At least one, no repeats. Default: [ALL]. */
  alertOptInStatus?: Array<CardlyticsAlertOptInStatus> | null | undefined;
  /** When enrollment ends; not before enrollmentStartDate. Default: none (open-ended). */
  enrollmentEndDate?: string | null | undefined;
  /** Default: ACTIVE. */
  enrollmentOptInStatus?: CardlyticsEnrollmentOptInStatus | null | undefined;
  /** When enrollment starts. Default: when the customer was created. */
  enrollmentStartDate?: string | null | undefined;
  /** Cardlytics organization (a subsidiary of the institution). Default: the configured organization. */
  organizationId?: string | null | undefined;
  /** Cardlytics portfolio (sourcePortfolioId) for accounts that name no portfolioId. Default: the configured portfolio. */
  portfolioId?: string | null | undefined;
  /** Default: TARGET. */
  targetingIndicator?: CardlyticsTargetingIndicator | null | undefined;
};

/** Whether Cardlytics may target offers at the customer. */
export type CardlyticsTargetingIndicator =
  | 'DO_NOT_TARGET'
  | 'TARGET';

export type CustomerCreateInput = {
  customer: CustomerInput;
  /** Makes the mutation safe to retry: the same key with the same input answers the stored payload and runs nothing again; the same key with another input is refused (IDEMPOTENCY_KEY_REUSED). Kept 24 hours. */
  idempotencyKey?: string | null | undefined;
  providerOptions?: ProviderOptionsInput | null | undefined;
  /** Providers to route to. Default: the configured set (PROVIDERS_DEFAULT). */
  providers?: Array<ProviderName> | null | undefined;
};

/** A customer. In customerUpdate, absent or null fields keep their stored value and a given list replaces the stored list. */
export type CustomerInput = {
  accounts?: Array<AccountInput> | null | undefined;
  addresses?: Array<AddressInput> | null | undefined;
  /** Required for BUSINESS customers. */
  businessName?: string | null | undefined;
  currency?: string | null | undefined;
  /** Unique, 1–32 letters or digits; generated (19 digits) when absent. */
  customerNumber?: string | null | undefined;
  dateOfBirth?: string | null | undefined;
  email?: string | null | undefined;
  gender?: Gender | null | undefined;
  identities?: Array<IdentityInput> | null | undefined;
  /** Default PRIVATE. */
  kind?: CustomerKind | null | undefined;
  locale?: string | null | undefined;
  /** first and last are required for PRIVATE customers. */
  name?: PersonNameInput | null | undefined;
  nationalities?: Array<string> | null | undefined;
  /** Makes this a sub-customer of another customer (floLIVE hierarchy, Cardlytics parent). */
  parentId?: string | number | null | undefined;
  phones?: PhonesInput | null | undefined;
  screening?: ScreeningInput | null | undefined;
  /** Default ACTIVE. */
  status?: CustomerStatus | null | undefined;
};

/** A natural person (PRIVATE) or a legal entity (BUSINESS). */
export type CustomerKind =
  | 'BUSINESS'
  | 'PRIVATE';

export type CustomerStatus =
  | 'ACTIVE'
  | 'SUSPENDED';

/** A free key/value pair Enfuce stores with the customer (additionalValues). */
export type EnfuceAdditionalValueInput = {
  /** 1–255 characters, unique within the list. */
  key: string;
  /** At most 255 characters. */
  value: string;
};

/** Settings only Enfuce has; all optional. */
export type EnfuceOptionsInput = {
  /** At most 50 free key/value pairs (additionalValues). Default: none. */
  additionalValues?: Array<EnfuceAdditionalValueInput> | null | undefined;
  /** Who Enfuce logs as having made the change (auditUser) for an anonymous request; an authenticated caller is always logged as itself. Default: the configured default audit user. */
  auditUser?: string | null | undefined;
  /** The card is issued under Enfuce BIN sponsorship, which makes dateOfBirth, nationalities, a postal code and a risk score mandatory. Default: false. */
  binSponsored?: boolean | null | undefined;
  /** Default: derived from customer.screening (pep: PEP, else riskScore LOW/MEDIUM/HIGH as LOW/MED/HIGH). */
  riskScore?: EnfuceRiskScore | null | undefined;
};

/** Enfuce risk grade, sent as High, Med, Low or Pep. */
export type EnfuceRiskScore =
  | 'HIGH'
  | 'LOW'
  | 'MED'
  | 'PEP';

/** FirstVision contact flag for one channel (ownerData *Flag: 0, 1 or 2). */
export type FirstvisionContactFlag =
  /** Flag 0: the customer may not be contacted this way. */
  | 'DO_NOT_CONTACT'
  /** Flag 1 when the customer has this channel on file, 0 when not. */
  | 'MAY_CONTACT'
  /** Flag 2: the customer prefers this channel. At most one channel may be preferred, and it must be on file. */
  | 'PREFERRED';

/** How FirstVision may contact the customer, per channel. Each defaults to MAY_CONTACT. */
export type FirstvisionContactPreferencesInput = {
  /** emailFlag (email). Default MAY_CONTACT. */
  email?: FirstvisionContactFlag | null | undefined;
  /** employerPhoneFlag (phones.work). Default MAY_CONTACT. */
  employerPhone?: FirstvisionContactFlag | null | undefined;
  /** homePhoneFlag (phones.landline). Default MAY_CONTACT. */
  homePhone?: FirstvisionContactFlag | null | undefined;
  /** mobilePhoneFlag (phones.mobile). Default MAY_CONTACT. */
  mobilePhone?: FirstvisionContactFlag | null | undefined;
};

/** FirstVision-only settings: the organization (bank) and product logo the customer belongs to, and customer-record fields the canonical model has no place for. */
export type FirstvisionOptionsInput = {
  /** Contact restriction, 2 digits: 0 none, 1 do not telephone, 2 do not mail, 3 neither, 10–99 client-defined. Default 0. */
  contactIndicator?: number | null | undefined;
  /** Contact flag per channel. Default MAY_CONTACT for every channel. */
  contactPreferences?: FirstvisionContactPreferencesInput | null | undefined;
  /** Client-defined demographic field 1, at most 20 characters. Default: not sent. */
  demographic1?: string | null | undefined;
  /** Client-defined demographic field 2, at most 20 characters. Default: not sent. */
  demographic2?: string | null | undefined;
  /** Client-defined demographic field 3, at most 20 characters. Default: not sent. */
  demographic3?: string | null | undefined;
  /** Dual-currency billing (dualFlag 1). Default false. */
  dualCurrency?: boolean | null | undefined;
  /** Product logo (at most 3 digits), used for number generation. Default: the configured logo (401 in the sandbox). */
  logo?: number | null | undefined;
  /** The customer wants to be on the mailing list. Default false. */
  mailingList?: boolean | null | undefined;
  /** Memo on the customer record, at most 60 characters. Default: not sent. */
  memo1?: string | null | undefined;
  /** Second memo, at most 60 characters. Default: not sent. */
  memo2?: string | null | undefined;
  /** Organization number, 001–998. Default: the configured organization (PROVIDER_FIRSTVISION_ORGANIZATION_NUMBER; 970 in the sandbox). */
  organizationNumber?: number | null | undefined;
  /** Standard Industrial Classification code (at most 6 digits). Default: not sent on create, 0 on update. */
  sicCode?: number | null | undefined;
  /** The customer agreed to SMS (smsFlag 1); needs phones.mobile. Default false. */
  smsOptIn?: boolean | null | undefined;
  /** VIP customer (vipStatus 1). Default false. */
  vipStatus?: boolean | null | undefined;
};

/** SELFCARE: the contact may enter floLIVE’s self-care application; NONE: it may not. */
export type FloliveContactRole =
  | 'NONE'
  | 'SELFCARE';

/** Whether the contact owns the customer account or is a member of it. */
export type FloliveContactType =
  | 'MEMBER'
  | 'OWNER';

/** Initial lifecycle status of the customer at floLIVE. */
export type FloliveCustomerStatus =
  | 'ACTIVE'
  | 'SUSPEND';

/** floLIVE invoice settings. When the whole object is absent, floLIVE applies its own default configuration. */
export type FloliveInvoiceConfigurationInput = {
  /** Default: floLIVE’s. */
  deliveryMethod?: FloliveInvoiceDeliveryMethod | null | undefined;
  /** Free text on the invoice, at most 60 bytes in UTF-8 (multi-byte characters count several times). Default: none. */
  invoiceText?: string | null | undefined;
  /** Payment is due this many paymentDueUnits after the invoice is issued (0 or more). Default: floLIVE’s. */
  paymentDueAfterInvoiceIssued?: number | null | undefined;
  /** Unit of paymentDueAfterInvoiceIssued; required when that is given. No default. */
  paymentDueUnits?: FlolivePaymentDueUnit | null | undefined;
  /** Fixed tax percentage, 0 or more. Default: floLIVE’s. */
  vat?: number | null | undefined;
};

export type FloliveInvoiceDeliveryMethod =
  | 'EDI'
  | 'EMAIL'
  | 'POSTAL';

/** MANDATORY: MFA always on; ENABLED: on by default, may be turned off; DISABLED: off. */
export type FloliveMfaConfiguration =
  | 'DISABLED'
  | 'ENABLED'
  | 'MANDATORY';

/** Settings only floLIVE has; all optional. */
export type FloliveOptionsInput = {
  /** The customer may attach its parent’s packages and plans to its subscribers. Default: false. */
  allowOfferDelegation?: boolean | null | undefined;
  /** Default: NONE. */
  contactRole?: FloliveContactRole | null | undefined;
  /** Default: MEMBER. */
  contactType?: FloliveContactType | null | undefined;
  /** The customer’s currency at floLIVE, where it is mandatory. Default: customer.currency. */
  currency?: string | null | undefined;
  /** Default: none sent; floLIVE applies its own invoice configuration. */
  invoiceConfiguration?: FloliveInvoiceConfigurationInput | null | undefined;
  /** The customer may enable SIM-to-device (IMEI) locking. Default: false. */
  isAllowedImeiLock?: boolean | null | undefined;
  /** Default: MANDATORY. */
  mfaConfiguration?: FloliveMfaConfiguration | null | undefined;
  /** Default: from customer.status (ACTIVE → ACTIVE, SUSPENDED → SUSPEND). */
  status?: FloliveCustomerStatus | null | undefined;
  /** Tax registration number. Default: none. */
  vatRegistrationNumber?: string | null | undefined;
};

export type FlolivePaymentDueUnit =
  | 'DAYS';

export type Gender =
  | 'FEMALE'
  | 'MALE'
  | 'UNSPECIFIED';

export type IdentityInput = {
  expiresOn?: string | null | undefined;
  issuedOn?: string | null | undefined;
  issuingCountry: string;
  number: string;
  type: IdentityType;
};

export type IdentityType =
  | 'ADDRESS_PROOF'
  | 'DRIVING_LICENSE'
  | 'NATIONAL_ID'
  | 'PASSPORT'
  | 'RESIDENCE_PERMIT'
  | 'SSN'
  | 'TAX_ID';

/** Where the building number goes in NOAH PrimaryResidence.Street. */
export type NoahBuildingNumberPlacement =
  /** After the street name, e.g. "Mannerheimintie 12". */
  | 'AFTER_STREET'
  /** Before the street name, e.g. "12 Main St". */
  | 'BEFORE_STREET';

/** NOAH-only settings. NOAH keeps one address (PrimaryResidence) with Street and Street2 lines; these say how the canonical address is written into them. */
export type NoahOptionsInput = {
  /** Write buildingName, entrance, floor and apartment into Street2 after line2 (true), or leave them out and list them as omitted (false). Default true. */
  addressDetailsInStreet2?: boolean | null | undefined;
  /** Where addresses[].buildingNumber goes in Street. Default AFTER_STREET. */
  buildingNumberPlacement?: NoahBuildingNumberPlacement | null | undefined;
};

export type PersonNameInput = {
  /** Required for PRIVATE customers. */
  first?: string | null | undefined;
  /** Required for PRIVATE customers. */
  last?: string | null | undefined;
  middle?: string | null | undefined;
  /** e.g. Mr, Ms. */
  salutation?: string | null | undefined;
  suffix?: string | null | undefined;
  /** e.g. Dr, Prof. */
  title?: string | null | undefined;
};

/** International E.164 numbers with the leading +, e.g. +358401234567. */
export type PhonesInput = {
  additional?: string | null | undefined;
  landline?: string | null | undefined;
  mobile?: string | null | undefined;
  work?: string | null | undefined;
};

/** A provider API that customers are routed to. */
export type ProviderName =
  | 'CARDLYTICS'
  | 'ENFUCE'
  | 'FIRSTVISION'
  | 'FLOLIVE'
  | 'NOAH';

/** Provider-only settings, one field per provider. Each is checked only when that provider is a target. */
export type ProviderOptionsInput = {
  cardlytics?: CardlyticsOptionsInput | null | undefined;
  enfuce?: EnfuceOptionsInput | null | undefined;
  firstvision?: FirstvisionOptionsInput | null | undefined;
  flolive?: FloliveOptionsInput | null | undefined;
  noah?: NoahOptionsInput | null | undefined;
};

/** Where a customer stands at one provider: PENDING (queued), IN_PROGRESS (accepted, outcome not yet known), SYNCED, FAILED. */
export type ProviderSyncStatus =
  | 'FAILED'
  | 'IN_PROGRESS'
  | 'PENDING'
  | 'SYNCED';

export type RiskScore =
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM';

export type ScreeningInput = {
  /** Politically exposed person. */
  pep?: boolean | null | undefined;
  riskScore?: RiskScore | null | undefined;
  sanctions?: boolean | null | undefined;
};

/** Why an input was refused. Stable: clients may switch on it. */
export type UserErrorCode =
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'INVALID'
  | 'INVALID_FORMAT'
  | 'NOT_FOUND'
  | 'REQUIRED'
  | 'TAKEN'
  | 'TOO_LONG'
  | 'TOO_MANY'
  | 'TOO_SHORT'
  | 'UNSUPPORTED';

export type CustomerListQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type CustomerListQuery = { __typename: 'Query', customers: { __typename: 'CustomerConnection', totalCount: number, edges: Array<{ __typename: 'CustomerEdge', node: { __typename: 'Customer', id: string, customerNumber: string, displayName: string, kind: CustomerKind, status: CustomerStatus } }>, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor: string | null } } };

export type CustomerDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type CustomerDetailQuery = { __typename: 'Query', customer: { __typename: 'Customer', id: string, customerNumber: string, displayName: string, kind: CustomerKind, status: CustomerStatus, email: string | null, createdAt: string, accounts: Array<{ __typename: 'Account', accountNumber: string, type: AccountType, cards: Array<{ __typename: 'Card', last4: string, iin: string, network: CardNetwork, status: CardStatus }> | null }> | null, providerLinks: Array<{ __typename: 'ProviderLink', provider: ProviderName, status: ProviderSyncStatus, attempts: number, error: string | null }> } | null };

export type CustomerCreateMutationVariables = Exact<{
  input: CustomerCreateInput;
}>;


export type CustomerCreateMutation = { __typename: 'Mutation', customerCreate: { __typename: 'CustomerCreatePayload', customer: { __typename: 'Customer', id: string, customerNumber: string, displayName: string } | null, providerResults: Array<{ __typename: 'ProviderResult', provider: ProviderName, status: ProviderSyncStatus, error: string | null }>, userErrors: Array<{ __typename: 'UserError', field: Array<string> | null, message: string, code: UserErrorCode, provider: ProviderName | null }> } };


export const CustomerListDocument = {"__meta__":{"hash":"sha256:b923fdfdab9d32e9f91eae45b9445de10a736a9de42c91a4893809a5787d9d31"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CustomerList"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"customers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"customerNumber"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<CustomerListQuery, CustomerListQueryVariables>;
export const CustomerDetailDocument = {"__meta__":{"hash":"sha256:1ef460f035a627746515c5930ba1c362a704efe0a433d83c3df14dd35a44a6f6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CustomerDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"customerNumber"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"accounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"accountNumber"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"cards"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"last4"}},{"kind":"Field","name":{"kind":"Name","value":"iin"}},{"kind":"Field","name":{"kind":"Name","value":"network"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"providerLinks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]}}]}}]} as unknown as DocumentNode<CustomerDetailQuery, CustomerDetailQueryVariables>;
export const CustomerCreateDocument = {"__meta__":{"hash":"sha256:a9101a5cb5cb7d1a543fbf56ea0c1f2709e8816839bb5d5c7b65d4de660417de"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CustomerCreate"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerCreateInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"customerCreate"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"customerNumber"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"providerResults"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"provider"}}]}}]}}]}}]} as unknown as DocumentNode<CustomerCreateMutation, CustomerCreateMutationVariables>;