import countries from '../../country-codes.js';
import { z } from 'zod';

/**
 * The Cardlytics Publisher API v2 (Data APIs) wire contract in Cardlytics's own field names: seed 002
 * plus docs.cardlytics.com/ads/v2 (CONTRACTS.md §3). The mapper checks its requests against these
 * schemas and the simulator enforces the same ones, so the two cannot drift apart.
 */

export const MAX_CUSTOMERS_PER_CALL = 50;

export const HEADERS = {
  sessionToken: 'X-CDLX-Session-Token',
  requestId: 'X-CDLX-Request-Id',
  institutionId: 'X-CDLX-Institution-Id',
} as const;

/** The scope of the Data APIs (create/update customers, accounts, cards); api:customer is for one end user. */
export const INSTITUTION_SCOPE = 'api:institution';
export const SESSION_SCOPES = [INSTITUTION_SCOPE, 'api:customer'] as const;

export const ENROLLMENT_OPT_IN_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export const ALERT_OPT_IN_STATUSES = [
  'ALL',
  'NEW',
  'ACTIVATED',
  'EXPIRING',
  'REDEMPTION',
  'CLOSE_THE_LOOP',
  'MISSED_OPPORTUNITY',
] as const;
export const TARGETING_INDICATORS = ['TARGET', 'DO_NOT_TARGET'] as const;
export const ACCOUNT_STATUSES = ['OPEN', 'CLOSED', 'DISPUTE', 'FRAUD'] as const;
export const ACCOUNT_TYPES = ['PPD', 'MMA', 'CRD', 'DDA', 'SAV', 'SBCRD', 'SBDDA', 'SBS'] as const;
// UNKNOWN: only CREDIT appears in Cardlytics's docs; DEBIT and PREPAID (the other card types a card
// programme issues) are accepted as well, and nothing beyond them.
export const CARD_TYPES = ['CREDIT', 'DEBIT', 'PREPAID'] as const;
// UNKNOWN: only OPEN appears, and the docs close a card by setting closeDate; so OPEN is the only
// status sent or accepted, and a closed card is an OPEN card with a closeDate.
export const CARD_STATUSES = ['OPEN'] as const;
/** The first PAN digit of each network: 3 AmEx, 4 Visa, 5 Mastercard, 6 Discover. */
export const NETWORK_IDENTIFIERS = [3, 4, 5, 6] as const;

/**
 * Problem types of the error envelope. The first three are documented; the rest are UNKNOWN and
 * named the way the documented ones are (Spring exception names), which is what the API is built on.
 */
export const ERROR_TYPES = {
  notReadable: 'HttpMessageNotReadable',
  validation: 'ValidationException',
  session: 'SessionValidationException',
  accessDenied: 'AccessDeniedException',
  notFound: 'ResourceNotFoundException',
  noRoute: 'NoHandlerFoundException',
  methodNotAllowed: 'HttpRequestMethodNotSupported',
  internal: 'InternalServerError',
} as const;

/** ISO-8601 as Cardlytics's examples write it: UTC, no milliseconds when there are none. */
export function toInstant(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/** A date without time of day, as the start of that day in UTC. */
export function startOfDay(isoDate: string): string {
  return `${isoDate}T00:00:00Z`;
}

const requiredOr =
  (expected: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined || issue.input === null ? 'is required' : `must be ${expected}`;

// UNKNOWN: Cardlytics publishes no lengths for its ids and strings; 255 characters (a common column
// width) bounds them so that nothing unbounded is sent.
const text = z
  .string({ error: requiredOr('a string') })
  .min(1, { error: (issue) => (issue.input === '' ? 'is required' : 'must not be empty') })
  .max(255, 'must be at most 255 characters');

const instant = z.iso.datetime({ offset: true, error: requiredOr('an ISO-8601 date-time, e.g. 2017-01-01T08:00:00Z') });

/** An enum whose absence reads as REQUIRED and whose unknown value as UNSUPPORTED. */
const choice = <const T extends readonly [string, ...string[]]>(values: T) => {
  const error = requiredOr(`one of ${values.join(', ')}`);
  return z.string({ error }).pipe(z.enum(values, { error }));
};

const alpha2 = z.string({ error: requiredOr('a string') }).refine((code) => /^[A-Z]{2}$/.test(code) && countries.isValid(code), {
  message: 'must be an ISO 3166-1 alpha-2 country code, e.g. US',
  params: { code: 'INVALID_FORMAT' },
});

const list = <T extends z.ZodType>(item: T) => z.array(item, { error: requiredOr('a list') });

type Issue = { path: (string | number)[]; message: string; code?: string };

/** A cross-field rule's issue; `code` becomes the UserError code (INVALID unless said). */
function report(ctx: z.RefinementCtx, issue: Issue): void {
  ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, params: { code: issue.code ?? 'INVALID' } });
}

