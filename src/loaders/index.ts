import { asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Database } from '../db/client.js';
import { accountHolders, accounts, addresses, cards, customers, identities, organizations, providerLinks, relationshipMembers, relationships } from '../db/tables.js';
import { groupLoader as keyedGroupLoader, rowLoader as keyedRowLoader, type KeyedLoaderOptions } from './keyed.js';
import { keyedSelect, tableShape, type KeyedSelect, type SelectShape } from './keyed-select.js';

export type Loaders = ReturnType<typeof createLoaders>;

/**
 * The per-request loaders, one per relation: each level of a query costs one SQL statement,
 * whatever the page size. Build a new set for every request; they cache for its lifetime only.
 * Each batch runs through keyedSelect: drizzle's SQL, rendered once per batch size, rows decoded by
 * a compiled decoder. `options.batch: false` (DATALOADER_BATCHING=off) exists only so the benchmark
 * can show the N+1 cost.
 * @example const loaders = createLoaders(database); await loaders.identitiesByCustomerId.load(customerId);
 */
export function createLoaders(database: Database, options: KeyedLoaderOptions = {}) {
  const select = selectors(database);
  // each loader is named after its key in the returned object, for the batch-size metric
  const rowLoader = <K, V>(name: string, fetch: (keys: K[]) => Promise<V[]>, keyOf: (row: V) => K) =>
    keyedRowLoader(fetch, keyOf, { ...options, name });
  const groupLoader = <K, V, R = V>(name: string, fetch: (keys: K[]) => Promise<V[]>, keyOf: (row: V) => K, project?: (row: V) => R) =>
    keyedGroupLoader(fetch, keyOf, project, { ...options, name });

  const customerById = rowLoader('customerById', select.customersById, (row) => row.id);

  const loaders = {
    organizationById: rowLoader('organizationById', select.organizationsById, (row) => row.id),
    customerById,
    customerByNumber: rowLoader('customerByNumber', select.customersByNumber, (row) => row.customerNumber),
    subCustomersByParentId: groupLoader('subCustomersByParentId', select.customersByParentId, (row) => row.parentId!),
    identityById: rowLoader('identityById', select.identitiesById, (row) => row.id),
    identitiesByCustomerId: groupLoader('identitiesByCustomerId', select.identitiesByCustomerId, (row) => row.customerId),
    addressById: rowLoader('addressById', select.addressesById, (row) => row.id),
    addressesByCustomerId: groupLoader('addressesByCustomerId', select.addressesByCustomerId, (row) => row.customerId),
    accountById: rowLoader('accountById', select.accountsById, (row) => row.id),
    /** Account numbers are unique per organization: every organization's account of that number. */
    accountsByNumber: groupLoader('accountsByNumber', select.accountsByNumber, (row) => row.accountNumber),
    accountsByCustomerId: groupLoader(
      'accountsByCustomerId',
      select.accountsByCustomerId,
      (row) => row.customerId,
      (row) => row.account,
    ),
    /** Holders of each account, the primary holder first. */
    holdersByAccountId: groupLoader(
      'holdersByAccountId',
      select.holdersByAccountId,
      (row) => row.accountId,
      (row) => {
        customerById.prime(row.customer.id, row.customer);
        return { isPrimary: row.isPrimary, customer: row.customer };
      },
    ),
    cardById: rowLoader('cardById', select.cardsById, (row) => row.id),
    cardsByAccountId: groupLoader('cardsByAccountId', select.cardsByAccountId, (row) => row.accountId),
    cardsByHolderId: groupLoader('cardsByHolderId', select.cardsByHolderId, (row) => row.holderId),
    relationshipById: rowLoader('relationshipById', select.relationshipsById, (row) => row.id),
    relationshipsByCustomerId: groupLoader(
      'relationshipsByCustomerId',
      select.relationshipsByCustomerId,
      (row) => row.customerId,
      (row) => row.relationship,
    ),
    membersByRelationshipId: groupLoader(
      'membersByRelationshipId',
      select.membersByRelationshipId,
      (row) => row.relationshipId,
      (row) => {
        customerById.prime(row.customer.id, row.customer);
        return row.customer;
      },
    ),
    accountsByRelationshipId: groupLoader('accountsByRelationshipId', select.accountsByRelationshipId, (row) => row.relationshipId!),
    providerLinksByCustomerId: groupLoader('providerLinksByCustomerId', select.providerLinksByCustomerId, (row) => row.customerId),
  };
  return loaders;
}

