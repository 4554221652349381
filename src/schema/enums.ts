import { builder } from '../builder.js';
import {
  ACCOUNT_STATUSES,
  ACCOUNT_TYPES,
  ADDRESS_KINDS,
  CARD_NETWORKS,
  CARD_STATUSES,
  CARD_TYPES,
  CUSTOMER_KINDS,
  CUSTOMER_STATUSES,
  GENDERS,
  IDENTITY_TYPES,
  PROVIDER_NAMES,
  PROVIDER_SYNC_STATUSES,
  RISK_SCORES,
} from '../domain/enums.js';

export const CustomerKind = builder.enumType('CustomerKind', {
  description: 'A natural person (PRIVATE) or a legal entity (BUSINESS).',
  values: CUSTOMER_KINDS,
});
export const CustomerStatus = builder.enumType('CustomerStatus', { values: CUSTOMER_STATUSES });
export const Gender = builder.enumType('Gender', { values: GENDERS });
export const RiskScore = builder.enumType('RiskScore', { values: RISK_SCORES });
export const IdentityType = builder.enumType('IdentityType', { values: IDENTITY_TYPES });
export const AddressKind = builder.enumType('AddressKind', { values: ADDRESS_KINDS });
export const AccountType = builder.enumType('AccountType', { values: ACCOUNT_TYPES });
export const AccountStatus = builder.enumType('AccountStatus', { values: ACCOUNT_STATUSES });
export const CardType = builder.enumType('CardType', { values: CARD_TYPES });
export const CardStatus = builder.enumType('CardStatus', { values: CARD_STATUSES });
export const CardNetwork = builder.enumType('CardNetwork', { values: CARD_NETWORKS });
export const ProviderName = builder.enumType('ProviderName', {
  description: 'A provider API that customers are routed to.',
  values: PROVIDER_NAMES,
});
export const ProviderSyncStatus = builder.enumType('ProviderSyncStatus', {
  description:
    'Where a customer stands at one provider: PENDING (queued), IN_PROGRESS (accepted, outcome not yet known), SYNCED, FAILED.',
  values: PROVIDER_SYNC_STATUSES,
});

export const RecordSource = builder.enumType('RecordSource', {
  description: 'Where a record comes from: kept here (LOCAL), or known only at FirstVision (FIRSTVISION).',
  values: ['LOCAL', 'FIRSTVISION'] as const,
});
export const AddressPeriod = builder.enumType('AddressPeriod', { values: ['CURRENT', 'PRIOR'] as const });
