import countries from '../../country-codes.js';
import { z } from 'zod';

/**
 * Fiserv FirstVision (VisionPLUS) customer API bodies in the provider's own field names: seed 004,
 * spec `reference/1.2.0/Customers.yaml` (AddCustomerRequest, UpdateCustomerRequest and responses)
 * and the host error codes listed there and in the 2022 spec. The adapter checks what it sends with
 * these schemas and the simulator checks what it receives with the same ones.
 *
 * A cross-field rule names the VisionPLUS host code it stands for in `params.providerCode`, so the
 * simulator answers with the code the host would.
 */

/**
 * What we send is strictly typed as the spec says. What the simulator receives may carry a number
 * where the spec types a string: the seed itself does (identificationNumber, houseNumber,
 * employerExtensionPhoneNumber, mailingList, maritalStatus, dualFlag).
 * UNKNOWN: whether the live gateway coerces such numbers; we assume it does (the seed example is
 * Fiserv's own, and a Java JSON binder coerces scalars into String fields by default), so the
 * simulator accepts them while the mapper always sends strings.
 */
export type Reading = 'sent' | 'received';

const issue = (message: string, code: string, providerCode?: string) => ({
  message,
  params: providerCode === undefined ? { code } : { code, providerCode },
});

/** `required` words the error for a missing value (a required field's message should say why). */
function text(max: number, reading: Reading, required = 'is required') {
  const schema = z
    .string({ error: (payload) => (payload.input === undefined ? required : 'must be a string') })
    .max(max, `must be at most ${max} characters`);
  return reading === 'sent' ? schema : z.preprocess((value) => (typeof value === 'number' ? String(value) : value), schema);
}

/** A whole number among `allowed` (VisionPLUS one-digit codes and flags). */
const oneOf = (allowed: readonly number[]) =>
  z
    .number()
    .int('must be a whole number')
    .refine((value) => allowed.includes(value), issue(`must be one of ${allowed.join(', ')}`, 'INVALID'));

/** A whole number of at most `digits` digits (VisionPLUS numeric PIC fields). */
const digits = (count: number) =>
  z
    .number()
    .int('must be a whole number')
    .refine((value) => value >= 0 && value < 10 ** count, issue(`must be a number of at most ${count} digits`, 'INVALID'));

/** Blank is allowed: the seed and the update template send "" for an absent date or country. */
const isoDateOrBlank = z
  .string()
  .refine(
    (value) => value === '' || (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))),
    issue('must be a date as yyyy-MM-dd', 'INVALID_FORMAT'),
  );

const alpha3OrBlank = z
  .string()
  .refine(
    (code) => code === '' || (/^[A-Z]{3}$/.test(code) && countries.isValid(code)),
    issue('must be an ISO 3166-1 alpha-3 country code that exists, e.g. ARG', 'INVALID_FORMAT'),
  );

/** The 2022 spec's email pattern; stricter than RFC 5322 (no '+', no hyphenated domains). */
export const FIRSTVISION_EMAIL_PATTERN = /^[a-zA-Z0-9_.-]+@[a-zA-Z0-9]+(\.[a-zA-Z]+)+$/;

function email(reading: Reading) {
  return text(60, reading).refine(
    (value) => value === '' || FIRSTVISION_EMAIL_PATTERN.test(value),
    issue('must match FirstVision’s email pattern (letters, digits, _ . - before @; a domain of letters and digits)', 'INVALID_FORMAT'),
  );
}

/** VPL5SGC16E / VPL5SNA34S: postal code must be alpha, space, dash or number. Required on add and update. */
function postalCode(reading: Reading) {
  return text(10, reading, 'is required: FirstVision needs a postal code')
    .refine((value) => value.trim().length > 0, issue('is required (FirstVision needs a postal code)', 'REQUIRED'))
    .refine((value) => /^[A-Za-z0-9 -]*$/.test(value), issue('may contain only letters, digits, spaces and dashes', 'INVALID_FORMAT'));
}

/** VPL5SNA19S / VPL5SGC01E: organization number must be numeric, 001–998. */
const organizationNumber = z
  .number({ error: (payload) => (payload.input === undefined ? 'is required' : 'must be a number 001–998') })
  .int('must be a whole number')
  .refine((value) => value >= 1 && value <= 998, issue('must be an organization number 001–998', 'INVALID'));

/**
 * UNKNOWN: the spec only says 19 characters; VisionPLUS customer numbers are numeric (VPL5SAR03E
 * "CUSTOMER NUMBER MUST BE NUMERIC"), so we require 19 digits. The check digit (VPL5SNA56S) is not
 * checked: its algorithm is not published.
 */
const customerNumber = z
  .string({ error: (payload) => (payload.input === undefined ? 'is required' : 'must be a string') })
  .regex(/^\d*$/, 'must be numeric: FirstVision customer numbers are 19 digits')
  .length(19, 'must be exactly 19 digits: FirstVision customer numbers are 19 digits long');

// ---- contact flags -------------------------------------------------------------------------------

/** One contact channel: its flag field and the field that must be filled when the flag is 1 or 2. */
export interface ContactChannelFields {
  flag: string;
  value: string;
  /** VisionPLUS code for "entry required when the flag is 1 or 2". */
  providerCode: string;
}

/**
 * VPL5SGC42E: among home, work, fax, mobile and email flags only one may be 2; VPL5SGC44E–47E: a flag
 * of 1 or 2 needs the number or address. UNKNOWN: the host lists that rule for home, fax, mobile and
 * email only; we apply it to the employer phone too (a preference for a channel that is not on file
 * cannot be honoured).
 */
function checkContactFlags(record: Record<string, unknown>, channels: readonly ContactChannelFields[], ctx: z.RefinementCtx) {
  let preferred: string | undefined;
  for (const channel of channels) {
    const flag = record[channel.flag];
    if (flag === 2) {
      if (preferred !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [channel.flag],
          ...issue(`only one contact flag may be 2 (preferred); ${preferred} is already 2`, 'INVALID', 'VPL5SGC42E'),
        });
      }
      preferred ??= channel.flag;
    }
    const value = record[channel.value];
    if ((flag === 1 || flag === 2) && (typeof value !== 'string' || value.trim() === '')) {
      ctx.addIssue({
        code: 'custom',
        path: [channel.value],
        ...issue(`is required when ${channel.flag} is ${flag}`, 'REQUIRED', channel.providerCode),
      });
    }
  }
}

