import type { CanonicalAccount, CanonicalCard, CanonicalCustomer } from '../../domain/canonical-customer.js';
import type { InputPath, UserError } from '../../domain/user-error.js';
import { checkContract, Provenance } from '../provenance.js';
import type { CustomerRouting, Mapped } from '../types.js';
import {
  customerSchema,
  startOfDay,
  toInstant,
  type CardlyticsAccount,
  type CardlyticsCard,
  type CardlyticsCustomer,
} from './contract.js';
import type { CardlyticsOptions } from './options.js';

const PROVIDER = 'CARDLYTICS';
const OPTIONS: InputPath = ['providerOptions', 'cardlytics'];

/** What the adapter's settings supply when the caller's options do not. */
export interface CardlyticsDefaults {
  organizationId: string;
  portfolioId: string | null;
}

const ACCOUNT_STATUS: Record<CanonicalAccount['status'], CardlyticsAccount['status']> = {
  OPEN: 'OPEN',
  CLOSED: 'CLOSED',
  DISPUTED: 'DISPUTE',
  FRAUD_HOLD: 'FRAUD',
};

// Cardlytics does not publish what its codes mean; these are the conventional readings (CONTRACTS.md §3).
const ACCOUNT_TYPE: Partial<Record<CanonicalAccount['type'], CardlyticsAccount['type']>> = {
  PREPAID: 'PPD',
  MONEY_MARKET: 'MMA',
  CREDIT: 'CRD',
  CHECKING: 'DDA',
  SAVINGS: 'SAV',
  BUSINESS_CREDIT: 'SBCRD',
  BUSINESS_CHECKING: 'SBDDA',
  BUSINESS_SAVINGS: 'SBS',
};

const NETWORK: Partial<Record<CanonicalCard['network'], CardlyticsCard['networkIdentifier']>> = {
  AMEX: 3,
  VISA: 4,
  MASTERCARD: 5,
  DISCOVER: 6,
};

/** Canonical fields Cardlytics has no place for: it keeps enrollment data, not personal details. */
const PERSONAL_FIELDS = [
  'name',
  'businessName',
  'dateOfBirth',
  'gender',
  'locale',
  'currency',
  'email',
  'phones',
  'nationalities',
  'identities',
  'screening',
] as const satisfies readonly (keyof CanonicalCustomer)[];

/** Provider fields set straight from an option, and the canonical field behind each account and card field. */
const OPTION_FIELDS = [
  'organizationId',
  'enrollmentStartDate',
  'enrollmentEndDate',
  'enrollmentOptInStatus',
  'alertOptInStatus',
  'targetingIndicator',
] as const;
const ACCOUNT_FIELDS = { status: 'status', type: 'type', accountOpenDate: 'openedOn', accountCloseDate: 'closedOn' } as const;
const CARD_FIELDS = {
  last4: 'last4',
  iin: 'iin',
  cardType: 'type',
  status: 'status',
  networkIdentifier: 'network',
  openDate: 'openedOn',
  closeDate: 'closedOn',
} as const;

/** Records where a provider field came from (Provenance), or nothing (UNRECORDED). */
interface Sources {
  set(providerPath: readonly (string | number)[], inputPath: InputPath): Sources;
}

const UNRECORDED: Sources = { set: () => UNRECORDED };

/** One mapping in progress: where each provider field came from, and what cannot be sent. */
interface Draft {
  routing: CustomerRouting<CardlyticsOptions>;
  defaults: CardlyticsDefaults;
  from: Sources;
  errors: UserError[];
}

/** Where a list item sits: in the caller's input (`at`) and in the provider request (`wire`). */
interface Place {
  at: InputPath;
  wire: (string | number)[];
}

/**
 * One canonical customer as a Cardlytics Customer with its accounts and cards, checked against the
 * contract. sourceCustomerId is our customer id (the natural key Cardlytics stores by). Every account
 * is listed with the customer as its only holder and primary: one create carries one customer, and
 * co-holders are added when their own customer is sent.
 * @example const mapped = mapCustomer(routing, { organizationId: '50004', portfolioId: null });
 */
