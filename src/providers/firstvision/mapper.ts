import countries from '../../country-codes.js';
import type { CanonicalAddress, CanonicalCustomer, CanonicalIdentity } from '../../domain/canonical-customer.js';
import type { InputPath } from '../../domain/user-error.js';
import { checkContract, Provenance } from '../provenance.js';
import type { CustomerRouting, Mapped, ProviderOutcome } from '../types.js';
import {
  addCustomerRequest,
  FUZZY_SWITCH,
  updateCustomerRequest,
  type AddCustomerRequest,
  type AddCustomerResponse,
  type CurrentPriorAddressResponse,
  type CustomerChannelVersion4Response,
  type CustomerLookupResponse,
  type CustomerToAccountInquiryResponse,
  type DemographicInquiryResponse,
  type UpdateCustomerRequest,
  type UpdateCustomerResponse,
} from './contract.js';
import type { ContactChannel, FirstvisionOptions } from './options.js';
import type {
  FirstvisionAccount,
  FirstvisionAddress,
  FirstvisionCard,
  FirstvisionDemographics,
  FirstvisionLookupCriteria,
  FirstvisionLookupMatch,
  FirstvisionMatchMode,
} from './read-model.js';

/**
 * Canonical customer → FirstVision AddCustomerRequest / UpdateCustomerRequest, FirstVision answers →
 * outcomes, and the read side's answers → canonical results (read-model.ts). Pure: no I/O, no clock.
 */

const PROVIDER = 'FIRSTVISION' as const;
const OPTIONS: InputPath = ['providerOptions', 'firstvision'];
const OWNER_DATA = ['customerData', 'ownerCoOwnerData', 'ownerData'] as const;

/** Values the adapter's settings supply when the caller's options leave them null. */
export interface MapperDefaults {
  organizationNumber: number;
}

type Operation = 'add' | 'update';

/**
 * One person's provider fields in AddCustomerRequest ownerData names, each with the caller's path
 * it comes from (recorded even when the value is absent, so a REQUIRED error still lands on the
 * caller's field), plus what could not be represented.
 */
class OwnerSheet {
  readonly values: Record<string, unknown> = {};
  readonly sources = new Map<string, InputPath>();
  readonly omitted: string[] = [];

  set(field: string, value: unknown, from: InputPath): void {
    this.sources.set(field, from);
    if (value !== undefined) this.values[field] = value;
  }

  omit(sentence: string): void {
    this.omitted.push(sentence);
  }
}

// ---- names ----------------------------------------------------------------------------------------

function mapName(sheet: OwnerSheet, customer: CanonicalCustomer, operation: Operation): void {
  const name = customer.name;
  if (customer.kind === 'BUSINESS') {
    // VisionPLUS carries a company's name as a name line typed 1 (business name).
    sheet.set('nameLine1', customer.businessName, ['customer', 'businessName']);
    sheet.set('nameTypeIndicator1', 1, ['customer', 'kind']);
    if (name) sheet.omit('name is not sent: for a BUSINESS customer FirstVision holds the business name (nameLine1), not a person’s name');
    return;
  }
  const from: InputPath = ['customer', 'name'];
  sheet.set('firstName', name?.first, [...from, 'first']);
  sheet.set('middleName', name?.middle, [...from, 'middle']);
  sheet.set('lastName', name?.last, [...from, 'last']);
  sheet.set('suffix', name?.suffix, [...from, 'suffix']);
  if (operation === 'update') sheet.set('title', name?.salutation, [...from, 'salutation']);
  else if (name?.salutation) sheet.omit(`name.salutation "${name.salutation}" is not sent: customer/add has no title field`);
  if (name?.title) sheet.omit(`name.title "${name.title}" is not sent: FirstVision has no field for an academic or professional title`);
}

// ---- address --------------------------------------------------------------------------------------

/**
 * FirstVision holds one address per customer; the canonical primary one is sent. Floor, apartment and
 * entrance share houseAddress3 and a PO box goes to houseAddress4, labelled, because FirstVision has
 * no separate fields for them.
 */
