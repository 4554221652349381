/**
 * Closed sets of the canonical model. The database CHECK constraints and the GraphQL enums are
 * both built from these tuples, so the three can never disagree.
 */
export const CUSTOMER_KINDS = ['PRIVATE', 'BUSINESS'] as const;
export const CUSTOMER_STATUSES = ['ACTIVE', 'SUSPENDED'] as const;
export const GENDERS = ['MALE', 'FEMALE', 'UNSPECIFIED'] as const;
export const RISK_SCORES = ['LOW', 'MEDIUM', 'HIGH'] as const;
export const IDENTITY_TYPES = [
  'PASSPORT',
  'NATIONAL_ID',
  'DRIVING_LICENSE',
  'RESIDENCE_PERMIT',
  'TAX_ID',
  'SSN',
  'ADDRESS_PROOF',
] as const;
export const ADDRESS_KINDS = ['RESIDENTIAL', 'MAILING', 'SHIPPING', 'TEMPORARY', 'BUSINESS', 'PRIOR'] as const;
export const ACCOUNT_TYPES = [
  'CHECKING',
  'SAVINGS',
  'MONEY_MARKET',
  'CREDIT',
  'PREPAID',
  'BUSINESS_CHECKING',
  'BUSINESS_SAVINGS',
  'BUSINESS_CREDIT',
  /** A product the canonical model does not name (e.g. one known only at FirstVision, which sends no type). */
  'OTHER',
] as const;
export const ACCOUNT_STATUSES = ['OPEN', 'CLOSED', 'DISPUTED', 'FRAUD_HOLD'] as const;
/** OTHER: a card whose product type is not known (FirstVision may not say). */
export const CARD_TYPES = ['CREDIT', 'DEBIT', 'PREPAID', 'OTHER'] as const;
export const CARD_STATUSES = ['ACTIVE', 'BLOCKED', 'CLOSED'] as const;
export const CARD_NETWORKS = ['VISA', 'MASTERCARD', 'AMEX', 'DISCOVER', 'OTHER'] as const;
export const PROVIDER_NAMES = ['ENFUCE', 'NOAH', 'CARDLYTICS', 'FLOLIVE', 'FIRSTVISION'] as const;
export const PROVIDER_SYNC_STATUSES = ['PENDING', 'IN_PROGRESS', 'SYNCED', 'FAILED'] as const;
export const OUTBOX_STATUSES = ['PENDING', 'IN_FLIGHT', 'DONE', 'DEAD'] as const;

export type CustomerKind = (typeof CUSTOMER_KINDS)[number];
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];
export type ProviderName = (typeof PROVIDER_NAMES)[number];
