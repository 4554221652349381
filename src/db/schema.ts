/**
 * The canonical data model. Tables are plural snake_case; row types end in `Row`.
 *
 * Conventions kept so a Postgres dialect can follow without changing callers:
 * - ids are application-generated text (UUIDs), never SQLite rowids;
 * - instants are integer epoch milliseconds (`timestamp_ms`), calendar dates are ISO `YYYY-MM-DD` text;
 * - closed sets are text with a CHECK constraint listing the same values as the GraphQL enum.
 */
import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from 'drizzle-orm/sqlite-core';
import {
  ACCOUNT_STATUSES,
  ACCOUNT_TYPES,
  ADDRESS_KINDS,
  CARD_NETWORKS,
  CARD_STATUSES,
  CARD_TYPES,
  CUSTOMER_KINDS,
  CUSTOMER_STATUSES,
  GENDERS,
  IDENTITY_TYPES,
  OUTBOX_STATUSES,
  PROVIDER_NAMES,
  PROVIDER_SYNC_STATUSES,
  RISK_SCORES,
} from '../domain/enums.js';
import { encryptedIdentityNumber, encryptedJson } from './identity-encryption.js';

const createdAt = () =>
  integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);
const updatedAt = () =>
  integer('updated_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

/** `column IN ('A','B')` for a CHECK constraint over a closed set. */
function oneOf(column: AnySQLiteColumn, values: readonly string[]) {
  return sql`${column} in (${sql.raw(values.map((value) => `'${value}'`).join(', '))})`;
}

export const organizations = sqliteTable(
  'organizations',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    parentId: text('parent_id').references((): AnySQLiteColumn => organizations.id),
    createdAt: createdAt(),
  },
  (t) => [index('organizations_parent_id_idx').on(t.parentId)],
);

export const customers = sqliteTable(
  'customers',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    parentId: text('parent_id').references((): AnySQLiteColumn => customers.id),
    customerNumber: text('customer_number').notNull(),
    kind: text('kind', { enum: CUSTOMER_KINDS }).notNull().default('PRIVATE'),
    status: text('status', { enum: CUSTOMER_STATUSES }).notNull().default('ACTIVE'),
    salutation: text('salutation'),
    title: text('title'),
    firstName: text('first_name'),
    middleName: text('middle_name'),
    lastName: text('last_name'),
    suffix: text('suffix'),
    businessName: text('business_name'),
    dateOfBirth: text('date_of_birth'),
    gender: text('gender', { enum: GENDERS }),
    locale: text('locale'),
    currency: text('currency'),
    email: text('email'),
    phoneMobile: text('phone_mobile'),
    phoneLandline: text('phone_landline'),
    phoneAdditional: text('phone_additional'),
    phoneWork: text('phone_work'),
    nationalities: text('nationalities', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    screeningPep: integer('screening_pep', { mode: 'boolean' }),
    screeningSanctions: integer('screening_sanctions', { mode: 'boolean' }),
    screeningRiskScore: text('screening_risk_score', { enum: RISK_SCORES }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('customers_customer_number_uq').on(t.customerNumber),
    // Lists are always within the viewer's organizations, in keyset order (created_at, id): for one
    // organization this index walks the page in order and stops after it, with no sort of the whole
    // organization (the benchmark's 10,000-customer read sorted them all on every request before).
    index('customers_organization_created_at_id_idx').on(t.organizationId, t.createdAt, t.id),
    index('customers_parent_id_idx').on(t.parentId),
    index('customers_created_at_id_idx').on(t.createdAt, t.id),
    check('customers_kind_ck', oneOf(t.kind, CUSTOMER_KINDS)),
    check('customers_status_ck', oneOf(t.status, CUSTOMER_STATUSES)),
    check('customers_gender_ck', sql`${t.gender} is null or ${oneOf(t.gender, GENDERS)}`),
    check(
      'customers_risk_score_ck',
      sql`${t.screeningRiskScore} is null or ${oneOf(t.screeningRiskScore, RISK_SCORES)}`,
    ),
    check(
      'customers_name_ck',
      sql`(${t.kind} = 'PRIVATE' and ${t.firstName} is not null and ${t.lastName} is not null)
        or (${t.kind} = 'BUSINESS' and ${t.businessName} is not null)`,
    ),
    check('customers_not_own_parent_ck', sql`${t.parentId} is null or ${t.parentId} <> ${t.id}`),
  ],
);

export const identities = sqliteTable(
  'identities',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    type: text('type', { enum: IDENTITY_TYPES }).notNull(),
    /** Encrypted at rest with a blind index (src/db/identity-encryption.ts); plaintext to the application. */
    number: encryptedIdentityNumber('number').notNull(),
    issuingCountry: text('issuing_country').notNull(),
    issuedOn: text('issued_on'),
    expiresOn: text('expires_on'),
    createdAt: createdAt(),
  },
  (t) => [
    index('identities_customer_id_idx').on(t.customerId),
    check('identities_type_ck', oneOf(t.type, IDENTITY_TYPES)),
  ],
);

