import countries from '../country-codes.js';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
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
  RISK_SCORES,
} from './enums.js';

/**
 * The canonical customer: what every mutation validates first, before any provider's rules.
 * Values come out normalised (trimmed strings, E.164 phones, ISO dates, absent = undefined), and
 * providers' mappers only ever see this shape.
 */

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/**
 * GraphQL null and absent both become undefined, so mappers test one thing. The schema accepts null
 * here and the customer schema's last step turns every null left in its output into undefined
 * (unsetNulls): a transform per optional field would cost a pipe per field and parse — the
 * canonical parse runs once per item of a bulk import. Rules that run before that step read a
 * missing value as `== null`.
 */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish() as unknown as z.ZodOptional<T>;

/**
 * Sets every null property in a parsed customer to undefined, in place: only optional fields can hold
 * null in a successful parse, and every object and array in it is one the parse created.
 */
function unsetNulls(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) unsetNulls(item);
  } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      if (record[key] === null) record[key] = undefined;
      else unsetNulls(record[key]);
    }
  }
}

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** graphql-scalars' Date parses to a JS Date at UTC midnight; strings are accepted for non-GraphQL callers. */
const isoDate = z
  .union([z.date(), z.string()])
  .transform((value, ctx) => {
    const iso = value instanceof Date ? (Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10)) : value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || Number.isNaN(Date.parse(`${iso}T00:00:00Z`))) {
      ctx.addIssue({ code: 'custom', message: 'must be a date as YYYY-MM-DD', params: { code: 'INVALID_FORMAT' } });
      return z.NEVER;
    }
    return iso;
  });

const countryCode = z
  .string()
  .refine((code) => /^[A-Z]{2}$/.test(code) && countries.isValid(code), {
    message: 'must be an ISO 3166-1 alpha-2 country code, e.g. FI',
    params: { code: 'INVALID_FORMAT' },
  });

const phone = z.string().transform((value, ctx) => {
  const parsed = value.trim().startsWith('+') ? parsePhoneNumberFromString(value.trim()) : undefined;
  if (!parsed?.isValid()) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be a valid phone number in international E.164 form, e.g. +358401234567',
      params: { code: 'INVALID_FORMAT' },
    });
    return z.NEVER;
  }
  return parsed.number;
});

/** IIN ranges of the card networks (first digits of the PAN). */
const NETWORK_IIN: Partial<Record<(typeof CARD_NETWORKS)[number], RegExp>> = {
  VISA: /^4/,
  MASTERCARD: /^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/,
  AMEX: /^3[47]/,
  DISCOVER: /^6(011|4[4-9]|5)/,
};

const cardSchema = z
  .object({
    last4: z.string().regex(/^\d{4}$/, 'must be exactly 4 digits'),
    iin: z.string().regex(/^\d{6,8}$/, 'must be 6 to 8 digits'),
    type: z.enum(CARD_TYPES),
    status: optional(z.enum(CARD_STATUSES)).transform((value) => value ?? 'ACTIVE'),
    network: z.enum(CARD_NETWORKS),
    openedOn: optional(isoDate),
    closedOn: optional(isoDate),
  })
  .superRefine((card, ctx) => {
    const range = NETWORK_IIN[card.network];
    if (range && !range.test(card.iin)) {
      ctx.addIssue({ code: 'custom', path: ['iin'], message: `is not a ${card.network} IIN`, params: { code: 'INVALID' } });
    }
    if (card.openedOn && card.closedOn && card.closedOn < card.openedOn) {
      ctx.addIssue({ code: 'custom', path: ['closedOn'], message: 'must not be before openedOn' });
    }
  });

const accountSchema = z
  .object({
    accountNumber: z.string().trim().regex(/^[A-Za-z0-9]{1,34}$/, 'must be 1 to 34 letters or digits'),
    type: z.enum(ACCOUNT_TYPES),
    status: optional(z.enum(ACCOUNT_STATUSES)).transform((value) => value ?? 'OPEN'),
    currency: optional(z.string().refine((code) => CURRENCIES.has(code), 'must be an ISO 4217 currency code')),
    openedOn: optional(isoDate),
    closedOn: optional(isoDate),
    portfolioId: optional(text(64)),
    cards: optional(z.array(cardSchema).max(10, 'at most 10 cards per account')).transform((value) => value ?? []),
  })
  .superRefine((account, ctx) => {
    if (account.openedOn && account.closedOn && account.closedOn < account.openedOn) {
      ctx.addIssue({ code: 'custom', path: ['closedOn'], message: 'must not be before openedOn' });
    }
  });

const identitySchema = z
  .object({
    type: z.enum(IDENTITY_TYPES),
    number: text(64),
    issuingCountry: countryCode,
    issuedOn: optional(isoDate),
    expiresOn: optional(isoDate),
  })
  .superRefine((identity, ctx) => {
    if (identity.issuedOn && identity.expiresOn && identity.expiresOn <= identity.issuedOn) {
      ctx.addIssue({ code: 'custom', path: ['expiresOn'], message: 'must be after issuedOn' });
    }
  });

const addressSchema = z
  .object({
    kind: optional(z.enum(ADDRESS_KINDS)).transform((value) => value ?? 'RESIDENTIAL'),
    line1: text(200),
    line2: optional(text(200)),
    buildingNumber: optional(text(20)),
    buildingName: optional(text(100)),
    floor: optional(text(20)),
    apartment: optional(text(20)),
    entrance: optional(text(20)),
    poBox: optional(text(20)),
    city: text(100),
    county: optional(text(100)),
    region: optional(text(100)),
    postalCode: optional(text(20)),
    country: countryCode,
    validFrom: optional(isoDate),
    validUntil: optional(isoDate),
    isPrimary: optional(z.boolean()),
    recipientName: optional(text(200)),
    company: optional(text(200)),
  })
  .superRefine((address, ctx) => {
    if (address.validFrom && address.validUntil && address.validUntil < address.validFrom) {
      ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'must not be before validFrom' });
    }
  });

