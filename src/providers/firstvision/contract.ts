import countries from 'i18n-iso-countries';
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
