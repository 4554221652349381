import countries from '../../country-codes.js';
import type { CanonicalAddress, CanonicalCustomer, CanonicalIdentity } from '../../domain/canonical-customer.js';
import type { InputPath, UserError, UserErrorCode } from '../../domain/user-error.js';
import { ProviderError } from '../errors.js';
import { checkContract, Provenance } from '../provenance.js';
import type { CustomerRouting, Mapped, ProviderOutcome } from '../types.js';
import {
  enfuceAuditQuery,
  enfuceBinSponsoredPrivateCustomer,
  enfuceCustomerId,
  enfuceCustomerResponse,
  enfucePrivateCustomer,
  type EnfuceAddress,
  type EnfucePrivateCustomer,
  type EnfuceRiskScore,
} from './contract.js';
import type { EnfuceOptions, EnfuceRiskScoreOption } from './options.js';

/** A create call: the body plus the `auditUser` query parameter. */
export interface EnfuceCreateRequest {
  auditUser: string;
  body: EnfucePrivateCustomer;
}

/** An update call: the same, for the Enfuce customer `id`. */
export interface EnfuceUpdateRequest extends EnfuceCreateRequest {
  id: string;
}

type Routing = CustomerRouting<EnfuceOptions>;

const OPTIONS: InputPath = ['providerOptions', 'enfuce'];

/** regNo candidates, best first: Enfuce stores an SSN-like identifier it does not validate. */
const REG_NO_TYPES = ['NATIONAL_ID', 'SSN', 'TAX_ID'] as const;

const RISK_FROM_OPTION: Record<EnfuceRiskScoreOption, EnfuceRiskScore> = { HIGH: 'High', MED: 'Med', LOW: 'Low', PEP: 'Pep' };
const RISK_FROM_CANONICAL = { LOW: 'Low', MEDIUM: 'Med', HIGH: 'High' } as const satisfies Record<string, EnfuceRiskScore>;

/** Collects a request's problems and omissions while it is being built. */
class Draft {
  readonly from = new Provenance(['customer']);
  readonly errors: UserError[] = [];
  readonly omitted: string[] = [];

  fail(field: InputPath, code: UserErrorCode, message: string): undefined {
    this.errors.push({ field, code, message: `ENFUCE: ${message}`, provider: 'ENFUCE' });
    return undefined;
  }
}

/**
 * Canonical customer → Enfuce `POST /v3/PRIVATE` request, checked against Enfuce's contract (the
 * BIN-sponsor variant when `options.binSponsored`). `defaultAuditUser` is the configured fallback.
 * @example const mapped = mapCreate(routing, settings.defaultAuditUser); if (mapped.ok) send(mapped.request);
 */
export function mapCreate(routing: Routing, defaultAuditUser: string): Mapped<EnfuceCreateRequest> {
  if (routing.customer.kind === 'BUSINESS') {
    const draft = new Draft();
    draft.fail(['customer', 'kind'], 'UNSUPPORTED', 'only PRIVATE customers can be sent to Enfuce\'s private customer API');
    return { ok: false, errors: draft.errors };
  }
  const draft = new Draft();
  const body = privateCustomerBody(routing, draft);
  const auditUser = resolveAuditUser(routing, defaultAuditUser);
  const schema = routing.options.binSponsored ? enfuceBinSponsoredPrivateCustomer : enfucePrivateCustomer;
  const contractErrors = [
    ...checkContract('ENFUCE', schema, body, draft.from),
    ...checkContract('ENFUCE', enfuceAuditQuery, { auditUser }, new Provenance([...OPTIONS, 'auditUser'])),
  ];
  const errors = [...draft.errors, ...withoutRepeats(contractErrors, draft.errors)];
  if (errors.length > 0) return { ok: false, errors };
  // The check above passed, so parsing cannot throw; it types the body as what Enfuce accepts.
  return { ok: true, request: { auditUser, body: schema.parse(body) }, omitted: draft.omitted };
}

/**
 * Canonical customer → Enfuce private customer update for the id Enfuce gave at creation.
 * @example const mapped = mapUpdate({ ...routing, externalId: '151077912' }, 'customer-graph');
 */