export function mapCustomer(
  routing: CustomerRouting<CardlyticsOptions>,
  defaults: CardlyticsDefaults,
): Mapped<CardlyticsCustomer> {
  // Where each field came from matters only for errors: a customer that maps and meets the contract
  // is mapped without recording it (a bulk import maps thousands); one that does not is mapped again
  // with it. Mapping is pure, so both passes build the same request.
  const quick: Draft = { routing, defaults, from: UNRECORDED, errors: [] };
  const mapped = customerOf(quick);
  if (quick.errors.length === 0 && customerSchema.safeParse(mapped).success) {
    return { ok: true, request: mapped as CardlyticsCustomer, omitted: omissions(routing.customer) };
  }
  const from = new Provenance(['customer']);
  const draft: Draft = { routing, defaults, from, errors: [] };
  const request = customerOf(draft);
  const reported = new Set(draft.errors.map((error) => pathKey(error.field)));
  // A rule the mapper already explained in the caller's terms needs no second, contract-worded error.
  const broken = checkContract(PROVIDER, customerSchema, request, from).filter(
    (error) => !reported.has(pathKey(error.field)),
  );
  const errors = [...draft.errors, ...broken];
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, request: request as CardlyticsCustomer, omitted: omissions(routing.customer) };
}

function customerOf(draft: Draft) {
  const { routing, defaults, from } = draft;
  const { customer, options } = routing;
  const primary = customer.addresses.findIndex((address) => address.isPrimary);
  const address = customer.addresses[primary];
  if (address) {
    from.set(['postalCode'], ['customer', 'addresses', primary, 'postalCode']);
    from.set(['country'], ['customer', 'addresses', primary, 'country']);
  } else {
    from.set(['postalCode'], ['customer', 'addresses']).set(['country'], ['customer', 'addresses']);
    const why = 'the customer needs an address; Cardlytics takes its postal code and country';
    fail(draft, ['customer', 'addresses'], 'REQUIRED', 'postalCode, country', why);
  }
  from.set(['sourceParentCustomerId'], ['customer', 'parentId']);
  for (const field of OPTION_FIELDS) from.set([field], [...OPTIONS, field]);
  return {
    sourceCustomerId: routing.customerId,
    ...(routing.parent ? { sourceParentCustomerId: routing.parent.customerId } : {}),
    organizationId: options.organizationId ?? defaults.organizationId,
    postalCode: address?.postalCode,
    country: address?.country,
    customerCreationDate: toInstant(routing.createdAt),
    enrollmentStartDate: options.enrollmentStartDate ?? toInstant(routing.createdAt),
    ...(options.enrollmentEndDate ? { enrollmentEndDate: options.enrollmentEndDate } : {}),
    enrollmentOptInStatus: options.enrollmentOptInStatus,
    alertOptInStatus: options.alertOptInStatus,
    targetingIndicator: options.targetingIndicator,
    accounts: customer.accounts.map((account, i) => accountOf(draft, account, i)),
  };
}

function accountOf(draft: Draft, account: CanonicalAccount, index: number) {
  const { routing, from } = draft;
  const at: InputPath = ['customer', 'accounts', index];
  const wire = ['accounts', index];
  from.set(wire, at);
  for (const [provider, canonical] of Object.entries(ACCOUNT_FIELDS)) from.set([...wire, provider], [...at, canonical]);
  const portfolio = account.portfolioId ?? routing.options.portfolioId ?? draft.defaults.portfolioId ?? undefined;
  const portfolioFromOption = account.portfolioId === undefined && routing.options.portfolioId !== undefined;
  from.set([...wire, 'sourcePortfolioId'], portfolioFromOption ? [...OPTIONS, 'portfolioId'] : [...at, 'portfolioId']);
  if (portfolio === undefined) {
    const why = 'is required; set the account’s portfolioId or providerOptions.cardlytics.portfolioId';
    fail(draft, [...at, 'portfolioId'], 'REQUIRED', wireName(wire, 'sourcePortfolioId'), why);
  }
  if (ACCOUNT_TYPE[account.type] === undefined) {
    const why = `${account.type} has no Cardlytics account type (PPD, MMA, CRD, DDA, SAV, SBCRD, SBDDA, SBS)`;
    fail(draft, [...at, 'type'], 'UNSUPPORTED', wireName(wire, 'type'), why);
  }
  const sourceAccountId = routing.accountIds[index];
  return {
    sourceAccountId,
    sourceCustomerIds: [routing.customerId],
    primarySourceCustomerId: routing.customerId,
    status: ACCOUNT_STATUS[account.status],
    type: ACCOUNT_TYPE[account.type],
    sourcePortfolioId: portfolio,
    accountOpenDate: account.openedOn === undefined ? undefined : startOfDay(account.openedOn),
    accountCloseDate: account.closedOn === undefined ? null : startOfDay(account.closedOn),
    cards: account.cards.map((card, j) =>
      cardOf(draft, card, sourceAccountId, { at: [...at, 'cards', j], wire: [...wire, 'cards', j] }),
    ),
  };
}