function mapAddress(sheet: OwnerSheet, customer: CanonicalCustomer): void {
  const index = customer.addresses.findIndex((address) => address.isPrimary);
  customer.addresses.forEach((address, i) => {
    if (i !== index) {
      sheet.omit(`addresses[${i}] (${address.kind}) is not sent: FirstVision keeps one address per customer, the primary one`);
    }
  });
  const address = customer.addresses[index];
  if (!address) {
    sheet.set('postalCode', undefined, ['customer', 'addresses']);
    return;
  }
  const at: InputPath = ['customer', 'addresses', index];
  sheet.set('houseAddress1', address.line1, [...at, 'line1']);
  sheet.set('houseAddress2', address.line2, [...at, 'line2']);
  sheet.set('houseNumber', address.buildingNumber, [...at, 'buildingNumber']);
  sheet.set('houseName', address.buildingName, [...at, 'buildingName']);
  mapUnitLines(sheet, address, at);
  sheet.set('city', address.city, [...at, 'city']);
  sheet.set('county', address.county, [...at, 'county']);
  mapState(sheet, address, at);
  sheet.set('postalCode', address.postalCode, [...at, 'postalCode']);
  sheet.set('countryCode', countries.alpha2ToAlpha3(address.country), [...at, 'country']);
  omitAddressExtras(sheet, address, index);
}

function mapUnitLines(sheet: OwnerSheet, address: CanonicalAddress, at: InputPath): void {
  const parts = (
    [
      ['floor', 'Floor'],
      ['apartment', 'Apt'],
      ['entrance', 'Entrance'],
    ] as const
  ).filter(([part]) => address[part] !== undefined);
  const unit = parts.map(([part, label]) => `${label} ${address[part]}`).join(', ');
  sheet.set('houseAddress3', unit || undefined, parts[0] ? [...at, parts[0][0]] : [...at, 'apartment']);
  sheet.set('houseAddress4', address.poBox === undefined ? undefined : `PO Box ${address.poBox}`, [...at, 'poBox']);
}

/** FirstVision's state is a code of at most 3 characters; a region name that is no such code cannot go there. */
function mapState(sheet: OwnerSheet, address: CanonicalAddress, at: InputPath): void {
  const region = address.region;
  if (region !== undefined && region.length > 3) {
    sheet.set('state', undefined, [...at, 'region']);
    sheet.omit(`${describe(at)}.region "${region}" is not sent: FirstVision's state takes a state code of at most 3 characters`);
    return;
  }
  sheet.set('state', region, [...at, 'region']);
}

function omitAddressExtras(sheet: OwnerSheet, address: CanonicalAddress, index: number): void {
  const extras = (['recipientName', 'company', 'validFrom', 'validUntil'] as const).filter((part) => address[part] !== undefined);
  if (extras.length > 0) {
    sheet.omit(`addresses[${index}] ${extras.join(', ')} ${extras.length === 1 ? 'is' : 'are'} not sent: FirstVision's address has no such fields`);
  }
}

// ---- phones, email and contact flags ------------------------------------------------------------------

function mapPhones(sheet: OwnerSheet, customer: CanonicalCustomer): void {
  const phones = customer.phones;
  const from: InputPath = ['customer', 'phones'];
  sheet.set('homePhoneNumber', phones?.landline, [...from, 'landline']);
  sheet.set('mobilePhoneNumber', phones?.mobile, [...from, 'mobile']);
  sheet.set('employerPhoneNumber', phones?.work, [...from, 'work']);
  // No canonical source: recorded so a fax rule still points at the caller's phones.
  sheet.set('homeFaxPhoneNumber', undefined, from);
  sheet.set('email', customer.email, ['customer', 'email']);
  if (phones?.additional) sheet.omit('phones.additional is not sent: FirstVision has home, mobile, employer and fax numbers only');
}

const CONTACT_CHANNEL_FIELDS: readonly { channel: ContactChannel; flag: string; has: (customer: CanonicalCustomer) => boolean }[] = [
  { channel: 'homePhone', flag: 'homePhoneFlag', has: (customer) => customer.phones?.landline !== undefined },
  { channel: 'mobilePhone', flag: 'mobilePhoneFlag', has: (customer) => customer.phones?.mobile !== undefined },
  { channel: 'employerPhone', flag: 'employerPhoneFlag', has: (customer) => customer.phones?.work !== undefined },
  { channel: 'email', flag: 'emailFlag', has: (customer) => customer.email !== undefined },
];

