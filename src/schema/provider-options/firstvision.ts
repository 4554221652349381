import { builder } from '../../builder.js';
import { CONTACT_FLAGS } from '../../providers/firstvision/index.js';

export const FirstvisionContactFlag = builder.enumType('FirstvisionContactFlag', {
  description: 'FirstVision contact flag for one channel (ownerData *Flag: 0, 1 or 2).',
  values: {
    DO_NOT_CONTACT: { value: CONTACT_FLAGS[0], description: 'Flag 0: the customer may not be contacted this way.' },
    MAY_CONTACT: {
      value: CONTACT_FLAGS[1],
      description: 'Flag 1 when the customer has this channel on file, 0 when not.',
    },
    PREFERRED: {
      value: CONTACT_FLAGS[2],
      description: 'Flag 2: the customer prefers this channel. At most one channel may be preferred, and it must be on file.',
    },
  } as const,
});

export const FirstvisionContactPreferencesInput = builder.inputType('FirstvisionContactPreferencesInput', {
  description: 'How FirstVision may contact the customer, per channel. Each defaults to MAY_CONTACT.',
  fields: (t) => ({
    homePhone: t.field({ type: FirstvisionContactFlag, required: false, description: 'homePhoneFlag (phones.landline). Default MAY_CONTACT.' }),
    mobilePhone: t.field({ type: FirstvisionContactFlag, required: false, description: 'mobilePhoneFlag (phones.mobile). Default MAY_CONTACT.' }),
    employerPhone: t.field({
      type: FirstvisionContactFlag,
      required: false,
      description: 'employerPhoneFlag (phones.work). Default MAY_CONTACT.',
    }),
    email: t.field({ type: FirstvisionContactFlag, required: false, description: 'emailFlag (email). Default MAY_CONTACT.' }),
  }),
});

export const FirstvisionOptionsInput = builder.inputType('FirstvisionOptionsInput', {
  description:
    'FirstVision-only settings: the organization (bank) and product logo the customer belongs to, and customer-record fields the canonical model has no place for.',
  fields: (t) => ({
    organizationNumber: t.int({
      required: false,
      description: 'Organization number, 001–998. Default: the configured organization (PROVIDER_FIRSTVISION_ORGANIZATION_NUMBER; 970 in the sandbox).',
    }),
    logo: t.int({
      required: false,
      description: 'Product logo (at most 3 digits), used for number generation. Default: the configured logo (401 in the sandbox).',
    }),
    vipStatus: t.boolean({ required: false, description: 'VIP customer (vipStatus 1). Default false.' }),
    contactPreferences: t.field({
      type: FirstvisionContactPreferencesInput,
      required: false,
      description: 'Contact flag per channel. Default MAY_CONTACT for every channel.',
    }),
    smsOptIn: t.boolean({ required: false, description: 'The customer agreed to SMS (smsFlag 1); needs phones.mobile. Default false.' }),
    mailingList: t.boolean({ required: false, description: 'The customer wants to be on the mailing list. Default false.' }),
    contactIndicator: t.int({
      required: false,
      description: 'Contact restriction, 2 digits: 0 none, 1 do not telephone, 2 do not mail, 3 neither, 10–99 client-defined. Default 0.',
    }),
    dualCurrency: t.boolean({ required: false, description: 'Dual-currency billing (dualFlag 1). Default false.' }),
    sicCode: t.int({
      required: false,
      description: 'Standard Industrial Classification code (at most 6 digits). Default: not sent on create, 0 on update.',
    }),
    demographic1: t.string({ required: false, description: 'Client-defined demographic field 1, at most 20 characters. Default: not sent.' }),
    demographic2: t.string({ required: false, description: 'Client-defined demographic field 2, at most 20 characters. Default: not sent.' }),
    demographic3: t.string({ required: false, description: 'Client-defined demographic field 3, at most 20 characters. Default: not sent.' }),
    memo1: t.string({ required: false, description: 'Memo on the customer record, at most 60 characters. Default: not sent.' }),
    memo2: t.string({ required: false, description: 'Second memo, at most 60 characters. Default: not sent.' }),
  }),
});
