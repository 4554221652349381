import { builder } from '../builder.js';
import type {
  AccountRow,
  AddressRow,
  CardRow,
  CustomerRow,
  IdentityRow,
  OrganizationRow,
  ProviderLinkRow,
  RelationshipRow,
} from '../db/schema.js';

/**
 * Object refs, declared apart from their definitions so type files can refer to each other
 * without import cycles. Each is implemented in the file named after it.
 */
export const OrganizationRef = builder.objectRef<OrganizationRow>('Organization');
export const CustomerRef = builder.objectRef<CustomerRow>('Customer');
export const IdentityRef = builder.objectRef<IdentityRow>('Identity');
export const AddressRef = builder.objectRef<AddressRow>('Address');
export const AccountRef = builder.objectRef<AccountRow>('Account');
export const CardRef = builder.objectRef<CardRow>('Card');
export const RelationshipRef = builder.objectRef<RelationshipRow>('Relationship');
export const ProviderLinkRef = builder.objectRef<ProviderLinkRow>('ProviderLink');