/** VPL5SNA31S / VPL5SGC25E: with flag 0 (SSN) the first 9 characters of the number must be digits. */
function checkIdentification(
  record: Record<string, unknown>,
  keys: { flag: string; number: string; providerCode: string },
  ctx: z.RefinementCtx,
) {
  const number = record[keys.number];
  if (record[keys.flag] === 0 && typeof number === 'string' && number !== '' && !/^\d{9}/.test(number)) {
    ctx.addIssue({
      code: 'custom',
      path: [keys.number],
      ...issue('must start with 9 digits when it is a social security number (flag 0)', 'INVALID_FORMAT', keys.providerCode),
    });
  }
  if (typeof number === 'string' && number !== '' && record[keys.flag] === undefined) {
    ctx.addIssue({ code: 'custom', path: [keys.flag], ...issue(`is required with ${keys.number}`, 'REQUIRED') });
  }
}

/**
 * UNKNOWN: nothing says SMS needs a mobile number; we require one, since an SMS consent without a
 * mobile number cannot be acted on.
 */
function checkSms(record: Record<string, unknown>, keys: { flag: string; mobile: string }, ctx: z.RefinementCtx) {
  const mobile = record[keys.mobile];
  if (record[keys.flag] === 1 && (typeof mobile !== 'string' || mobile.trim() === '')) {
    ctx.addIssue({ code: 'custom', path: [keys.mobile], ...issue(`is required when ${keys.flag} is 1`, 'REQUIRED') });
  }
}

// ---- POST /customer/ (AddCustomerRequest) --------------------------------------------------------

export const ADD_CONTACT_CHANNELS: readonly ContactChannelFields[] = [
  { flag: 'homePhoneFlag', value: 'homePhoneNumber', providerCode: 'VPL5SGC44E' },
  { flag: 'faxPhoneFlag', value: 'homeFaxPhoneNumber', providerCode: 'VPL5SGC45E' },
  { flag: 'mobilePhoneFlag', value: 'mobilePhoneNumber', providerCode: 'VPL5SGC46E' },
  { flag: 'employerPhoneFlag', value: 'employerPhoneNumber', providerCode: 'VPL5SGC46E' },
  { flag: 'emailFlag', value: 'email', providerCode: 'VPL5SGC47E' },
];

/** user1..15 (client-defined); on update user10/user11 are numeric dates. */
function userFields(reading: Reading, numericDates: boolean) {
  const t = (max: number) => text(max, reading).optional();
  const date = numericDates ? digits(7).optional() : t(7);
  return {
    user1: t(2), user2: t(2), user3: t(7), user4: t(1), user5: t(1), user6: t(2), user7: t(2), user8: t(3),
    user9: t(3), user10: date, user11: date, user12: t(30), user13: t(30), user14: t(20), user15: t(20),
  };
}

/** AddCustomerRequest ownerData (and coOwnerData): demographic data of one person. */
function ownerShape(reading: Reading) {
  const t = (max: number) => text(max, reading).optional();
  return {
    firstName: t(40),
    middleName: t(40),
    lastName: t(40),
    suffix: t(20),
    nameLine1: t(40),
    nameLine2: t(40),
    nameLine3: t(40),
    /** 0 personal (default), 1 business, 2 store, 3 generic. */
    nameTypeIndicator1: oneOf([0, 1, 2, 3]).optional(),
    nameTypeIndicator2: oneOf([0, 1, 2, 3]).optional(),
    nameTypeIndicator3: oneOf([0, 1, 2, 3]).optional(),
    houseNumber: t(20),
    houseName: t(40),
    houseAddress1: t(40),
    houseAddress2: t(40),
    houseAddress3: t(40),
    houseAddress4: t(40),
    city: t(30),
    state: t(3),
    county: t(30),
    countryCode: alpha3OrBlank.optional(),
    postalCode: postalCode(reading),
    carrierRoute1and2: t(2),
    carrierRoute3and4: digits(2).optional(),
    homePhoneNumber: t(20),
    homeFaxPhoneNumber: t(20),
    mobilePhoneNumber: t(20),
    employerPhoneNumber: t(20),
    employerExtensionPhoneNumber: t(6),
    homePhoneFlag: oneOf([0, 1, 2]).optional(),
    faxPhoneFlag: oneOf([0, 1, 2]).optional(),
    mobilePhoneFlag: oneOf([0, 1, 2]).optional(),
    employerPhoneFlag: oneOf([0, 1, 2]).optional(),
    emailFlag: oneOf([0, 1, 2]).optional(),
    smsFlag: oneOf([0, 1]).optional(),
    email: email(reading).optional(),
    dateOfBirth: isoDateOrBlank.optional(),
    dateOfFile: isoDateOrBlank.optional(),
    /** The spec text says 25, its schema 20: the stricter 20 is enforced. */
    identificationNumber: t(20),
    /** 0 SSN, 1 tax id, 2 other. */
    identificationNumberFlag: oneOf([0, 1, 2]).optional(),
    driverLicenseNumber: t(20),
    driverLicenseState: t(3),
    driverLicenseCountry: t(3),
    /** 0 unspecified, 1 male, 2 female. */
    genderCode: oneOf([0, 1, 2]).optional(),
    /** VPL5SNA35S: 0 through 4. */
    maritalStatus: text(1, reading).refine((value) => /^[0-4]?$/.test(value), issue('must be 0 through 4', 'INVALID')).optional(),
    languageIndicator: t(3),
    mailingList: t(1),
    contactIndicator: digits(2).optional(),
    foreignIndicator: t(1),
    /** VPL5SNA36S: 0, 1, 2 or 3. */
    ownOrRentResidenceFlag: oneOf([0, 1, 2, 3]).optional(),
    employerName: t(40),
    employerAddress1: t(40),
    employerAddress2: t(40),
    position: t(4),
    relativeName: t(40),
    numberOfDependents: digits(3).optional(),
    memo1: t(60),
    memo2: t(60),
    ...userFields(reading, false),
    demographic1: t(20),
    demographic2: t(20),
    demographic3: t(20),
    statementMessageIndicator: digits(1).optional(),
  };
}