const nameSchema = z.object({
  salutation: optional(text(32)),
  title: optional(text(32)),
  first: optional(text(100)),
  middle: optional(text(100)),
  last: optional(text(100)),
  suffix: optional(text(20)),
});

/**
 * The canonical customer schema as of `today` (ISO date): dates of birth and issue dates may not be
 * later than it. Building a zod schema (and its first parse, which compiles it) costs far more than
 * parsing with it, so the schema of the current day is kept and reused; schemas are immutable.
 * @example const result = customerInputSchema('2026-11-21').safeParse(args.input.customer);
 */
export function customerInputSchema(today: string) {
  if (cached?.today !== today) cached = { today, schema: buildCustomerInputSchema(today) };
  return cached.schema;
}

let cached: { today: string; schema: ReturnType<typeof buildCustomerInputSchema> } | null = null;

function buildCustomerInputSchema(today: string) {
  return z
    .object({
      customerNumber: optional(z.string().trim().regex(/^[A-Za-z0-9]{1,32}$/, 'must be 1 to 32 letters or digits')),
      kind: optional(z.enum(CUSTOMER_KINDS)).transform((value) => value ?? 'PRIVATE'),
      status: optional(z.enum(CUSTOMER_STATUSES)).transform((value) => value ?? 'ACTIVE'),
      name: optional(nameSchema),
      businessName: optional(text(200)),
      dateOfBirth: optional(isoDate),
      gender: optional(z.enum(GENDERS)),
      locale: optional(
        z.string().regex(/^[a-z]{2,3}_[A-Z]{2}$/, 'must be language_COUNTRY, e.g. en_US'),
      ),
      currency: optional(z.string().refine((code) => CURRENCIES.has(code), 'must be an ISO 4217 currency code')),
      email: optional(z.string().trim().max(254).pipe(z.email('must be an email address'))),
      phones: optional(
        z.object({ mobile: optional(phone), landline: optional(phone), additional: optional(phone), work: optional(phone) }),
      ),
      nationalities: optional(z.array(countryCode).max(5, 'at most 5 nationalities')).transform((value) => value ?? []),
      identities: optional(z.array(identitySchema).max(10, 'at most 10 identities')).transform((value) => value ?? []),
      addresses: optional(z.array(addressSchema).max(10, 'at most 10 addresses')).transform((value) => value ?? []),
      screening: optional(
        z.object({ pep: optional(z.boolean()), sanctions: optional(z.boolean()), riskScore: optional(z.enum(RISK_SCORES)) }),
      ),
      parentId: optional(z.string().min(1)),
      accounts: optional(z.array(accountSchema).max(20, 'at most 20 accounts')).transform((value) => value ?? []),
    })
    // Runs even when fields above failed, so one response lists every problem; hence the defensive reads.
    .superRefine(
      (customer, ctx) => {
        const fail = (path: (string | number)[], message: string, code = 'INVALID') =>
          ctx.addIssue({ code: 'custom', path, message, params: { code } });
        const list = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);
        if (customer.kind === 'BUSINESS') {
          if (!customer.businessName) fail(['businessName'], 'is required for a BUSINESS customer', 'REQUIRED');
        } else if (customer.kind === 'PRIVATE' || customer.kind === undefined) {
          if (customer.name?.first == null) fail(['name', 'first'], 'is required for a PRIVATE customer', 'REQUIRED');
          if (customer.name?.last == null) fail(['name', 'last'], 'is required for a PRIVATE customer', 'REQUIRED');
        }
        const born = customer.dateOfBirth;
        if (typeof born === 'string' && (born > today || born < '1900-01-01')) {
          fail(['dateOfBirth'], `must be between 1900-01-01 and ${today}`);
        }
        list(customer.identities).forEach((identity, i) => {
          if (typeof identity?.issuedOn === 'string' && identity.issuedOn > today) {
            fail(['identities', i, 'issuedOn'], 'must not be in the future');
          }
        });
        if (list(customer.addresses).filter((address) => address?.isPrimary === true).length > 1) {
          fail(['addresses'], 'at most one address may be primary');
        }
        const seen = new Map<string, number>();
        list(customer.accounts).forEach((account, i) => {
          if (typeof account?.accountNumber !== 'string') return;
          if (seen.has(account.accountNumber)) {
            fail(['accounts', i, 'accountNumber'], `repeats accounts[${seen.get(account.accountNumber)}].accountNumber`, 'TAKEN');
          }
          seen.set(account.accountNumber, i);
        });
      },
      { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
    )
    .transform((customer) => {
      unsetNulls(customer);
      return {
        ...customer,
        // exactly one primary address when there are any: the caller's, else the first
        addresses: customer.addresses.map((address, i) => ({
          ...address,
          isPrimary: customer.addresses.some((a) => a.isPrimary) ? address.isPrimary === true : i === 0,
        })),
      };
    });
}

export type CanonicalCustomer = z.output<ReturnType<typeof buildCustomerInputSchema>>;
export type CanonicalAddress = CanonicalCustomer['addresses'][number];
export type CanonicalIdentity = CanonicalCustomer['identities'][number];
export type CanonicalAccount = CanonicalCustomer['accounts'][number];
export type CanonicalCard = CanonicalAccount['cards'][number];
