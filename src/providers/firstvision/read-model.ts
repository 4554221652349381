import type { CallOptions } from '../types.js';

/**
 * The FirstVision read side as customer-graph uses it: results in canonical terms (alpha-2
 * countries, ISO dates, card last4 + IIN — never a full card number), whatever FirstVision's own
 * field names are. Every method throws a ProviderError when the call fails, and passes
 * `call.signal` to every HTTP request it makes (pagination included).
 */

/** A customer at FirstVision: its organization and 19-digit customer number. */
export interface FirstvisionCustomerRef {
  organizationNumber: number;
  customerNumber: string;
}

export interface FirstvisionAccount {
  organizationNumber: number;
  accountNumber: string;
  /** FirstVision's associationType (owner / co-owner …) as it sends it. */
  associationType: string | null;
  logo: number | null;
  logoDescription: string | null;
  organizationName: string | null;
  /** accountInternalStatus as FirstVision sends it (e.g. A = active). */
  internalStatus: string | null;
}

export interface FirstvisionCard {
  accountNumber: string;
  last4: string;
  /** The first 6 digits of the card number. */
  iin: string;
  network: 'VISA' | 'MASTERCARD' | 'AMEX' | 'DISCOVER' | 'OTHER';
  type: 'CREDIT' | 'DEBIT' | 'PREPAID' | null;
  status: 'ACTIVE' | 'BLOCKED' | 'CLOSED';
  /** YYYY-MM */
  expiresOn: string | null;
}

export interface FirstvisionDemographics {
  firstName: string | null;
  middleName: string | null;
  lastName: string | null;
  /** Free name line (business customers, or what FirstVision prints). */
  nameLine1: string | null;
  dateOfBirth: string | null;
  gender: 'MALE' | 'FEMALE' | 'UNSPECIFIED' | null;
  email: string | null;
  homePhone: string | null;
  mobilePhone: string | null;
  employerPhone: string | null;
  /** ISO 639-2 code as FirstVision keeps it (e.g. ENG). */
  language: string | null;
  employerName: string | null;
  /** Up to three free demographic fields. */
  demographics: string[];
  vip: boolean | null;
}

export interface FirstvisionAddress {
  period: 'CURRENT' | 'PRIOR';
  lines: string[];
  houseNumber: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  /** ISO 3166-1 alpha-2 */
  country: string | null;
}

export type FirstvisionMatchMode = 'EXACT' | 'BEGINS_WITH' | 'ENDS_WITH' | 'FUZZY';

export interface FirstvisionLookupCriteria {
  organizationNumber: number;
  lastName?: { value: string; mode: FirstvisionMatchMode };
  firstName?: { value: string; mode: FirstvisionMatchMode };
  identifier?: { value: string; mode: FirstvisionMatchMode };
  phoneNumber?: { value: string; mode: FirstvisionMatchMode };
  postalCode?: { value: string; mode: FirstvisionMatchMode };
  /** YYYY-MM-DD, exact */
  dateOfBirth?: string;
  /** alpha-2, exact */
  country?: string;
  /** Most results wanted (FirstVision numberOfRecords). */
  limit: number;
}

export interface FirstvisionLookupMatch {
  organizationNumber: number;
  customerNumber: string;
  firstName: string | null;
  lastName: string | null;
  dateOfBirth: string | null;
  postalCode: string | null;
}

export interface FirstvisionReader {
  /** customer/accountNumber, every page (functionCode N with the next token until more = N). */
  accountNumbers(ref: FirstvisionCustomerRef, call: CallOptions): Promise<{ accounts: FirstvisionAccount[]; pages: number }>;
  /** customer/details-l8v4, every page. */
  cards(ref: FirstvisionCustomerRef, call: CallOptions): Promise<FirstvisionCard[]>;
  /** customer/relationshipNumber, every page. */
  relationshipNumbers(ref: FirstvisionCustomerRef, call: CallOptions): Promise<string[]>;
  /** customer/demographicData; null when FirstVision does not know the customer. */
  demographics(ref: FirstvisionCustomerRef, call: CallOptions): Promise<FirstvisionDemographics | null>;
  /** GET customer/{customerNumber}/current-prior-address, both periods. */
  addressHistory(ref: FirstvisionCustomerRef, call: CallOptions): Promise<FirstvisionAddress[]>;
  /** customer/lookup, following its start token until `limit` matches or the end. */
  lookup(criteria: FirstvisionLookupCriteria, call: CallOptions): Promise<FirstvisionLookupMatch[]>;
  /** customer/generation: `count` (1–99) new customer numbers FirstVision reserved. */
  generateCustomerNumbers(
    request: { organizationNumber: number; logo: number; count: number },
    call: CallOptions,
  ): Promise<string[]>;
}
