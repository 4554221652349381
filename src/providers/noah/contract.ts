import countries from '../../country-codes.js';
import { z } from 'zod';

/**
 * NOAH Business API "Put Customer" (`PUT /v1/customers/{CustomerID}`, an upsert) and "Get Customer",
 * in NOAH's own PascalCase field names, as the seed (shared/seeds/001_*) gives them. Both the
 * mapper (before any call) and the simulator (on every request) check these schemas, so the two can
 * never disagree about what NOAH accepts.
 */

export const NOAH_ID_TYPES = ['DrivingLicense', 'NationalIDCard', 'Passport', 'AddressProof', 'ResidencePermit', 'TaxID'] as const;
export type NoahIdType = (typeof NOAH_ID_TYPES)[number];

export const NOAH_ERROR_TYPES = ['InvalidMessage', 'Unexpected', 'ResourceNotFound', 'Unauthorized', 'Forbidden', 'InsufficientBalance'] as const;
export type NoahErrorType = (typeof NOAH_ERROR_TYPES)[number];

/** SchemaValidation: a field breaks its own rule; IntegrityValidation: it conflicts with another field. */
export const NOAH_REQUEST_REASONS = ['SchemaValidation', 'IntegrityValidation'] as const;

/**
 * ISO 3166-2 subdivision codes (the part after `US-` / `CA-`) with their English names. The seed
 * requires the code as State for USA and Canada; the names let the mapper convert a caller's
 * "California" or "Québec" instead of rejecting it.
 */
export const NOAH_STATE_CODES: Readonly<Record<'US' | 'CA', Readonly<Record<string, string>>>> = {
  US: {
    AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado',
    CT: 'Connecticut', DE: 'Delaware', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho',
    IL: 'Illinois', IN: 'Indiana', IA: 'Iowa', KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana',
    ME: 'Maine', MD: 'Maryland', MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota',
    MS: 'Mississippi', MO: 'Missouri', MT: 'Montana', NE: 'Nebraska', NV: 'Nevada',
    NH: 'New Hampshire', NJ: 'New Jersey', NM: 'New Mexico', NY: 'New York', NC: 'North Carolina',
    ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon', PA: 'Pennsylvania',
    RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas',
    UT: 'Utah', VT: 'Vermont', VA: 'Virginia', WA: 'Washington', WV: 'West Virginia',
    WI: 'Wisconsin', WY: 'Wyoming',
    DC: 'District of Columbia',
    AS: 'American Samoa', GU: 'Guam', MP: 'Northern Mariana Islands', PR: 'Puerto Rico',
    UM: 'United States Minor Outlying Islands', VI: 'Virgin Islands, U.S.',
  },
  CA: {
    AB: 'Alberta', BC: 'British Columbia', MB: 'Manitoba', NB: 'New Brunswick',
    NL: 'Newfoundland and Labrador', NS: 'Nova Scotia', NT: 'Northwest Territories', NU: 'Nunavut',
    ON: 'Ontario', PE: 'Prince Edward Island', QC: 'Quebec', SK: 'Saskatchewan', YT: 'Yukon',
  },
};

/** The State rule applies to these countries (PrimaryResidence.Country). */
export function stateCodesFor(country: unknown): Readonly<Record<string, string>> | undefined {
  return country === 'US' || country === 'CA' ? NOAH_STATE_CODES[country] : undefined;
}

/** Messages for a missing or mistyped value and for unknown fields; other issues keep their own. */
const required = (what: string) => ({
  error: (issue: z.core.$ZodRawIssue) => {
    if (issue.code === 'unrecognized_keys') return `holds fields NOAH does not define: ${issue.keys.join(', ')}`;
    if (issue.code !== 'invalid_type') return undefined;
    return issue.input === undefined || issue.input === null ? 'is required' : `must be ${what}`;
  },
});

const requiredString = z.string(required('a string'));

/** "non-empty" is reported as REQUIRED (an empty value is a missing one); longer minimums as TOO_SHORT. */
const text = (min: number, max: number) => {
  const bounded = requiredString.max(max, `must be at most ${max} characters`);
  return min === 1
    ? bounded.refine((value) => value.length > 0, { message: 'must not be empty', params: { code: 'REQUIRED' } })
    : bounded.min(min, `must be at least ${min} characters`);
};

/**
 * The seed only says "date, exactly 10 characters" and shows `2024-04-16`; we require that format
 * and a real calendar day (one check, so a bad value gives one error).
 */
