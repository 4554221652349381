import { and, eq, inArray, notInArray, or, sql } from 'drizzle-orm';
import { identityLookupPrefix } from '../db/identity-encryption.js';
import type { CustomerRow } from '../db/schema.js';
import { addresses, customers, identities, providerLinks } from '../db/tables.js';
import { AppError, ErrorCode } from '../errors.js';
import type { FirstvisionLookupCriteria, FirstvisionLookupMatch } from '../providers/firstvision/read-model.js';
import { ProviderError } from '../providers/errors.js';
import { matchScore, type MatchMode } from './text-match.js';

export interface TextCriterion {
  value: string;
  mode: MatchMode;
}

export interface LookupCriteria {
  /** Last name or business name. */
  name?: TextCriterion | null;
  firstName?: TextCriterion | null;
  /** An identity number or the customer number. */
  identifier?: TextCriterion | null;
  /** Any of the customer's phones; compared on digits only. */
  phone?: TextCriterion | null;
  postalCode?: TextCriterion | null;
  /** YYYY-MM-DD, exact. */
  dateOfBirth?: string | null;
  /** alpha-2, exact: an address country or a nationality. */
  country?: string | null;
}

export interface LookupMatch {
  /** The customer here; null when only FirstVision knows it. */
  customer: CustomerRow | null;
  firstvision: FirstvisionLookupMatch | null;
  /** 0–1: the mean over the criteria of how well each matched (exact 1, prefix/suffix 0.8, fuzzy 0.7–0.8). */
  score: number;
  sources: ('LOCAL' | 'FIRSTVISION')[];
}

export interface LookupSearch {
  /** FirstVision's side of the search, when FirstVision is to be asked. */
  firstvision?: {
    organizationNumber: number;
    lookup: (criteria: FirstvisionLookupCriteria) => Promise<FirstvisionLookupMatch[]>;
  };
}

/** Matches asked of FirstVision per lookup; the ranking then pages over local and provider results together. */
const FIRSTVISION_LOOKUP_LIMIT = 100;

/**
 * customerLookup: every criterion must match (AND); each text criterion has its own mode. Local
 * customers of the organization and FirstVision's matches are merged, deduplicated by customer
 * (a FirstVision customer number linked to or equal to a local customer's is that customer),
 * ranked by score, then customer number. If FirstVision cannot be asked, local results still come
 * back with `firstvisionError` set.
 * @example const { matches } = await lookupCustomers(db, organizationId, { name: { value: 'virtamen', mode: 'FUZZY' } }, {});
 */
export async function lookupCustomers(
  db: import('../db/client.js').Db,
  organizationIds: readonly string[],
  criteria: LookupCriteria,
  search: LookupSearch,
): Promise<{ matches: LookupMatch[]; firstvisionError: ProviderError | null }> {
  assertSomeCriterion(criteria);
  const local = await localMatches(db, organizationIds, criteria);
  let firstvisionError: ProviderError | null = null;
  let remote: FirstvisionLookupMatch[] = [];
  if (search.firstvision) {
    try {
      remote = await search.firstvision.lookup(firstvisionCriteria(criteria, search.firstvision.organizationNumber));
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      firstvisionError = error;
    }
  }
  const merged = await merge(db, organizationIds, criteria, local, remote);
  merged.sort(
    (a, b) =>
      b.score - a.score ||
      (a.customer?.customerNumber ?? a.firstvision!.customerNumber).localeCompare(b.customer?.customerNumber ?? b.firstvision!.customerNumber),
  );
  return { matches: merged, firstvisionError };
}

function assertSomeCriterion(criteria: LookupCriteria): void {
  const given = Object.values(criteria).some((value) => value !== null && value !== undefined);
  if (!given) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, 'give at least one search criterion', { argument: ['input'] });
  }
  for (const key of ['name', 'firstName', 'identifier', 'phone', 'postalCode'] as const) {
    const criterion = criteria[key];
    if (criterion && (criterion.value.trim().length === 0 || criterion.value.length > 100)) {
      throw new AppError(ErrorCode.BAD_USER_INPUT, `${key}.value must be 1 to 100 characters`, { argument: ['input', key, 'value'] });
    }
  }
}

const digitsOnly = (value: string | null | undefined) => (value ? value.replace(/\D/g, '') : null);