function checkOwner(owner: Record<string, unknown>, ctx: z.RefinementCtx) {
  checkContactFlags(owner, ADD_CONTACT_CHANNELS, ctx);
  checkIdentification(owner, { flag: 'identificationNumberFlag', number: 'identificationNumber', providerCode: 'VPL5SNA31S' }, ctx);
  checkSms(owner, { flag: 'smsFlag', mobile: 'mobilePhoneNumber' }, ctx);
}

function ownerData(reading: Reading) {
  return z.object(ownerShape(reading)).superRefine(checkOwner);
}

/**
 * UNKNOWN: the 1.2.0 spec requires postalCode in coOwnerData too, but the seed sends `coOwnerData: {}`
 * for a customer without a co-owner; an empty co-owner is accepted, any co-owner data needs the postal code.
 */
function coOwnerData(reading: Reading) {
  return z.union([z.strictObject({}), ownerData(reading)]);
}

/** Account status letters (customerMiscellaneousData.status). */
export const ACCOUNT_STATUS_LETTERS = ['A', 'B', 'C', 'D', 'F', 'H', 'I', 'J', 'K', 'M', 'N', 'P', 'Q', 'R', 'T', 'V', 'X', 'Z', '8', '9'] as const;

function reservedData(reading: Reading) {
  const entries = [1, 2, 3, 4, 5].flatMap((n) => [
    [`reservedCode${n}`, text(20, reading).optional()],
    [`reservedDate${n}`, isoDateOrBlank.optional()],
    [`reservedAmt${n}`, z.number().optional()],
  ]);
  return z.object(Object.fromEntries(entries) as Record<string, z.ZodType>);
}

function addCustomerRequestSchema(reading: Reading) {
  return z.object({
    customerData: z.object({
      customerKeyData: z.object({
        organizationNumber,
        customerNumber,
        /** Exactly 19 in 1.2.0 (the 2022 spec allowed 1–19). */
        accountNumber: z
          .string({
            error: (payload) =>
              payload.input === undefined
                ? 'is required: FirstVision adds a customer together with one account number of exactly 19 characters'
                : 'must be a string',
          })
          .length(19, 'must be exactly 19 characters: FirstVision account numbers are 19 long'),
        /** 1 maker, 2 comaker (VPL5SNA04S). */
        coOwnerIndicator: oneOf([1, 2]).optional(),
        /** 0 dual currency off (default), 1 on. */
        dualFlag: text(1, reading).refine((value) => /^[01]?$/.test(value), issue('must be 0 or 1', 'INVALID')).optional(),
      }),
      customerMiscellaneousData: z
        .object({
          vipStatus: oneOf([0, 1]).optional(),
          sicCode: digits(6).optional(),
          status: z.enum(ACCOUNT_STATUS_LETTERS).optional(),
        })
        .optional(),
      ownerCoOwnerData: z.object({
        ownerData: ownerData(reading),
        coOwnerData: coOwnerData(reading).optional(),
      }),
    }),
    resvData: reservedData(reading).optional(),
  });
}

/** What the adapter sends to `POST /customer/`. */
export const addCustomerRequest = addCustomerRequestSchema('sent');
/** What the simulator accepts at `POST /customer/` (numbers allowed in string fields, as the seed sends them). */
export const addCustomerRequestReceived = addCustomerRequestSchema('received');

export type AddCustomerRequest = z.output<typeof addCustomerRequest>;
export type AddCustomerOwnerData = AddCustomerRequest['customerData']['ownerCoOwnerData']['ownerData'];

// ---- PUT /customer/ (UpdateCustomerRequest) ------------------------------------------------------

export const UPDATE_CONTACT_CHANNELS: readonly ContactChannelFields[] = [
  { flag: 'homePhoneIndicator', value: 'homePhoneNumber', providerCode: 'VPL5SGC44E' },
  { flag: 'faxPhoneIndicator', value: 'faxPhoneNumber', providerCode: 'VPL5SGC45E' },
  { flag: 'mobilePhoneIndicator', value: 'mobilePhoneNumber', providerCode: 'VPL5SGC46E' },
  { flag: 'employerPhoneFlag', value: 'employerPhoneNumber', providerCode: 'VPL5SGC46E' },
  { flag: 'emailIndicator', value: 'email', providerCode: 'VPL5SGC47E' },
];

/**
 * UpdateCustomerRequest: flat. Required: organizationNumber, customerNumber, vipStatus, status,
 * sicCode, postalCode.
 * UNKNOWN: the update's phone and email indicators are documented as "0 or 1 only" (VPL5SGC36E–39E)
 * while VPL5SGC42E allows one of them to be 2; we accept 0–2 with at most one 2, as on add.
 * UNKNOWN: the update spec gives email a maximum of 19 characters (the add gives 60, the field is the
 * same VisionPLUS field); we enforce 60.
 * UNKNOWN: status is "0, 1 or 2 only" (VPL5SGC09E) without meanings; see the mapper for ours.
 */
