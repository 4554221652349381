import { z } from 'zod';

/** `providerOptions.enfuce.riskScore` as GraphQL spells it; the mapper writes Enfuce's High/Med/Low/Pep. */
export const ENFUCE_RISK_SCORE_OPTIONS = ['HIGH', 'MED', 'LOW', 'PEP'] as const;
export type EnfuceRiskScoreOption = (typeof ENFUCE_RISK_SCORE_OPTIONS)[number];

/** GraphQL sends null for an absent field: null and undefined both take the default. */
const nullable = <T extends z.ZodType>(schema: T) =>
  schema.nullish().transform((value): z.output<T> | undefined => (value === null ? undefined : value));

const additionalValue = z.object({
  key: z.string().trim().min(1, 'must not be empty').max(255, 'must be at most 255 characters'),
  value: z.string().max(255, 'must be at most 255 characters'),
});

const fields = z.object({
  /**
   * Who Enfuce logs as having made the change (query parameter `auditUser`) when the request is
   * anonymous: an authenticated caller's identity always wins, so the audit trail cannot be forged.
   * Default: the configured default audit user.
   */
  auditUser: nullable(z.string().trim().min(1, 'must not be empty').max(255, 'must be at most 255 characters')),
  /** Enfuce risk score. Default: derived from customer.screening (pep → PEP, else riskScore). */
  riskScore: nullable(z.enum(ENFUCE_RISK_SCORE_OPTIONS)),
  /**
   * The card is issued under Enfuce's BIN sponsorship: dateOfBirth, nationality, a full address
   * with postal code and a risk score become mandatory. Default: false.
   */
  binSponsored: nullable(z.boolean()).transform((value) => value ?? false),
  /** Free key/value pairs Enfuce stores with the customer (`additionalValues`). Default: none. */
  additionalValues: nullable(z.array(additionalValue).max(50, 'at most 50 additional values')).transform(
    (value) => value ?? [],
  ),
});

/**
 * `providerOptions.enfuce`: Enfuce-only settings a caller may pass. Every field is optional and the
 * whole object may be absent; defaults are applied here so the mapper reads one shape.
 * @example optionsSchema.parse({ riskScore: 'MED', binSponsored: true })
 */
export const optionsSchema = fields
  .nullish()
  .transform((value) => value ?? fields.parse({}));

export type EnfuceOptions = z.output<typeof optionsSchema>;
