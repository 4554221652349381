import type { AccountRow, CardRow, CustomerRow, RelationshipRow } from '../db/schema.js';
import type {
  FirstvisionAccount,
  FirstvisionAddress,
  FirstvisionCard,
  FirstvisionCustomerRef,
  FirstvisionDemographics,
} from '../providers/firstvision/read-model.js';
import type { Loaders } from './index.js';
import type { ProviderReadLoaders } from './provider-reads.js';

/**
 * Stitching FirstVision's data into the graph: a customer linked to FirstVision gets the accounts,
 * cards and relationship numbers FirstVision holds merged with the local ones (local wins where
 * both know the same number), and its demographics and address history. Records known only at
 * FirstVision become rows with ids `firstvision:<org>:<key>` (source FIRSTVISION) and are primed
 * into the request's loaders, so fields below them resolve like any other.
 */

export interface StitchContext {
  loaders: Loaders;
  reads: ProviderReadLoaders;
  /** The organization FirstVision customers are kept under when their link's options name none. */
  firstvisionOrganization: number;
}

export type RecordSource = 'LOCAL' | 'FIRSTVISION';

const PREFIX = 'firstvision:';

/** Where a row came from: ours, or known only at FirstVision. */
export function recordSourceOf(row: { id: string }): RecordSource {
  return row.id.startsWith(PREFIX) ? 'FIRSTVISION' : 'LOCAL';
}

/** The customer at FirstVision, if it has been synced there (its link carries the customer number). */
export async function firstvisionRefOf(ctx: StitchContext, customer: CustomerRow): Promise<FirstvisionCustomerRef | null> {
  const links = await ctx.loaders.providerLinksByCustomerId.load(customer.id);
  const link = links.find((candidate) => candidate.provider === 'FIRSTVISION' && candidate.externalId);
  if (!link) return null;
  const organization = (link.options as { organizationNumber?: number | null } | null)?.organizationNumber;
  return { organizationNumber: organization ?? ctx.firstvisionOrganization, customerNumber: link.externalId! };
}

export async function demographicsOf(ctx: StitchContext, customer: CustomerRow): Promise<FirstvisionDemographics | null> {
  const ref = await firstvisionRefOf(ctx, customer);
  return ref ? ctx.reads.firstvisionDemographics.load(ref) : null;
}

/** FirstVision's internal status letters are not published: A (and blank) read as open, C and Z (purged) as closed. */
function accountStatus(internal: string | null): AccountRow['status'] {
  return internal && ['C', 'Z'].includes(internal.toUpperCase()) ? 'CLOSED' : 'OPEN';
}

function remoteAccount(customer: CustomerRow, account: FirstvisionAccount): AccountRow {
  return {
    id: `${PREFIX}${account.organizationNumber}:${account.accountNumber}`,
    organizationId: customer.organizationId,
    relationshipId: null,
    accountNumber: account.accountNumber,
    type: 'OTHER',
    status: accountStatus(account.internalStatus),
    currency: null,
    openedOn: null,
    closedOn: null,
    portfolioId: null,
    // not exposed for FirstVision rows (the fields resolve to null); kept only to fit the row type
    createdAt: new Date(0),
    updatedAt: new Date(0),
  };
}

/** FirstVision's raw account status, for the rows that came from it. */
const providerStatuses = new WeakMap<AccountRow, string | null>();
export function providerStatusOf(account: AccountRow): string | null {
  return providerStatuses.get(account) ?? null;
}

/**
 * FirstVision's answers for the customers of a page arrive in different ticks, so SQL first asked
 * for after them would run as several statements. What the fields below a merged list read from
 * the database is therefore started before waiting for FirstVision — while every customer of the
 * page is at this point together — and stays one batched statement per loader at any page size.
 * Failures surface where the values are used (the loaders cache the rejected promise).
 */
function prefetch(loads: Promise<unknown>[]): void {
  for (const load of loads) load.catch(() => undefined);
}

export async function mergedAccountsOf(ctx: StitchContext, customer: CustomerRow): Promise<AccountRow[]> {
  const [local, ref] = await Promise.all([ctx.loaders.accountsByCustomerId.load(customer.id), firstvisionRefOf(ctx, customer)]);
  if (!ref) return local;
  for (const account of local) ctx.loaders.accountById.prime(account.id, account);
  prefetch([
    ctx.loaders.cardsByHolderId.load(customer.id),
    ...local.flatMap((account) => [ctx.loaders.cardsByAccountId.load(account.id), ctx.loaders.holdersByAccountId.load(account.id)]),
  ]);
  const { accounts } = await ctx.reads.firstvisionAccounts.load(ref);
  const known = new Set(local.map((account) => account.accountNumber));
  const remote = accounts
    .filter((account) => !known.has(account.accountNumber))
    .map((account) => {
      const row = remoteAccount(customer, account);
      providerStatuses.set(row, account.internalStatus);
      ctx.loaders.accountById.prime(row.id, row);
      ctx.loaders.holdersByAccountId.prime(row.id, [{ isPrimary: true, customer }]);
      // known only at FirstVision: no local cards, nothing to ask the database
      ctx.loaders.cardsByAccountId.prime(row.id, []);
      return row;
    });
  return [...local, ...remote];
}

function remoteCard(card: FirstvisionCard, accountId: string, holderId: string, index: number): CardRow {
  return {
    id: `${PREFIX}${accountId.startsWith(PREFIX) ? accountId.slice(PREFIX.length) : accountId}:${card.iin}${card.last4}:${index}`,
    accountId,
    holderId,
    last4: card.last4,
    iin: card.iin,
    type: card.type ?? 'OTHER',
    status: card.status,
    network: card.network,
    openedOn: null,
    closedOn: null,
    createdAt: new Date(0),
  };
}

