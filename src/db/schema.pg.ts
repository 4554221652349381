/**
 * The Postgres tables: src/db/schema.ts's, derived by postgresTables (src/db/postgres-schema.ts).
 * drizzle-kit reads this file (drizzle.postgres.config.ts); the app picks the tables of its dialect
 * through src/db/tables.ts.
 */
import { postgresTables } from './postgres-schema.js';
import * as sqliteSchema from './schema.js';

export const {
  organizations,
  customers,
  identities,
  addresses,
  relationships,
  relationshipMembers,
  accounts,
  accountHolders,
  cards,
  providerLinks,
  outbox,
  outboxAttempts,
  reservedCustomerNumbers,
  apiKeys,
  idempotencyKeys,
  auditEvents,
} = postgresTables(sqliteSchema);