export const addresses = sqliteTable(
  'addresses',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ADDRESS_KINDS }).notNull(),
    line1: text('line1').notNull(),
    line2: text('line2'),
    buildingNumber: text('building_number'),
    buildingName: text('building_name'),
    floor: text('floor'),
    apartment: text('apartment'),
    entrance: text('entrance'),
    poBox: text('po_box'),
    city: text('city').notNull(),
    county: text('county'),
    region: text('region'),
    postalCode: text('postal_code'),
    country: text('country').notNull(),
    validFrom: text('valid_from'),
    validUntil: text('valid_until'),
    isPrimary: integer('is_primary', { mode: 'boolean' }).notNull().default(false),
    recipientName: text('recipient_name'),
    company: text('company'),
    createdAt: createdAt(),
  },
  (t) => [
    index('addresses_customer_id_idx').on(t.customerId),
    check('addresses_kind_ck', oneOf(t.kind, ADDRESS_KINDS)),
  ],
);

export const relationships = sqliteTable(
  'relationships',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    relationshipNumber: text('relationship_number').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('relationships_relationship_number_uq').on(t.relationshipNumber)],
);

export const relationshipMembers = sqliteTable(
  'relationship_members',
  {
    relationshipId: text('relationship_id')
      .notNull()
      .references(() => relationships.id, { onDelete: 'cascade' }),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.relationshipId, t.customerId] }),
    index('relationship_members_customer_id_idx').on(t.customerId),
  ],
);

export const accounts = sqliteTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    // An account belongs to at most one relationship; the relationship's accounts are the rows pointing at it.
    relationshipId: text('relationship_id').references(() => relationships.id, { onDelete: 'set null' }),
    accountNumber: text('account_number').notNull(),
    type: text('type', { enum: ACCOUNT_TYPES }).notNull(),
    status: text('status', { enum: ACCOUNT_STATUSES }).notNull().default('OPEN'),
    currency: text('currency'),
    openedOn: text('opened_on'),
    closedOn: text('closed_on'),
    portfolioId: text('portfolio_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('accounts_account_number_uq').on(t.organizationId, t.accountNumber),
    // federation references Account by accountNumber alone (src/schema/federation.ts)
    index('accounts_account_number_idx').on(t.accountNumber),
    index('accounts_relationship_id_idx').on(t.relationshipId),
    check('accounts_type_ck', oneOf(t.type, ACCOUNT_TYPES)),
    check('accounts_status_ck', oneOf(t.status, ACCOUNT_STATUSES)),
  ],
);

