import countries from '../../country-codes.js';
import type { CanonicalAddress, CanonicalCustomer, CanonicalIdentity } from '../../domain/canonical-customer.js';
import type { InputPath } from '../../domain/user-error.js';
import { checkContract, Provenance } from '../provenance.js';
import type { CustomerRouting, Mapped, ProviderOutcome } from '../types.js';
import {
  floliveCreateCustomerRequest,
  type FloliveAddress,
  type FloliveContact,
  type FloliveCreateCustomerAck,
  type FloliveCreateCustomerRequest,
  type FloliveIdentity,
  type FloliveInvoiceConfiguration,
} from './contract.js';
import type { FloliveOptions } from './options.js';

/**
 * Canonical customer → floLIVE Create Customer, and floLIVE's ACK → outcome. Pure: no I/O, no clock.
 */

/** One create call: the body, and the floLIVE customer it is created under (always the requester). */
export interface FloliveCreateCall {
  parentCustomerId: string;
  body: FloliveCreateCustomerRequest;
}

const OPTIONS = ['providerOptions', 'flolive'] as const;

/** What every part of the mapping shares: where each field came from, and what was left out. */
interface Draft {
  from: Provenance;
  omitted: string[];
}

/**
 * Maps one customer to floLIVE. `requesterCustomerId` is the floLIVE customer our credentials belong
 * to: floLIVE lets it create only its own direct sub-customers, so that is where every customer goes.
 * @example const mapped = mapCreateCustomer(routing, settings.requesterCustomerId);
 */
export function mapCreateCustomer(
  routing: CustomerRouting<FloliveOptions>,
  requesterCustomerId: string,
): Mapped<FloliveCreateCall> {
  const draft: Draft = { from: new Provenance(['customer']), omitted: [] };
  const { customer, options } = routing;
  const body = compact({
    ...topLevel(customer, options, draft),
    contact: contact(customer, options, draft),
    address: addresses(customer, draft),
    invoiceConfiguration: invoiceConfiguration(options, draft),
  });
  const errors = checkContract('FLOLIVE', floliveCreateCustomerRequest, body, draft.from);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    // checkContract just proved the shape.
    request: { parentCustomerId: requesterCustomerId, body: body as FloliveCreateCustomerRequest },
    omitted: [...draft.omitted, ...unrepresented(routing, requesterCustomerId)],
  };
}

function topLevel(customer: CanonicalCustomer, options: FloliveOptions, { from }: Draft) {
  from
    .set(['status'], options.status ? [...OPTIONS, 'status'] : ['customer', 'status'])
    .set(['type'], ['customer', 'kind'])
    .set(['name'], customer.businessName ? ['customer', 'businessName'] : ['customer', 'name'])
    .set(['currency'], options.currency ? [...OPTIONS, 'currency'] : ['customer', 'currency']);
  for (const field of ['allowOfferDelegation', 'isAllowedImeiLock', 'mfaConfiguration', 'vatRegistrationNumber'] as const) {
    from.set([field], [...OPTIONS, field]);
  }
  return {
    status: options.status ?? (customer.status === 'SUSPENDED' ? ('SUSPEND' as const) : ('ACTIVE' as const)),
    type: customer.kind,
    name: displayName(customer),
    currency: options.currency ?? customer.currency,
    allowOfferDelegation: options.allowOfferDelegation,
    isAllowedImeiLock: options.isAllowedImeiLock,
    vatRegistrationNumber: options.vatRegistrationNumber,
    mfaConfiguration: options.mfaConfiguration,
  };
}