/**
 * Contact flags: 2 for the caller's PREFERRED channels, 0 for DO_NOT_CONTACT, and for MAY_CONTACT 1
 * when the channel is on file and 0 when it is not (a 1 without the number is refused by the host).
 * Fax is always 0: nothing canonical fills it.
 */
function mapContactFlags(sheet: OwnerSheet, customer: CanonicalCustomer, options: FirstvisionOptions): void {
  for (const { channel, flag, has } of CONTACT_CHANNEL_FIELDS) {
    const preference = options.contactPreferences[channel];
    const value = preference === 'PREFERRED' ? 2 : preference === 'DO_NOT_CONTACT' || !has(customer) ? 0 : 1;
    sheet.set(flag, value, [...OPTIONS, 'contactPreferences', channel]);
  }
  sheet.set('faxPhoneFlag', 0, ['customer', 'phones']);
  sheet.set('smsFlag', options.smsOptIn ? 1 : 0, [...OPTIONS, 'smsOptIn']);
}

// ---- identities ---------------------------------------------------------------------------------------

/** Which identity becomes identificationNumber (first listed wins), and its flag: 0 SSN, 1 tax id, 2 other. */
const IDENTIFICATION_FLAGS: readonly [CanonicalIdentity['type'], number][] = [
  ['SSN', 0],
  ['TAX_ID', 1],
  ['NATIONAL_ID', 2],
  ['PASSPORT', 2],
  ['RESIDENCE_PERMIT', 2],
];

function mapIdentities(sheet: OwnerSheet, customer: CanonicalCustomer): void {
  const identities = customer.identities;
  const chosen = pickIdentification(identities);
  const licence = identities.findIndex((identity) => identity.type === 'DRIVING_LICENSE');
  if (chosen) {
    const { index, flag } = chosen;
    const identity = identities[index]!;
    const at: InputPath = ['customer', 'identities', index];
    // An SSN's dashes and spaces are formatting; the host wants its 9 digits first.
    const number = flag === 0 ? identity.number.replace(/[\s-]/g, '') : identity.number;
    sheet.set('identificationNumber', number, [...at, 'number']);
    sheet.set('identificationNumberFlag', flag, [...at, 'type']);
    omitIdentityDetails(sheet, identity, index, ['issuingCountry', 'issuedOn', 'expiresOn']);
  } else {
    sheet.set('identificationNumber', undefined, ['customer', 'identities']);
  }
  if (licence >= 0) {
    const identity = identities[licence]!;
    const at: InputPath = ['customer', 'identities', licence];
    sheet.set('driverLicenseNumber', identity.number, [...at, 'number']);
    sheet.set('driverLicenseCountry', countries.alpha2ToAlpha3(identity.issuingCountry), [...at, 'issuingCountry']);
    omitIdentityDetails(sheet, identity, licence, ['issuedOn', 'expiresOn']);
  }
  identities.forEach((identity, i) => {
    if (i === chosen?.index || i === licence) return;
    sheet.omit(
      identity.type === 'DRIVING_LICENSE' || IDENTIFICATION_FLAGS.some(([type]) => type === identity.type)
        ? `identities[${i}] (${identity.type}) is not sent: FirstVision holds one identification number and one driver licence`
        : `identities[${i}] (${identity.type}) is not sent: FirstVision has no field for it`,
    );
  });
}

function pickIdentification(identities: readonly CanonicalIdentity[]): { index: number; flag: number } | undefined {
  for (const [type, flag] of IDENTIFICATION_FLAGS) {
    const index = identities.findIndex((identity) => identity.type === type);
    if (index >= 0) return { index, flag };
  }
  return undefined;
}

function omitIdentityDetails(
  sheet: OwnerSheet,
  identity: CanonicalIdentity,
  index: number,
  details: readonly ('issuingCountry' | 'issuedOn' | 'expiresOn')[],
): void {
  const left = details.filter((detail) => identity[detail] !== undefined);
  if (left.length > 0) {
    sheet.omit(`identities[${index}] (${identity.type}) ${left.join(', ')} ${left.length === 1 ? 'is' : 'are'} not sent: FirstVision keeps only the number`);
  }
}

// ---- personal data and option fields ------------------------------------------------------------------

