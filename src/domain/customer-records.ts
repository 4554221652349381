import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { inJsonList } from '../db/dialect-sql.js';
import { insertRows } from '../db/prepared-statements.js';
import type { CustomerRow } from '../db/schema.js';
import { accountHolders, accounts, addresses, cards, customers, identities } from '../db/tables.js';
import type { CanonicalCustomer } from './canonical-customer.js';

/** The customer table's columns for a canonical customer (everything but ids and relations). */
export function customerColumns(customer: CanonicalCustomer) {
  return {
    kind: customer.kind,
    status: customer.status,
    salutation: customer.name?.salutation ?? null,
    title: customer.name?.title ?? null,
    firstName: customer.name?.first ?? null,
    middleName: customer.name?.middle ?? null,
    lastName: customer.name?.last ?? null,
    suffix: customer.name?.suffix ?? null,
    businessName: customer.businessName ?? null,
    dateOfBirth: customer.dateOfBirth ?? null,
    gender: customer.gender ?? null,
    locale: customer.locale ?? null,
    currency: customer.currency ?? null,
    email: customer.email ?? null,
    phoneMobile: customer.phones?.mobile ?? null,
    phoneLandline: customer.phones?.landline ?? null,
    phoneAdditional: customer.phones?.additional ?? null,
    phoneWork: customer.phones?.work ?? null,
    nationalities: customer.nationalities,
    screeningPep: customer.screening?.pep ?? null,
    screeningSanctions: customer.screening?.sanctions ?? null,
    screeningRiskScore: customer.screening?.riskScore ?? null,
  };
}

export interface NewCustomer {
  customerId: string;
  /** Ids for `customer.accounts`, same order. */
  accountIds: readonly string[];
  organizationId: string;
  customerNumber: string;
  parentId: string | null;
  customer: CanonicalCustomer;
  now: Date;
}

/**
 * Writes a customer with its identities, addresses, accounts (it is their primary holder) and cards
 * (see insertCustomerGraphs). Returns the customer's row as stored.
 */
export async function insertCustomerGraph(tx: Db, record: NewCustomer): Promise<CustomerRow> {
  return (await insertCustomerGraphs(tx, [record]))[0]!;
}

/**
 * Writes customers with their identities, addresses, accounts (each customer is its accounts'
 * primary holder) and cards: table by table, parents first, in multi-row statements prepared once
 * per connection (insertRows), so a bulk import costs a few statements per table, not one per row.
 * Returns the customers' rows as stored, in `records`' order (every column is written here, none
 * left to a default), so a caller answering with them need not read them back.
 */
export async function insertCustomerGraphs(tx: Db, records: readonly NewCustomer[]): Promise<CustomerRow[]> {
  const rows: CustomerRow[] = [];
  const identityRows: (typeof identities.$inferInsert)[] = [];
  const addressRows: (typeof addresses.$inferInsert)[] = [];
  const accountRows: (typeof accounts.$inferInsert)[] = [];
  const holderRows: (typeof accountHolders.$inferInsert)[] = [];
  const cardRows: (typeof cards.$inferInsert)[] = [];
  for (const record of records) {
    const { customer, customerId, now } = record;
    rows.push({
      id: customerId,
      organizationId: record.organizationId,
      parentId: record.parentId,
      customerNumber: record.customerNumber,
      ...customerColumns(customer),
      createdAt: now,
      updatedAt: now,
    });
    identityRows.push(...identityRowsOf(customerId, customer, now));
    addressRows.push(...addressRowsOf(customerId, customer, now));
    customer.accounts.forEach((account, i) => {
      const accountId = record.accountIds[i]!;
      accountRows.push({
        id: accountId,
        organizationId: record.organizationId,
        accountNumber: account.accountNumber,
        type: account.type,
        status: account.status,
        currency: account.currency ?? customer.currency ?? null,
        openedOn: account.openedOn ?? null,
        closedOn: account.closedOn ?? null,
        portfolioId: account.portfolioId ?? null,
        createdAt: now,
        updatedAt: now,
      });
      holderRows.push({ accountId, customerId, isPrimary: true, createdAt: now });
      for (const card of account.cards) {
        cardRows.push({
          id: randomUUID(),
          accountId,
          holderId: customerId,
          last4: card.last4,
          iin: card.iin,
          type: card.type,
          status: card.status,
          network: card.network,
          openedOn: card.openedOn ?? null,
          closedOn: card.closedOn ?? null,
          createdAt: now,
        });
      }
    });
  }
  await insertRows(tx, 'customers', customers, rows);
  await insertRows(tx, 'identities', identities, identityRows);
  await insertRows(tx, 'addresses', addresses, addressRows);
  await insertRows(tx, 'accounts', accounts, accountRows);
  await insertRows(tx, 'accountHolders', accountHolders, holderRows);
  await insertRows(tx, 'cards', cards, cardRows);
  return rows;
}

/** Replaces the customer's columns, identities and addresses with the canonical customer's (accounts are kept). */
export async function replaceCustomerDetails(tx: Db, customerId: string, customer: CanonicalCustomer, now: Date): Promise<void> {
  await tx.update(customers).set({ ...customerColumns(customer), updatedAt: now }).where(eq(customers.id, customerId));
  await tx.delete(identities).where(eq(identities.customerId, customerId));
  await tx.delete(addresses).where(eq(addresses.customerId, customerId));
  await insertRows(tx, 'identities', identities, identityRowsOf(customerId, customer, now));
  await insertRows(tx, 'addresses', addresses, addressRowsOf(customerId, customer, now));
}

