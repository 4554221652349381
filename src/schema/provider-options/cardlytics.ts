import { builder } from '../../builder.js';
import {
  ALERT_OPT_IN_STATUSES,
  ENROLLMENT_OPT_IN_STATUSES,
  TARGETING_INDICATORS,
} from '../../providers/cardlytics/index.js';

const CardlyticsEnrollmentOptInStatus = builder.enumType('CardlyticsEnrollmentOptInStatus', {
  description: 'Whether the customer takes part in the Cardlytics rewards programme.',
  values: ENROLLMENT_OPT_IN_STATUSES,
});

const CardlyticsAlertOptInStatus = builder.enumType('CardlyticsAlertOptInStatus', {
  description: 'Offer alerts the customer has opted in to; ALL covers every kind.',
  values: ALERT_OPT_IN_STATUSES,
});

const CardlyticsTargetingIndicator = builder.enumType('CardlyticsTargetingIndicator', {
  description: 'Whether Cardlytics may target offers at the customer.',
  values: TARGETING_INDICATORS,
});

export const CardlyticsOptionsInput = builder.inputType('CardlyticsOptionsInput', {
  description: 'Cardlytics enrollment of this customer. Every field is optional; absent fields take the stated default.',
  fields: (t) => ({
    organizationId: t.string({
      required: false,
      description: 'Cardlytics organization (a subsidiary of the institution). Default: the configured organization.',
    }),
    enrollmentOptInStatus: t.field({
      type: CardlyticsEnrollmentOptInStatus,
      required: false,
      description: 'Default: ACTIVE.',
    }),
    alertOptInStatus: t.field({
      type: [CardlyticsAlertOptInStatus],
      required: { list: false, items: true },
      description: 'At least one, no repeats. Default: [ALL].',
    }),
    targetingIndicator: t.field({
      type: CardlyticsTargetingIndicator,
      required: false,
      description: 'Default: TARGET.',
    }),
    enrollmentStartDate: t.field({
      type: 'DateTime',
      required: false,
      description: 'When enrollment starts. Default: when the customer was created.',
    }),
    enrollmentEndDate: t.field({
      type: 'DateTime',
      required: false,
      description: 'When enrollment ends; not before enrollmentStartDate. Default: none (open-ended).',
    }),
    portfolioId: t.string({
      required: false,
      description:
        'Cardlytics portfolio (sourcePortfolioId) for accounts that name no portfolioId. Default: the configured portfolio.',
    }),
  }),
});