/** The batch queries behind the loaders, one set per connection (their rendered SQL outlives requests). */
const selectorsByDatabase = new WeakMap<Database, ReturnType<typeof createSelectors>>();
function selectors(database: Database): ReturnType<typeof createSelectors> {
  let found = selectorsByDatabase.get(database);
  if (!found) selectorsByDatabase.set(database, (found = createSelectors(database)));
  return found;
}

/** Every batch query of the loaders: the SQL drizzle renders for it, run through keyedSelect. */
export function createSelectors(database: Database) {
  const { db } = database;
  /** Whole rows of `table` whose `key` is one of the batch's keys, in `order`. */
  const rowsOf = <T extends SQLiteTable>(table: T, key: SQLiteColumn, ...order: SQL[]): KeyedSelect<string, T['$inferSelect'][]> =>
    keyedSelect(database, tableShape(table), (keys: string[]) =>
      db.select().from(table as SQLiteTable).where(inArray(key, keys)).orderBy(...order),
    ) as KeyedSelect<string, T['$inferSelect'][]>;
  const accountsOfHolder = { customerId: accountHolders.customerId, account: accounts } satisfies SelectShape;
  const holdersOfAccount = { accountId: accountHolders.accountId, isPrimary: accountHolders.isPrimary, customer: customers } satisfies SelectShape;
  const relationshipsOfMember = { customerId: relationshipMembers.customerId, relationship: relationships } satisfies SelectShape;
  const membersOfRelationship = { relationshipId: relationshipMembers.relationshipId, customer: customers } satisfies SelectShape;
  return {
    organizationsById: rowsOf(organizations, organizations.id),
    customersById: rowsOf(customers, customers.id),
    customersByNumber: rowsOf(customers, customers.customerNumber),
    customersByParentId: rowsOf(customers, customers.parentId, asc(customers.createdAt), asc(customers.id)),
    identitiesById: rowsOf(identities, identities.id),
    identitiesByCustomerId: rowsOf(identities, identities.customerId, asc(identities.createdAt), asc(identities.id)),
    addressesById: rowsOf(addresses, addresses.id),
    addressesByCustomerId: rowsOf(addresses, addresses.customerId, desc(addresses.isPrimary), asc(addresses.createdAt), asc(addresses.id)),
    accountsById: rowsOf(accounts, accounts.id),
    accountsByNumber: rowsOf(accounts, accounts.accountNumber, asc(accounts.organizationId)),
    accountsByCustomerId: keyedSelect(database, accountsOfHolder, (ids: string[]) =>
      db
        .select(accountsOfHolder)
        .from(accountHolders)
        .innerJoin(accounts, eq(accounts.id, accountHolders.accountId))
        .where(inArray(accountHolders.customerId, ids))
        .orderBy(asc(accounts.createdAt), asc(accounts.id)),
    ),
    holdersByAccountId: keyedSelect(database, holdersOfAccount, (ids: string[]) =>
      db
        .select(holdersOfAccount)
        .from(accountHolders)
        .innerJoin(customers, eq(customers.id, accountHolders.customerId))
        .where(inArray(accountHolders.accountId, ids))
        .orderBy(desc(accountHolders.isPrimary), asc(accountHolders.createdAt), asc(customers.id)),
    ),
    cardsById: rowsOf(cards, cards.id),
    cardsByAccountId: rowsOf(cards, cards.accountId, asc(cards.createdAt), asc(cards.id)),
    cardsByHolderId: rowsOf(cards, cards.holderId, asc(cards.createdAt), asc(cards.id)),
    relationshipsById: rowsOf(relationships, relationships.id),
    relationshipsByCustomerId: keyedSelect(database, relationshipsOfMember, (ids: string[]) =>
      db
        .select(relationshipsOfMember)
        .from(relationshipMembers)
        .innerJoin(relationships, eq(relationships.id, relationshipMembers.relationshipId))
        .where(inArray(relationshipMembers.customerId, ids))
        .orderBy(asc(relationships.createdAt), asc(relationships.id)),
    ),
    membersByRelationshipId: keyedSelect(database, membersOfRelationship, (ids: string[]) =>
      db
        .select(membersOfRelationship)
        .from(relationshipMembers)
        .innerJoin(customers, eq(customers.id, relationshipMembers.customerId))
        .where(inArray(relationshipMembers.relationshipId, ids))
        .orderBy(asc(relationshipMembers.createdAt), asc(customers.id)),
    ),
    accountsByRelationshipId: rowsOf(accounts, accounts.relationshipId, asc(accounts.createdAt), asc(accounts.id)),
    providerLinksByCustomerId: rowsOf(providerLinks, providerLinks.customerId, asc(providerLinks.provider)),
  };
}