/** Scores one customer's values against every criterion; null when any criterion fails. */
function scoreCustomer(
  criteria: LookupCriteria,
  values: {
    names: (string | null)[];
    firstNames: (string | null)[];
    identifiers: (string | null)[];
    phones: (string | null)[];
    postalCodes: (string | null)[];
    dateOfBirth: string | null;
    countries: string[];
  },
): number | null {
  const scores: number[] = [];
  const text = (criterion: TextCriterion | null | undefined, candidates: (string | null)[], normalize = (v: string) => v) => {
    if (!criterion) return true;
    const best = Math.max(
      -1,
      ...candidates.map((candidate) => (candidate ? (matchScore(criterion.mode, normalize(candidate), normalize(criterion.value)) ?? -1) : -1)),
    );
    if (best < 0) return false;
    scores.push(best);
    return true;
  };
  const ok =
    text(criteria.name, values.names) &&
    text(criteria.firstName, values.firstNames) &&
    text(criteria.identifier, values.identifiers) &&
    text(criteria.phone, values.phones, (v) => v.replace(/\D/g, '')) &&
    text(criteria.postalCode, values.postalCodes, (v) => v.replace(/\s/g, ''));
  if (!ok) return null;
  if (criteria.dateOfBirth) {
    if (values.dateOfBirth !== criteria.dateOfBirth) return null;
    scores.push(1);
  }
  if (criteria.country) {
    if (!values.countries.includes(criteria.country)) return null;
    scores.push(1);
  }
  return scores.reduce((sum, score) => sum + score, 0) / scores.length;
}

async function localMatches(
  db: import('../db/client.js').Db,
  organizationIds: readonly string[],
  criteria: LookupCriteria,
): Promise<Map<string, { customer: CustomerRow; score: number }>> {
  const conditions = [inArray(customers.organizationId, [...organizationIds])];
  if (criteria.dateOfBirth) conditions.push(eq(customers.dateOfBirth, criteria.dateOfBirth));
  if (criteria.identifier?.mode === 'EXACT') {
    // identity numbers are encrypted: an exact one is found by its blind index, without decrypting
    const prefix = identityLookupPrefix(criteria.identifier.value);
    conditions.push(
      or(
        eq(customers.customerNumber, criteria.identifier.value),
        sql`${customers.id} in (select ${identities.customerId} from ${identities} where substr(${identities.number}, 1, ${prefix.length}) = ${prefix})`,
      )!,
    );
  }
  const rows = await db.select().from(customers).where(and(...conditions));
  const ids = rows.map((row) => row.id);
  const [identityRows, addressRows] = ids.length
    ? await Promise.all([
        criteria.identifier
          ? db.select({ customerId: identities.customerId, number: identities.number }).from(identities).where(inArray(identities.customerId, ids))
          : Promise.resolve([]),
        criteria.postalCode || criteria.country
          ? db
              .select({ customerId: addresses.customerId, postalCode: addresses.postalCode, country: addresses.country })
              .from(addresses)
              .where(inArray(addresses.customerId, ids))
          : Promise.resolve([]),
      ])
    : [[], []];
  const byCustomer = <T extends { customerId: string }>(list: T[]) => {
    const map = new Map<string, T[]>();
    for (const item of list) map.set(item.customerId, [...(map.get(item.customerId) ?? []), item]);
    return map;
  };
  const identitiesOf = byCustomer(identityRows);
  const addressesOf = byCustomer(addressRows);
  const matches = new Map<string, { customer: CustomerRow; score: number }>();
  for (const row of rows) {
    const score = scoreCustomer(criteria, {
      names: [row.lastName, row.businessName],
      firstNames: [row.firstName],
      identifiers: [row.customerNumber, ...(identitiesOf.get(row.id) ?? []).map((identity) => identity.number)],
      phones: [row.phoneMobile, row.phoneLandline, row.phoneAdditional, row.phoneWork].map(digitsOnly),
      postalCodes: (addressesOf.get(row.id) ?? []).map((address) => address.postalCode),
      dateOfBirth: row.dateOfBirth,
      countries: [...(addressesOf.get(row.id) ?? []).map((address) => address.country), ...row.nationalities],
    });
    if (score !== null) matches.set(row.id, { customer: row, score });
  }
  return matches;
}

