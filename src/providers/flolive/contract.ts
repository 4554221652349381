import { z } from 'zod';

/**
 * floLIVE "Create Customer" (`POST /api/v2/customer/{id}`) and "Get Request Status V2"
 * (`GET /api/v2/global/call/{requestId}`) in floLIVE's own field names. Source: seeds/003 and
 * CONTRACTS.md §4. The mapper checks what it builds against these schemas and the simulator
 * validates what it receives with the same ones, so the two cannot drift apart.
 */

export const FLOLIVE_CUSTOMER_STATUSES = ['ACTIVE', 'SUSPEND'] as const;
export const FLOLIVE_CUSTOMER_TYPES = ['PRIVATE', 'BUSINESS'] as const;
export const FLOLIVE_MFA_CONFIGURATIONS = ['MANDATORY', 'ENABLED', 'DISABLED'] as const;
export const FLOLIVE_CONTACT_TYPES = ['OWNER', 'MEMBER'] as const;
export const FLOLIVE_CONTACT_ROLES = ['SELFCARE', 'NONE'] as const;
export const FLOLIVE_SALUTATIONS = ['MR', 'MS'] as const;
export const FLOLIVE_TITLES = ['DR', 'PROF'] as const;
export const FLOLIVE_GENDERS = ['MALE', 'FEMALE'] as const;
export const FLOLIVE_ID_TYPES = ['ID', 'PASSPORT', 'DRIVER_LICENSE'] as const;
export const FLOLIVE_ADDRESS_TYPES = ['PRIVATE', 'SHIPPING', 'MAILING'] as const;
export const FLOLIVE_DELIVERY_METHODS = ['EMAIL', 'POSTAL', 'EDI'] as const;
export const FLOLIVE_PAYMENT_DUE_UNITS = ['DAYS'] as const;
export const FLOLIVE_REQUEST_STATUSES = ['OPEN', 'SUCCESS', 'FAILURE', 'INTERNAL_ERROR'] as const;

/** floLIVE states invoiceText's limit in bytes, so multi-byte characters count several times. */
export const INVOICE_TEXT_MAX_BYTES = 60;

/**
 * floLIVE's own error codes, and the ones the simulator uses where floLIVE publishes none.
 * UNKNOWN: floLIVE's "general success and failure codes" are not public. Only GLOBAL_1001 [SEED] and
 * GLOBAL_1003 [DOC] are real; the others keep floLIVE's GLOBAL_/AUTH_ categories (the Bulk API note
 * says NAK codes are GLOBAL_* or AUTH_*) but use names, not numbers, so they cannot be mistaken for
 * real floLIVE codes.
 */
export const FLOLIVE_ERROR_CODES = {
  serviceUnavailable: 'GLOBAL_1001',
  requestNotFound: 'GLOBAL_1003',
  invalidRequest: 'GLOBAL_INVALID_REQUEST',
  notFound: 'GLOBAL_NOT_FOUND',
  methodNotAllowed: 'GLOBAL_METHOD_NOT_ALLOWED',
  unauthorized: 'AUTH_UNAUTHORIZED',
  notEligible: 'AUTH_NOT_ELIGIBLE',
} as const;

/** Issues added by rules (not by zod's built-in checks) choose their UserError code this way. */
const issue = (path: string[], message: string, code: 'REQUIRED' | 'TOO_LONG' | 'INVALID_FORMAT') => ({
  code: 'custom' as const,
  path,
  message,
  params: { code },
});

/** Cross-field rules also run when a sibling field failed, so one answer lists every problem. */
const whenObject = { when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null };

/** floLIVE's own example sends "" for optional fields it leaves empty: "" counts as not provided. */
const provided = (value: unknown): boolean => typeof value === 'string' && value.length > 0;

/** A mandatory text field: present and not empty. */
const mandatoryText = z.string().min(1, 'is mandatory');

/**
 * UNKNOWN: floLIVE documents no lengths or character sets except invoiceText; no other limits are
 * enforced rather than guessed ones.
 */
const optionalText = z.string().optional();

/**
 * E.164 as the ITU defines it is digits only (at most 15, no leading 0); floLIVE's own example sends
 * "972542265160" without '+'. UNKNOWN: whether floLIVE accepts the display '+' — tolerated here.
 */
