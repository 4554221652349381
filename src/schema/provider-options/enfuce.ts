import { builder } from '../../builder.js';
import { ENFUCE_RISK_SCORE_OPTIONS } from '../../providers/enfuce/options.js';

export const EnfuceRiskScore = builder.enumType('EnfuceRiskScore', {
  description: 'Enfuce risk grade, sent as High, Med, Low or Pep.',
  values: ENFUCE_RISK_SCORE_OPTIONS,
});

const EnfuceAdditionalValueInput = builder.inputType('EnfuceAdditionalValueInput', {
  description: 'A free key/value pair Enfuce stores with the customer (additionalValues).',
  fields: (t) => ({
    key: t.string({ required: true, description: '1–255 characters, unique within the list.' }),
    value: t.string({ required: true, description: 'At most 255 characters.' }),
  }),
});

export const EnfuceOptionsInput = builder.inputType('EnfuceOptionsInput', {
  description: 'Settings only Enfuce has; all optional.',
  fields: (t) => ({
    auditUser: t.string({
      required: false,
      description:
        'Who Enfuce logs as having made the change (auditUser) for an anonymous request; an authenticated caller is always logged as itself. Default: the configured default audit user.',
    }),
    riskScore: t.field({
      type: EnfuceRiskScore,
      required: false,
      description: 'Default: derived from customer.screening (pep: PEP, else riskScore LOW/MEDIUM/HIGH as LOW/MED/HIGH).',
    }),
    binSponsored: t.boolean({
      required: false,
      description:
        'The card is issued under Enfuce BIN sponsorship, which makes dateOfBirth, nationalities, a postal code and a risk score mandatory. Default: false.',
    }),
    additionalValues: t.field({
      type: [EnfuceAdditionalValueInput],
      required: false,
      description: 'At most 50 free key/value pairs (additionalValues). Default: none.',
    }),
  }),
});