/** floLIVE's `name` is "business or private name": the business name when there is one. */
function displayName(customer: CanonicalCustomer): string | undefined {
  if (customer.businessName) return customer.businessName;
  const parts = [customer.name?.first, customer.name?.middle, customer.name?.last].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/**
 * The customer itself is the contact: it carries the email, the phones floLIVE needs to reach the
 * customer, and the identities floLIVE requires. It is therefore always sent.
 */
function contact(customer: CanonicalCustomer, options: FloliveOptions, draft: Draft): Partial<FloliveContact> {
  const { from } = draft;
  const at = (field: string, path: InputPath) => from.set(['contact', field], path);
  from.set(['contact'], ['customer']);
  at('emailAddress', ['customer', 'email']);
  at('type', [...OPTIONS, 'contactType']);
  at('role', [...OPTIONS, 'contactRole']);
  at('salutation', ['customer', 'name', 'salutation']);
  at('firstName', ['customer', 'name', 'first']);
  at('middleName', ['customer', 'name', 'middle']);
  at('lastName', ['customer', 'name', 'last']);
  at('gender', ['customer', 'gender']);
  at('birthdate', ['customer', 'dateOfBirth']);
  at('mobilePhoneNumber', ['customer', 'phones', 'mobile']);
  at('landlinePhoneNumber', ['customer', 'phones', 'landline']);
  at('additionalPhoneNumber', ['customer', 'phones', 'additional']);
  return compact({
    emailAddress: customer.email,
    type: options.contactType,
    role: options.contactRole,
    salutation: salutation(customer, draft),
    firstName: customer.name?.first,
    middleName: customer.name?.middle,
    lastName: customer.name?.last,
    identity: identities(customer.identities, draft),
    gender: gender(customer, draft),
    birthdate: customer.dateOfBirth === undefined ? undefined : ddmmyyyy(customer.dateOfBirth),
    mobilePhoneNumber: digits(customer.phones?.mobile),
    landlinePhoneNumber: digits(customer.phones?.landline),
    additionalPhoneNumber: digits(customer.phones?.additional),
    // The customer is its own contact, hence its primary one.
    isPrimary: true,
  });
}

/** Canonical salutations are free text; floLIVE knows MR and MS (Mrs and Miss are both MS). */
function salutation(customer: CanonicalCustomer, draft: Draft): FloliveContact['salutation'] {
  const given = customer.name?.salutation;
  if (given === undefined) return undefined;
  const word = given.replace(/\.$/, '').toLowerCase();
  if (word === 'mr') return 'MR';
  if (word === 'ms' || word === 'mrs' || word === 'miss') return 'MS';
  draft.omitted.push(`name.salutation "${given}": floLIVE's contact salutation is MR or MS; not sent.`);
  return undefined;
}

function gender(customer: CanonicalCustomer, draft: Draft): FloliveContact['gender'] {
  if (customer.gender === 'UNSPECIFIED') {
    draft.omitted.push("gender UNSPECIFIED: floLIVE's contact gender is MALE or FEMALE; not sent.");
    return undefined;
  }
  return customer.gender;
}

const ID_TYPES: Partial<Record<CanonicalIdentity['type'], FloliveIdentity['idType']>> = {
  NATIONAL_ID: 'ID',
  SSN: 'ID',
  TAX_ID: 'ID',
  PASSPORT: 'PASSPORT',
  DRIVING_LICENSE: 'DRIVER_LICENSE',
};

function identities(given: readonly CanonicalIdentity[], { from, omitted }: Draft): FloliveIdentity[] {
  from.set(['contact', 'identity'], ['customer', 'identities']);
  const sent: FloliveIdentity[] = [];
  given.forEach((identity, i) => {
    const idType = ID_TYPES[identity.type];
    if (!idType) {
      omitted.push(`identities[${i}] (${identity.type}): floLIVE identity types are ID, PASSPORT and DRIVER_LICENSE; not sent.`);
      return;
    }
    from.set(['contact', 'identity', sent.length], ['customer', 'identities', i]);
    sent.push({ idType, idNumber: identity.number });
  });
  if (sent.length > 0) {
    omitted.push('identities: issuing country and issue/expiry dates are not sent; a floLIVE identity is only idType and idNumber.');
  }
  return sent;
}

/**
 * floLIVE's address types are uses (the customer's own, shipping, mailing), not owners: a business's
 * own address is its PRIVATE (default) one. Temporary and prior addresses have no floLIVE type.
 */
const ADDRESS_TYPES: Partial<Record<CanonicalAddress['kind'], FloliveAddress['type']>> = {
  RESIDENTIAL: 'PRIVATE',
  BUSINESS: 'PRIVATE',
  SHIPPING: 'SHIPPING',
  MAILING: 'MAILING',
};

function addresses(customer: CanonicalCustomer, draft: Draft): Partial<FloliveAddress>[] | undefined {
  draft.from.set(['address'], ['customer', 'addresses']);
  const sent: Partial<FloliveAddress>[] = [];
  customer.addresses.forEach((address, i) => {
    const type = ADDRESS_TYPES[address.kind];
    if (!type) {
      draft.omitted.push(`addresses[${i}] (${address.kind}): floLIVE address types are PRIVATE, SHIPPING and MAILING; not sent.`);
      return;
    }
    sent.push(mapAddress(customer, address, type, { at: ['address', sent.length], i }, draft));
  });
  return sent.length > 0 ? sent : undefined;
}

function mapAddress(
  customer: CanonicalCustomer,
  address: CanonicalAddress,
  type: FloliveAddress['type'],
  { at, i }: { at: [string, number]; i: number },
  { from, omitted }: Draft,
): Partial<FloliveAddress> {
  const source = ['customer', 'addresses', i] as const;
  from.set(at, source);
  const sources: Record<string, string> = {
    type: 'kind',
    street: 'line1',
    buildingNumber: 'buildingNumber',
    buildingName: 'buildingName',
    buildingFloor: 'floor',
    zipCode: 'postalCode',
    apartmentNumber: 'apartment',
    entrance: 'entrance',
    city: 'city',
    state: 'region',
    country: 'country',
    pobox: 'poBox',
    company: 'company',
    isPrimary: 'isPrimary',
  };
  for (const [field, canonicalField] of Object.entries(sources)) from.set([...at, field], [...source, canonicalField]);
  from.set([...at, 'fullName'], address.recipientName ? [...source, 'recipientName'] : ['customer', 'name']);
  for (const field of ['line2', 'county', 'validFrom', 'validUntil'] as const) {
    if (address[field] !== undefined) omitted.push(`addresses[${i}].${field}: floLIVE's address has no such field; not sent.`);
  }
  return compact({
    type,
    street: address.line1,
    buildingNumber: address.buildingNumber,
    buildingName: address.buildingName,
    buildingFloor: address.floor,
    zipCode: address.postalCode,
    apartmentNumber: address.apartment,
    entrance: address.entrance,
    city: address.city,
    state: address.region,
    // floLIVE asks for a country name and its example sends "USA": ISO alpha-3 is unambiguous and matches it.
    country: countries.alpha2ToAlpha3(address.country),
    pobox: address.poBox,
    // floLIVE requires a representative's full name: the recipient, else the customer.
    fullName: address.recipientName ?? displayName(customer),
    company: address.company,
    isPrimary: address.isPrimary,
  });
}

function invoiceConfiguration(options: FloliveOptions, { from }: Draft): FloliveInvoiceConfiguration | undefined {
  const given = options.invoiceConfiguration;
  from.set(['invoiceConfiguration'], [...OPTIONS, 'invoiceConfiguration']);
  if (!given) return undefined;
  // The option fields carry floLIVE's own names, including those left empty (a rule may require them).
  for (const field of ['deliveryMethod', 'paymentDueAfterInvoiceIssued', 'paymentDueUnits', 'vat', 'invoiceText']) {
    from.set(['invoiceConfiguration', field], [...OPTIONS, 'invoiceConfiguration', field]);
  }
  const invoice = compact({ ...given });
  // All fields null: floLIVE then applies its own defaults, as when the object is absent.
  return Object.keys(invoice).length > 0 ? invoice : undefined;
}

/** Canonical items with no floLIVE field at all. */
function unrepresented(routing: CustomerRouting<FloliveOptions>, requesterCustomerId: string): string[] {
  const { customer, parent } = routing;
  const notes = [`customerNumber ${routing.customerNumber}: floLIVE assigns its own customer id and has no field for ours.`];
  const absent = (what: string) => notes.push(`${what}: floLIVE has no such field; not sent.`);
  if (customer.name?.title) absent('name.title');
  if (customer.name?.suffix) absent('name.suffix');
  if (customer.locale) absent('locale');
  if (customer.nationalities.length > 0) absent('nationalities');
  if (customer.phones?.work) absent('phones.work');
  if (customer.screening) absent('screening');
  if (customer.accounts.length > 0) absent('accounts (and their cards)');
  if (parent && parent.externalId !== requesterCustomerId) {
    notes.push(
      `parentId: floLIVE lets our account (${requesterCustomerId}) create only its own direct sub-customers, and parent ` +
        `${parent.customerNumber} ${parent.externalId ? `is floLIVE customer ${parent.externalId}` : 'is not at floLIVE'}; ` +
        'the customer is created under our account and the parent relation is not represented.',
    );
  }
  return notes;
}

/**
 * floLIVE's ACK → outcome. Create is asynchronous: the request stays IN_PROGRESS until the request
 * status says otherwise. The ACK already names the new customer (`id`, equal to `customerid`), so
 * the external id is known from the start.
 */
export function createOutcome(ack: FloliveCreateCustomerAck): ProviderOutcome {
  const [created] = ack.content;
  return { status: 'IN_PROGRESS', externalId: created?.id ?? null, requestId: created?.requestId ?? null, error: null };
}

/** 'YYYY-MM-DD' → floLIVE's 'DDMMYYYY'. */
export function ddmmyyyy(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}${month}${year}`;
}

/** E.164 as floLIVE's example writes it: digits only, without the display '+'. */
function digits(e164: string | undefined): string | undefined {
  return e164?.replace(/^\+/, '');
}

/** Drops undefined fields, so the body holds only what is sent. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