const e164 = z.string().regex(/^\+?[1-9]\d{1,14}$/, 'must be an international E.164 number, e.g. 972542265160');

/** floLIVE's `DDMMYYYY`, and a real calendar day. */
export const floliveBirthdate = z.string().refine(
  (value) => {
    const match = /^(\d{2})(\d{2})(\d{4})$/.exec(value);
    if (!match) return false;
    const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  },
  { message: 'must be a date as DDMMYYYY, e.g. 28122000', params: { code: 'INVALID_FORMAT' } },
);

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const floliveIdentity = z.strictObject({
  idType: z.enum(FLOLIVE_ID_TYPES),
  idNumber: mandatoryText,
});

export const floliveContact = z
  .strictObject({
    emailAddress: z.email('must be an email address').optional(),
    type: z.enum(FLOLIVE_CONTACT_TYPES).optional(),
    role: z.enum(FLOLIVE_CONTACT_ROLES),
    salutation: z.enum(FLOLIVE_SALUTATIONS).optional(),
    firstName: optionalText,
    middleName: optionalText,
    lastName: optionalText,
    identity: z.array(floliveIdentity),
    gender: z.enum(FLOLIVE_GENDERS).optional(),
    birthdate: floliveBirthdate.optional(),
    landlinePhoneNumber: e164.or(z.literal('')).optional(),
    mobilePhoneNumber: e164.or(z.literal('')).optional(),
    additionalPhoneNumber: e164.or(z.literal('')).optional(),
    /** future feature at floLIVE */
    picture: optionalText,
    remarks: optionalText,
    isPrimary: z.boolean().optional(),
  })
  .superRefine((contact, ctx) => {
    // UNKNOWN: whether floLIVE accepts an empty identity array; "M" is read as "at least one".
    if (Array.isArray(contact.identity) && contact.identity.length === 0) {
      ctx.addIssue(issue(['identity'], 'at least one identity (ID, PASSPORT or DRIVER_LICENSE) is mandatory', 'REQUIRED'));
    }
    if (!provided(contact.mobilePhoneNumber) && !provided(contact.landlinePhoneNumber)) {
      ctx.addIssue(issue(['mobilePhoneNumber'], 'a mobile or a landline phone number is mandatory', 'REQUIRED'));
    }
  }, whenObject);

export const floliveAddress = z
  .strictObject({
    type: z.enum(FLOLIVE_ADDRESS_TYPES).optional(),
    street: optionalText,
    buildingNumber: optionalText,
    buildingName: optionalText,
    buildingFloor: optionalText,
    zipCode: mandatoryText,
    apartmentNumber: optionalText,
    entrance: optionalText,
    city: mandatoryText,
    province: optionalText,
    state: optionalText,
    country: mandatoryText,
    pobox: optionalText,
    salutation: z.enum(FLOLIVE_SALUTATIONS).optional(),
    fullName: mandatoryText,
    title: z.enum(FLOLIVE_TITLES).optional(),
    company: optionalText,
    emailAddress: z.email('must be an email address').optional(),
    isPrimary: z.boolean().optional(),
  })
  .superRefine((address, ctx) => {
    // The seed's pobox row says "street and streetNumber"; the field is buildingNumber.
    if (provided(address.pobox)) return;
    if (!provided(address.street)) ctx.addIssue(issue(['street'], 'is mandatory unless pobox is given', 'REQUIRED'));
    if (!provided(address.buildingNumber)) {
      ctx.addIssue(issue(['buildingNumber'], 'is mandatory unless pobox is given', 'REQUIRED'));
    }
  }, whenObject);