export function mapUpdate(routing: Routing, defaultAuditUser: string): Mapped<EnfuceUpdateRequest> {
  if (routing.externalId === null) {
    const draft = new Draft();
    draft.fail(['customer'], 'NOT_FOUND', 'the customer has not been synced to Enfuce yet, so there is no Enfuce id to update');
    return { ok: false, errors: draft.errors };
  }
  const mapped = mapCreate(routing, defaultAuditUser);
  if (!mapped.ok) return mapped;
  const idErrors = checkContract('ENFUCE', enfuceCustomerId, routing.externalId, new Provenance(['customer']));
  if (idErrors.length > 0) return { ok: false, errors: idErrors };
  return { ok: true, request: { ...mapped.request, id: routing.externalId }, omitted: mapped.omitted };
}

/**
 * An Enfuce create/update success body → outcome; a body that breaks the contract is a bad response.
 * @example toOutcome({ description: 'Customer created', id: '151077912' }) // SYNCED, externalId '151077912'
 */
export function toOutcome(body: unknown): ProviderOutcome {
  const parsed = enfuceCustomerResponse.safeParse(body);
  if (!parsed.success) {
    const error = new ProviderError('ENFUCE', 'PROVIDER_BAD_RESPONSE', 'success answer without a numeric customer id', {
      cause: parsed.error,
    });
    return { status: 'FAILED', externalId: null, requestId: null, error };
  }
  return { status: 'SYNCED', externalId: parsed.data.id, requestId: null, error: null };
}

function resolveAuditUser(routing: Routing, defaultAuditUser: string): string {
  return routing.auditUser ?? routing.options.auditUser ?? defaultAuditUser;
}

/** A caller field the mapper already explained is not reported a second time by the contract check. */
function withoutRepeats(contractErrors: UserError[], mapperErrors: UserError[]): UserError[] {
  const explained = new Set(mapperErrors.map((error) => error.field.join('.')));
  return contractErrors.filter((error) => !explained.has(error.field.join('.')));
}

function privateCustomerBody(routing: Routing, draft: Draft): Record<string, unknown> {
  const { customer } = routing;
  draft.from.set(['customerNumber'], ['customer', 'customerNumber']);
  draft.from.set(['locale'], ['customer', 'locale']);
  draft.from.set(['dateOfBirth'], ['customer', 'dateOfBirth']);
  noteUnsentFields(customer, draft);
  return compact({
    customerNumber: routing.customerNumber,
    ...names(customer, draft),
    ...contact(customer, draft),
    locale: customer.locale,
    regNo: regNo(customer.identities, draft),
    dateOfBirth: customer.dateOfBirth,
    nationality: nationality(customer.nationalities, draft),
    ...screening(routing, draft),
    ...addresses(customer.addresses, draft),
    additionalValues: additionalValues(routing.options, draft),
  });
}

function names(customer: CanonicalCustomer, draft: Draft) {
  draft.from.set(['firstName'], ['customer', 'name', 'first']);
  draft.from.set(['lastName'], ['customer', 'name', 'last']);
  draft.from.set(['middleName'], ['customer', 'name', 'middle']);
  draft.from.set(['salutation'], ['customer', 'name', 'salutation']);
  if (customer.name?.title) draft.omitted.push(`name.title "${customer.name.title}" is not sent: Enfuce has no title field`);
  if (customer.name?.suffix) draft.omitted.push(`name.suffix "${customer.name.suffix}" is not sent: Enfuce has no suffix field`);
  return {
    firstName: customer.name?.first,
    lastName: customer.name?.last,
    middleName: customer.name?.middle,
    salutation: customer.name?.salutation,
  };
}

function contact(customer: CanonicalCustomer, draft: Draft) {
  draft.from.set(['email'], ['customer', 'email']);
  draft.from.set(['phoneNumber'], ['customer', 'phones', 'landline']);
  draft.from.set(['mobileNumber'], ['customer', 'phones', 'mobile']);
  for (const kind of ['additional', 'work'] as const) {
    if (customer.phones?.[kind]) {
      draft.omitted.push(`phones.${kind} is not sent: Enfuce takes only a landline (phoneNumber) and a mobile number`);
    }
  }
  return { email: customer.email, phoneNumber: customer.phones?.landline, mobileNumber: customer.phones?.mobile };
}

