import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import {
  accountHolders,
  accounts,
  addresses,
  cards,
  customers,
  identities,
  organizations,
  providerLinks,
  relationshipMembers,
  relationships,
} from '../db/schema.js';
import { groupLoader as keyedGroupLoader, rowLoader as keyedRowLoader, type KeyedLoaderOptions } from './keyed.js';

export type Loaders = ReturnType<typeof createLoaders>;

/**
 * The per-request loaders, one per relation: each level of a query costs one SQL statement,
 * whatever the page size. Build a new set for every request; they cache for its lifetime only.
 * `options.batch: false` (DATALOADER_BATCHING=off) exists only so the benchmark can show the N+1 cost.
 * @example const loaders = createLoaders(db); await loaders.identitiesByCustomerId.load(customerId);
 */
export function createLoaders(db: Db, options: KeyedLoaderOptions = {}) {
  const rowLoader = <K, V>(fetch: (keys: K[]) => Promise<V[]>, keyOf: (row: V) => K) => keyedRowLoader(fetch, keyOf, options);
  const groupLoader = <K, V, R = V>(fetch: (keys: K[]) => Promise<V[]>, keyOf: (row: V) => K, project?: (row: V) => R) =>
    keyedGroupLoader(fetch, keyOf, project, options);
  const customerById = rowLoader(
    (ids: string[]) => db.select().from(customers).where(inArray(customers.id, ids)),
    (row) => row.id,
  );

  const loaders = {
    organizationById: rowLoader(
      (ids: string[]) => db.select().from(organizations).where(inArray(organizations.id, ids)),
      (row) => row.id,
    ),
    customerById,
    customerByNumber: rowLoader(
      (numbers: string[]) => db.select().from(customers).where(inArray(customers.customerNumber, numbers)),
      (row) => row.customerNumber,
    ),
    subCustomersByParentId: groupLoader(
      (ids: string[]) =>
        db.select().from(customers).where(inArray(customers.parentId, ids)).orderBy(asc(customers.createdAt), asc(customers.id)),
      (row) => row.parentId!,
    ),
    identityById: rowLoader(
      (ids: string[]) => db.select().from(identities).where(inArray(identities.id, ids)),
      (row) => row.id,
    ),
    identitiesByCustomerId: groupLoader(
      (ids: string[]) =>
        db.select().from(identities).where(inArray(identities.customerId, ids)).orderBy(asc(identities.createdAt), asc(identities.id)),
      (row) => row.customerId,
    ),
    addressById: rowLoader(
      (ids: string[]) => db.select().from(addresses).where(inArray(addresses.id, ids)),
      (row) => row.id,
    ),
    addressesByCustomerId: groupLoader(
      (ids: string[]) =>
        db
          .select()
          .from(addresses)
          .where(inArray(addresses.customerId, ids))
          .orderBy(desc(addresses.isPrimary), asc(addresses.createdAt), asc(addresses.id)),
      (row) => row.customerId,
    ),
    accountById: rowLoader(
      (ids: string[]) => db.select().from(accounts).where(inArray(accounts.id, ids)),
      (row) => row.id,
    ),
    accountsByCustomerId: groupLoader(
      (ids: string[]) =>
        db
          .select({ customerId: accountHolders.customerId, account: accounts })
          .from(accountHolders)
          .innerJoin(accounts, eq(accounts.id, accountHolders.accountId))
          .where(inArray(accountHolders.customerId, ids))
          .orderBy(asc(accounts.createdAt), asc(accounts.id)),
      (row) => row.customerId,
      (row) => row.account,
    ),
    /** Holders of each account, the primary holder first. */
    holdersByAccountId: groupLoader(
      (ids: string[]) =>
        db
          .select({ accountId: accountHolders.accountId, isPrimary: accountHolders.isPrimary, customer: customers })
          .from(accountHolders)
          .innerJoin(customers, eq(customers.id, accountHolders.customerId))
          .where(inArray(accountHolders.accountId, ids))
          .orderBy(desc(accountHolders.isPrimary), asc(accountHolders.createdAt), asc(customers.id)),
      (row) => row.accountId,
      (row) => {
        customerById.prime(row.customer.id, row.customer);
        return { isPrimary: row.isPrimary, customer: row.customer };
      },
    ),
    cardById: rowLoader(
      (ids: string[]) => db.select().from(cards).where(inArray(cards.id, ids)),
      (row) => row.id,
    ),
    cardsByAccountId: groupLoader(
      (ids: string[]) =>
        db.select().from(cards).where(inArray(cards.accountId, ids)).orderBy(asc(cards.createdAt), asc(cards.id)),
      (row) => row.accountId,
    ),
    cardsByHolderId: groupLoader(
      (ids: string[]) =>
        db.select().from(cards).where(inArray(cards.holderId, ids)).orderBy(asc(cards.createdAt), asc(cards.id)),
      (row) => row.holderId,
    ),
    relationshipById: rowLoader(
      (ids: string[]) => db.select().from(relationships).where(inArray(relationships.id, ids)),
      (row) => row.id,
    ),
    relationshipsByCustomerId: groupLoader(
      (ids: string[]) =>
        db
          .select({ customerId: relationshipMembers.customerId, relationship: relationships })
          .from(relationshipMembers)
          .innerJoin(relationships, eq(relationships.id, relationshipMembers.relationshipId))
          .where(inArray(relationshipMembers.customerId, ids))
          .orderBy(asc(relationships.createdAt), asc(relationships.id)),
      (row) => row.customerId,
      (row) => row.relationship,
    ),
    membersByRelationshipId: groupLoader(
      (ids: string[]) =>
        db
          .select({ relationshipId: relationshipMembers.relationshipId, customer: customers })
          .from(relationshipMembers)
          .innerJoin(customers, eq(customers.id, relationshipMembers.customerId))
          .where(inArray(relationshipMembers.relationshipId, ids))
          .orderBy(asc(relationshipMembers.createdAt), asc(customers.id)),
      (row) => row.relationshipId,
      (row) => {
        customerById.prime(row.customer.id, row.customer);
        return row.customer;
      },
    ),
    accountsByRelationshipId: groupLoader(
      (ids: string[]) =>
        db
          .select()
          .from(accounts)
          .where(inArray(accounts.relationshipId, ids))
          .orderBy(asc(accounts.createdAt), asc(accounts.id)),
      (row) => row.relationshipId!,
    ),
    providerLinksByCustomerId: groupLoader(
      (ids: string[]) =>
        db
          .select()
          .from(providerLinks)
          .where(inArray(providerLinks.customerId, ids))
          .orderBy(asc(providerLinks.provider)),
      (row) => row.customerId,
    ),
  };
  return loaders;
}
