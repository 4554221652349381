import type { CanonicalAddress, CanonicalCustomer, CanonicalIdentity } from '../../domain/canonical-customer.js';
import type { IDENTITY_TYPES } from '../../domain/enums.js';
import type { InputPath, UserError } from '../../domain/user-error.js';
import { ProviderError, providerErrorCodeForStatus } from '../errors.js';
import { checkContract, Provenance } from '../provenance.js';
import type { CustomerRouting, Mapped, ProviderOutcome } from '../types.js';
import {
  putCustomerCallSchema,
  stateCodesFor,
  type NoahErrorBody,
  type NoahIdType,
  type NoahPutCustomer,
} from './contract.js';
import type { NoahOptions } from './options.js';

/**
 * Canonical customer → NOAH Put Customer, and NOAH's answer → ProviderOutcome. Pure: no I/O, no
 * clock. Values are never shortened: anything NOAH's contract refuses comes back as a UserError at
 * the caller's path, and anything NOAH cannot hold is named in `omitted`.
 */

type Draft = Record<string, unknown>;

/** Every canonical identity type has a NOAH IDType; SSN and TAX_ID are both NOAH's TaxID. */
export const NOAH_ID_TYPE: Readonly<Record<(typeof IDENTITY_TYPES)[number], NoahIdType>> = {
  PASSPORT: 'Passport',
  NATIONAL_ID: 'NationalIDCard',
  DRIVING_LICENSE: 'DrivingLicense',
  RESIDENCE_PERMIT: 'ResidencePermit',
  TAX_ID: 'TaxID',
  SSN: 'TaxID',
  ADDRESS_PROOF: 'AddressProof',
};

/**
 * The PUT for a new customer. CustomerID is our id for the customer: NOAH does not generate one,
 * and using ours makes the call its own idempotency key.
 * @example const mapped = mapPutCustomer(routing); if (mapped.ok) await client.putCustomer(mapped.request, call);
 */
export function mapPutCustomer(routing: CustomerRouting<NoahOptions>): Mapped<NoahPutCustomer> {
  return mapWithCustomerId(routing, routing.customerId);
}

/** The same PUT for an update; NOAH's id for the customer when we hold one (it is ours unless reconciled otherwise). */
export function mapPutCustomerUpdate(routing: CustomerRouting<NoahOptions>): Mapped<NoahPutCustomer> {
  return mapWithCustomerId(routing, routing.externalId ?? routing.customerId);
}

function mapWithCustomerId(routing: CustomerRouting<NoahOptions>, customerId: string): Mapped<NoahPutCustomer> {
  const { customer, options } = routing;
  if (customer.kind === 'BUSINESS') {
    return {
      ok: false,
      errors: [noahError(['customer', 'kind'], 'UNSUPPORTED', 'NOAH Put Customer takes natural persons only (FullName, DateOfBirth)')],
    };
  }
  const from = new Provenance(['customer']);
  // CustomerID is our own id, not caller input: a bad one is a problem with the customer as a whole.
  from.set(['path', 'CustomerID'], ['customer']);
  // No residence at all is reported at the address list; a chosen one overrides this below.
  from.set(['body', 'PrimaryResidence'], ['customer', 'addresses']);
  const residence = pickResidence(customer.addresses);
  const draft = {
    path: { CustomerID: customerId },
    body: compact({
      FullName: fullName(customer, from),
      DateOfBirth: dateOfBirth(customer, from),
      Identities: identities(customer.identities, from),
      PrimaryResidence: residence ? primaryResidence(residence.address, residence.index, options, from) : undefined,
    }),
  };
  const errors = checkContract('NOAH', putCustomerCallSchema, draft, from);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    request: putCustomerCallSchema.parse(draft),
    omitted: [...customerOmissions(customer), ...addressOmissions(customer.addresses, residence?.index, options)],
  };
}

function fullName(customer: CanonicalCustomer, from: Provenance): Draft {
  from.set(['body', 'FullName'], ['customer', 'name']);
  from.set(['body', 'FullName', 'FirstName'], ['customer', 'name', 'first']);
  from.set(['body', 'FullName', 'LastName'], ['customer', 'name', 'last']);
  from.set(['body', 'FullName', 'MiddleName'], ['customer', 'name', 'middle']);
  return compact({ FirstName: customer.name?.first, LastName: customer.name?.last, MiddleName: customer.name?.middle });
}

function dateOfBirth(customer: CanonicalCustomer, from: Provenance): string | undefined {
  from.set(['body', 'DateOfBirth'], ['customer', 'dateOfBirth']);
  return customer.dateOfBirth;
}