/** regNo from the national id, else the SSN, else the tax id; other identities are left out. */
function regNo(identities: readonly CanonicalIdentity[], draft: Draft): string | undefined {
  const ranked = REG_NO_TYPES.flatMap((type) =>
    identities.flatMap((identity, index) => (identity.type === type ? [{ identity, index }] : [])),
  );
  const chosen = ranked[0];
  identities.forEach((identity, index) => {
    if (index !== chosen?.index) {
      draft.omitted.push(
        `identities[${index}] (${identity.type}) is not sent: Enfuce holds one registration number (regNo)` +
          (chosen ? `, taken from identities[${chosen.index}] (${chosen.identity.type})` : ''),
      );
    }
  });
  if (!chosen) {
    draft.from.set(['regNo'], ['customer', 'identities']);
    return draft.fail(
      ['customer', 'identities'],
      'REQUIRED',
      'regNo is required: add a NATIONAL_ID, SSN or TAX_ID identity (passports, driving licences, residence permits and address proofs cannot be used)',
    );
  }
  draft.from.set(['regNo'], ['customer', 'identities', chosen.index, 'number']);
  return chosen.identity.number;
}

function nationality(codes: readonly string[], draft: Draft): string[] | undefined {
  draft.from.set(['nationality'], ['customer', 'nationalities']);
  const converted = codes.flatMap((code, index) => {
    const alpha3 = countries.alpha2ToAlpha3(code);
    if (!alpha3) {
      draft.fail(['customer', 'nationalities', index], 'UNSUPPORTED', `nationality ${code} has no ISO 3166-1 alpha-3 code`);
      return [];
    }
    draft.from.set(['nationality', index], ['customer', 'nationalities', index]);
    return [alpha3];
  });
  return converted.length > 0 ? converted : undefined;
}

function screening(routing: Routing, draft: Draft): Pick<Partial<EnfucePrivateCustomer>, 'screening' | 'riskScore'> {
  const canonical = routing.customer.screening;
  const flagged = [canonical?.pep, canonical?.sanctions].filter((flag) => flag !== undefined);
  draft.from.set(['screening'], ['customer', 'screening']);
  return {
    screening: flagged.length > 0 ? { status: flagged.some(Boolean) } : undefined,
    riskScore: riskScore(routing, draft),
  };
}

/** The caller's explicit choice wins; a PEP outranks the canonical score, as Enfuce lists Pep as its own grade. */
function riskScore(routing: Routing, draft: Draft): EnfuceRiskScore | undefined {
  const { riskScore: option } = routing.options;
  const canonical = routing.customer.screening;
  if (option) {
    draft.from.set(['riskScore'], [...OPTIONS, 'riskScore']);
    return RISK_FROM_OPTION[option];
  }
  if (canonical?.pep) {
    draft.from.set(['riskScore'], ['customer', 'screening', 'pep']);
    return 'Pep';
  }
  draft.from.set(['riskScore'], ['customer', 'screening', 'riskScore']);
  return canonical?.riskScore ? RISK_FROM_CANONICAL[canonical.riskScore] : undefined;
}

/**
 * `address` is the primary address unless that is TEMPORARY or PRIOR, then the first address of
 * another kind; `temporaryAddress` is the first TEMPORARY one. Every other address is left out.
 */
function addresses(list: readonly CanonicalAddress[], draft: Draft) {
  const usable = (address: CanonicalAddress) => address.kind !== 'TEMPORARY' && address.kind !== 'PRIOR';
  const primaryIndex = list.findIndex((address) => address.isPrimary && usable(address));
  const mainIndex = primaryIndex >= 0 ? primaryIndex : list.findIndex(usable);
  const temporaryIndex = list.findIndex((address) => address.kind === 'TEMPORARY');
  list.forEach((address, index) => {
    if (index !== mainIndex && index !== temporaryIndex) {
      draft.omitted.push(`addresses[${index}] (${address.kind}) is not sent: Enfuce holds one address and one temporary address`);
    }
  });
  draft.from.set(['address'], ['customer', 'addresses']);
  if (mainIndex < 0) {
    draft.fail(
      ['customer', 'addresses'],
      'REQUIRED',
      'an address is required: add one that is not TEMPORARY or PRIOR (it becomes Enfuce\'s default address)',
    );
  }
  const main = list[mainIndex];
  const temporary = list[temporaryIndex];
  return {
    address: main ? address(main, mainIndex, ['address'], draft) : undefined,
    temporaryAddress: temporary ? address(temporary, temporaryIndex, ['temporaryAddress'], draft) : undefined,
  };
}