function before(later: string | null | undefined, earlier: string): boolean {
  return typeof later === 'string' && Date.parse(later) < Date.parse(earlier);
}

function repeats(values: readonly string[]): number[] {
  return values.flatMap((value, i) => (values.indexOf(value) < i ? [i] : []));
}

export const cardSchema = z
  .object({
    sourceAccountId: text,
    sourceCustomerId: text,
    last4: z.string({ error: requiredOr('a string') }).regex(/^\d{4}$/, 'must be exactly 4 digits'),
    // UNKNOWN: the examples show 6 digits; 7- and 8-digit IINs (ISO/IEC 7812 since 2017) are accepted too.
    iin: z.string({ error: requiredOr('a string') }).regex(/^\d{6,8}$/, 'must be 6 to 8 digits'),
    cardType: choice(CARD_TYPES),
    status: choice(CARD_STATUSES),
    // The docs type it int; seed 002's example sends the string "3", which this contract refuses.
    networkIdentifier: z
      .number({ error: requiredOr('an integer') })
      .pipe(z.literal(NETWORK_IDENTIFIERS, { error: requiredOr('3 (AmEx), 4 (Visa), 5 (Mastercard) or 6 (Discover)') })),
    openDate: instant,
    closeDate: instant.nullish(),
  })
  .superRefine((card, ctx) => {
    if (before(card.closeDate, card.openDate)) report(ctx, { path: ['closeDate'], message: 'must not be before openDate' });
  });

export const accountSchema = z
  .object({
    sourceAccountId: text,
    sourceCustomerIds: list(text).min(1, 'must name at least one customer'),
    primarySourceCustomerId: text,
    status: choice(ACCOUNT_STATUSES),
    type: choice(ACCOUNT_TYPES),
    sourcePortfolioId: text,
    accountOpenDate: instant,
    accountCloseDate: instant.nullish(),
    cards: list(cardSchema),
  })
  .superRefine((account, ctx) => {
    for (const i of repeats(account.sourceCustomerIds)) {
      report(ctx, { path: ['sourceCustomerIds', i], message: 'repeats a customer of this account' });
    }
    if (!account.sourceCustomerIds.includes(account.primarySourceCustomerId)) {
      report(ctx, { path: ['primarySourceCustomerId'], message: 'must be one of sourceCustomerIds' });
    }
    if (account.status === 'CLOSED' && !account.accountCloseDate) {
      report(ctx, { path: ['accountCloseDate'], message: 'is required when status is CLOSED', code: 'REQUIRED' });
    }
    if (account.status === 'OPEN' && account.accountCloseDate) {
      report(ctx, { path: ['accountCloseDate'], message: 'must be null while status is OPEN' });
    }
    if (before(account.accountCloseDate, account.accountOpenDate)) {
      report(ctx, { path: ['accountCloseDate'], message: 'must not be before accountOpenDate' });
    }
    account.cards.forEach((card, i) => {
      if (card.sourceAccountId !== account.sourceAccountId) {
        report(ctx, { path: ['cards', i, 'sourceAccountId'], message: 'must be the sourceAccountId of its account' });
      }
      if (!account.sourceCustomerIds.includes(card.sourceCustomerId)) {
        report(ctx, { path: ['cards', i, 'sourceCustomerId'], message: 'must be one of the account’s sourceCustomerIds' });
      }
    });
  });