function identities(list: readonly CanonicalIdentity[], from: Provenance): Draft[] {
  from.set(['body', 'Identities'], ['customer', 'identities']);
  return list.map((identity, i) => {
    const base = ['customer', 'identities', i] as const;
    from.set(['body', 'Identities', i], base);
    from.set(['body', 'Identities', i, 'IssuingCountry'], [...base, 'issuingCountry']);
    from.set(['body', 'Identities', i, 'IDNumber'], [...base, 'number']);
    from.set(['body', 'Identities', i, 'IssuedDate'], [...base, 'issuedOn']);
    from.set(['body', 'Identities', i, 'ExpiryDate'], [...base, 'expiresOn']);
    from.set(['body', 'Identities', i, 'IDType'], [...base, 'type']);
    return compact({
      IssuingCountry: identity.issuingCountry,
      IDNumber: identity.number,
      IssuedDate: identity.issuedOn,
      ExpiryDate: identity.expiresOn,
      IDType: NOAH_ID_TYPE[identity.type],
    });
  });
}

/**
 * NOAH holds one address, the primary residence: the caller's primary address when it is
 * residential, else the first residential one, else the primary address unless it is a prior one.
 */
export function pickResidence(addresses: readonly CanonicalAddress[]): { address: CanonicalAddress; index: number } | undefined {
  const indexed = addresses.map((address, index) => ({ address, index }));
  return (
    indexed.find(({ address }) => address.kind === 'RESIDENTIAL' && address.isPrimary) ??
    indexed.find(({ address }) => address.kind === 'RESIDENTIAL') ??
    indexed.find(({ address }) => address.isPrimary && address.kind !== 'PRIOR')
  );
}

function primaryResidence(address: CanonicalAddress, index: number, options: NoahOptions, from: Provenance): Draft {
  const base = ['customer', 'addresses', index] as const;
  const street2 = street2Parts(address, options);
  from.set(['body', 'PrimaryResidence'], base);
  from.set(['body', 'PrimaryResidence', 'Street'], [...base, 'line1']);
  from.set(['body', 'PrimaryResidence', 'Street2'], street2.length === 1 ? street2[0]!.path(base) : base);
  from.set(['body', 'PrimaryResidence', 'City'], [...base, 'city']);
  from.set(['body', 'PrimaryResidence', 'PostCode'], [...base, 'postalCode']);
  from.set(['body', 'PrimaryResidence', 'State'], [...base, 'region']);
  from.set(['body', 'PrimaryResidence', 'Country'], [...base, 'country']);
  return compact({
    Street: street(address, options),
    Street2: street2.length > 0 ? street2.map((part) => part.text).join(', ') : undefined,
    City: address.city,
    PostCode: address.postalCode,
    State: address.region === undefined ? undefined : stateFor(address.country, address.region),
    Country: address.country,
  });
}

function street(address: CanonicalAddress, options: NoahOptions): string {
  if (address.buildingNumber === undefined) return address.line1;
  return options.buildingNumberPlacement === 'BEFORE_STREET'
    ? `${address.buildingNumber} ${address.line1}`
    : `${address.line1} ${address.buildingNumber}`;
}

interface Street2Part {
  text: string;
  path: (base: InputPath) => InputPath;
}

/** Street2 carries line2 and, unless the caller opted out, the details NOAH has no field for. */
function street2Parts(address: CanonicalAddress, options: NoahOptions): Street2Part[] {
  // Labels keep "2" and "4" readable as floor and apartment to whoever reads the address at NOAH.
  const part = (value: string | undefined, field: keyof CanonicalAddress, label = ''): Street2Part[] =>
    value === undefined ? [] : [{ text: `${label}${value}`, path: (base) => [...base, field] }];
  return [
    ...part(address.line2, 'line2'),
    ...(options.addressDetailsInStreet2
      ? [
          ...part(address.buildingName, 'buildingName'),
          ...part(address.entrance, 'entrance', 'Entrance '),
          ...part(address.floor, 'floor', 'Floor '),
          ...part(address.apartment, 'apartment', 'Apt '),
        ]
      : []),
  ];
}

/**
 * For the US and Canada NOAH wants the ISO 3166-2 code: a code in any case, the `US-CA` form or the
 * subdivision's English name (accents ignored) become the code; anything else is passed on for the
 * contract to reject at the caller's region.
 */
export function stateFor(country: string, region: string): string {
  const codes = stateCodesFor(country);
  if (!codes) return region;
  const upper = region.toUpperCase();
  const code = upper.startsWith(`${country}-`) ? upper.slice(country.length + 1) : upper;
  if (Object.hasOwn(codes, code)) return code;
  const wanted = plain(region);
  return Object.entries(codes).find(([, name]) => plain(name) === wanted)?.[0] ?? region;
}