function firstvisionCriteria(criteria: LookupCriteria, organizationNumber: number): FirstvisionLookupCriteria {
  return {
    organizationNumber,
    limit: FIRSTVISION_LOOKUP_LIMIT,
    ...(criteria.name ? { lastName: criteria.name } : {}),
    ...(criteria.firstName ? { firstName: criteria.firstName } : {}),
    ...(criteria.identifier ? { identifier: criteria.identifier } : {}),
    ...(criteria.phone ? { phoneNumber: { ...criteria.phone, value: criteria.phone.value.replace(/\D/g, '') } } : {}),
    ...(criteria.postalCode ? { postalCode: criteria.postalCode } : {}),
    ...(criteria.dateOfBirth ? { dateOfBirth: criteria.dateOfBirth } : {}),
    ...(criteria.country ? { country: criteria.country } : {}),
  };
}

/**
 * FirstVision answers only which customers match, so its matches are scored here on the fields it
 * returns; criteria it returns nothing for (identifier, phone, country) count as met at the score
 * of their mode (exact 1, otherwise 0.8).
 */
function scoreFirstvisionMatch(criteria: LookupCriteria, match: FirstvisionLookupMatch): number {
  const scores: number[] = [];
  const score = (criterion: TextCriterion | null | undefined, value: string | null) => {
    if (!criterion) return;
    scores.push((value ? matchScore(criterion.mode, value, criterion.value) : null) ?? (criterion.mode === 'EXACT' ? 1 : 0.8));
  };
  score(criteria.name, match.lastName);
  score(criteria.firstName, match.firstName);
  score(criteria.identifier, null);
  score(criteria.phone, null);
  score(criteria.postalCode, match.postalCode);
  if (criteria.dateOfBirth) scores.push(1);
  if (criteria.country) scores.push(1);
  return scores.reduce((sum, value) => sum + value, 0) / Math.max(1, scores.length);
}

async function merge(
  db: import('../db/client.js').Db,
  organizationIds: readonly string[],
  criteria: LookupCriteria,
  local: Map<string, { customer: CustomerRow; score: number }>,
  remote: FirstvisionLookupMatch[],
): Promise<LookupMatch[]> {
  const numbers = [...new Set(remote.map((match) => match.customerNumber))];
  const linked = numbers.length
    ? await db
        .select({ customer: customers, externalId: providerLinks.externalId })
        .from(providerLinks)
        .innerJoin(customers, eq(customers.id, providerLinks.customerId))
        .where(
          and(
            eq(providerLinks.provider, 'FIRSTVISION'),
            inArray(providerLinks.externalId, numbers),
            inArray(customers.organizationId, [...organizationIds]),
          ),
        )
    : [];
  const sameNumber = numbers.length
    ? await db
        .select()
        .from(customers)
        .where(and(inArray(customers.customerNumber, numbers), inArray(customers.organizationId, [...organizationIds])))
    : [];
  const byNumber = new Map([
    ...sameNumber.map((customer) => [customer.customerNumber, customer] as const),
    ...linked.map((row) => [row.externalId!, row.customer] as const),
  ]);
  // FirstVision's matches that are another tenant's customers are not this viewer's to see at all
  const foreign = new Set(
    numbers.length
      ? [
          ...(await db
            .select({ n: providerLinks.externalId })
            .from(providerLinks)
            .innerJoin(customers, eq(customers.id, providerLinks.customerId))
            .where(and(eq(providerLinks.provider, 'FIRSTVISION'), inArray(providerLinks.externalId, numbers), notInArray(customers.organizationId, [...organizationIds])))),
          ...(await db
            .select({ n: customers.customerNumber })
            .from(customers)
            .where(and(inArray(customers.customerNumber, numbers), notInArray(customers.organizationId, [...organizationIds])))),
        ].map((row) => row.n)
      : [],
  );
  const results = new Map<string, LookupMatch>();
  for (const { customer, score } of local.values()) {
    results.set(customer.id, { customer, firstvision: null, score, sources: ['LOCAL'] });
  }
  for (const match of remote) {
    if (foreign.has(match.customerNumber) && !byNumber.has(match.customerNumber)) continue;
    const customer = byNumber.get(match.customerNumber) ?? null;
    const key = customer?.id ?? `firstvision:${match.organizationNumber}:${match.customerNumber}`;
    const existing = results.get(key);
    const score = scoreFirstvisionMatch(criteria, match);
    if (existing) {
      // found by both: as good as the better of the two, and a little more certain
      existing.firstvision = match;
      existing.sources = ['LOCAL', 'FIRSTVISION'];
      existing.score = Math.min(1, Math.max(existing.score, score) + 0.05);
    } else {
      results.set(key, { customer, firstvision: match, score, sources: ['FIRSTVISION'] });
    }
  }
  return [...results.values()];
}
