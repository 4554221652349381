import { z } from 'zod';

/**
 * `providerOptions.firstvision`: FirstVision settings a caller may pass with a mutation. Every field
 * is optional; GraphQL sends null for an absent field, so null and undefined both take the default.
 * Ranges here are the fields' formats (digit counts); FirstVision's business rules on the values
 * (organization 001–998, lengths of free text) live in contract.ts, so their errors carry the
 * provider and the caller's path.
 */

/** FirstVision's contact flag per channel: 0 do not contact, 1 may contact, 2 prefers this channel. */
export const CONTACT_FLAGS = ['DO_NOT_CONTACT', 'MAY_CONTACT', 'PREFERRED'] as const;
export type ContactFlag = (typeof CONTACT_FLAGS)[number];

/** The channels the canonical customer can fill; FirstVision's fax has no canonical source. */
export const CONTACT_CHANNELS = ['homePhone', 'mobilePhone', 'employerPhone', 'email'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

const withDefault = <T extends z.ZodType, D extends z.output<T> | null>(schema: T, fallback: D) =>
  schema
    .nullish()
    .transform((value): z.output<T> | D => (value === null || value === undefined ? fallback : (value as z.output<T>)));

const digits = (max: number, label: string) =>
  z
    .number()
    .int(`${label} must be a whole number`)
    .min(0, `${label} must not be negative`)
    .max(10 ** max - 1, `${label} has at most ${max} digits`);

const freeText = withDefault(z.string(), null);

/** MAY_CONTACT only becomes flag 1 when the customer has that channel; without it the flag is 0. */
const contactFlag = withDefault(z.enum(CONTACT_FLAGS), 'MAY_CONTACT');

const contactPreferencesSchema = z.object({
  homePhone: contactFlag,
  mobilePhone: contactFlag,
  employerPhone: contactFlag,
  email: contactFlag,
});

const DEFAULT_CONTACT_PREFERENCES: z.output<typeof contactPreferencesSchema> = {
  homePhone: 'MAY_CONTACT',
  mobilePhone: 'MAY_CONTACT',
  employerPhone: 'MAY_CONTACT',
  email: 'MAY_CONTACT',
};

const fieldsSchema = z.object({
  /** Organization (bank) number 001–998; null: the configured default (PROVIDER_FIRSTVISION_ORGANIZATION_NUMBER). */
  organizationNumber: withDefault(digits(3, 'organizationNumber'), null),
  /** Product logo (≤3 digits) for number generation; null: the configured default. */
  logo: withDefault(digits(3, 'logo'), null),
  /** customerMiscellaneousData.vipStatus; default false (0). */
  vipStatus: withDefault(z.boolean(), false),
  /** Contact flags per channel; default MAY_CONTACT for each; at most one PREFERRED. */
  contactPreferences: withDefault(contactPreferencesSchema, DEFAULT_CONTACT_PREFERENCES),
  /** smsFlag: the customer agreed to SMS messages (needs a mobile phone); default false. */
  smsOptIn: withDefault(z.boolean(), false),
  /** mailingList: the customer wants to be on the mailing list; default false. */
  mailingList: withDefault(z.boolean(), false),
  /** contactIndicator, 2 digits: 00 no restriction (default), 01 do not telephone, 02 do not mail, 03 neither, 10–99 client-defined. */
  contactIndicator: withDefault(digits(2, 'contactIndicator'), 0),
  /** customerKeyData.dualFlag: dual-currency billing; default false (0). */
  dualCurrency: withDefault(z.boolean(), false),
  /** Standard Industrial Classification code (≤6 digits); null: not sent on add, 0 on update (which requires one). */
  sicCode: withDefault(digits(6, 'sicCode'), null),
  /** Client-defined demographic fields (≤20 characters each); null: not sent. */
  demographic1: freeText,
  demographic2: freeText,
  demographic3: freeText,
  /** Free-text memos on the customer record (≤60 characters each); null: not sent. */
  memo1: freeText,
  memo2: freeText,
});

/**
 * Validates `providerOptions.firstvision` and applies the defaults; an absent or null object means
 * every default.
 * @example const options = optionsSchema.parse({ organizationNumber: 970, vipStatus: true });
 */
export const optionsSchema = z.preprocess((value) => value ?? {}, fieldsSchema);

/** The validated options with every default applied. */
export type FirstvisionOptions = z.output<typeof fieldsSchema>;