function address(source: CanonicalAddress, index: number, at: string[], draft: Draft): Partial<EnfuceAddress> {
  const caller = ['customer', 'addresses', index];
  const set = (field: string, from: string) => draft.from.set([...at, field], [...caller, from]);
  draft.from.set(at, caller);
  set('address1', 'line1');
  set('address2', 'line2');
  set('address3', source.buildingName ? 'buildingName' : source.entrance ? 'entrance' : source.floor ? 'floor' : 'apartment');
  set('address4', 'poBox');
  set('city', 'city');
  set('country', 'country');
  set('zipCode', 'postalCode');
  set('region', source.region ? 'region' : 'county');
  noteUnsentAddressParts(source, index, draft);
  return compact({
    address1: [source.line1, source.buildingNumber].filter(Boolean).join(' '),
    address2: source.line2,
    address3: unitLine(source),
    address4: source.poBox ? `PO Box ${source.poBox}` : undefined,
    city: source.city,
    country: countryAlpha3(source.country, [...caller, 'country'], draft),
    zipCode: source.postalCode,
    region: source.region ?? source.county,
  });
}

/** Building name, entrance, floor and apartment share one line: Enfuce has no separate fields for them. */
function unitLine(source: CanonicalAddress): string | undefined {
  const parts = [
    source.buildingName,
    source.entrance && `entrance ${source.entrance}`,
    source.floor && `floor ${source.floor}`,
    source.apartment && `apartment ${source.apartment}`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function countryAlpha3(code: string, field: InputPath, draft: Draft): string | undefined {
  return countries.alpha2ToAlpha3(code) ?? draft.fail(field, 'UNSUPPORTED', `country ${code} has no ISO 3166-1 alpha-3 code`);
}

function noteUnsentAddressParts(source: CanonicalAddress, index: number, draft: Draft): void {
  const unsent: [string, unknown][] = [
    ['recipientName', source.recipientName],
    ['company', source.company],
    ['validFrom', source.validFrom],
    ['validUntil', source.validUntil],
    ['county', source.region ? source.county : undefined],
  ];
  for (const [field, value] of unsent) {
    if (value !== undefined) {
      draft.omitted.push(`addresses[${index}].${field} is not sent: Enfuce's address has no field for it`);
    }
  }
}

function additionalValues(options: EnfuceOptions, draft: Draft) {
  draft.from.set(['additionalValues'], [...OPTIONS, 'additionalValues']);
  options.additionalValues.forEach((_, index) => {
    for (const member of ['key', 'value']) {
      draft.from.set(['additionalValues', index, member], [...OPTIONS, 'additionalValues', index, member]);
    }
  });
  return options.additionalValues.length > 0 ? options.additionalValues.map(({ key, value }) => ({ key, value })) : undefined;
}

function noteUnsentFields(customer: CanonicalCustomer, draft: Draft): void {
  const facts: [boolean, string][] = [
    [customer.gender !== undefined, 'gender is not sent: Enfuce\'s private customer has no gender field'],
    [customer.currency !== undefined, 'currency is not sent: Enfuce sets currencies on accounts, not on the customer'],
    [customer.status === 'SUSPENDED', 'status SUSPENDED is not sent: Enfuce\'s private customer has no status field'],
    [customer.parentId !== undefined, 'parentId is not sent: Enfuce private customers have no parent customer'],
  ];
  for (const [applies, sentence] of facts) if (applies) draft.omitted.push(sentence);
  customer.accounts.forEach((account, index) => {
    draft.omitted.push(
      `accounts[${index}] (${account.accountNumber}) and its ${account.cards.length} card(s) are not sent: Enfuce creates accounts and cards through its account API`,
    );
  });
}

/** Drops undefined members so the request holds exactly the fields that are sent. */
function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as Partial<T>;
}