export const floliveInvoiceConfiguration = z
  .strictObject({
    /** No longer used by floLIVE; its example sends "". */
    deviceCost: z.union([z.number().nonnegative(), z.literal('')]).optional(),
    deliveryMethod: z.enum(FLOLIVE_DELIVERY_METHODS).optional(),
    // UNKNOWN: "Numeric" — read as a whole, non-negative count of paymentDueUnits.
    paymentDueAfterInvoiceIssued: z.number().int('must be a whole number').nonnegative().optional(),
    paymentDueUnits: z.enum(FLOLIVE_PAYMENT_DUE_UNITS).optional(),
    vat: z.number().nonnegative('must be at least 0').optional(),
    invoiceText: z
      .string()
      .refine((text) => Buffer.byteLength(text, 'utf8') <= INVOICE_TEXT_MAX_BYTES, {
        message: `must be at most ${INVOICE_TEXT_MAX_BYTES} bytes in UTF-8 (multi-byte characters count several times)`,
        params: { code: 'TOO_LONG' },
      })
      .optional(),
  })
  .superRefine((invoice, ctx) => {
    if (invoice.paymentDueAfterInvoiceIssued !== undefined && invoice.paymentDueUnits === undefined) {
      ctx.addIssue(issue(['paymentDueUnits'], 'is mandatory when paymentDueAfterInvoiceIssued is given', 'REQUIRED'));
    }
  }, whenObject);

/**
 * The Create Customer body. UNKNOWN: whether floLIVE ignores or refuses fields it does not know;
 * the schema refuses them (strict), so a misspelt field cannot be lost silently.
 */
export const floliveCreateCustomerRequest = z.strictObject({
  status: z.enum(FLOLIVE_CUSTOMER_STATUSES),
  type: z.enum(FLOLIVE_CUSTOMER_TYPES).optional(),
  name: optionalText,
  currency: z.string().refine((code) => CURRENCIES.has(code), {
    message: 'must be an ISO 4217 currency code, e.g. USD',
    params: { code: 'INVALID_FORMAT' },
  }),
  allowOfferDelegation: z.boolean().optional(),
  isAllowedImeiLock: z.boolean().optional(),
  vatRegistrationNumber: optionalText,
  /** future feature at floLIVE */
  logo: optionalText,
  mfaConfiguration: z.enum(FLOLIVE_MFA_CONFIGURATIONS).optional(),
  contact: floliveContact.optional(),
  address: z.array(floliveAddress).optional(),
  invoiceConfiguration: floliveInvoiceConfiguration.optional(),
  /** future feature at floLIVE */
  customFields: z.array(z.strictObject({ keyName: optionalText, keyValue: optionalText })).optional(),
});

export type FloliveCreateCustomerRequest = z.infer<typeof floliveCreateCustomerRequest>;
export type FloliveContact = z.infer<typeof floliveContact>;
export type FloliveAddress = z.infer<typeof floliveAddress>;
export type FloliveIdentity = z.infer<typeof floliveIdentity>;
export type FloliveInvoiceConfiguration = z.infer<typeof floliveInvoiceConfiguration>;

export const flolivePageable = z.object({
  page: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
  totalPages: z.number().int().nonnegative(),
  totalElements: z.number().int().nonnegative(),
});

/** An ACK: empty error fields. Responses are read leniently (extra fields allowed), requests strictly. */
const ack = <Item extends z.ZodType>(item: Item) =>
  z.object({
    errorCode: z.union([z.literal(''), z.null()]).optional(),
    errorMessage: z.string().nullish(),
    content: z.array(item).min(1),
    pageable: flolivePageable,
  });

/** `id` and `customerid` both carry the new customer's UUID [SEED]. */
export const floliveCreateCustomerAck = ack(z.object({ requestId: z.uuid(), id: z.uuid(), customerid: z.uuid() }));

export const floliveRequestStatusAck = ack(z.object({ status: z.enum(FLOLIVE_REQUEST_STATUSES) }));

/** A NAK: a code and a message; content and pageable are "" (seed) or absent. */
export const floliveErrorEnvelope = z.object({
  errorCode: z.string().min(1),
  errorMessage: z.string().nullish(),
  content: z.unknown().optional(),
  pageable: z.unknown().optional(),
});

export type FloliveCreateCustomerAck = z.infer<typeof floliveCreateCustomerAck>;
export type FloliveRequestStatus = (typeof FLOLIVE_REQUEST_STATUSES)[number];

/** The envelope floLIVE answers every failure with. */
export function floliveNak(errorCode: string, errorMessage: string) {
  return { errorCode, errorMessage, content: '', pageable: '' };
}

/** The envelope floLIVE answers every success with: one page holding all of `content`. */
export function floliveAckBody<T>(content: T[]) {
  return {
    errorCode: '',
    errorMessage: '',
    content,
    pageable: { page: 0, size: 10, totalPages: 1, totalElements: content.length },
  };
}
