import { createHash } from 'node:crypto';
import { count } from 'drizzle-orm';
import { getExampleNumber, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import mobileExamples from 'libphonenumber-js/mobile/examples';
import type { Database } from '../db/client.js';
import { lockExclusively } from '../db/dialect-sql.js';
import { accountHolders, accounts, addresses, cards, customers, identities, organizations, relationshipMembers, relationships } from '../db/tables.js';
import { mulberry32 } from '../seeded-random.js';
import type { MutationDeps } from './mutation-deps.js';
import { routeStoredCustomers } from './route-stored-customers.js';

type NewCustomer = typeof customers.$inferInsert;
type NewAccount = typeof accounts.$inferInsert;
type NewCard = typeof cards.$inferInsert;

/** A stable UUID-shaped id for a demo object, so the demo's global IDs are the same on every machine. */
export function demoId(kind: string, n: number): string {
  const hex = createHash('sha256').update(`customer-graph-demo:${kind}:${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A valid mobile number of the country, varied by `n`: the library's example number with its last
 * three digits replaced, kept only when the result is still a valid number (else the example itself).
 */
function demoMobile(country: string, n: number): string {
  const example = getExampleNumber(country as CountryCode, mobileExamples)!.number;
  const varied = `${example.slice(0, -3)}${String(n % 1000).padStart(3, '0')}`;
  return parsePhoneNumberFromString(varied)?.isValid() ? varied : example;
}


interface Place {
  country: string;
  city: string;
  street: string;
  postalCode: string;
  region?: string;
  locale: string;
  currency: string;
}

const PLACES: Place[] = [
  { country: 'FI', city: 'Helsinki', street: 'Mannerheimintie', postalCode: '00100', locale: 'fi_FI', currency: 'EUR' },
  { country: 'SE', city: 'Stockholm', street: 'Drottninggatan', postalCode: '11151', locale: 'sv_SE', currency: 'SEK' },
  { country: 'DE', city: 'Berlin', street: 'Friedrichstraße', postalCode: '10117', locale: 'de_DE', currency: 'EUR' },
  { country: 'GB', city: 'London', street: 'Baker Street', postalCode: 'NW1 6XE', locale: 'en_GB', currency: 'GBP' },
  { country: 'US', city: 'Austin', street: 'Congress Avenue', postalCode: '78701', region: 'TX', locale: 'en_US', currency: 'USD' },
  { country: 'AR', city: 'Buenos Aires', street: 'Avenida Corrientes', postalCode: 'C1043', region: 'C', locale: 'es_AR', currency: 'ARS' },
];

const PEOPLE: { first: string; last: string; gender: 'MALE' | 'FEMALE' | 'UNSPECIFIED' }[] = [
  { first: 'Aino', last: 'Virtanen', gender: 'FEMALE' },
  { first: 'Mikko', last: 'Virtanen', gender: 'MALE' },
  { first: 'Elsa', last: 'Lindqvist', gender: 'FEMALE' },
  { first: 'Johan', last: 'Lindqvist', gender: 'MALE' },
  { first: 'Lena', last: 'Schmidt', gender: 'FEMALE' },
  { first: 'Felix', last: 'Schmidt', gender: 'MALE' },
  { first: 'Olivia', last: 'Hughes', gender: 'FEMALE' },
  { first: 'Harry', last: 'Patel', gender: 'MALE' },
  { first: 'Maya', last: 'Johnson', gender: 'FEMALE' },
  { first: 'Daniel', last: 'García', gender: 'MALE' },
  { first: 'Sofía', last: 'Fernández', gender: 'FEMALE' },
  { first: 'Mateo', last: 'López', gender: 'MALE' },
  { first: 'Noor', last: 'Haddad', gender: 'UNSPECIFIED' },
  { first: 'Emil', last: 'Korhonen', gender: 'MALE' },
  { first: 'Greta', last: 'Berg', gender: 'FEMALE' },
  { first: 'Samuel', last: 'Okafor', gender: 'MALE' },
];

const BUSINESSES = [
  'Nordic Freight Oy',
  'Nordic Freight Logistics AB',
  'Nordic Freight Fleet GmbH',
  'Baker Street Bakery Ltd',
  'Lone Star IoT Inc',
  'Pampas Telemetry SA',
  'Helsinki Harbour Cafe Oy',
  'Spree Solar GmbH',
];

export interface DemoDataSummary {
  loaded: boolean;
  organizations: number;
  customers: number;
  accounts: number;
  cards: number;
}

export const DEMO_ROOT_ORGANIZATION_ID = demoId('organization', 0);

/**
 * Loads the demo dataset into an empty database (no customers yet); leaves a non-empty one alone.
 * Deterministic: the same ids, numbers and timestamps on every run.
 *
 * 16 private and 8 business customers in a root organization and its child; three joint accounts
 * (one of them in a relationship), one card per account holder, and a business parent with two
 * sub-customers.
 * @example await loadDemoData(database);
 */
export async function loadDemoData(database: Database): Promise<DemoDataSummary> {
  return database.transaction(async (tx) => {
    // instances starting together on one empty Postgres database: one loads, the others find it loaded
    await lockExclusively(tx, 'demo-data');
    const [existing] = await tx.select({ n: count() }).from(customers);
    if ((existing?.n ?? 0) > 0) return { loaded: false, organizations: 0, customers: 0, accounts: 0, cards: 0 };

    // seeded: the demo must not depend on Math.random
    const random = mulberry32(20_260_105);
    const digits = (length: number) => Array.from({ length }, () => Math.floor(random() * 10)).join('');
    const baseTime = Date.UTC(2026, 0, 5, 9, 0, 0);
    const at = (minutes: number) => new Date(baseTime + minutes * 60_000);

    const businessOrganizationId = demoId('organization', 1);
    await tx.insert(organizations).values([
      { id: DEMO_ROOT_ORGANIZATION_ID, name: 'Demo Bank', parentId: null, createdAt: at(0) },
      { id: businessOrganizationId, name: 'Demo Bank Business Banking', parentId: DEMO_ROOT_ORGANIZATION_ID, createdAt: at(1) },
    ]);

    const customerRows: NewCustomer[] = [];
    const identityRows: (typeof identities.$inferInsert)[] = [];
    const addressRows: (typeof addresses.$inferInsert)[] = [];

    PEOPLE.forEach((person, i) => {
      const place = PLACES[Math.floor(i / 3) % PLACES.length]!;
      const id = demoId('customer', i);
      const year = 1950 + Math.floor(random() * 55);
      const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
      const day = String(1 + Math.floor(random() * 28)).padStart(2, '0');
      customerRows.push({
        id,
        organizationId: DEMO_ROOT_ORGANIZATION_ID,
        customerNumber: `40000000000${String(1001 + i).padStart(8, '0')}`,
        kind: 'PRIVATE',
        status: i === 13 ? 'SUSPENDED' : 'ACTIVE',
        salutation: person.gender === 'FEMALE' ? 'Ms' : person.gender === 'MALE' ? 'Mr' : null,
        firstName: person.first,
        lastName: person.last,
        middleName: i % 5 === 0 ? 'Maria' : null,
        dateOfBirth: `${year}-${month}-${day}`,
        gender: person.gender,
        locale: place.locale,
        currency: place.currency,
        email: `${person.first}.${person.last}`.normalize('NFD').replace(/[^\w.]/g, '').toLowerCase() + '@example.com',
        phoneMobile: demoMobile(place.country, 100 + i),
        phoneLandline: null,
        nationalities: i % 6 === 5 ? [place.country, 'SE'] : [place.country],
        screeningPep: i === 7,
        screeningSanctions: false,
        screeningRiskScore: i === 7 ? 'HIGH' : 'LOW',
        createdAt: at(10 + i * 37),
        updatedAt: at(10 + i * 37),
      });
      identityRows.push({
        id: demoId('identity', i * 2),
        customerId: id,
        type: 'PASSPORT',
        number: `P${digits(8)}`,
        issuingCountry: place.country,
        issuedOn: '2021-03-15',
        expiresOn: '2031-03-14',
        createdAt: at(10 + i * 37),
      });
      identityRows.push({
        id: demoId('identity', i * 2 + 1),
        customerId: id,
        type: place.country === 'US' ? 'SSN' : 'NATIONAL_ID',
        number: place.country === 'US' ? `${digits(3)}-${digits(2)}-${digits(4)}` : digits(11),
        issuingCountry: place.country,
        issuedOn: null,
        expiresOn: null,
        createdAt: at(10 + i * 37),
      });
      addressRows.push({
        id: demoId('address', i * 2),
        customerId: id,
        kind: 'RESIDENTIAL',
        line1: `${place.street} ${1 + Math.floor(random() * 120)}`,
        apartment: i % 2 === 0 ? `A ${1 + Math.floor(random() * 40)}` : null,
        city: place.city,
        region: place.region ?? null,
        postalCode: place.postalCode,
        country: place.country,
        validFrom: '2020-01-01',
        isPrimary: true,
        createdAt: at(10 + i * 37),
      });
      if (i % 3 === 0) {
        addressRows.push({
          id: demoId('address', i * 2 + 1),
          customerId: id,
          kind: 'PRIOR',
          line1: `${place.street} ${200 + Math.floor(random() * 50)}`,
          city: place.city,
          region: place.region ?? null,
          postalCode: place.postalCode,
          country: place.country,
          validFrom: '2012-06-01',
          validUntil: '2019-12-31',
          isPrimary: false,
          createdAt: at(10 + i * 37),
        });
      }
    });

    BUSINESSES.forEach((businessName, b) => {
      const place = PLACES[b % PLACES.length]!;
      const n = PEOPLE.length + b;
      const id = demoId('customer', n);
      customerRows.push({
        id,
        organizationId: businessOrganizationId,
        // Nordic Freight Oy (b = 0) is the parent of its two subsidiaries (b = 1, 2).
        parentId: b === 1 || b === 2 ? demoId('customer', PEOPLE.length) : null,
        customerNumber: `40000000000${String(1001 + n).padStart(8, '0')}`,
        kind: 'BUSINESS',
        status: 'ACTIVE',
        businessName,
        locale: place.locale,
        currency: place.currency,
        email: `accounts@${businessName.toLowerCase().replace(/[^a-z]+/g, '')}.example.com`,
        phoneWork: demoMobile(place.country, 500 + b),
        nationalities: [],
        createdAt: at(10 + n * 37),
        updatedAt: at(10 + n * 37),
      });
      identityRows.push({
        id: demoId('identity', n * 2),
        customerId: id,
        type: 'TAX_ID',
        number: `${place.country}${digits(9)}`,
        issuingCountry: place.country,
        createdAt: at(10 + n * 37),
      });
      addressRows.push({
        id: demoId('address', n * 2),
        customerId: id,
        kind: 'BUSINESS',
        line1: `${place.street} ${1 + Math.floor(random() * 120)}`,
        buildingName: b % 2 === 0 ? 'Business Centre' : null,
        floor: b % 2 === 0 ? String(2 + b) : null,
        city: place.city,
        region: place.region ?? null,
        postalCode: place.postalCode,
        country: place.country,
        isPrimary: true,
        company: businessName,
        createdAt: at(10 + n * 37),
      });
    });

    await tx.insert(customers).values(customerRows);
    await tx.insert(identities).values(identityRows);
    await tx.insert(addresses).values(addressRows);

    const relationshipId = demoId('relationship', 0);
    await tx.insert(relationships).values({
      id: relationshipId,
      organizationId: DEMO_ROOT_ORGANIZATION_ID,
      relationshipNumber: 'RL0000000001',
      createdAt: at(5),
    });

    const accountRows: NewAccount[] = [];
    const holderRows: (typeof accountHolders.$inferInsert)[] = [];
    const cardRows: NewCard[] = [];
    const networks = [
      { network: 'VISA', iin: '453201' },
      { network: 'MASTERCARD', iin: '545454' },
      { network: 'AMEX', iin: '378282' },
    ] as const;
    const addCard = (accountId: string, holderId: string, type: NewCard['type'], openedOn: string, createdAt: Date) => {
      const { network, iin } = networks[cardRows.length % networks.length]!;
      cardRows.push({
        id: demoId('card', cardRows.length),
        accountId,
        holderId,
        last4: digits(4),
        iin,
        type,
        network,
        status: 'ACTIVE',
        openedOn,
        createdAt,
      });
    };

    customerRows.forEach((customer, i) => {
      const accountId = demoId('account', i);
      const type: NewAccount['type'] =
        customer.kind === 'BUSINESS' ? 'BUSINESS_CHECKING' : (['CHECKING', 'SAVINGS', 'CREDIT'] as const)[i % 3]!;
      const openedOn = `20${String(15 + (i % 10)).padStart(2, '0')}-0${1 + (i % 9)}-15`;
      accountRows.push({
        id: accountId,
        organizationId: customer.organizationId,
        accountNumber: `4000${digits(15)}`,
        type,
        status: 'OPEN',
        currency: customer.currency ?? null,
        openedOn,
        portfolioId: customer.kind === 'BUSINESS' ? 'PF-SMB' : 'PF-RETAIL',
        createdAt: customer.createdAt!,
        updatedAt: customer.createdAt!,
      });
      holderRows.push({ accountId, customerId: customer.id, isPrimary: true, createdAt: customer.createdAt! });
      if (type !== 'SAVINGS') addCard(accountId, customer.id, type === 'CREDIT' ? 'CREDIT' : 'DEBIT', openedOn, customer.createdAt!);
    });

    // Joint accounts: customers 0+1, 2+3 and 4+5 share a checking account; the first of each pair is primary.
    for (let pair = 0; pair < 3; pair++) {
      const [primary, second] = [customerRows[pair * 2]!, customerRows[pair * 2 + 1]!];
      const accountId = demoId('account', 100 + pair);
      const createdAt = second.createdAt!;
      accountRows.push({
        id: accountId,
        organizationId: DEMO_ROOT_ORGANIZATION_ID,
        relationshipId: pair === 0 ? relationshipId : null,
        accountNumber: `4100${digits(15)}`,
        type: 'CHECKING',
        status: 'OPEN',
        currency: primary.currency ?? null,
        openedOn: '2022-05-01',
        portfolioId: 'PF-RETAIL',
        createdAt,
        updatedAt: createdAt,
      });
      holderRows.push({ accountId, customerId: primary.id, isPrimary: true, createdAt });
      holderRows.push({ accountId, customerId: second.id, isPrimary: false, createdAt });
      addCard(accountId, primary.id, 'DEBIT', '2022-05-01', createdAt);
      addCard(accountId, second.id, 'DEBIT', '2022-05-01', createdAt);
    }

    await tx.insert(accounts).values(accountRows);
    await tx.insert(accountHolders).values(holderRows);
    await tx.insert(cards).values(cardRows);
    await tx.insert(relationshipMembers).values([
      { relationshipId, customerId: customerRows[0]!.id, createdAt: at(5) },
      { relationshipId, customerId: customerRows[1]!.id, createdAt: at(5) },
    ]);

    return {
      loaded: true,
      organizations: 2,
      customers: customerRows.length,
      accounts: accountRows.length,
      cards: cardRows.length,
    };
  });
}

/**
 * Sends every demo customer to FirstVision (sandbox mode), so the demo's stitched fields —
 * demographics, accounts, cards, relationships, address history — have provider data behind them.
 * Goes through the ordinary validation, outbox and dispatch; returns what was refused.
 */
export async function linkDemoCustomers(deps: MutationDeps): Promise<Awaited<ReturnType<typeof routeStoredCustomers>>> {
  const ids = (await deps.database.db.select({ id: customers.id }).from(customers)).map((row) => row.id);
  return routeStoredCustomers(deps, ids, ['FIRSTVISION']);
}
