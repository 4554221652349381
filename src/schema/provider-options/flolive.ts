import { builder } from '../../builder.js';
import {
  FLOLIVE_CONTACT_ROLES,
  FLOLIVE_CONTACT_TYPES,
  FLOLIVE_CUSTOMER_STATUSES,
  FLOLIVE_DELIVERY_METHODS,
  FLOLIVE_MFA_CONFIGURATIONS,
  FLOLIVE_PAYMENT_DUE_UNITS,
  INVOICE_TEXT_MAX_BYTES,
} from '../../providers/flolive/index.js';

export const FloliveCustomerStatus = builder.enumType('FloliveCustomerStatus', {
  description: 'Initial lifecycle status of the customer at floLIVE.',
  values: FLOLIVE_CUSTOMER_STATUSES,
});

export const FloliveContactRole = builder.enumType('FloliveContactRole', {
  description: 'SELFCARE: the contact may enter floLIVE’s self-care application; NONE: it may not.',
  values: FLOLIVE_CONTACT_ROLES,
});

export const FloliveContactType = builder.enumType('FloliveContactType', {
  description: 'Whether the contact owns the customer account or is a member of it.',
  values: FLOLIVE_CONTACT_TYPES,
});

export const FloliveMfaConfiguration = builder.enumType('FloliveMfaConfiguration', {
  description: 'MANDATORY: MFA always on; ENABLED: on by default, may be turned off; DISABLED: off.',
  values: FLOLIVE_MFA_CONFIGURATIONS,
});

export const FloliveInvoiceDeliveryMethod = builder.enumType('FloliveInvoiceDeliveryMethod', {
  values: FLOLIVE_DELIVERY_METHODS,
});

export const FlolivePaymentDueUnit = builder.enumType('FlolivePaymentDueUnit', {
  values: FLOLIVE_PAYMENT_DUE_UNITS,
});

export const FloliveInvoiceConfigurationInput = builder.inputType('FloliveInvoiceConfigurationInput', {
  description: 'floLIVE invoice settings. When the whole object is absent, floLIVE applies its own default configuration.',
  fields: (t) => ({
    deliveryMethod: t.field({ type: FloliveInvoiceDeliveryMethod, required: false, description: 'Default: floLIVE’s.' }),
    paymentDueAfterInvoiceIssued: t.int({
      required: false,
      description: 'Payment is due this many paymentDueUnits after the invoice is issued (0 or more). Default: floLIVE’s.',
    }),
    paymentDueUnits: t.field({
      type: FlolivePaymentDueUnit,
      required: false,
      description: 'Unit of paymentDueAfterInvoiceIssued; required when that is given. No default.',
    }),
    vat: t.float({ required: false, description: 'Fixed tax percentage, 0 or more. Default: floLIVE’s.' }),
    invoiceText: t.string({
      required: false,
      description: `Free text on the invoice, at most ${INVOICE_TEXT_MAX_BYTES} bytes in UTF-8 (multi-byte characters count several times). Default: none.`,
    }),
  }),
});

export const FloliveOptionsInput = builder.inputType('FloliveOptionsInput', {
  description: 'Settings only floLIVE has; all optional.',
  fields: (t) => ({
    status: t.field({
      type: FloliveCustomerStatus,
      required: false,
      description: 'Default: from customer.status (ACTIVE → ACTIVE, SUSPENDED → SUSPEND).',
    }),
    currency: t.field({
      type: 'Currency',
      required: false,
      description: 'The customer’s currency at floLIVE, where it is mandatory. Default: customer.currency.',
    }),
    contactRole: t.field({ type: FloliveContactRole, required: false, description: 'Default: NONE.' }),
    contactType: t.field({ type: FloliveContactType, required: false, description: 'Default: MEMBER.' }),
    mfaConfiguration: t.field({ type: FloliveMfaConfiguration, required: false, description: 'Default: MANDATORY.' }),
    allowOfferDelegation: t.boolean({
      required: false,
      description: 'The customer may attach its parent’s packages and plans to its subscribers. Default: false.',
    }),
    isAllowedImeiLock: t.boolean({
      required: false,
      description: 'The customer may enable SIM-to-device (IMEI) locking. Default: false.',
    }),
    vatRegistrationNumber: t.string({ required: false, description: 'Tax registration number. Default: none.' }),
    invoiceConfiguration: t.field({
      type: FloliveInvoiceConfigurationInput,
      required: false,
      description: 'Default: none sent; floLIVE applies its own invoice configuration.',
    }),
  }),
});
