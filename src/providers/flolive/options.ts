import { z } from 'zod';
import {
  FLOLIVE_CONTACT_ROLES,
  FLOLIVE_CONTACT_TYPES,
  FLOLIVE_CUSTOMER_STATUSES,
  FLOLIVE_DELIVERY_METHODS,
  FLOLIVE_MFA_CONFIGURATIONS,
  FLOLIVE_PAYMENT_DUE_UNITS,
} from './contract.js';

/**
 * `providerOptions.flolive`: floLIVE settings a caller may choose per customer. Every field is
 * optional; GraphQL sends null for absent fields, and null and absent mean the same. Value rules
 * floLIVE states (invoiceText bytes, vat ≥ 0, units with a due period) live in contract.ts, so they are
 * reported with `provider: FLOLIVE` at these options' paths.
 */

/** null/absent → `fallback` (or undefined when there is none). */
const nullable = <T extends z.ZodType>(schema: T) =>
  schema.nullish().transform((value) => (value === null ? undefined : value)) as unknown as z.ZodOptional<T>;
const withDefault = <T extends z.ZodType>(schema: T, fallback: z.output<T>) =>
  schema.nullish().transform((value) => (value ?? fallback) as z.output<T>);

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

const invoiceConfigurationOptions = z.strictObject({
  deliveryMethod: nullable(z.enum(FLOLIVE_DELIVERY_METHODS)),
  paymentDueAfterInvoiceIssued: nullable(z.number()),
  paymentDueUnits: nullable(z.enum(FLOLIVE_PAYMENT_DUE_UNITS)),
  vat: nullable(z.number()),
  invoiceText: nullable(z.string()),
});

// Strict: a misspelt option would otherwise be ignored without a word.
const fields = z.strictObject({
  /** Initial status at floLIVE; default: the customer's status (ACTIVE → ACTIVE, SUSPENDED → SUSPEND). */
  status: nullable(z.enum(FLOLIVE_CUSTOMER_STATUSES)),
  /** The customer's currency at floLIVE (mandatory there); default: the customer's currency. */
  currency: nullable(z.string().refine((code) => CURRENCIES.has(code), 'must be an ISO 4217 currency code')),
  /** May the contact enter floLIVE's self-care application; default NONE (floLIVE's default). */
  contactRole: withDefault(z.enum(FLOLIVE_CONTACT_ROLES), 'NONE'),
  /** Is the contact the customer's owner or a member; default MEMBER (floLIVE's default). */
  contactType: withDefault(z.enum(FLOLIVE_CONTACT_TYPES), 'MEMBER'),
  /** Multi-factor authentication for the customer's users; default MANDATORY (floLIVE's default). */
  mfaConfiguration: withDefault(z.enum(FLOLIVE_MFA_CONFIGURATIONS), 'MANDATORY'),
  /** May the customer attach its parent's packages and plans to its subscribers; default false. */
  allowOfferDelegation: withDefault(z.boolean(), false),
  /** May the customer enable SIM-to-device locking; default false. */
  isAllowedImeiLock: withDefault(z.boolean(), false),
  /** Tax registration number; default: none sent. */
  vatRegistrationNumber: nullable(z.string().trim().min(1, 'must not be empty')),
  /** Invoice settings; default: none sent, and floLIVE applies its own default configuration. */
  invoiceConfiguration: nullable(invoiceConfigurationOptions),
});

/**
 * Validates `providerOptions.flolive` (absent or null: every default) and applies the defaults.
 * @example optionsSchema.parse({ contactRole: 'SELFCARE', invoiceConfiguration: { invoiceText: 'Thank you' } })
 */
export const optionsSchema = z.preprocess((value) => value ?? {}, fields);

export type FloliveOptions = z.output<typeof optionsSchema>;
export type FloliveInvoiceConfigurationOptions = z.output<typeof invoiceConfigurationOptions>;
