/**
 * The tables queries are built from, for the dialect of the process's database: SQLite's
 * (src/db/schema.ts) or their Postgres twins (src/db/schema.pg.ts), typed alike, so every query is
 * written once. openDatabase selects the dialect before the first query; a process runs on one
 * database dialect (opening the other one as well is refused). Import tables from here, row types
 * from schema.ts.
 */
import * as postgres from './schema.pg.js';
import * as sqlite from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export let organizations = sqlite.organizations;
export let customers = sqlite.customers;
export let identities = sqlite.identities;
export let addresses = sqlite.addresses;
export let relationships = sqlite.relationships;
export let relationshipMembers = sqlite.relationshipMembers;
export let accounts = sqlite.accounts;
export let accountHolders = sqlite.accountHolders;
export let cards = sqlite.cards;
export let providerLinks = sqlite.providerLinks;
export let outbox = sqlite.outbox;
export let outboxAttempts = sqlite.outboxAttempts;
export let reservedCustomerNumbers = sqlite.reservedCustomerNumbers;
export let apiKeys = sqlite.apiKeys;
export let idempotencyKeys = sqlite.idempotencyKeys;
export let auditEvents = sqlite.auditEvents;

let selected: Dialect | null = null;

/** The dialect whose tables the exports are (null until a database is opened: SQLite's). */
export function tablesDialect(): Dialect | null {
  return selected;
}

/**
 * Points every table export at `dialect`'s tables (ES module bindings are live: importers see the
 * change). Refuses to switch once a database of the other dialect is open.
 */
export function selectTables(dialect: Dialect): void {
  if (selected === dialect) return;
  if (selected !== null) throw new Error(`this process already runs on ${selected}: one database dialect per process`);
  const set = dialect === 'postgres' ? postgres : sqlite;
  organizations = set.organizations;
  customers = set.customers;
  identities = set.identities;
  addresses = set.addresses;
  relationships = set.relationships;
  relationshipMembers = set.relationshipMembers;
  accounts = set.accounts;
  accountHolders = set.accountHolders;
  cards = set.cards;
  providerLinks = set.providerLinks;
  outbox = set.outbox;
  outboxAttempts = set.outboxAttempts;
  reservedCustomerNumbers = set.reservedCustomerNumbers;
  apiKeys = set.apiKeys;
  idempotencyKeys = set.idempotencyKeys;
  auditEvents = set.auditEvents;
  selected = dialect;
}