const date10 = requiredString.refine(isCalendarDate, {
  message: 'must be a date as YYYY-MM-DD (10 characters), e.g. 2024-04-16',
  params: { code: 'INVALID_FORMAT' },
});

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

const countryCode = requiredString.refine((code) => /^[A-Z]{2}$/.test(code) && countries.isValid(code), {
  message: 'must be an ISO 3166-1 alpha-2 country code, e.g. US',
  params: { code: 'INVALID_FORMAT' },
});

/** Path parameter: client-chosen, "non-empty and <= 36 characters". */
export const customerIdSchema = text(1, 36);

export const fullNameSchema = z.strictObject(
  {
    FirstName: text(1, 50),
    LastName: text(1, 50),
    MiddleName: text(1, 50).optional(),
  },
  required('an object'),
);

export const identitySchema = z.strictObject(
  {
    IssuingCountry: countryCode,
    IDNumber: text(1, 36),
    IssuedDate: date10.optional(),
    ExpiryDate: date10.optional(),
    IDType: z.enum(NOAH_ID_TYPES, {
      error: (issue) => (issue.input === undefined ? 'is required' : `must be one of ${NOAH_ID_TYPES.join(', ')}`),
    }),
  },
  required('an object'),
);

export const streetAddressSchema = z
  .strictObject(
    {
      Street: text(2, 200),
      // UNKNOWN: the seed gives Street2 no length limit; we apply Street's 200 so nothing longer is sent.
      Street2: text(1, 200).optional(),
      City: text(1, 100),
      PostCode: text(1, 20),
      State: text(1, 100),
      Country: countryCode,
    },
    required('an object'),
  )
  .superRefine(
    (address, ctx) => {
      const codes = stateCodesFor(address.Country);
      if (codes && typeof address.State === 'string' && address.State !== '' && !Object.hasOwn(codes, address.State)) {
        ctx.addIssue({
          code: 'custom',
          path: ['State'],
          message: `must be the ISO 3166-2 subdivision code of a ${address.Country === 'US' ? 'US state or territory, e.g. CA' : 'Canadian province or territory, e.g. ON'}`,
          params: { code: 'INVALID', reason: 'IntegrityValidation' },
        });
      }
    },
    // Runs even when other address fields failed, so one answer lists every problem.
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );

export const putCustomerBodySchema = z.strictObject(
  {
    FullName: fullNameSchema,
    DateOfBirth: date10,
    // UNKNOWN: the seed marks Identities required but gives no minimum; we require at least one,
    // since an empty list would satisfy "required" without identifying anyone.
    Identities: z
      .array(identitySchema, required('an array'))
      .refine((list) => list.length > 0, { message: 'must hold at least one identity', params: { code: 'REQUIRED' } }),
    PrimaryResidence: streetAddressSchema,
  },
  required('a JSON object'),
);

/** One Put Customer call as the mapper produces it: the path parameter and the JSON body. */
export const putCustomerCallSchema = z.strictObject({
  path: z.strictObject({ CustomerID: customerIdSchema }),
  body: putCustomerBodySchema,
});

export type NoahPutCustomerBody = z.output<typeof putCustomerBodySchema>;
export type NoahPutCustomer = z.output<typeof putCustomerCallSchema>;

/**
 * Get Customer's answer: the Put fields plus CustomerID and Created. Loose, because NOAH documents
 * more fields (Verification, Metadata) that we do not use and must not fail on.
 */
export const customerRecordSchema = z.looseObject({
  ...putCustomerBodySchema.shape,
  CustomerID: customerIdSchema,
  Created: z.iso.datetime({ offset: true }),
});
export type NoahCustomerRecord = z.output<typeof customerRecordSchema>;

export const requestExtensionItemSchema = z.object({
  Field: z.string(),
  Reason: z.enum(NOAH_REQUEST_REASONS),
  Description: z.string(),
});

/** NOAH's error envelope (PascalCase). `Extensions.Request` lists invalid fields on a 400. */
export const errorBodySchema = z.looseObject({
  Type: z.enum(NOAH_ERROR_TYPES),
  Instance: z.string().optional(),
  Action: z.string().optional(),
  Detail: z.string().optional(),
  Extensions: z
    .looseObject({
      Request: z.array(requestExtensionItemSchema).optional(),
      Features: z.record(z.string(), z.array(z.string())).optional(),
    })
    .optional(),
});
export type NoahErrorBody = z.output<typeof errorBodySchema>;