function identityRowsOf(customerId: string, customer: CanonicalCustomer, now: Date): (typeof identities.$inferInsert)[] {
  return customer.identities.map((identity, i) => ({
    id: randomUUID(),
    customerId,
    type: identity.type,
    number: identity.number,
    issuingCountry: identity.issuingCountry,
    issuedOn: identity.issuedOn ?? null,
    expiresOn: identity.expiresOn ?? null,
    // keeps the caller's order: loaders sort by (created_at, id)
    createdAt: new Date(now.getTime() + i),
  }));
}

function addressRowsOf(customerId: string, customer: CanonicalCustomer, now: Date): (typeof addresses.$inferInsert)[] {
  return customer.addresses.map((address, i) => ({
    id: randomUUID(),
    customerId,
    kind: address.kind,
    line1: address.line1,
    line2: address.line2 ?? null,
    buildingNumber: address.buildingNumber ?? null,
    buildingName: address.buildingName ?? null,
    floor: address.floor ?? null,
    apartment: address.apartment ?? null,
    entrance: address.entrance ?? null,
    poBox: address.poBox ?? null,
    city: address.city,
    county: address.county ?? null,
    region: address.region ?? null,
    postalCode: address.postalCode ?? null,
    country: address.country,
    validFrom: address.validFrom ?? null,
    validUntil: address.validUntil ?? null,
    isPrimary: address.isPrimary,
    recipientName: address.recipientName ?? null,
    company: address.company ?? null,
    createdAt: new Date(now.getTime() + i),
  }));
}

/** Customer numbers from `numbers` that are already used. */
export async function takenCustomerNumbers(db: Db, numbers: readonly string[]): Promise<Set<string>> {
  if (numbers.length === 0) return new Set();
  const rows = await db
    .select({ customerNumber: customers.customerNumber })
    .from(customers)
    .where(inJsonList(customers.customerNumber, numbers));
  return new Set(rows.map((row) => row.customerNumber));
}

/** Account numbers from `numbers` already used in the organization. */
export async function takenAccountNumbers(db: Db, organizationId: string, numbers: readonly string[]): Promise<Set<string>> {
  if (numbers.length === 0) return new Set();
  const rows = await db
    .select({ accountNumber: accounts.accountNumber })
    .from(accounts)
    .where(and(eq(accounts.organizationId, organizationId), inJsonList(accounts.accountNumber, numbers)));
  return new Set(rows.map((row) => row.accountNumber));
}

/** The stored customer as the raw `CustomerInput` shape, so an update can patch it and re-validate the whole. */
export async function storedCustomerInput(db: Db, customer: CustomerRow): Promise<Record<string, unknown>> {
  const [identityRows, addressRows] = await Promise.all([
    db.select().from(identities).where(eq(identities.customerId, customer.id)).orderBy(identities.createdAt, identities.id),
    db.select().from(addresses).where(eq(addresses.customerId, customer.id)).orderBy(addresses.createdAt, addresses.id),
  ]);
  const strip = <T extends Record<string, unknown>>(row: T, drop: string[]) =>
    Object.fromEntries(Object.entries(row).filter(([key, value]) => !drop.includes(key) && value !== null));
  return {
    customerNumber: customer.customerNumber,
    kind: customer.kind,
    status: customer.status,
    name:
      customer.kind === 'PRIVATE'
        ? strip(
            {
              salutation: customer.salutation,
              title: customer.title,
              first: customer.firstName,
              middle: customer.middleName,
              last: customer.lastName,
              suffix: customer.suffix,
            },
            [],
          )
        : undefined,
    businessName: customer.businessName,
    dateOfBirth: customer.dateOfBirth,
    gender: customer.gender,
    locale: customer.locale,
    currency: customer.currency,
    email: customer.email,
    phones: strip(
      { mobile: customer.phoneMobile, landline: customer.phoneLandline, additional: customer.phoneAdditional, work: customer.phoneWork },
      [],
    ),
    nationalities: customer.nationalities,
    identities: identityRows.map((row) => strip(row, ['id', 'customerId', 'createdAt'])),
    addresses: addressRows.map((row) => strip(row, ['id', 'customerId', 'createdAt'])),
    screening: strip({ pep: customer.screeningPep, sanctions: customer.screeningSanctions, riskScore: customer.screeningRiskScore }, []),
  };
}

/**
 * The accounts the customer holds as primary holder, with the cards issued to it, as `AccountInput`
 * shapes, and their ids in the same order — what a provider create needs for a stored customer.
 */
export async function storedPrimaryAccounts(
  db: Db,
  customerId: string,
): Promise<{ accounts: Record<string, unknown>[]; accountIds: string[] }> {
  const rows = await db
    .select({ account: accounts })
    .from(accountHolders)
    .innerJoin(accounts, eq(accounts.id, accountHolders.accountId))
    .where(and(eq(accountHolders.customerId, customerId), eq(accountHolders.isPrimary, true)))
    .orderBy(accounts.createdAt, accounts.id);
  const accountIds = rows.map((row) => row.account.id);
  const cardRows = accountIds.length
    ? await db
        .select()
        .from(cards)
        .where(and(inArray(cards.accountId, accountIds), eq(cards.holderId, customerId)))
        .orderBy(cards.createdAt, cards.id)
    : [];
  const present = <T extends Record<string, unknown>>(row: T) =>
    Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null));
  return {
    accountIds,
    accounts: rows.map(({ account }) =>
      present({
        accountNumber: account.accountNumber,
        type: account.type,
        status: account.status,
        currency: account.currency,
        openedOn: account.openedOn,
        closedOn: account.closedOn,
        portfolioId: account.portfolioId,
        cards: cardRows
          .filter((card) => card.accountId === account.id)
          .map((card) =>
            present({
              last4: card.last4,
              iin: card.iin,
              type: card.type,
              status: card.status,
              network: card.network,
              openedOn: card.openedOn,
              closedOn: card.closedOn,
            }),
          ),
      }),
    ),
  };
}