const GENDER_CODES = { UNSPECIFIED: 0, MALE: 1, FEMALE: 2 } as const;

/**
 * UNKNOWN: FirstVision's list of languageIndicator values; the seed shows ENG and the docs SPA, so we
 * send upper-case ISO 639-2/T codes for these languages and leave others out (with a note).
 */
const LANGUAGE_CODES: Readonly<Record<string, string>> = {
  ar: 'ARA', ca: 'CAT', cs: 'CES', da: 'DAN', de: 'DEU', el: 'ELL', en: 'ENG', es: 'SPA', et: 'EST', fi: 'FIN',
  fr: 'FRA', he: 'HEB', hu: 'HUN', it: 'ITA', ja: 'JPN', ko: 'KOR', lt: 'LIT', lv: 'LAV', nb: 'NOB', nl: 'NLD',
  no: 'NOR', pl: 'POL', pt: 'POR', ro: 'RON', ru: 'RUS', sv: 'SWE', tr: 'TUR', uk: 'UKR', zh: 'ZHO',
};

function mapPersonal(sheet: OwnerSheet, customer: CanonicalCustomer): void {
  sheet.set('dateOfBirth', customer.dateOfBirth, ['customer', 'dateOfBirth']);
  sheet.set('genderCode', customer.gender === undefined ? undefined : GENDER_CODES[customer.gender], ['customer', 'gender']);
  const language = customer.locale?.split('_')[0];
  const code = language === undefined ? undefined : LANGUAGE_CODES[language];
  sheet.set('languageIndicator', code, ['customer', 'locale']);
  if (language !== undefined && code === undefined) {
    sheet.omit(`locale ${customer.locale} is not sent: no FirstVision language code is known for "${language}"`);
  }
}

function mapOptionFields(sheet: OwnerSheet, options: FirstvisionOptions): void {
  sheet.set('mailingList', options.mailingList ? '1' : '0', [...OPTIONS, 'mailingList']);
  sheet.set('contactIndicator', options.contactIndicator, [...OPTIONS, 'contactIndicator']);
  for (const field of ['demographic1', 'demographic2', 'demographic3', 'memo1', 'memo2'] as const) {
    sheet.set(field, options[field] ?? undefined, [...OPTIONS, field]);
  }
}

/** Canonical items FirstVision's customer record has no place for. */
function omitUnrepresented(sheet: OwnerSheet, customer: CanonicalCustomer): void {
  if (customer.nationalities.length > 0) sheet.omit('nationalities are not sent: FirstVision has no nationality field');
  if (customer.currency) sheet.omit(`currency ${customer.currency} is not sent: FirstVision sets currencies per account and organization`);
  if (customer.screening) sheet.omit('screening is not sent: FirstVision has no PEP, sanctions or risk fields');
  if (customer.parentId) sheet.omit('parentId is not sent: FirstVision customers have no parent customer');
}

function ownerSheet(routing: CustomerRouting<FirstvisionOptions>, operation: Operation): OwnerSheet {
  const sheet = new OwnerSheet();
  const { customer, options } = routing;
  mapName(sheet, customer, operation);
  mapAddress(sheet, customer);
  mapPhones(sheet, customer);
  mapContactFlags(sheet, customer, options);
  mapIdentities(sheet, customer);
  mapPersonal(sheet, customer);
  mapOptionFields(sheet, options);
  omitUnrepresented(sheet, customer);
  return sheet;
}

// ---- POST /customer/ --------------------------------------------------------------------------------

/**
 * The one account customer/add carries: the first whose number is exactly 19 characters (FirstVision's
 * length). The others, and every account's other details, are left out with a note.
 */
function pickAccount(customer: CanonicalCustomer, omitted: string[]): number {
  const index = customer.accounts.findIndex((account) => account.accountNumber.length === 19);
  customer.accounts.forEach((account, i) => {
    if (i !== index) {
      omitted.push(`accounts[${i}] (${account.accountNumber}) is not sent: customer/add carries one account number of 19 characters`);
    } else {
      omitted.push(`accounts[${i}] is sent by number only: its type, status, dates and cards have no place in customer/add`);
    }
  });
  return index;
}

/**
 * Builds the AddCustomerRequest for `POST /customer/` and checks it against FirstVision's contract.
 * @example const mapped = mapAddCustomer(routing, { organizationNumber: 970 });
 */