/** Joint accounts: many holders, exactly one of them primary (enforced by the partial unique index). */
export const accountHolders = sqliteTable(
  'account_holders',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    isPrimary: integer('is_primary', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.customerId] }),
    index('account_holders_customer_id_idx').on(t.customerId),
    uniqueIndex('account_holders_one_primary_uq')
      .on(t.accountId)
      .where(sql`${t.isPrimary} = 1`),
  ],
);

/** Cards never hold a PAN: the last four digits and the issuer identification number only. */
export const cards = sqliteTable(
  'cards',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    holderId: text('holder_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    last4: text('last4').notNull(),
    iin: text('iin').notNull(),
    type: text('type', { enum: CARD_TYPES }).notNull(),
    status: text('status', { enum: CARD_STATUSES }).notNull().default('ACTIVE'),
    network: text('network', { enum: CARD_NETWORKS }).notNull(),
    openedOn: text('opened_on'),
    closedOn: text('closed_on'),
    createdAt: createdAt(),
  },
  (t) => [
    index('cards_account_id_idx').on(t.accountId),
    index('cards_holder_id_idx').on(t.holderId),
    check('cards_last4_ck', sql`length(${t.last4}) = 4 and ${t.last4} not glob '*[^0-9]*'`),
    check('cards_iin_ck', sql`length(${t.iin}) between 6 and 8 and ${t.iin} not glob '*[^0-9]*'`),
    check('cards_type_ck', oneOf(t.type, CARD_TYPES)),
    check('cards_status_ck', oneOf(t.status, CARD_STATUSES)),
    check('cards_network_ck', oneOf(t.network, CARD_NETWORKS)),
  ],
);

/** One row per (customer, provider): where that customer stands at that provider. */
export const providerLinks = sqliteTable(
  'provider_links',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    provider: text('provider', { enum: PROVIDER_NAMES }).notNull(),
    status: text('status', { enum: PROVIDER_SYNC_STATUSES }).notNull().default('PENDING'),
    externalId: text('external_id'),
    requestId: text('request_id'),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    /** What the provider cannot represent and was not sent to it, in words (e.g. an identity type it lacks). */
    omitted: text('omitted', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    /** providerOptions.<provider> as last sent (defaults applied); an update without new options reuses them. */
    options: text('options', { mode: 'json' }).$type<unknown>(),
    deadLetteredAt: integer('dead_lettered_at', { mode: 'timestamp_ms' }),
    lastAttemptAt: integer('last_attempt_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('provider_links_customer_provider_uq').on(t.customerId, t.provider),
    index('provider_links_status_idx').on(t.status),
    check('provider_links_provider_ck', oneOf(t.provider, PROVIDER_NAMES)),
    check('provider_links_status_ck', oneOf(t.status, PROVIDER_SYNC_STATUSES)),
  ],
);

/** Provider calls to make, written in the same transaction as the data they carry. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    providerLinkId: text('provider_link_id')
      .notNull()
      .references(() => providerLinks.id, { onDelete: 'cascade' }),
    provider: text('provider', { enum: PROVIDER_NAMES }).notNull(),
    operation: text('operation').notNull(),
    /** The provider request (PII): encrypted JSON at rest (src/db/identity-encryption.ts). */
    payload: encryptedJson<unknown>()('payload').notNull(),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('PENDING'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
    claimedBy: text('claimed_by'),
    claimedUntil: integer('claimed_until', { mode: 'timestamp_ms' }),
    lastError: text('last_error'),
    /**
     * The last attempt's outcome is unknown (timeout, connection cut, a crash while in flight): the
     * provider may have acted, so a create is reconciled by natural key before it is sent again.
     */
    uncertain: integer('uncertain', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('outbox_due_idx').on(t.status, t.nextAttemptAt),
    index('outbox_provider_link_id_idx').on(t.providerLinkId),
    check('outbox_provider_ck', oneOf(t.provider, PROVIDER_NAMES)),
    check('outbox_status_ck', oneOf(t.status, OUTBOX_STATUSES)),
  ],
);

/** Every attempt at an outbox row: when, how long, what came of it. */
export const outboxAttempts = sqliteTable(
  'outbox_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    outboxId: text('outbox_id')
      .notNull()
      .references(() => outbox.id, { onDelete: 'cascade' }),
    attemptedAt: integer('attempted_at', { mode: 'timestamp_ms' }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    /** SYNCED | IN_PROGRESS | FAILED | RECONCILED (the provider already had it) */
    outcome: text('outcome').notNull(),
    error: text('error'),
  },
  (t) => [index('outbox_attempts_outbox_id_idx').on(t.outboxId)],
);

/**
 * Customer numbers reserved at a provider (FirstVision customer/generation). The primary key is
 * what guarantees a number is never handed out twice, across calls and restarts.
 */
export const reservedCustomerNumbers = sqliteTable(
  'reserved_customer_numbers',
  {
    customerNumber: text('customer_number').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    provider: text('provider', { enum: PROVIDER_NAMES }).notNull(),
    reservedAt: integer('reserved_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('reserved_customer_numbers_organization_id_idx').on(t.organizationId)],
);

/** API keys: only the SHA-256 of the secret part is kept. */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    name: text('name').notNull(),
    keyHash: text('key_hash').notNull(),
    scopes: text('scopes', { mode: 'json' }).$type<string[]>().notNull(),
    createdAt: createdAt(),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('api_keys_organization_id_idx').on(t.organizationId)],
);

/** Stored mutation outcomes keyed by the caller's idempotency key, per organization. */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    key: text('key').notNull(),
    operation: text('operation').notNull(),
    requestHash: text('request_hash').notNull(),
    // null while the first request holding the key is still running
    // encrypted JSON at rest: the answer can carry PII (src/db/identity-encryption.ts)
    response: encryptedJson<unknown>()('response'),
    /** What the first request committed (written in its own transaction), to answer a retry if it died before finishing. */
    reference: text('reference', { mode: 'json' }).$type<unknown>(),
    /** Until when the request holding the key is presumed alive; a retry after it may take over. */
    lockedUntil: integer('locked_until', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.key] }),
    index('idempotency_keys_expires_at_idx').on(t.expiresAt),
  ],
);