function updateCustomerRequestSchema(reading: Reading) {
  const t = (max: number) => text(max, reading).optional();
  const indicator = (allowed: string) =>
    text(1, reading)
      .refine((value) => new RegExp(`^[${allowed}]?$`).test(value), issue(`must be one of ${allowed.split('').join(', ')} or blank`, 'INVALID'))
      .optional();
  return z
    .object({
      organizationNumber,
      customerNumber: z
        .string({ error: (payload) => (payload.input === undefined ? 'is required' : 'must be a string') })
        .min(1, 'is required')
        .max(19, 'must be at most 19 characters'),
      /** blank or 0 card number, 1 customer number. */
      numberType: indicator(' 01'),
      foreignUseIndicator: indicator(' 01'),
      demographicDataIndicator: indicator(' 012'),
      userDataIndicator: indicator(' 012'),
      vipStatus: oneOf([0, 1]),
      status: oneOf([0, 1, 2]),
      sicCode: digits(6),
      title: t(40),
      maritalStatus: text(1, reading).refine((value) => /^[0-4]?$/.test(value), issue('must be 0 through 4', 'INVALID')).optional(),
      nameLine1: t(40),
      nameTypeIndicator1: oneOf([0, 1, 2, 3]).optional(),
      nameLine2: t(40),
      nameTypeIndicator2: oneOf([0, 1, 2, 3]).optional(),
      nameLine3: t(40),
      nameTypeIndicator3: oneOf([0, 1, 2, 3]).optional(),
      firstName: t(40),
      middleName: t(40),
      lastName: t(40),
      suffix: t(20),
      houseNumber: t(20),
      houseName: t(40),
      houseAddress1: t(40),
      houseAddress2: t(40),
      houseAddress3: t(40),
      houseAddress4: t(40),
      city: t(30),
      state: t(3),
      county: t(30),
      postalCode: postalCode(reading),
      /** 30 in the update spec; we send alpha-3 like the add. */
      countryCode: alpha3OrBlank.optional(),
      ownOrRentResidenceFlag: oneOf([0, 1, 2, 3]).optional(),
      languageIndicator: t(3),
      mailingList: t(1),
      contactIndicator: digits(2).optional(),
      genderCode: oneOf([0, 1, 2]).optional(),
      homePhoneNumber: t(20),
      homePhoneIndicator: oneOf([0, 1, 2]).optional(),
      faxPhoneNumber: t(20),
      faxPhoneIndicator: oneOf([0, 1, 2]).optional(),
      mobilePhoneNumber: t(20),
      mobilePhoneIndicator: oneOf([0, 1, 2]).optional(),
      employerName: t(40),
      employerAddress1: t(40),
      employerAddress2: t(40),
      employerPhoneNumber: t(20),
      employerExtensionPhoneNumber: t(6),
      employerPhoneFlag: oneOf([0, 1, 2]).optional(),
      position: t(4),
      relativeName: t(40),
      numberOfDependents: digits(3).optional(),
      email: email(reading).optional(),
      emailIndicator: oneOf([0, 1, 2]).optional(),
      smsIndicator: oneOf([0, 1]).optional(),
      dateOfBirth: isoDateOrBlank.optional(),
      driverLicense: z
        .object({ driverLicenseNumber: t(20), driverLicenseState: t(3), driverLicenseCountry: t(3) })
        .optional(),
      carrierRoute: z.object({ carrierRoute1and2: t(2), carrierRoute3and4: digits(2).optional() }).optional(),
      /** 0 SSN, 1 tax id, 2 other (VPL5SGC24E). */
      taxIdType: oneOf([0, 1, 2]).optional(),
      taxIdNumber: t(25),
      dateFiledForm: isoDateOrBlank.optional(),
      formDateSent: isoDateOrBlank.optional(),
      memo1: t(60),
      memo2: t(60),
      ...userFields(reading, true),
      userDemographic1: t(20),
      userDemographic2: t(20),
      userDemographic3: t(20),
      foreignFormIndicator: t(1),
      statementMessageIndicator: digits(1).optional(),
    })
    .superRefine((request, ctx) => {
      const record = request as Record<string, unknown>;
      checkContactFlags(record, UPDATE_CONTACT_CHANNELS, ctx);
      checkIdentification(record, { flag: 'taxIdType', number: 'taxIdNumber', providerCode: 'VPL5SGC25E' }, ctx);
      checkSms(record, { flag: 'smsIndicator', mobile: 'mobilePhoneNumber' }, ctx);
      // VPL5SGC05E: a customer number (type 1) is looked up within an organization; ours are 19 digits.
      if (request.numberType === '1' && !/^\d{19}$/.test(request.customerNumber)) {
        ctx.addIssue({
          code: 'custom',
          path: ['customerNumber'],
          ...issue('must be exactly 19 digits when numberType is 1 (customer number)', 'INVALID', 'VPL5SGC02E'),
        });
      }
    });
}

/** What the adapter sends to `PUT /customer/`. */
export const updateCustomerRequest = updateCustomerRequestSchema('sent');
/** What the simulator accepts at `PUT /customer/`. */
export const updateCustomerRequestReceived = updateCustomerRequestSchema('received');
export type UpdateCustomerRequest = z.output<typeof updateCustomerRequest>;

// ---- responses -----------------------------------------------------------------------------------

export const errorEntry = z.object({ code: z.string(), description: z.string() });
export type FirstvisionErrorEntry = z.output<typeof errorEntry>;

/**
 * Every answer: 2xx `{hasError:false, errors:[], data}`; 4xx/5xx `{hasError:true, errors:[…], data:null}`.
 * UNKNOWN: the spec's 200 schemas are written unwrapped; the response-handling doc wraps them in the
 * envelope, and so do we (client and simulator).
 */
export const errorEnvelope = z.object({
  hasError: z.literal(true),
  errors: z.array(errorEntry),
  data: z.null().optional(),
});

export function successEnvelope<T extends z.ZodType>(data: T) {
  return z.object({ hasError: z.literal(false), errors: z.array(errorEntry).max(0), data });
}

/** AddCustomerResponse; customerNumber is what we key the customer by, so it must be there. */
export const addCustomerResponse = z.object({
  organizationNumber: z.number().int(),
  organizationAssociatedToForeignAccount: z.number().int().optional(),
  foreignCustomerOrganization: z.number().int().optional(),
  accountNumber: z.string().max(19).optional(),
  customerNumber: z.string().min(1).max(19),
});
export type AddCustomerResponse = z.output<typeof addCustomerResponse>;

export const updateCustomerResponse = z.object({
  outputArea: z.object({
    organizationNumber: z.number().int(),
    customerNumber: z.string().min(1).max(19),
    numberType: z.string().optional(),
    foreignUseIndicator: z.string().optional(),
    demographicDataIndicator: z.string().optional(),
    userDataIndicator: z.string().optional(),
    cmsOrganizationNumber: z.number().int().optional(),
    accountNumber: z.string().optional(),
  }),
});
export type UpdateCustomerResponse = z.output<typeof updateCustomerResponse>;