export function mapAddCustomer(routing: CustomerRouting<FirstvisionOptions>, defaults: MapperDefaults): Mapped<AddCustomerRequest> {
  const { customer, options } = routing;
  const sheet = ownerSheet(routing, 'add');
  const provenance = new Provenance(['customer']);
  const accountIndex = pickAccount(customer, sheet.omitted);
  if (customer.status === 'SUSPENDED') {
    sheet.omit('status SUSPENDED is not sent: customer/add takes no customer status; suspend with an update');
  }
  const keyData = {
    organizationNumber: options.organizationNumber ?? defaults.organizationNumber,
    customerNumber: routing.customerNumber,
    accountNumber: customer.accounts[accountIndex]?.accountNumber,
    coOwnerIndicator: 1,
    dualFlag: options.dualCurrency ? '1' : '0',
  };
  const key = ['customerData', 'customerKeyData'];
  provenance
    .set([...key, 'organizationNumber'], [...OPTIONS, 'organizationNumber'])
    .set([...key, 'customerNumber'], ['customer', 'customerNumber'])
    .set([...key, 'accountNumber'], accountIndex >= 0 ? ['customer', 'accounts', accountIndex, 'accountNumber'] : ['customer', 'accounts'])
    .set([...key, 'dualFlag'], [...OPTIONS, 'dualCurrency'])
    .set(['customerData', 'customerMiscellaneousData', 'vipStatus'], [...OPTIONS, 'vipStatus'])
    .set(['customerData', 'customerMiscellaneousData', 'sicCode'], [...OPTIONS, 'sicCode']);
  for (const [field, from] of sheet.sources) provenance.set([...OWNER_DATA, field], from);
  const request = {
    customerData: {
      customerKeyData: keyData,
      customerMiscellaneousData: { vipStatus: options.vipStatus ? 1 : 0, ...(options.sicCode === null ? {} : { sicCode: options.sicCode }) },
      ownerCoOwnerData: { ownerData: sheet.values, coOwnerData: {} },
    },
    resvData: {},
  };
  return finish(addCustomerRequest, request, provenance, sheet.omitted);
}

// ---- PUT /customer/ ---------------------------------------------------------------------------------

/** ownerData names that the flat UpdateCustomerRequest spells differently. */
const UPDATE_FIELD_NAMES: Readonly<Record<string, string>> = {
  homePhoneFlag: 'homePhoneIndicator',
  faxPhoneFlag: 'faxPhoneIndicator',
  mobilePhoneFlag: 'mobilePhoneIndicator',
  emailFlag: 'emailIndicator',
  smsFlag: 'smsIndicator',
  homeFaxPhoneNumber: 'faxPhoneNumber',
  identificationNumber: 'taxIdNumber',
  identificationNumberFlag: 'taxIdType',
  demographic1: 'userDemographic1',
  demographic2: 'userDemographic2',
  demographic3: 'userDemographic3',
};
const DRIVER_LICENSE_FIELDS = new Set(['driverLicenseNumber', 'driverLicenseState', 'driverLicenseCountry']);

/**
 * Fields the update fills from the canonical customer. The update carries the whole merged customer,
 * so a value the customer no longer has is sent blank, as the seed's update template does.
 * UNKNOWN: whether FirstVision clears a field sent as "" or leaves it; we assume it clears (the
 * simulator does), which keeps the provider's record equal to ours.
 */
const UPDATE_BLANK_WHEN_ABSENT = [
  'firstName', 'middleName', 'lastName', 'suffix', 'title', 'houseNumber', 'houseName', 'houseAddress1',
  'houseAddress2', 'houseAddress3', 'houseAddress4', 'city', 'state', 'county', 'countryCode', 'homePhoneNumber',
  'mobilePhoneNumber', 'employerPhoneNumber', 'email', 'dateOfBirth', 'languageIndicator', 'taxIdNumber',
] as const;

/**
 * UNKNOWN: update's status is "0, 1 or 2" (VPL5SGC09E) with no published meanings, and one of them is
 * purge (VPL5SGC33E); we send 0 for ACTIVE and 1 for SUSPENDED, and never 2.
 */
const UPDATE_STATUS = { ACTIVE: 0, SUSPENDED: 1 } as const;