function cardOf(draft: Draft, card: CanonicalCard, sourceAccountId: string | undefined, { at, wire }: Place) {
  draft.from.set(wire, at);
  for (const [provider, canonical] of Object.entries(CARD_FIELDS)) draft.from.set([...wire, provider], [...at, canonical]);
  if (card.type === 'OTHER') {
    fail(draft, [...at, 'type'], 'UNSUPPORTED', wireName(wire, 'cardType'), 'OTHER has none; Cardlytics takes CREDIT, DEBIT or PREPAID');
  }
  const networkIdentifier = NETWORK[card.network];
  if (networkIdentifier === undefined) {
    const why = `${card.network} has none; Cardlytics knows AMEX (3), VISA (4), MASTERCARD (5) and DISCOVER (6)`;
    fail(draft, [...at, 'network'], 'UNSUPPORTED', wireName(wire, 'networkIdentifier'), why);
  }
  if (card.status === 'BLOCKED') {
    const why = 'a BLOCKED card cannot be sent; Cardlytics knows open cards and closed ones (with a closeDate) only';
    fail(draft, [...at, 'status'], 'UNSUPPORTED', wireName(wire, 'status'), why);
  }
  if (card.status === 'CLOSED' && card.closedOn === undefined) {
    const why = 'is required for a CLOSED card; Cardlytics marks a card closed by its closeDate';
    fail(draft, [...at, 'closedOn'], 'REQUIRED', wireName(wire, 'closeDate'), why);
  }
  return {
    sourceAccountId,
    sourceCustomerId: draft.routing.customerId,
    last4: card.last4,
    iin: card.iin,
    cardType: card.type,
    status: 'OPEN' as const,
    networkIdentifier,
    openDate: card.openedOn === undefined ? undefined : startOfDay(card.openedOn),
    closeDate: card.closedOn === undefined ? null : startOfDay(card.closedOn),
  };
}

/** A rule the provider cannot meet, worded like checkContract's: the provider field, then why. */
function fail(draft: Draft, field: InputPath, code: UserError['code'], providerField: string, why: string): void {
  draft.errors.push({ field, code, provider: PROVIDER, message: `${PROVIDER} ${providerField}: ${why}` });
}

function wireName(wire: readonly (string | number)[], field: string): string {
  return [...wire, field].join('.');
}

function pathKey(path: InputPath): string {
  return path.join('\u0000');
}

/** What the customer carries that Cardlytics has no field for, one sentence each. */
function omissions(customer: CanonicalCustomer): string[] {
  const notes: string[] = [];
  const personal = PERSONAL_FIELDS.filter((field) => {
    const value = customer[field];
    return value !== undefined && !(Array.isArray(value) && value.length === 0);
  });
  if (personal.length > 0) {
    const why = "Cardlytics keeps no personal details, only the primary address's postal code and country";
    notes.push(`customer ${personal.join(', ')}: not sent; ${why}.`);
  }
  customer.addresses.forEach((address, i) =>
    notes.push(
      address.isPrimary
        ? `customer.addresses[${i}]: only postalCode and country are sent; Cardlytics keeps no street address.`
        : `customer.addresses[${i}] (${address.kind}): not sent; Cardlytics takes the primary address only.`,
    ),
  );
  if (customer.status === 'SUSPENDED') {
    const why = 'Cardlytics has no customer status, enrollment follows providerOptions.cardlytics.enrollmentOptInStatus';
    notes.push(`customer.status SUSPENDED: not sent; ${why}.`);
  }
  const numbers = ['customer.customerNumber', ...(customer.accounts.length > 0 ? ['accounts[].accountNumber'] : [])];
  const why = 'Cardlytics identifies customers and accounts by our ids (sourceCustomerId, sourceAccountId)';
  notes.push(`${numbers.join(' and ')}: not sent; ${why}.`);
  if (customer.accounts.some((account) => account.currency !== undefined)) {
    notes.push('customer.accounts[].currency: not sent; Cardlytics accounts have no currency.');
  }
  return notes;
}