/** `POST /token` answer (accessToken.md); expires_in is seconds as a string. */
export const tokenResponse = z.object({
  token_type: z.literal('BearerToken'),
  issued_at: z.string(),
  client_id: z.string(),
  access_token: z.string().min(1),
  expires_in: z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(Number),
  status: z.literal('approved'),
});
export type TokenResponse = z.input<typeof tokenResponse>;

// ---- read side: shared pieces ----------------------------------------------------------------------------

/**
 * The read requests are checked by the adapter before sending and by the simulator on receipt with
 * the same schemas. They carry no free text, so unlike the add there is no received-only leniency.
 * UNKNOWN: the seed's details-l8v4 and relationshipNumber examples send customerNumber as a bare JSON
 * number; a 19-digit number does not survive a JSON number parse (it exceeds 2^53), so we always send,
 * and the simulator requires, the string the 1.2.0 spec types.
 */
const numericText = (length: number, label: string) =>
  z
    .string({ error: (payload) => (payload.input === undefined ? 'is required' : 'must be a string') })
    .regex(/^\d*$/, `must be numeric: FirstVision ${label}s are ${length} digits`)
    .length(length, `must be exactly ${length} digits: FirstVision ${label}s are ${length} digits long`);

/** A 19-digit account, card, customer or relationship number. */
const number19 = (label: string) => numericText(19, label);

/**
 * Scrolling through a list of at most 20 items: space or low values (empty) = first page, N = next,
 * P = previous (CustomerToAccountInquiryRequest.functionCode; the same words for the other lists).
 */
export const SCROLL_FUNCTION_CODES = [' ', '', 'N', 'P'] as const;
export const SCROLL_PAGE_SIZE = 20;

const scrollFunctionCode = (providerCode?: string) =>
  z.string().refine(
    (value) => (SCROLL_FUNCTION_CODES as readonly string[]).includes(value),
    issue('must be space (first page), N (next) or P (previous)', 'INVALID', providerCode),
  );

/** Y = more items on file after this page, N = this is the last page. */
const moreFlag = z.enum(['Y', 'N']);

/** A count of at most 2 digits (numberOfOccurrences and the like). */
const count2 = z.number().int().min(0).max(99);

const optionalText = (max: number) => z.string().max(max).optional();

/** N and P scroll from a position, so they need the start the previous answer gave. */
function needsStart(functionCode: string | undefined, start: unknown): boolean {
  return (functionCode === 'N' || functionCode === 'P') && start === undefined;
}

// ---- POST /customer/accountNumber (CustomerToAccountInquiry) ---------------------------------------------

export const customerToAccountInquiryRequest = z
  .object({
    organizationNumber,
    customerNumber,
    functionCode: scrollFunctionCode().optional(),
    /** The first account of the page wanted: the previous answer's nextToken (N) or prevToken (P). */
    startToken: z
      .object({
        accountOrganizationNumber: organizationNumber,
        accountNumber: number19('account number'),
        /** One digit (ARXCAI-ASSOC-TYPE). */
        associationType: digits(1),
      })
      .optional(),
  })
  .superRefine((request, ctx) => {
    if (needsStart(request.functionCode, request.startToken)) {
      ctx.addIssue({ code: 'custom', path: ['startToken'], ...issue('is required when functionCode is N or P', 'REQUIRED') });
    }
  });
export type CustomerToAccountInquiryRequest = z.output<typeof customerToAccountInquiryRequest>;

/**
 * CustomerToAccountInquiryResponse (1.2.0). The tokens are always present in a host answer (fixed
 * COBOL areas); on the last page nextToken is blank (account number "", organization 0).
 */
export const customerToAccountInquiryResponse = z.object({
  nextToken: z
    .object({
      accountOrganizationNext: z.number().int().min(0).max(999),
      accountNumberNext: z.string().max(19),
      accountTypeNext: z.number().int().min(0).max(9),
    })
    .optional(),
  prevToken: z
    .object({
      accountOrganizationPrev: z.number().int().min(0).max(999),
      accountNumberPrev: z.string().max(19),
      accountTypePrev: z.number().int().min(0).max(9),
    })
    .optional(),
  more: moreFlag,
  numberOfOccurrences: count2,
  acctTable: z.array(
    z.object({
      organizationNumber: z.number().int().min(0).max(999),
      accountNumber: z.string().min(1).max(19),
      associationType: z.number().int().min(0).max(9).optional(),
      organizationName: optionalText(40),
      logo: z.number().int().min(0).max(999).optional(),
      logoDescription: optionalText(30),
      accountInternalStatus: optionalText(1),
    }),
  ),
});
export type CustomerToAccountInquiryResponse = z.output<typeof customerToAccountInquiryResponse>;

// ---- POST /customer/details-l8v4 (CustomerChannelVersion4) ------------------------------------------------

export const customerChannelVersion4Request = z
  .object({
    organizationNumber,
    customerNumber,
    functionCode: scrollFunctionCode('VPL5SCE09E').optional(),
    /** Where the page starts: the previous answer's nextItem (N) or prevItem (P). Strings in the spec. */
    startItem: z
      .object({
        startOrganization: z.string().regex(/^\d{1,3}$/, 'must be an organization number of at most 3 digits'),
        startAccount: number19('account number'),
      })
      .optional(),
  })
  .superRefine((request, ctx) => {
    // VPL5SCE08E (the v3 card details service): START ORG & ACCT SHOULD BE PROVIDED WHEN SVC FUNC CODE IS N OR P.
    if (needsStart(request.functionCode, request.startItem)) {
      ctx.addIssue({ code: 'custom', path: ['startItem'], ...issue('is required when functionCode is N or P', 'REQUIRED', 'VPL5SCE08E') });
    }
  });
export type CustomerChannelVersion4Request = z.output<typeof customerChannelVersion4Request>;

