import { builder } from '../builder.js';
import {
  AccountStatus,
  AccountType,
  AddressKind,
  CardNetwork,
  CardStatus,
  CardType,
  CustomerKind,
  CustomerStatus,
  Gender,
  IdentityType,
  RiskScore,
} from './enums.js';

/**
 * The customer input shared by customerCreate, customerUpdate and customersImport. GraphQL checks
 * the shape and scalars; the canonical model (src/domain/canonical-customer.ts) checks the rules and
 * reports them as userErrors at these paths.
 */

const PersonNameInput = builder.inputType('PersonNameInput', {
  fields: (t) => ({
    salutation: t.string({ description: 'e.g. Mr, Ms.' }),
    title: t.string({ description: 'e.g. Dr, Prof.' }),
    first: t.string({ description: 'Required for PRIVATE customers.' }),
    middle: t.string(),
    last: t.string({ description: 'Required for PRIVATE customers.' }),
    suffix: t.string(),
  }),
});

const PhonesInput = builder.inputType('PhonesInput', {
  description: 'International E.164 numbers with the leading +, e.g. +358401234567.',
  fields: (t) => ({
    mobile: t.field({ type: 'PhoneNumber' }),
    landline: t.field({ type: 'PhoneNumber' }),
    additional: t.field({ type: 'PhoneNumber' }),
    work: t.field({ type: 'PhoneNumber' }),
  }),
});

const IdentityInput = builder.inputType('IdentityInput', {
  fields: (t) => ({
    type: t.field({ type: IdentityType, required: true }),
    number: t.string({ required: true }),
    issuingCountry: t.field({ type: 'CountryCode', required: true }),
    issuedOn: t.field({ type: 'Date' }),
    expiresOn: t.field({ type: 'Date' }),
  }),
});

const AddressInput = builder.inputType('AddressInput', {
  fields: (t) => ({
    kind: t.field({ type: AddressKind, description: 'Default RESIDENTIAL.' }),
    line1: t.string({ required: true, description: 'Street name (or the first street line).' }),
    line2: t.string(),
    buildingNumber: t.string(),
    buildingName: t.string(),
    floor: t.string(),
    apartment: t.string(),
    entrance: t.string(),
    poBox: t.string(),
    city: t.string({ required: true }),
    county: t.string(),
    region: t.string({ description: 'State, province or region; for US and CA the ISO 3166-2 subdivision code, e.g. CA.' }),
    postalCode: t.string(),
    country: t.field({ type: 'CountryCode', required: true }),
    validFrom: t.field({ type: 'Date' }),
    validUntil: t.field({ type: 'Date' }),
    isPrimary: t.boolean({ description: 'At most one; when none is marked, the first address is primary.' }),
    recipientName: t.string(),
    company: t.string(),
  }),
});

const ScreeningInput = builder.inputType('ScreeningInput', {
  fields: (t) => ({
    pep: t.boolean({ description: 'Politically exposed person.' }),
    sanctions: t.boolean(),
    riskScore: t.field({ type: RiskScore }),
  }),
});

const CardInput = builder.inputType('CardInput', {
  description: 'A card: last four digits and IIN only. Never send a full card number.',
  fields: (t) => ({
    last4: t.string({ required: true }),
    iin: t.string({ required: true, description: 'The first 6 to 8 digits; must fit the network.' }),
    type: t.field({ type: CardType, required: true }),
    status: t.field({ type: CardStatus, description: 'Default ACTIVE.' }),
    network: t.field({ type: CardNetwork, required: true }),
    openedOn: t.field({ type: 'Date' }),
    closedOn: t.field({ type: 'Date' }),
  }),
});

const AccountInput = builder.inputType('AccountInput', {
  description: 'An account the customer opens as its primary holder.',
  fields: (t) => ({
    accountNumber: t.string({ required: true }),
    type: t.field({ type: AccountType, required: true }),
    status: t.field({ type: AccountStatus, description: 'Default OPEN.' }),
    currency: t.field({ type: 'Currency', description: "Default: the customer's currency." }),
    openedOn: t.field({ type: 'Date' }),
    closedOn: t.field({ type: 'Date' }),
    portfolioId: t.string(),
    cards: t.field({ type: [CardInput] }),
  }),
});

export const CustomerInput = builder.inputType('CustomerInput', {
  description: 'A customer. In customerUpdate, absent or null fields keep their stored value and a given list replaces the stored list.',
  fields: (t) => ({
    customerNumber: t.string({ description: 'Unique, 1–32 letters or digits; generated (19 digits) when absent.' }),
    kind: t.field({ type: CustomerKind, description: 'Default PRIVATE.' }),
    status: t.field({ type: CustomerStatus, description: 'Default ACTIVE.' }),
    name: t.field({ type: PersonNameInput, description: 'first and last are required for PRIVATE customers.' }),
    businessName: t.string({ description: 'Required for BUSINESS customers.' }),
    dateOfBirth: t.field({ type: 'Date' }),
    gender: t.field({ type: Gender }),
    locale: t.field({ type: 'Locale' }),
    currency: t.field({ type: 'Currency' }),
    email: t.field({ type: 'EmailAddress' }),
    phones: t.field({ type: PhonesInput }),
    nationalities: t.field({ type: ['CountryCode'] }),
    identities: t.field({ type: [IdentityInput] }),
    addresses: t.field({ type: [AddressInput] }),
    screening: t.field({ type: ScreeningInput }),
    parentId: t.id({ description: 'Makes this a sub-customer of another customer (floLIVE hierarchy, Cardlytics parent).' }),
    accounts: t.field({ type: [AccountInput] }),
  }),
});