/** FirstVision's cards of the customer as rows on the merged accounts, minus the ones known locally. */
async function remoteCardsOf(ctx: StitchContext, customer: CustomerRow, ref: FirstvisionCustomerRef): Promise<CardRow[]> {
  const [cards, accounts, localCards] = await Promise.all([
    ctx.reads.firstvisionCards.load(ref),
    mergedAccountsOf(ctx, customer),
    ctx.loaders.cardsByHolderId.load(customer.id),
  ]);
  const accountIdByNumber = new Map(accounts.map((account) => [account.accountNumber, account.id]));
  const localAccountNumber = new Map(accounts.map((account) => [account.id, account.accountNumber]));
  const knownLocally = new Set(localCards.map((card) => `${localAccountNumber.get(card.accountId)}:${card.iin}:${card.last4}`));
  const seen = new Map<string, number>();
  return cards.flatMap((card) => {
    if (knownLocally.has(`${card.accountNumber}:${card.iin}:${card.last4}`)) return [];
    const accountId = accountIdByNumber.get(card.accountNumber) ?? `${PREFIX}${ref.organizationNumber}:${card.accountNumber}`;
    const key = `${accountId}:${card.iin}${card.last4}`;
    const index = seen.get(key) ?? 0;
    seen.set(key, index + 1);
    const row = remoteCard(card, accountId, customer.id, index);
    ctx.loaders.cardById.prime(row.id, row);
    return [row];
  });
}

export async function mergedCardsOfCustomer(ctx: StitchContext, customer: CustomerRow): Promise<CardRow[]> {
  const [local, ref] = await Promise.all([ctx.loaders.cardsByHolderId.load(customer.id), firstvisionRefOf(ctx, customer)]);
  return ref ? [...local, ...(await remoteCardsOf(ctx, customer, ref))] : local;
}

/** The account's local cards, plus FirstVision's for it when its primary holder is linked there. */
export async function mergedCardsOfAccount(ctx: StitchContext, account: AccountRow): Promise<CardRow[]> {
  const [local, holders] = await Promise.all([ctx.loaders.cardsByAccountId.load(account.id), ctx.loaders.holdersByAccountId.load(account.id)]);
  const holder = holders.find((candidate) => candidate.isPrimary)?.customer;
  const ref = holder ? await firstvisionRefOf(ctx, holder) : null;
  if (!holder || !ref) return local;
  const remote = (await remoteCardsOf(ctx, holder, ref)).filter((card) => card.accountId === account.id);
  return [...local, ...remote];
}

export async function mergedRelationshipsOf(ctx: StitchContext, customer: CustomerRow): Promise<RelationshipRow[]> {
  const [local, ref] = await Promise.all([ctx.loaders.relationshipsByCustomerId.load(customer.id), firstvisionRefOf(ctx, customer)]);
  if (!ref) return local;
  prefetch(
    local.flatMap((relationship) => [
      ctx.loaders.membersByRelationshipId.load(relationship.id),
      ctx.loaders.accountsByRelationshipId.load(relationship.id),
    ]),
  );
  const numbers = await ctx.reads.firstvisionRelationships.load(ref);
  const known = new Set(local.map((relationship) => relationship.relationshipNumber));
  const remote = [...new Set(numbers)]
    .filter((number) => !known.has(number))
    .map((relationshipNumber) => {
      const row: RelationshipRow = {
        id: `${PREFIX}${ref.organizationNumber}:${relationshipNumber}`,
        organizationId: customer.organizationId,
        relationshipNumber,
        createdAt: new Date(0),
      };
      ctx.loaders.relationshipById.prime(row.id, row);
      ctx.loaders.membersByRelationshipId.prime(row.id, [customer]);
      ctx.loaders.accountsByRelationshipId.prime(row.id, []);
      return row;
    });
  return [...local, ...remote];
}

export interface AddressHistoryEntry {
  period: 'CURRENT' | 'PRIOR';
  source: RecordSource;
  lines: string[];
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
  validFrom: string | null;
  validUntil: string | null;
  /** The stored address, for local entries. */
  addressId: string | null;
}

/**
 * Current and prior addresses: the local ones (PRIOR kind, or validity ended before `today`, is
 * prior) and, for a customer linked to FirstVision, its current and prior mailing addresses.
 */
export async function addressHistoryOf(ctx: StitchContext, customer: CustomerRow, today: string): Promise<AddressHistoryEntry[]> {
  const [local, ref] = await Promise.all([ctx.loaders.addressesByCustomerId.load(customer.id), firstvisionRefOf(ctx, customer)]);
  for (const address of local) ctx.loaders.addressById.prime(address.id, address);
  const entries: AddressHistoryEntry[] = local.map((address) => ({
    period: address.kind === 'PRIOR' || (address.validUntil !== null && address.validUntil < today) ? 'PRIOR' : 'CURRENT',
    source: 'LOCAL',
    lines: [[address.line1, address.buildingNumber].filter(Boolean).join(' '), address.line2].filter((line): line is string => !!line),
    city: address.city,
    region: address.region,
    postalCode: address.postalCode,
    country: address.country,
    validFrom: address.validFrom,
    validUntil: address.validUntil,
    addressId: address.id,
  }));
  if (!ref) return entries;
  const remote: FirstvisionAddress[] = await ctx.reads.firstvisionAddressHistory.load(ref);
  return [
    ...entries,
    ...remote.map((address) => ({
      period: address.period,
      source: 'FIRSTVISION' as const,
      lines: [address.houseNumber, ...address.lines].filter((line): line is string => !!line),
      city: address.city,
      region: address.region,
      postalCode: address.postalCode,
      country: address.country,
      validFrom: null,
      validUntil: null,
      addressId: null,
    })),
  ];
}