/**
 * UNKNOWN: the details-l8v4 answer is not published (the 2022 spec lists only errors). This shape
 * takes its card rows from the documented successor, CustomerCardsDetailsResponseV3 (cardNumber,
 * cardExpireDate, cardBlockCode, digitalCardIndicator), and its paging from
 * CustomerToAccountInquiryResponse (more, numberOfOccurrences, next/prev), with the next/prev
 * positions named after the request's startItem. A page holds whole accounts: the next page starts
 * at an account, so an account's cards are never split across pages.
 * The host sends full card numbers (PANs): the adapter reduces them to last4 + IIN on receipt.
 */
export const customerChannelVersion4Response = z.object({
  customerNumber: z.string().max(19).optional(),
  more: moreFlag,
  numberOfOccurrences: count2,
  nextItem: z.object({ nextOrganization: z.string().max(3), nextAccount: z.string().max(19) }).optional(),
  prevItem: z.object({ prevOrganization: z.string().max(3), prevAccount: z.string().max(19) }).optional(),
  cardTable: z.array(
    z.object({
      organizationNumber: z.number().int().min(0).max(999),
      accountNumber: z.string().min(1).max(19),
      /** Messages name no value: a card number must not reach a log through a validation error. */
      cardNumber: z.string().regex(/^\d{12,19}$/, 'must be a card number of 12 to 19 digits'),
      /** yyyy-MM-dd as in CustomerCardsDetailsResponseV3; blank when the host has none. */
      cardExpireDate: z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/, 'must be a date as yyyy-MM-dd or blank').optional(),
      /**
       * UNKNOWN: block code letters are client-defined in VisionPLUS. Blank = no block (active);
       * C = closed; any other letter = blocked (lost, stolen, fraud …).
       */
      cardBlockCode: z.string().max(1).optional(),
      /** 0 physical plastic, 1 digital card. */
      digitalCardIndicator: z.number().int().min(0).max(1).optional(),
    }),
  ),
});
export type CustomerChannelVersion4Response = z.output<typeof customerChannelVersion4Response>;

// ---- POST /customer/generation (CmsNumberGeneration) ------------------------------------------------------

const requestedCount = digits(2).optional();

export const cmsNumberGenerationRequest = z.object({
  organizationNumber,
  /** 0 local organization, 1 local and foreign. */
  dualIndicator: z.enum(['0', '1'], { error: 'must be 0 (local) or 1 (local and foreign)' }),
  logo: digits(3),
  customerNumbersRequested: requestedCount,
  accountNumbersRequested: requestedCount,
  relationshipNumbersRequested: requestedCount,
  billAccountNumbersRequested: requestedCount,
  controlAccountNumbersRequested: requestedCount,
  embosserNumbersRequested: requestedCount,
});
export type CmsNumberGenerationRequest = z.output<typeof cmsNumberGenerationRequest>;

/** CmsNumberGenerationResponse (1.2.0): the reserved numbers, each with its sequence. */
export const cmsNumberGenerationResponse = z.object({
  organizationNumber: z.number().int().min(0).max(999),
  foreignOrganizationNumber: z.number().int().min(0).max(999).optional(),
  dualIndicator: z.number().int().min(0).max(1).optional(),
  logo: z.number().int().min(0).max(999).optional(),
  accountData: z.array(z.object({ sequence: z.number().int(), accountNumber: z.string().max(19) })).optional(),
  customerData: z.array(z.object({ sequence: z.number().int(), customerNumber: z.string().max(19) })).optional(),
});
export type CmsNumberGenerationResponse = z.output<typeof cmsNumberGenerationResponse>;

// ---- POST /customer/demographicData (DemographicInquiry) --------------------------------------------------

/** numberType: blank or 0 = card number, 1 = customer number (as on the update). */
const DEMOGRAPHIC_NUMBER_TYPES = [' ', '', '0', '1'] as const;

export const demographicInquiryRequest = z.object({
  organizationNumber,
  customerAccountCardNumber: number19('customer or card number'),
  numberType: z
    .string({ error: (payload) => (payload.input === undefined ? 'is required' : 'must be a string') })
    .refine((value) => (DEMOGRAPHIC_NUMBER_TYPES as readonly string[]).includes(value), issue('must be blank or 0 (card number) or 1 (customer number)', 'INVALID')),
  /** 0 local, 1 foreign organization record. */
  foreignUseIndicator: z.enum(['0', '1'], { error: 'must be 0 (local) or 1 (foreign)' }).optional(),
});
export type DemographicInquiryRequest = z.output<typeof demographicInquiryRequest>;

/**
 * UNKNOWN: the demographicData answer is not published. This is the documented successor's
 * DemographicInquiryResponseL8V2, reduced to the fields customer/add fills: one nameAddrData entry
 * per person (sequence 1 owner, 2 co-owner), names and address under nameAddressData as there.
 */
const demographicPerson = z.object({
  sequence: z.number().int(),
  relativeName: optionalText(40),
  identificationNumberFlag: optionalText(1),
  identificationNumber: optionalText(25),
  homePhoneNumber: optionalText(20),
  employerName: optionalText(40),
  employerPhoneNumber: optionalText(20),
  homeFaxPhoneNumber: optionalText(20),
  mobilePhoneNumber: optionalText(20),
  countryCode: optionalText(3),
  postalCode: optionalText(10),
  languageIndicator: optionalText(3),
  /** yyyy-MM-dd or blank. */
  dateOfBirth: z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/, 'must be a date as yyyy-MM-dd or blank').optional(),
  email: optionalText(60),
  demographic1: optionalText(20),
  demographic2: optionalText(20),
  demographic3: optionalText(20),
  nameAddressData: z
    .object({
      nameLine1: optionalText(40),
      nameLine2: optionalText(40),
      nameLine3: optionalText(40),
      houseNumber: optionalText(20),
      houseName: optionalText(40),
      houseAddress1: optionalText(40),
      houseAddress2: optionalText(40),
      houseAddress3: optionalText(40),
      houseAddress4: optionalText(40),
      cityAndState: optionalText(40),
      state: optionalText(3),
      /** 0 unspecified, 1 male, 2 female. */
      genderCode: z.number().int().min(0).max(9).optional(),
      lastName: optionalText(40),
      middleName: optionalText(40),
      firstName: optionalText(40),
      suffix: optionalText(20),
      county: optionalText(30),
    })
    .optional(),
});

