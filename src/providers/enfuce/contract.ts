import countries from '../../country-codes.js';
import { z } from 'zod';

/**
 * Enfuce "Customer details API" (v3), private customers, in Enfuce's own field names. The seed
 * (shared/seeds/000_*) is the older documentation revision, and its limits win where the newer
 * revision differs (customerNumber and regNo at most 32, no de_LU/fr_LU/lb_LU locales).
 * Both the mapper (before any call) and the simulator (on every request) check these schemas.
 */

/** The seed's locale list, exactly as printed (140 values, including kok_IN and syr_SY). */
export const ENFUCE_LOCALES = [
  'af_ZA', 'ar_AE', 'ar_BH', 'ar_DZ', 'ar_EG', 'ar_IQ', 'ar_JO', 'ar_KW', 'ar_LB', 'ar_LY',
  'ar_MA', 'ar_OM', 'ar_QA', 'ar_SA', 'ar_SY', 'ar_TN', 'ar_YE', 'az_AZ', 'be_BY', 'bg_BG',
  'bn_IN', 'bs_BA', 'ca_ES', 'cs_CZ', 'cy_GB', 'da_DK', 'de_AT', 'de_CH', 'de_DE', 'de_LI',
  'de_NL', 'el_GR', 'en_AU', 'en_BZ', 'en_CA', 'en_GB', 'en_IE', 'en_JM', 'en_MT', 'en_NZ',
  'en_PH', 'en_TT', 'en_US', 'en_VI', 'en_ZA', 'en_ZW', 'es_AR', 'es_BO', 'es_CL', 'es_CO',
  'es_CR', 'es_DO', 'es_EC', 'es_ES', 'es_GT', 'es_HN', 'es_MX', 'es_NI', 'es_PA', 'es_PE',
  'es_PR', 'es_PY', 'es_SV', 'es_UY', 'es_VE', 'et_EE', 'eu_ES', 'fa_IR', 'fi_FI', 'fo_FO',
  'fr_BE', 'fr_CA', 'fr_CH', 'fr_FR', 'fr_MC', 'fr_NL', 'ga_IE', 'gl_ES', 'gu_IN', 'he_IL',
  'hi_IN', 'hr_HR', 'hu_HU', 'hy_AM', 'id_ID', 'is_IS', 'it_CH', 'it_IT', 'ja_JP', 'ka_GE',
  'kk_KZ', 'kl_GL', 'kn_IN', 'ko_KR', 'kok_IN', 'lt_LT', 'lv_LV', 'mk_MK', 'ml_IN', 'mn_MN',
  'mr_IN', 'ms_BN', 'ms_MY', 'mt_MT', 'nb_NO', 'nl_BE', 'nl_NL', 'nn_NO', 'no_NO', 'pa_IN',
  'pl_PL', 'pt_BR', 'pt_PT', 'ro_RO', 'ru_RU', 'se_NO', 'sk_SK', 'sl_SI', 'sq_AL', 'sr_BA',
  'sr_CS', 'sv_FI', 'sv_SE', 'sw_KE', 'syr_SY', 'ta_IN', 'te_IN', 'th_TH', 'tn_ZA', 'tr_TR',
  'uk_UA', 'uz_UZ', 'vi_VN', 'xh_ZA', 'zh_CN', 'zh_HK', 'zh_MO', 'zh_SG', 'zh_TW', 'zu_ZA',
] as const;

// UNKNOWN: the documentation shows High, Med, Low and Pep and the list is cut off; only these four are sent or accepted.
export const ENFUCE_RISK_SCORES = ['High', 'Med', 'Low', 'Pep'] as const;
export type EnfuceRiskScore = (typeof ENFUCE_RISK_SCORES)[number];

/** Alpha-3 codes the seed names as not accepted: QZZ (UNMIK in Kosovo) and ROM (Romania's old code). */
export const ENFUCE_REFUSED_COUNTRIES = ['QZZ', 'ROM'] as const;

const requiredString = z.string({
  error: (issue) => (issue.input === undefined || issue.input === null ? 'is required' : 'must be a string'),
});

const text = (max: number) =>
  requiredString.min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** Full international number with the leading + (seed), digits only after it, as in E.164. */
const phoneNumber = requiredString.regex(
  /^\+[1-9]\d{1,14}$/,
  'must be a full international number starting with +, e.g. +358401234567',
);

const isoDate = requiredString
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), {
    message: 'must be a real calendar date',
    params: { code: 'INVALID_FORMAT' },
  });

/** ISO 3166-1 alpha-3, except the two codes the seed refuses. */
export const enfuceCountry = requiredString
  .regex(/^[A-Z]{3}$/, { message: 'must be an ISO 3166-1 alpha-3 country code, e.g. FIN', abort: true })
  .refine((code) => !(ENFUCE_REFUSED_COUNTRIES as readonly string[]).includes(code), {
    message: 'QZZ and ROM are not accepted by Enfuce (use XKK or ROU)',
    params: { code: 'UNSUPPORTED' },
    abort: true,
  })
  .refine((code) => countries.alpha3ToAlpha2(code) !== undefined, {
    message: 'is not an assigned ISO 3166-1 alpha-3 country code',
    params: { code: 'INVALID' },
  });