export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: text('id').primaryKey(),
    occurredAt: integer('occurred_at', { mode: 'timestamp_ms' }).notNull(),
    organizationId: text('organization_id').references(() => organizations.id),
    subject: text('subject').notNull(),
    operation: text('operation').notNull(),
    targetIds: text('target_ids', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    outcome: text('outcome').notNull(),
    requestId: text('request_id'),
    detail: text('detail', { mode: 'json' }).$type<unknown>(),
  },
  (t) => [
    index('audit_events_occurred_at_id_idx').on(t.occurredAt, t.id),
    index('audit_events_organization_id_idx').on(t.organizationId),
  ],
);

export type OrganizationRow = typeof organizations.$inferSelect;
export type CustomerRow = typeof customers.$inferSelect;
export type IdentityRow = typeof identities.$inferSelect;
export type AddressRow = typeof addresses.$inferSelect;
export type RelationshipRow = typeof relationships.$inferSelect;
export type RelationshipMemberRow = typeof relationshipMembers.$inferSelect;
export type AccountRow = typeof accounts.$inferSelect;
export type AccountHolderRow = typeof accountHolders.$inferSelect;
export type CardRow = typeof cards.$inferSelect;
export type ProviderLinkRow = typeof providerLinks.$inferSelect;
export type OutboxRow = typeof outbox.$inferSelect;
export type IdempotencyKeyRow = typeof idempotencyKeys.$inferSelect;
export type AuditEventRow = typeof auditEvents.$inferSelect;
export type OutboxAttemptRow = typeof outboxAttempts.$inferSelect;
export type ReservedCustomerNumberRow = typeof reservedCustomerNumbers.$inferSelect;