/**
 * Builds the UpdateCustomerRequest for `PUT /customer/` (numberType 1: by customer number, owner
 * demographics) and checks it against FirstVision's contract.
 * @example const mapped = mapUpdateCustomer(routing, { organizationNumber: 970 });
 */
export function mapUpdateCustomer(
  routing: CustomerRouting<FirstvisionOptions>,
  defaults: MapperDefaults,
): Mapped<UpdateCustomerRequest> {
  const { options } = routing;
  const sheet = ownerSheet(routing, 'update');
  const provenance = new Provenance(['customer']);
  const owner: Record<string, unknown> = {};
  const driverLicense: Record<string, unknown> = {};
  for (const [field, from] of sheet.sources) {
    const name = UPDATE_FIELD_NAMES[field] ?? field;
    provenance.set(DRIVER_LICENSE_FIELDS.has(field) ? ['driverLicense', field] : [name], from);
  }
  for (const [field, value] of Object.entries(sheet.values)) {
    if (DRIVER_LICENSE_FIELDS.has(field)) driverLicense[field] = value;
    else owner[UPDATE_FIELD_NAMES[field] ?? field] = value;
  }
  for (const field of UPDATE_BLANK_WHEN_ABSENT) owner[field] ??= '';
  const sendsUserData = ['userDemographic1', 'userDemographic2', 'userDemographic3'].some((field) => owner[field] !== undefined);
  provenance
    .set(['organizationNumber'], [...OPTIONS, 'organizationNumber'])
    .set(['customerNumber'], ['customer', 'customerNumber'])
    .set(['vipStatus'], [...OPTIONS, 'vipStatus'])
    .set(['sicCode'], [...OPTIONS, 'sicCode'])
    .set(['status'], ['customer', 'status']);
  const request = {
    organizationNumber: options.organizationNumber ?? defaults.organizationNumber,
    customerNumber: routing.externalId ?? routing.customerNumber,
    numberType: '1',
    demographicDataIndicator: '1',
    ...(sendsUserData ? { userDataIndicator: '1' } : {}),
    vipStatus: options.vipStatus ? 1 : 0,
    status: UPDATE_STATUS[routing.customer.status],
    // Required by the update; 0 = no classification when the caller gives none.
    sicCode: options.sicCode ?? 0,
    ...owner,
    driverLicense,
    carrierRoute: {},
  };
  return finish(updateCustomerRequest, request, provenance, sheet.omitted);
}

function finish<R>(
  schema: typeof addCustomerRequest | typeof updateCustomerRequest,
  request: object,
  provenance: Provenance,
  omitted: string[],
): Mapped<R> {
  const errors = checkContract(PROVIDER, schema, request, provenance);
  // checkContract has just validated the shape, so the object is the request type.
  return errors.length > 0 ? { ok: false, errors } : { ok: true, request: request as R, omitted };
}

function describe(path: InputPath): string {
  return path.slice(1).reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part), '');
}

// ---- answers ----------------------------------------------------------------------------------------

/** A customer/add answer: the customer number FirstVision holds the customer under is its id there. */
export function outcomeFromAdd(response: AddCustomerResponse, requestId: string): ProviderOutcome {
  return { status: 'SYNCED', externalId: response.customerNumber, requestId, error: null };
}

export function outcomeFromUpdate(response: UpdateCustomerResponse, requestId: string): ProviderOutcome {
  return { status: 'SYNCED', externalId: response.outputArea.customerNumber, requestId, error: null };
}

// ---- read side: FirstVision answers → canonical results ------------------------------------------------