// UNKNOWN: per-subfield lengths and requiredness of the address are not published. address1, city and
// country are required (an address without them cannot carry mail or cards) and every text is capped
// at 255, the limit Enfuce documents for its other free-text fields (names, email).
export const enfuceAddress = z.strictObject({
  address1: text(255),
  address2: text(255).optional(),
  address3: text(255).optional(),
  address4: text(255).optional(),
  city: text(255),
  country: enfuceCountry,
  zipCode: text(255).optional(),
  region: text(255).optional(),
});
export type EnfuceAddress = z.output<typeof enfuceAddress>;

// UNKNOWN: additionalValues limits are not published; keys 1–255 and values up to 255 characters,
// at most 50 pairs, keys unique (a key/value list is read as a map on the receiving side).
const additionalValues = z
  .array(z.strictObject({ key: text(255), value: requiredString.max(255, 'must be at most 255 characters') }))
  .max(50, 'at most 50 additional values')
  .superRefine((pairs, ctx) => {
    const seen = new Set<string>();
    pairs.forEach((pair, i) => {
      if (seen.has(pair.key)) {
        ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `repeats key "${pair.key}"`, params: { code: 'TAKEN' } });
      }
      seen.add(pair.key);
    });
  });

/**
 * Body of `POST /v3/PRIVATE` and of the private customer update.
 * UNKNOWN: whether Enfuce ignores or refuses fields it does not know; the schema is strict, so
 * neither side ever sends or accepts a field the seed revision does not define (birthCountry included).
 */
export const enfucePrivateCustomer = z.strictObject({
  customerNumber: requiredString
    .min(1, 'must not be empty')
    .max(32, 'must be at most 32 characters')
    .regex(/^[A-Za-z0-9]+$/, 'may contain only letters and digits'),
  firstName: text(255),
  lastName: text(255),
  middleName: text(255).optional(),
  salutation: text(32).optional(),
  email: text(255).optional(),
  phoneNumber: phoneNumber.optional(),
  mobileNumber: phoneNumber.optional(),
  locale: requiredString.pipe(z.enum(ENFUCE_LOCALES, { error: 'is not one of the locales Enfuce accepts' })),
  regNo: text(32),
  dateOfBirth: isoDate.optional(),
  nationality: z.array(enfuceCountry).optional(),
  // UNKNOWN: screening subfields other than the boolean `status` seen in the documentation example.
  screening: z.strictObject({ status: z.boolean() }).optional(),
  address: enfuceAddress,
  // UNKNOWN: the temporary address's validity-period fields; it is sent with the address shape only.
  temporaryAddress: enfuceAddress.optional(),
  additionalValues: additionalValues.optional(),
  riskScore: z.enum(ENFUCE_RISK_SCORES, { error: `must be one of ${ENFUCE_RISK_SCORES.join(', ')}` }).optional(),
});
export type EnfucePrivateCustomer = z.output<typeof enfucePrivateCustomer>;

/**
 * The same body for a card issued under Enfuce's BIN sponsorship: the documentation makes
 * dateOfBirth, nationality, the core address fields and riskScore mandatory even though the base
 * schema marks some of them optional.
 */
export const enfuceBinSponsoredPrivateCustomer = enfucePrivateCustomer.superRefine(
  (customer, ctx) => {
    const require = (path: (string | number)[], present: boolean) => {
      if (!present) {
        ctx.addIssue({ code: 'custom', path, message: 'is required for a BIN-sponsored card', params: { code: 'REQUIRED' } });
      }
    };
    const address = typeof customer.address === 'object' && customer.address !== null ? customer.address : undefined;
    require(['dateOfBirth'], customer.dateOfBirth !== undefined);
    require(['nationality'], Array.isArray(customer.nationality) && customer.nationality.length > 0);
    require(['riskScore'], customer.riskScore !== undefined);
    if (address) require(['address', 'zipCode'], address.zipCode !== undefined);
  },
  // Runs even when fields above failed, so a caller sees every missing BIN-sponsor field at once.
  { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
);

// UNKNOWN: the length of auditUser is not published; 1–255 characters like the other free text.
export const enfuceAuditQuery = z.object({ auditUser: text(255) });

/** Enfuce customer ids are numeric strings, e.g. "151077912". */
export const enfuceCustomerId = requiredString.regex(/^\d{1,19}$/, 'must be a numeric Enfuce customer id');

/**
 * Success body of create and update.
 * UNKNOWN: the seed lists both fields; `description` is optional here because nothing depends on it
 * and a created customer must not be reported as failed over a missing text.
 */
export const enfuceCustomerResponse = z.looseObject({
  description: z.string().optional(),
  id: enfuceCustomerId,
});
export type EnfuceCustomerResponse = z.output<typeof enfuceCustomerResponse>;

/** `GET /v3/regNo/{regNo}/id`: `{"id":"151077912"}`. */
export const enfuceRegNoLookupResponse = z.looseObject({ id: enfuceCustomerId });

/**
 * UNKNOWN: Enfuce's error envelope is not published. The simulator answers with this Spring-style
 * shape; the client reads every field as optional and falls back to the raw text.
 */
export const enfuceErrorEnvelope = z.looseObject({
  status: z.number().int().optional(),
  error: z.string().optional(),
  code: z.string().optional(),
  message: z.string().optional(),
  description: z.string().optional(),
  errors: z.array(z.looseObject({ field: z.string().optional(), message: z.string().optional() })).optional(),
});
export type EnfuceErrorEnvelope = z.output<typeof enfuceErrorEnvelope>;