export const customerSchema = z
  .object({
    sourceCustomerId: text,
    // Documented as optional (and commented out in Cardlytics's own listing); the seed example sends it.
    sourceParentCustomerId: text.nullish(),
    organizationId: text,
    postalCode: text,
    country: alpha2,
    customerCreationDate: instant,
    enrollmentStartDate: instant,
    enrollmentEndDate: instant.nullish(),
    enrollmentOptInStatus: choice(ENROLLMENT_OPT_IN_STATUSES),
    alertOptInStatus: list(choice(ALERT_OPT_IN_STATUSES)).min(1, 'must name at least one alert'),
    targetingIndicator: choice(TARGETING_INDICATORS),
    // UNKNOWN: whether a customer may arrive without accounts; the separate update-accounts API
    // suggests accounts can follow later, so an empty list is accepted.
    accounts: list(accountSchema),
  })
  .superRefine((customer, ctx) => {
    for (const i of repeats(customer.alertOptInStatus)) {
      report(ctx, { path: ['alertOptInStatus', i], message: 'repeats an alert' });
    }
    // Seed 002 sends an end equal to the start, so only an end before the start is refused.
    if (before(customer.enrollmentEndDate, customer.enrollmentStartDate)) {
      report(ctx, { path: ['enrollmentEndDate'], message: 'must not be before enrollmentStartDate' });
    }
    if (customer.sourceParentCustomerId === customer.sourceCustomerId) {
      report(ctx, { path: ['sourceParentCustomerId'], message: 'must not be the customer itself' });
    }
    for (const i of repeats(customer.accounts.map((account) => account.sourceAccountId))) {
      report(ctx, { path: ['accounts', i, 'sourceAccountId'], message: 'repeats an account of this customer' });
    }
    customer.accounts.forEach((account, i) => {
      if (!account.sourceCustomerIds.includes(customer.sourceCustomerId)) {
        const message = 'must include the customer the account is listed under';
        report(ctx, { path: ['accounts', i, 'sourceCustomerIds'], message });
      }
    });
  });

export const createCustomersRequestSchema = z
  .object({
    customers: list(customerSchema)
      .min(1, 'must carry at least one customer')
      .max(MAX_CUSTOMERS_PER_CALL, `must carry at most ${MAX_CUSTOMERS_PER_CALL} customers`),
  })
  .superRefine((request, ctx) => {
    // UNKNOWN: a batch naming one sourceCustomerId twice; refused, since which copy wins is undefined.
    for (const i of repeats(request.customers.map((customer) => customer.sourceCustomerId))) {
      report(ctx, { path: ['customers', i, 'sourceCustomerId'], message: 'repeats a customer of this batch', code: 'TAKEN' });
    }
  });

export const createCustomersResponseSchema = z.object({ requestId: z.string().min(1) });

/** startSession per Cardlytics's generated spec: the body names who the session acts for. */
export const startSessionRequestSchema = z.object({
  sourceCustomerId: text,
  scopes: list(choice(SESSION_SCOPES)).min(1, 'must name at least one scope'),
  organizationId: text,
});

export const startSessionResponseSchema = z.object({ sessionToken: z.string().min(1) });

// UNKNOWN: the shape of a validationErrors item; a field path in request terms
// (`customers[3].accounts[0].cards[0].last4`) and a message, as Spring validation reports them.
export const validationErrorSchema = z.object({ field: z.string(), message: z.string() });

export const errorEnvelopeSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  validationErrors: z.array(validationErrorSchema).default([]),
  requestId: z.string().optional(),
});

export type CardlyticsCard = z.infer<typeof cardSchema>;
export type CardlyticsAccount = z.infer<typeof accountSchema>;
export type CardlyticsCustomer = z.infer<typeof customerSchema>;
export type CardlyticsCreateCustomersRequest = z.infer<typeof createCustomersRequestSchema>;
export type CardlyticsStartSessionRequest = z.infer<typeof startSessionRequestSchema>;
export type CardlyticsValidationError = z.infer<typeof validationErrorSchema>;
export type CardlyticsErrorEnvelope = z.output<typeof errorEnvelopeSchema>;
export type CardlyticsEnrollmentOptInStatus = (typeof ENROLLMENT_OPT_IN_STATUSES)[number];
export type CardlyticsAlertOptInStatus = (typeof ALERT_OPT_IN_STATUSES)[number];
export type CardlyticsTargetingIndicator = (typeof TARGETING_INDICATORS)[number];
