import { z } from 'zod';
import { ALERT_OPT_IN_STATUSES, ENROLLMENT_OPT_IN_STATUSES, TARGETING_INDICATORS, toInstant } from './contract.js';

/** GraphQL sends null for an absent field and JSON callers omit it: both mean "not given". */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? undefined);

const withDefault = <T extends z.ZodType>(schema: T, fallback: () => z.output<T>) =>
  schema.nullish().transform((value): z.output<T> => value ?? fallback());

/**
 * GraphQL's DateTime arrives as a Date, JSON callers send ISO-8601 text. Kept as the ISO text sent to
 * Cardlytics, so options survive a JSON round trip (the outbox) unchanged.
 */
const instant = z
  .union([z.date(), z.iso.datetime({ offset: true })], { error: 'must be an ISO-8601 date-time, e.g. 2023-01-01T08:00:00Z' })
  .transform((value) => toInstant(typeof value === 'string' ? new Date(value) : value));

const identifier = z.string().trim().min(1, 'must not be empty').max(255, 'must be at most 255 characters');

/**
 * `providerOptions.cardlytics`: the enrollment settings Cardlytics keeps per customer. Every field
 * may be null or absent; defaults are applied here, except those that come from the adapter's
 * settings or the routing (organizationId, enrollmentStartDate, portfolioId), which stay undefined.
 * @example optionsSchema.parse({ targetingIndicator: 'DO_NOT_TARGET' }).alertOptInStatus // ['ALL']
 */
export const optionsSchema = z.preprocess(
  (value) => value ?? {},
  z.object({
    /** Cardlytics organization (a subsidiary of the institution). Default: the configured organization. */
    organizationId: optional(identifier),
    enrollmentOptInStatus: withDefault(z.enum(ENROLLMENT_OPT_IN_STATUSES), () => 'ACTIVE' as const),
    alertOptInStatus: withDefault(
      z
        .array(z.enum(ALERT_OPT_IN_STATUSES))
        .min(1, 'must name at least one alert, e.g. ALL')
        .refine((alerts) => new Set(alerts).size === alerts.length, 'must not repeat an alert'),
      () => ['ALL' as const],
    ),
    targetingIndicator: withDefault(z.enum(TARGETING_INDICATORS), () => 'TARGET' as const),
    /** Default: when the customer was created with us. */
    enrollmentStartDate: optional(instant),
    /** Default: none (enrolled until further notice). */
    enrollmentEndDate: optional(instant),
    /** sourcePortfolioId of accounts that name no portfolio. Default: the configured portfolio. */
    portfolioId: optional(identifier),
  }),
);

export type CardlyticsOptions = z.output<typeof optionsSchema>;