function plain(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim();
}

function customerOmissions(customer: CanonicalCustomer): string[] {
  const reasons: [unknown, string][] = [
    [customer.customerNumber, 'customerNumber: NOAH identifies the customer by CustomerID (our customer id)'],
    [customer.status === 'SUSPENDED' ? customer.status : undefined, 'status SUSPENDED: NOAH has no customer status'],
    [customer.name?.salutation, 'name.salutation: NOAH FullName has first, middle and last name only'],
    [customer.name?.title, 'name.title: NOAH FullName has first, middle and last name only'],
    [customer.name?.suffix, 'name.suffix: NOAH FullName has first, middle and last name only'],
    [customer.gender, 'gender: NOAH Put Customer has no gender'],
    [customer.locale, 'locale: NOAH Put Customer has no language'],
    [customer.currency, 'currency: NOAH Put Customer has no currency'],
    [customer.email, 'email: NOAH Put Customer (seed revision) has no email'],
    [customer.phones?.mobile, 'phones.mobile: NOAH Put Customer (seed revision) has no phone number'],
    [customer.phones?.landline, 'phones.landline: NOAH Put Customer (seed revision) has no phone number'],
    [customer.phones?.additional, 'phones.additional: NOAH Put Customer (seed revision) has no phone number'],
    [customer.phones?.work, 'phones.work: NOAH Put Customer (seed revision) has no phone number'],
    [customer.nationalities.length > 0 ? true : undefined, 'nationalities: NOAH Put Customer has no nationality'],
    [customer.screening, 'screening: NOAH Put Customer has no screening fields'],
    [customer.parentId, 'parentId: NOAH customers have no hierarchy'],
    [customer.accounts.length > 0 ? true : undefined, 'accounts and cards: NOAH Put Customer takes none'],
  ];
  return reasons.filter(([value]) => value !== undefined).map(([, reason]) => `${reason}; not sent.`);
}

function addressOmissions(addresses: readonly CanonicalAddress[], residence: number | undefined, options: NoahOptions): string[] {
  return addresses.flatMap((address, i) => {
    if (i !== residence) {
      return [`addresses[${i}] (${address.kind}): NOAH holds only the primary residence (addresses[${residence ?? '-'}]); not sent.`];
    }
    const parts: [unknown, string][] = [
      [address.poBox, 'poBox'],
      [address.county, 'county'],
      [address.recipientName, 'recipientName'],
      [address.company, 'company'],
      [address.validFrom, 'validFrom'],
      [address.validUntil, 'validUntil'],
      ...(options.addressDetailsInStreet2
        ? []
        : ([
            [address.buildingName, 'buildingName'],
            [address.entrance, 'entrance'],
            [address.floor, 'floor'],
            [address.apartment, 'apartment'],
          ] as [unknown, string][])),
    ];
    return parts
      .filter(([value]) => value !== undefined)
      .map(([, field]) => `addresses[${i}].${field}: NOAH PrimaryResidence has no such field; not sent.`);
  });
}

/**
 * NOAH's answer to a Put Customer: 201 created and 204 updated are both a synced customer, known to
 * NOAH by the CustomerID we chose. NOAH returns no request id.
 */
export function putCustomerOutcome(customerId: string, status: number, errorOf: () => ProviderError): ProviderOutcome {
  if (status >= 200 && status < 300) return { status: 'SYNCED', externalId: customerId, requestId: null, error: null };
  return { status: 'FAILED', externalId: null, requestId: null, error: errorOf() };
}

/**
 * A NOAH error answer as a ProviderError: the status decides the code (401/403 → auth), the
 * envelope's Type and Detail and the invalid fields make the message.
 */
export function noahProviderError(status: number, body: NoahErrorBody | undefined, retryAfter?: number, rawText = ''): ProviderError {
  const fields = body?.Extensions?.Request?.map((item) => `${item.Field}: ${item.Description}`) ?? [];
  const detail = body ? [body.Detail ?? body.Type, ...fields].join('; ') : `HTTP ${status}${rawText ? `: ${rawText.slice(0, 200)}` : ''}`;
  return new ProviderError('NOAH', providerErrorCodeForStatus(status), detail, {
    status,
    ...(body ? { providerCode: body.Type } : {}),
    ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
  });
}

function noahError(field: InputPath, code: UserError['code'], message: string): UserError {
  return { field, code, message, provider: 'NOAH' };
}

/** Drops undefined members, so the JSON sent (and its bodyHash) holds only what we mean. */
function compact<T extends Record<string, unknown>>(value: T): Draft {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined));
}