export const demographicInquiryResponse = z.object({
  organizationNumber: z.number().int().min(0).max(999),
  customerNumber: z.string().max(19),
  /** "1" VIP, "0" not (a string in DemographicInquiryResponseL8V2). */
  vipStatus: optionalText(1),
  sicCode: z.number().int().min(0).max(999_999).optional(),
  nameAddrData: z.array(demographicPerson),
});
export type DemographicInquiryResponse = z.output<typeof demographicInquiryResponse>;
export type DemographicPerson = z.output<typeof demographicPerson>;

// ---- POST /customer/lookup (CustomerLookup) ---------------------------------------------------------------

/**
 * The fuzzy switches: 0 any fuzzy, 1 begins with, 2 drill down, 3 ends with.
 * UNKNOWN: no exact-match value is documented; we read 2 "drill down" as matching the whole value
 * (the search narrows to records whose field equals it, ignoring case and accents) and use it for
 * exact matches. What "any fuzzy" tolerates is not published either; see the simulator.
 */
export const FUZZY_SWITCH = { ANY_FUZZY: 0, BEGINS_WITH: 1, DRILL_DOWN: 2, ENDS_WITH: 3 } as const;
const fuzzySwitch = z.number().int().refine((value) => value >= 0 && value <= 3, issue('must be 0 (any fuzzy), 1 (begins with), 2 (drill down) or 3 (ends with)', 'INVALID'));

/** The host's most records per lookup call (VPL5SZL03S MAXIMUM ALLOWED RECORDS REQUIRED IS 50 ONLY). */
export const LOOKUP_MAX_RECORDS = 50;

/**
 * UNKNOWN: requestOptionData's *Option fields are documented only as "specifies X as a primary search
 * option"; we send 1 for each primary field searched and 0 for the others.
 */
const primaryOption = z.number().int().refine((value) => value === 0 || value === 1, issue('must be 0 or 1', 'INVALID', 'VPL5SZL06S'));

export const customerLookupRequest = z.object({
  numberOfRecords: z
    .number({ error: (payload) => (payload.input === undefined ? 'is required' : 'must be a number') })
    .int('must be a whole number')
    .refine((value) => value >= 1 && value <= LOOKUP_MAX_RECORDS, issue(`must be 1 to ${LOOKUP_MAX_RECORDS}`, 'INVALID', 'VPL5SZL03S')),
  primarySearchData: z
    .object({
      lastBusinessName: optionalText(40),
      identifier: optionalText(25),
      phoneNumber: optionalText(20),
      postalCode: optionalText(10),
    })
    .optional(),
  optionalSearchData: z
    .object({
      firstName: optionalText(40),
      middleName: optionalText(40),
      dateOfBirth: isoDateOrBlank.optional(),
      title: optionalText(40),
      suffix: optionalText(20),
      countryCode: alpha3OrBlank.optional(),
      user14: optionalText(20),
      user15: optionalText(20),
    })
    .optional(),
  requestOptionData: z
    .object({
      lastNameOption: primaryOption.optional(),
      identifierOption: primaryOption.optional(),
      phoneNumberOption: primaryOption.optional(),
      postalCodeOption: primaryOption.optional(),
    })
    .optional(),
  /** 0 any optional field must match (default), 1 all must. */
  optionalDataMatch: z.number().int().refine((value) => value === 0 || value === 1, issue('must be 0 (any) or 1 (all)', 'INVALID')).optional(),
  returnDataOption: z.enum(['0', '1', '2']).optional(),
  /**
   * N next, P previous. UNKNOWN: the first call's value; the host refuses N or P without a token
   * (VPL5SZL04S) and names an "initial" function (VPL5SZL05S), so the first call sends none.
   */
  serviceFunctionCode: z.string().refine((value) => ['', ' ', 'N', 'P'].includes(value), issue('can be only initial (blank), N or P', 'INVALID', 'VPL5SZL05S')).optional(),
  clientId: optionalText(40),
  /** UNKNOWN: the seed sends 0; the simulator reads 0 as every organization. */
  organizationNumber: z.number().int().min(0).max(999).optional(),
  startToken: optionalText(40),
  lastNameFuzzySwitch: fuzzySwitch.optional(),
  identifierFuzzySwitch: fuzzySwitch.optional(),
  phoneFuzzySwitch: fuzzySwitch.optional(),
  postalFuzzySwitch: fuzzySwitch.optional(),
  firstNameFuzzySwitch: fuzzySwitch.optional(),
  middleNameFuzzySwitch: fuzzySwitch.optional(),
  titleFuzzySwitch: fuzzySwitch.optional(),
  suffixFuzzySwitch: fuzzySwitch.optional(),
  countryFuzzySwitch: fuzzySwitch.optional(),
  user14FuzzySwitch: fuzzySwitch.optional(),
  user15FuzzySwitch: fuzzySwitch.optional(),
});
export type CustomerLookupRequest = z.output<typeof customerLookupRequest>;

/**
 * UNKNOWN: the lookup answer is not published. Modelled on CustomerToAccountInquiryResponse: more,
 * numberOfOccurrences and a table, with the tokens as the opaque strings the request's startToken
 * takes. Rows carry the customer number and the names, date of birth, postal code and country, named
 * as in the request; identification numbers are searched on but not returned.
 */
export const customerLookupResponse = z.object({
  more: moreFlag,
  numberOfOccurrences: count2,
  nextToken: optionalText(40),
  prevToken: optionalText(40),
  customerTable: z.array(
    z.object({
      organizationNumber: z.number().int().min(0).max(999),
      customerNumber: z.string().min(1).max(19),
      lastBusinessName: optionalText(40),
      firstName: optionalText(40),
      middleName: optionalText(40),
      dateOfBirth: z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/, 'must be a date as yyyy-MM-dd or blank').optional(),
      postalCode: optionalText(10),
      countryCode: optionalText(3),
    }),
  ),
});
export type CustomerLookupResponse = z.output<typeof customerLookupResponse>;