/** VisionPLUS pads fixed fields with spaces; a blank field is an absent value. */
function present(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** An ISO alpha-3 country as FirstVision keeps it → alpha-2; null when absent or not a country. */
function alpha2(code: string | undefined): string | null {
  const value = present(code);
  return value === null ? null : (countries.alpha3ToAlpha2(value.toUpperCase()) ?? null);
}

export function accountFromRow(row: CustomerToAccountInquiryResponse['acctTable'][number]): FirstvisionAccount {
  return {
    organizationNumber: row.organizationNumber,
    accountNumber: row.accountNumber,
    associationType: row.associationType === undefined ? null : String(row.associationType),
    logo: row.logo ?? null,
    logoDescription: present(row.logoDescription),
    organizationName: present(row.organizationName),
    internalStatus: present(row.accountInternalStatus),
  };
}

/**
 * The card network from the IIN's leading digits: 4 Visa; 51–55 and 2221–2720 Mastercard; 34 and
 * 37 American Express; 6011, 64 and 65 Discover; anything else OTHER.
 * @example networkOfIin('222100') // 'MASTERCARD'
 */
export function networkOfIin(iin: string): FirstvisionCard['network'] {
  const two = Number(iin.slice(0, 2));
  const four = Number(iin.slice(0, 4));
  if (iin.startsWith('4')) return 'VISA';
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'MASTERCARD';
  if (two === 34 || two === 37) return 'AMEX';
  if (four === 6011 || two === 64 || two === 65) return 'DISCOVER';
  return 'OTHER';
}

/** See cardBlockCode in contract.ts: blank active, C closed, any other block code blocked. */
function cardStatus(blockCode: string | undefined): FirstvisionCard['status'] {
  const code = present(blockCode);
  if (code === null) return 'ACTIVE';
  return code.toUpperCase() === 'C' ? 'CLOSED' : 'BLOCKED';
}

/**
 * One card row as customer-graph may hold it: last 4 digits and the 6-digit IIN, never the card
 * number itself (FirstVision sends the full PAN; nothing past this function sees it).
 * UNKNOWN: the card rows carry no product type; it belongs to the account's logo, so `type` is null.
 */
export function cardFromRow(row: CustomerChannelVersion4Response['cardTable'][number]): FirstvisionCard {
  const iin = row.cardNumber.slice(0, 6);
  const expiry = present(row.cardExpireDate);
  return {
    accountNumber: row.accountNumber,
    last4: row.cardNumber.slice(-4),
    iin,
    network: networkOfIin(iin),
    type: null,
    status: cardStatus(row.cardBlockCode),
    expiresOn: expiry === null ? null : expiry.slice(0, 7),
  };
}

const GENDERS: Readonly<Record<number, FirstvisionDemographics['gender']>> = { 0: 'UNSPECIFIED', 1: 'MALE', 2: 'FEMALE' };

/** The owner's demographics (nameAddrData sequence 1; the first entry when none is numbered 1). */
export function demographicsFromResponse(response: DemographicInquiryResponse): FirstvisionDemographics {
  const owner = response.nameAddrData.find((person) => person.sequence === 1) ?? response.nameAddrData[0];
  const names = owner?.nameAddressData;
  const vip = present(response.vipStatus);
  return {
    firstName: present(names?.firstName),
    middleName: present(names?.middleName),
    lastName: present(names?.lastName),
    nameLine1: present(names?.nameLine1),
    dateOfBirth: present(owner?.dateOfBirth),
    gender: names?.genderCode === undefined ? null : (GENDERS[names.genderCode] ?? null),
    email: present(owner?.email),
    homePhone: present(owner?.homePhoneNumber),
    mobilePhone: present(owner?.mobilePhoneNumber),
    employerPhone: present(owner?.employerPhoneNumber),
    language: present(owner?.languageIndicator),
    employerName: present(owner?.employerName),
    demographics: [owner?.demographic1, owner?.demographic2, owner?.demographic3].flatMap((value) => present(value) ?? []),
    vip: vip === '1' ? true : vip === '0' ? false : null,
  };
}

function lines(...values: (string | undefined)[]): string[] {
  return values.flatMap((value) => present(value) ?? []);
}

/**
 * The owner's current address, then the prior mailing addresses, most recent first.
 * FirstVision's prior mailer has no country field, so a prior address's country is null.
 */
export function addressesFromResponse(response: CurrentPriorAddressResponse): FirstvisionAddress[] {
  const current = (response.customerData.nameAddressTable ?? []).slice(0, 1).map((entry): FirstvisionAddress => {
    const address = entry.addressData;
    return {
      period: 'CURRENT',
      lines: lines(address?.houseName, address?.addressLine1, address?.addressLine2, address?.addressLine3, address?.addressLine4),
      houseNumber: present(address?.houseNumber),
      city: present(address?.city),
      region: present(address?.stateProvince),
      postalCode: present(entry.postalCode),
      country: alpha2(entry.countryCode),
    };
  });
  const prior = [...(response.customerData.priorMailerData?.priorMailer ?? [])]
    .sort((a, b) => (present(b.pmDate) ?? '').localeCompare(present(a.pmDate) ?? ''))
    .map(
      (mailer): FirstvisionAddress => ({
        period: 'PRIOR',
        lines: lines(mailer.pmHouseName, mailer.pmAddressLine1, mailer.pmAddressLine2, mailer.pmAddressLine3, mailer.pmAddressLine4),
        houseNumber: present(mailer.pmHouseNumber),
        city: present(mailer.pmCity),
        region: present(mailer.pmStateProvince),
        postalCode: present(mailer.pmPostalCode),
        country: null,
      }),
    );
  return [...current, ...prior];
}

/** Match mode → fuzzy switch; EXACT is "drill down" (see FUZZY_SWITCH in contract.ts). */
export const FUZZY_SWITCH_OF_MODE: Readonly<Record<FirstvisionMatchMode, number>> = {
  EXACT: FUZZY_SWITCH.DRILL_DOWN,
  BEGINS_WITH: FUZZY_SWITCH.BEGINS_WITH,
  ENDS_WITH: FUZZY_SWITCH.ENDS_WITH,
  FUZZY: FUZZY_SWITCH.ANY_FUZZY,
};

/**
 * The customer/lookup body for one page. Every criterion must hold: optional fields are matched
 * all together (optionalDataMatch 1); date of birth and country are exact (drill down).
 * Returns a reason instead when a criterion cannot be expressed in FirstVision's terms.
 */
export function lookupRequest(
  criteria: FirstvisionLookupCriteria,
  page: { numberOfRecords: number; startToken: string | null },
): { ok: true; body: Record<string, unknown> } | { ok: false; reason: string } {
  const countryCode = criteria.country === undefined ? undefined : countries.alpha2ToAlpha3(criteria.country.toUpperCase());
  if (criteria.country !== undefined && countryCode === undefined) {
    return { ok: false, reason: `country "${criteria.country}" is not an ISO 3166-1 alpha-2 code` };
  }
  const primary = {
    lastBusinessName: criteria.lastName?.value,
    identifier: criteria.identifier?.value,
    phoneNumber: criteria.phoneNumber?.value,
    postalCode: criteria.postalCode?.value,
  };
  const option = (criterion: { value: string } | undefined) => (criterion === undefined ? 0 : 1);
  const fuzzy = (name: string, criterion: { mode: FirstvisionMatchMode } | undefined) =>
    criterion === undefined ? {} : { [name]: FUZZY_SWITCH_OF_MODE[criterion.mode] };
  return {
    ok: true,
    body: {
      numberOfRecords: page.numberOfRecords,
      primarySearchData: primary,
      optionalSearchData: { firstName: criteria.firstName?.value, dateOfBirth: criteria.dateOfBirth, countryCode },
      requestOptionData: {
        lastNameOption: option(criteria.lastName),
        identifierOption: option(criteria.identifier),
        phoneNumberOption: option(criteria.phoneNumber),
        postalCodeOption: option(criteria.postalCode),
      },
      optionalDataMatch: 1,
      returnDataOption: '0',
      organizationNumber: criteria.organizationNumber,
      ...(page.startToken === null ? {} : { serviceFunctionCode: 'N', startToken: page.startToken }),
      ...fuzzy('lastNameFuzzySwitch', criteria.lastName),
      ...fuzzy('identifierFuzzySwitch', criteria.identifier),
      ...fuzzy('phoneFuzzySwitch', criteria.phoneNumber),
      ...fuzzy('postalFuzzySwitch', criteria.postalCode),
      ...fuzzy('firstNameFuzzySwitch', criteria.firstName),
      ...(countryCode === undefined ? {} : { countryFuzzySwitch: FUZZY_SWITCH.DRILL_DOWN }),
    },
  };
}

export function lookupMatchFromRow(row: CustomerLookupResponse['customerTable'][number]): FirstvisionLookupMatch {
  return {
    organizationNumber: row.organizationNumber,
    customerNumber: row.customerNumber,
    firstName: present(row.firstName),
    lastName: present(row.lastBusinessName),
    dateOfBirth: present(row.dateOfBirth),
    postalCode: present(row.postalCode),
  };
}