// ---- POST /customer/relationshipNumber (CustomerToRelationshipInquiry) ------------------------------------

/** All three fields are required; functionCode has at most 2 characters (space, N, P). */
export const customerToRelationshipInquiryRequest = z.object({
  organizationNumber,
  customerNumber,
  functionCode: z
    .string({ error: (payload) => (payload.input === undefined ? 'is required' : 'must be a string') })
    .max(2, 'must be at most 2 characters')
    .refine((value) => (SCROLL_FUNCTION_CODES as readonly string[]).includes(value), issue('must be space (first page), N (next) or P (previous)', 'INVALID')),
});
export type CustomerToRelationshipInquiryRequest = z.output<typeof customerToRelationshipInquiryRequest>;

/**
 * UNKNOWN: the relationshipNumber answer is not published (its successor answers one relationship's
 * totals). Modelled on CustomerToAccountInquiryResponse: more, numberOfOccurrences and a table of
 * relationship numbers. The request has no start token, so N and P scroll from the host's last page
 * for this caller and customer.
 */
export const customerToRelationshipInquiryResponse = z.object({
  organizationNumber: z.number().int().min(0).max(999).optional(),
  customerNumber: z.string().max(19).optional(),
  more: moreFlag,
  numberOfOccurrences: count2,
  relationshipTable: z.array(
    z.object({
      organizationNumber: z.number().int().min(0).max(999),
      relationshipNumber: z.string().min(1).max(19),
    }),
  ),
});
export type CustomerToRelationshipInquiryResponse = z.output<typeof customerToRelationshipInquiryResponse>;

// ---- GET /customer/{accountNumber}/current-prior-address ---------------------------------------------------

/** The path number and query parameters, as the simulator reads them from the URL (strings). */
export const currentPriorAddressQuery = z.object({
  /** Account, relationship or customer number. */
  accountNumber: number19('account, relationship or customer number'),
  organizationNumber: z
    .string({ error: (payload) => (payload.input === undefined ? 'is required' : 'must be a number') })
    .regex(/^\d{1,3}$/, 'must be a number of at most 3 digits')
    .transform(Number)
    .pipe(organizationNumber),
  /** 0 both, 1 owner (default), 2 co-owner. */
  ownerCoOwnerFlag: z.enum(['0', '1', '2'], { error: 'must be 0 (both), 1 (owner) or 2 (co-owner)' }),
  /** B both (default), C current, P prior. */
  currentPriorFlag: z.enum(['B', 'C', 'P'], { error: 'must be B (both), C (current) or P (prior)' }),
});
export type CurrentPriorAddressQuery = z.input<typeof currentPriorAddressQuery>;

const addressDate = z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/, 'must be a date as yyyy-MM-dd or blank').optional();

/** CurrentPriorAddressResponse (1.2.0), the fields customer-graph reads and those the simulator fills. */
export const currentPriorAddressResponse = z.object({
  organizationNumber: z.number().int().min(0).max(999),
  logo: z.number().int().min(0).max(999).optional(),
  accountNumber: z.string().max(19).optional(),
  customerNumber: z.string().max(19).optional(),
  relationshipNumber: z.string().max(19).optional(),
  vipFlag: z.number().int().min(0).max(9).optional(),
  customerData: z.object({
    occurrencesForNameAddressField: count2.optional(),
    nameAddressTable: z
      .array(
        z.object({
          homeTelephone: optionalText(20),
          homeTelephoneFlag: z.number().int().min(0).max(2).optional(),
          workTelephone: optionalText(20),
          workPhoneExtension: optionalText(6),
          workPhoneFlag: z.number().int().min(0).max(2).optional(),
          faxNumber: optionalText(20),
          faxFlag: z.number().int().min(0).max(2).optional(),
          mobilePhone: optionalText(20),
          mobilePhoneFlag: z.number().int().min(0).max(2).optional(),
          countryCode: optionalText(3),
          postalCode: optionalText(10),
          languageIndicator: optionalText(3),
          mailingList: optionalText(1),
          statementMessageIndicator: optionalText(1),
          dateOfBirth: addressDate,
          email: optionalText(60),
          emailFlag: z.number().int().min(0).max(2).optional(),
          addressData: z
            .object({
              nameTypeIndicator1: optionalText(1),
              nameTypeIndicator2: optionalText(1),
              nameTypeIndicator3: optionalText(1),
              nameLine1: optionalText(40),
              nameLine2: optionalText(40),
              nameLine3: optionalText(40),
              houseNumber: optionalText(20),
              houseName: optionalText(40),
              addressLine1: optionalText(40),
              addressLine2: optionalText(40),
              addressLine3: optionalText(40),
              addressLine4: optionalText(40),
              city: optionalText(30),
              stateProvince: optionalText(3),
              employer: optionalText(40),
              employerAddress1: optionalText(40),
              employerAddress2: optionalText(40),
              shortMessageServiceFlag: optionalText(1),
            })
            .optional(),
        }),
      )
      .optional(),
    priorMailerData: z
      .object({
        priorMailerFieldsOccurrences: count2.optional(),
        priorMailer: z.array(
          z.object({
            /** When the customer moved away from this address. */
            pmDate: addressDate,
            pmNameLine1: optionalText(40),
            pmHouseNumber: optionalText(20),
            pmHouseName: optionalText(40),
            pmAddressLine1: optionalText(40),
            pmAddressLine2: optionalText(40),
            pmAddressLine3: optionalText(40),
            pmAddressLine4: optionalText(40),
            pmCity: optionalText(30),
            pmStateProvince: optionalText(3),
            pmPostalCode: optionalText(10),
          }),
        ),
      })
      .optional(),
  }),
});
export type CurrentPriorAddressResponse = z.output<typeof currentPriorAddressResponse>;
export type PriorMailer = NonNullable<CurrentPriorAddressResponse['customerData']['priorMailerData']>['priorMailer'][number];
