/**
 * The benchmark's "practical limit": the stitched read (bench/run.ts STITCHED_READ) answered by a
 * hand-written node:http handler instead of GraphQL, so the GraphQL server's throughput can be
 * reported as a ratio of it. `node --import tsx bench/handwritten-server.ts`, with the real server's
 * environment (DATABASE_URL=file:<path> — the same file —, JWT_*, IDENTITY_ENCRYPTION_KEY, PORT, HOST);
 * prints `Listening: http://<host>:<port>/graphql`. POST /graphql answers one fixed query whatever
 * the body asks (the body is still read and parsed); GET /metrics counts SQL statements and provider
 * calls like the real server's.
 *
 * Deliberately the same as the real server:
 * - configuration through src/config.ts (defaults included), secrets as src/server.ts finds them;
 * - authentication as src/auth/authenticator.ts: HS256 / SPKI / JWKS, tokens checked by its
 *   verifyToken (audience JWT_AUDIENCE, issuer JWT_ISSUER when set, `sub`, `exp`, `org`), API keys by
 *   hash; 401 with the same codes, 403 without customers:read;
 * - tenancy: the same recursive CTE per request (src/domain/organizations.ts), the page filtered by it;
 * - the same batched statements as src/loaders/index.ts and src/domain/customer-list.ts: one keyset
 *   page (created_at, id; limit first + 1), then one IN (…) per relation (identities, addresses,
 *   accounts via account_holders, relationships via relationship_members, provider_links; cards and
 *   holders by account; provider_links of primary holders not on the page), chunked at
 *   SQL_BATCH_SIZE: the same columns (every column of the tables drizzle's select() reads — the
 *   page's sort carries them all, so a narrower projection would be cheaper but other SQL), WHERE,
 *   JOIN and ORDER BY;
 * - identity numbers decrypted, masked without pii:read (src/schema/pii.ts); global IDs by
 *   src/global-id.ts; displayName and holder visibility as src/schema/customer.ts and account.ts;
 * - FirstVision stitching for customers linked there (src/loaders/firstvision-stitch.ts): accounts,
 *   cards and relationship numbers merged the same way, through the same adapter and simulators
 *   (src/providers/registry.ts) and the same per-provider in-flight limit. A failed read nulls the
 *   same field with the same message, path and extensions (no `locations`: no document is parsed).
 *
 * Deliberately not: a GraphQL engine, per-request DataLoaders, drizzle. Statements are prepared once
 * per IN-list length and reused (the page size is fixed at 50). The prefetches the real server makes
 * for other fields (members and accounts of a linked customer's relationships) are not made.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Sqlite from 'better-sqlite3';
import { createRemoteJWKSet, importSPKI, type JWTVerifyGetKey } from 'jose';
import { AuthenticationError, hmacVerifyKey, verifyToken } from '../src/auth/authenticator.js';
import { dataDirOf } from '../src/auth/from-config.js';
import { localJwtSecret } from '../src/auth/local-secret.js';
import { effectiveScopes, type Scope } from '../src/auth/scopes.js';
import { loadConfig } from '../src/config.js';
import { configureIdentityEncryption, decryptIdentityNumber, localIdentityKey } from '../src/db/identity-encryption.js';
import { encodeGlobalId } from '../src/global-id.js';
import { SQL_BATCH_SIZE } from '../src/loaders/keyed.js';
import { createReadThrottles } from '../src/loaders/provider-loader.js';
import { ProviderError } from '../src/providers/errors.js';
import type { FirstvisionAccount, FirstvisionCard, FirstvisionCustomerRef } from '../src/providers/firstvision/read-model.js';
import { createProviderRegistry } from '../src/providers/registry.js';
import { maskText } from '../src/schema/pii.js';
import { withSecretFiles } from '../src/secret-files.js';

/** The stitched read's page size: this handler serves only that query. */
const PAGE_SIZE = 50;
const FIRSTVISION_PREFIX = 'firstvision:';

const env = withSecretFiles(process.env);
const config = loadConfig(env);
if (config.DATABASE_URL === ':memory:') throw new Error('DATABASE_URL must be file:<path>: the database the real server uses');
const dataDir = dataDirOf(config);

// ── secrets, found as src/server.ts and src/auth/from-config.ts find them ──────────────────────
if (!config.IDENTITY_ENCRYPTION_KEY && config.PROVIDER_MODE === 'live') throw new Error('live mode needs IDENTITY_ENCRYPTION_KEY');
configureIdentityEncryption(config.IDENTITY_ENCRYPTION_KEY ?? (await localIdentityKey(dataDir)));

const external = config.JWT_PUBLIC_KEY ?? config.JWKS_URL;
const jwtSecret = config.JWT_SECRET ?? (external || config.PROVIDER_MODE === 'live' ? null : await localJwtSecret(dataDir));
const verifier: CryptoKey | JWTVerifyGetKey = config.JWKS_URL
  ? createRemoteJWKSet(new URL(config.JWKS_URL))
  : config.JWT_PUBLIC_KEY
    ? await importSPKI(config.JWT_PUBLIC_KEY, config.JWT_PUBLIC_KEY_ALG)
    : jwtSecret
      ? await hmacVerifyKey(new TextEncoder().encode(jwtSecret))
      : refuseToStart('authentication needs JWT_SECRET, JWT_PUBLIC_KEY or JWKS_URL');

function refuseToStart(message: string): never {
  throw new Error(message);
}

// ── database: the same file, read-only, statements prepared once ───────────────────────────────
const sqlite = new Sqlite(config.DATABASE_URL.slice('file:'.length), { readonly: true, fileMustExist: true });
sqlite.pragma(`busy_timeout = ${config.SQLITE_BUSY_TIMEOUT_MS}`);
let sqlStatements = 0;

/** A statement run with positional parameters, counted like the real server's sql_statements_total. */
function prepared<Row>(sql: string): (...params: unknown[]) => Row[] {
  const statement = sqlite.prepare(sql);
  return (...params) => {
    sqlStatements++;
    return statement.all(...params) as Row[];
  };
}

/**
 * `… IN (?, ?, …)` as the real server's loaders send it: one statement per chunk of SQL_BATCH_SIZE
 * keys (or one statement whatever the length, for the page), prepared once per list length. `sql`
 * has `(?)` where the list goes.
 */
function inList<Row>(sql: string, { chunked = true } = {}): (keys: readonly string[], ...more: unknown[]) => Row[] {
  const byLength = new Map<number, (...params: unknown[]) => Row[]>();
  const run = (keys: readonly string[], more: unknown[]) => {
    let statement = byLength.get(keys.length);
    if (!statement) {
      statement = prepared<Row>(sql.replace('(?)', `(${Array.from(keys, () => '?').join(', ')})`));
      byLength.set(keys.length, statement);
    }
    return statement(...keys, ...more);
  };
  return (keys, ...more) => {
    if (keys.length === 0) return [];
    if (!chunked || keys.length <= SQL_BATCH_SIZE) return run(keys, more);
    const rows: Row[] = [];
    for (let start = 0; start < keys.length; start += SQL_BATCH_SIZE) rows.push(...run(keys.slice(start, start + SQL_BATCH_SIZE), more));
    return rows;
  };
}

interface CustomerRow {
  id: string;
  organization_id: string;
  customer_number: string;
  kind: string;
  first_name: string | null;
  last_name: string | null;
  business_name: string | null;
}
interface AccountRow {
  customer_id: string;
  id: string;
  account_number: string;
  status: string;
}
interface HolderRow {
  account_id: string;
  is_primary: number;
  id: string;
  organization_id: string;
}

const sql = {
  apiKey: prepared<{ organization_id: string; key_hash: string; scopes: string; revoked_at: number | null }>(
    'select organization_id, key_hash, scopes, revoked_at from api_keys where id = ?',
  ),
  /** src/domain/organizations.ts organizationSubtree */
  subtree: prepared<{ id: string }>(`
    with recursive subtree(id) as (
      select id from organizations where id = ?
      union
      select o.id from organizations o join subtree s on o.parent_id = s.id
    )
    select id from subtree`),
  /** src/domain/customer-list.ts listCustomers: the first page, keyset order, first + 1 rows */
  page: inList<CustomerRow>('select * from customers where organization_id in (?) order by created_at asc, id asc limit ?', { chunked: false }),
  identities: inList<{ customer_id: string; type: string; number: string }>(
    'select * from identities where customer_id in (?) order by created_at asc, id asc',
  ),
  addresses: inList<{ customer_id: string; kind: string; city: string; postal_code: string | null; country: string }>(
    'select * from addresses where customer_id in (?) order by is_primary desc, created_at asc, id asc',
  ),
  accounts: inList<AccountRow>(
    `select h.customer_id, a.* from account_holders h inner join accounts a on a.id = h.account_id
     where h.customer_id in (?) order by a.created_at asc, a.id asc`,
  ),
  relationships: inList<{ customer_id: string; relationship_number: string }>(
    `select m.customer_id, r.* from relationship_members m inner join relationships r on r.id = m.relationship_id
     where m.customer_id in (?) order by r.created_at asc, r.id asc`,
  ),
  providerLinks: inList<{ customer_id: string; provider: string; external_id: string | null; options: string | null }>(
    'select * from provider_links where customer_id in (?) order by provider asc',
  ),
  cards: inList<{ account_id: string; last4: string; status: string }>(
    'select * from cards where account_id in (?) order by created_at asc, id asc',
  ),
  /** Holders of each account, the primary holder first. */
  holders: inList<HolderRow>(
    `select h.account_id, h.is_primary, c.* from account_holders h inner join customers c on c.id = h.customer_id
     where h.account_id in (?) order by h.is_primary desc, h.created_at asc, c.id asc`,
  ),
  cardsByHolder: inList<{ holder_id: string; account_id: string; iin: string; last4: string }>(
    'select * from cards where holder_id in (?) order by created_at asc, id asc',
  ),
};

/** Rows grouped by a key column, keeping their query order. */
function groupBy<Row, K extends keyof Row>(rows: readonly Row[], key: K): Map<Row[K], Row[]> {
  const groups = new Map<Row[K], Row[]>();
  for (const row of rows) {
    const group = groups.get(row[key]);
    if (group) group.push(row);
    else groups.set(row[key], [row]);
  }
  return groups;
}

// ── providers: the same registry and read limits the real server builds ────────────────────────
let providerCalls = 0;
const providers = await createProviderRegistry({
  mode: config.PROVIDER_MODE,
  env,
  dataDir,
  faults: config.SANDBOX_FAULTS,
  onCall: () => void providerCalls++,
});
const firstvision = providers.firstvision;
const firstvisionLimiter = createReadThrottles(config.PROVIDER_LIMITS).FIRSTVISION.limiter;

// ── authentication ──────────────────────────────────────────────────────────────────────────────
interface Viewer {
  organizationId: string;
  scopes: readonly Scope[];
}

class Refused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const API_KEY = /^cgk_([A-Za-z0-9-]{1,64})_([A-Za-z0-9_-]{20,128})$/;

async function authenticate(authorization: string | undefined): Promise<Viewer> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
  if (!match) throw new Refused(401, 'UNAUTHENTICATED', 'send credentials: Authorization: Bearer <token or API key>');
  const credential = match[1]!;
  const key = API_KEY.exec(credential);
  if (key) {
    const [row] = sql.apiKey(key[1]!);
    const given = Buffer.from(createHash('sha256').update(key[2]!).digest('hex'), 'hex');
    if (!row || row.revoked_at !== null || !timingSafeEqual(given, Buffer.from(row.key_hash, 'hex'))) {
      throw new Refused(401, 'INVALID_API_KEY', 'the API key is not valid');
    }
    return { organizationId: row.organization_id, scopes: effectiveScopes(JSON.parse(row.scopes) as string[]) };
  }
  try {
    return await verifyToken(credential, verifier, { audience: config.JWT_AUDIENCE, issuer: config.JWT_ISSUER ?? null });
  } catch (error) {
    if (error instanceof AuthenticationError) throw new Refused(401, error.code, error.message);
    throw error;
  }
}

// ── FirstVision stitching (src/loaders/firstvision-stitch.ts, without the loaders) ──────────────
type Outcome<T> = { ok: true; value: T } | { ok: false; error: FieldError };
interface FieldError {
  message: string;
  extensions: Record<string, unknown>;
}
/** A merged account: local, or known only at FirstVision (id `firstvision:<org>:<number>`). */
interface Account {
  id: string;
  accountNumber: string;
  status: string;
}
interface RemoteCard {
  accountId: string;
  last4: string;
  status: string;
}

/** The message and extensions src/loaders/provider-loader.ts providerFieldError gives a failed read. */
function fieldError(error: unknown): FieldError {
  const failure =
    error instanceof ProviderError
      ? error
      : new ProviderError('FIRSTVISION', 'PROVIDER_BAD_RESPONSE', error instanceof Error ? error.message : String(error));
  return {
    message: `FIRSTVISION could not be read: ${failure.summary()}`,
    extensions: { code: failure.code, provider: 'FIRSTVISION', retryable: failure.retryable },
  };
}

/** FirstVision's internal status letters: A (and blank) read as open, C and Z as closed. */
const accountStatus = (internal: string | null) => (internal && ['C', 'Z'].includes(internal.toUpperCase()) ? 'CLOSED' : 'OPEN');

/** One request's FirstVision reads: each (endpoint, customer) called at most once, under the shared limit. */
function firstvisionReads(signal: AbortSignal) {
  const memo = <V>(read: (ref: FirstvisionCustomerRef) => Promise<V>) => {
    const calls = new Map<string, Promise<Outcome<V>>>();
    return (ref: FirstvisionCustomerRef): Promise<Outcome<V>> => {
      const key = `${ref.organizationNumber}:${ref.customerNumber}`;
      let call = calls.get(key);
      if (!call) {
        call = firstvisionLimiter
          .run(() => {
            if (signal.aborted) throw new ProviderError('FIRSTVISION', 'PROVIDER_TIMEOUT', 'the request ended before the call');
            return read(ref);
          })
          .then(
            (value): Outcome<V> => ({ ok: true, value }),
            (error: unknown): Outcome<V> => ({ ok: false, error: fieldError(error) }),
          );
        calls.set(key, call);
      }
      return call;
    };
  };
  return {
    accounts: memo((ref) => firstvision.accountNumbers(ref, { signal }).then((answer) => answer.accounts)),
    cards: memo((ref) => firstvision.cards(ref, { signal })),
    relationships: memo((ref) => firstvision.relationshipNumbers(ref, { signal })),
  };
}

/** Local accounts, then FirstVision's not known locally (mergedAccountsOf). */
function mergeAccounts(local: readonly Account[], remote: readonly FirstvisionAccount[]): Account[] {
  const known = new Set(local.map((account) => account.accountNumber));
  return [
    ...local,
    ...remote
      .filter((account) => !known.has(account.accountNumber))
      .map((account) => ({
        id: `${FIRSTVISION_PREFIX}${account.organizationNumber}:${account.accountNumber}`,
        accountNumber: account.accountNumber,
        status: accountStatus(account.internalStatus),
      })),
  ];
}

/** FirstVision's cards of a holder on its merged accounts, minus the ones known locally (remoteCardsOf). */
function remoteCards(
  ref: FirstvisionCustomerRef,
  cards: readonly FirstvisionCard[],
  accounts: readonly Account[],
  localCards: readonly { account_id: string; iin: string; last4: string }[],
): RemoteCard[] {
  const accountIdByNumber = new Map(accounts.map((account) => [account.accountNumber, account.id]));
  const localAccountNumber = new Map(accounts.map((account) => [account.id, account.accountNumber]));
  const knownLocally = new Set(localCards.map((card) => `${localAccountNumber.get(card.account_id)}:${card.iin}:${card.last4}`));
  return cards.flatMap((card) => {
    if (knownLocally.has(`${card.accountNumber}:${card.iin}:${card.last4}`)) return [];
    const accountId = accountIdByNumber.get(card.accountNumber) ?? `${FIRSTVISION_PREFIX}${ref.organizationNumber}:${card.accountNumber}`;
    return [{ accountId, last4: card.last4, status: card.status }];
  });
}

// ── the stitched read ────────────────────────────────────────────────────────────────────────────
interface Answer {
  errors?: { message: string; path: (string | number)[]; extensions: Record<string, unknown> }[];
  data: unknown;
}

async function stitchedRead(viewer: Viewer, signal: () => AbortSignal): Promise<Answer> {
  const visible = new Set(sql.subtree(viewer.organizationId).map((row) => row.id));
  const page = sql.page([...visible], PAGE_SIZE + 1).slice(0, PAGE_SIZE);
  const ids = page.map((customer) => customer.id);
  const onPage = new Set(ids);
  const identities = groupBy(sql.identities(ids), 'customer_id');
  const addresses = groupBy(sql.addresses(ids), 'customer_id');
  const localAccounts = groupBy(sql.accounts(ids), 'customer_id');
  const relationships = groupBy(sql.relationships(ids), 'customer_id');

  // the customer at FirstVision, for each customer whose links were read (firstvisionRefOf)
  const refs = new Map<string, FirstvisionCustomerRef | null>();
  const readLinks = (customerIds: readonly string[]) => {
    const links = groupBy(sql.providerLinks(customerIds), 'customer_id');
    for (const id of customerIds) {
      const link = links.get(id)?.find((candidate) => candidate.provider === 'FIRSTVISION' && candidate.external_id);
      const options = link?.options ? (JSON.parse(link.options) as { organizationNumber?: number | null } | null) : null;
      refs.set(
        id,
        link ? { organizationNumber: options?.organizationNumber ?? firstvision.defaults.organizationNumber, customerNumber: link.external_id! } : null,
      );
    }
  };
  readLinks(ids);

  const accountIds = [...new Set(ids.flatMap((id) => (localAccounts.get(id) ?? []).map((account) => account.id)))];
  const cards = groupBy(sql.cards(accountIds), 'account_id');
  const holders = groupBy(sql.holders(accountIds), 'account_id');
  const primaryHolder = (accountId: string) => holders.get(accountId)?.find((holder) => holder.is_primary)?.id;
  // an account's cards depend on whether its primary holder is at FirstVision (mergedCardsOfAccount)
  const unreadHolders = [...new Set(accountIds.flatMap((id) => primaryHolder(id) ?? []))].filter((id) => !refs.has(id));
  if (unreadHolders.length > 0) readLinks(unreadHolders);

  const localOf = (rows: readonly AccountRow[] | undefined): Account[] =>
    (rows ?? []).map((row) => ({ id: row.id, accountNumber: row.account_number, status: row.status }));

  /** An account's primary holder: the customer itself for an account known only at FirstVision. */
  const holderOf = (account: Account, customerId: string) => (account.id.startsWith(FIRSTVISION_PREFIX) ? customerId : primaryHolder(account.id));

  // FirstVision: only when a customer of the page, or a primary holder of one of its accounts, is linked there
  const linked = [...refs].flatMap(([id, ref]) => (ref ? [id] : []));
  const merged = new Map<string, Promise<Outcome<Account[]>>>();
  const remote = new Map<string, Promise<Outcome<RemoteCard[]>>>();
  const settledMerged = new Map<string, Outcome<Account[]>>();
  const settledRemote = new Map<string, Outcome<RemoteCard[]>>();
  const remoteRelationships = new Map<string, Outcome<string[]>>();
  if (linked.length > 0) {
    const reads = firstvisionReads(signal());
    const offPage = linked.filter((id) => !onPage.has(id));
    const offPageAccounts = groupBy(sql.accounts(offPage), 'customer_id');
    const cardsByHolder = groupBy(sql.cardsByHolder(linked), 'holder_id');
    const mergedOf = (id: string) => {
      let outcome = merged.get(id);
      if (!outcome) {
        outcome = reads.accounts(refs.get(id)!).then((read) => {
          const local = localOf(onPage.has(id) ? localAccounts.get(id) : offPageAccounts.get(id));
          const result: Outcome<Account[]> = read.ok ? { ok: true, value: mergeAccounts(local, read.value) } : read;
          settledMerged.set(id, result);
          return result;
        });
        merged.set(id, outcome);
      }
      return outcome;
    };
    const remoteCardsOf = (id: string) => {
      let outcome = remote.get(id);
      if (!outcome) {
        const ref = refs.get(id)!;
        outcome = Promise.all([reads.cards(ref), mergedOf(id)]).then(([cards, accounts]) => {
          const result: Outcome<RemoteCard[]> = !cards.ok
            ? cards
            : !accounts.ok
              ? accounts
              : { ok: true, value: remoteCards(ref, cards.value, accounts.value, cardsByHolder.get(id) ?? []) };
          settledRemote.set(id, result);
          return result;
        });
        remote.set(id, outcome);
      }
      return outcome;
    };
    // the same reads the real server's resolvers make: a linked customer's accounts and relationship
    // numbers, then for each account shown, its primary holder's cards if that holder is linked
    await Promise.all(
      ids.map(async (id) => {
        const ref = refs.get(id);
        const [accounts] = await Promise.all([
          ref ? mergedOf(id) : { ok: true as const, value: localOf(localAccounts.get(id)) },
          ref ? reads.relationships(ref).then((numbers) => void remoteRelationships.set(id, numbers)) : undefined,
        ]);
        if (!accounts.ok) return;
        await Promise.all(
          accounts.value.map((account) => {
            const holderId = holderOf(account, id);
            return holderId !== undefined && refs.get(holderId) ? remoteCardsOf(holderId) : undefined;
          }),
        );
      }),
    );
  }

  const errors: NonNullable<Answer['errors']> = [];
  const readPii = viewer.scopes.includes('pii:read');
  const edges = page.map((customer, index) => {
    const path = ['customers', 'edges', index, 'node'];
    const ref = refs.get(customer.id);
    let accounts: Account[] | null = localOf(localAccounts.get(customer.id));
    if (ref) {
      const outcome = settledMerged.get(customer.id)!;
      if (outcome.ok) accounts = outcome.value;
      else {
        accounts = null;
        errors.push({ message: outcome.error.message, path: [...path, 'accounts'], extensions: outcome.error.extensions });
      }
    }
    let numbers: string[] | null = (relationships.get(customer.id) ?? []).map((row) => row.relationship_number);
    if (ref) {
      const outcome = remoteRelationships.get(customer.id)!;
      if (outcome.ok) {
        const known = new Set(numbers);
        numbers = [...numbers, ...[...new Set(outcome.value)].filter((number) => !known.has(number))];
      } else {
        numbers = null;
        errors.push({ message: outcome.error.message, path: [...path, 'relationships'], extensions: outcome.error.extensions });
      }
    }
    return {
      node: {
        id: encodeGlobalId('Customer', customer.id),
        customerNumber: customer.customer_number,
        displayName:
          customer.kind === 'BUSINESS' ? (customer.business_name ?? '') : [customer.first_name, customer.last_name].filter(Boolean).join(' '),
        identities: (identities.get(customer.id) ?? []).map((identity) => {
          const number = decryptIdentityNumber(identity.number);
          return { type: identity.type, number: readPii ? number : maskText(number)! };
        }),
        addresses: (addresses.get(customer.id) ?? []).map((address) => ({
          kind: address.kind,
          city: address.city,
          postalCode: address.postal_code,
          country: address.country,
        })),
        accounts:
          accounts?.map((account, position) => {
            const local = !account.id.startsWith(FIRSTVISION_PREFIX);
            // FirstVision-only accounts have the customer as their one (primary) holder and no local cards
            const holderId = holderOf(account, customer.id);
            let accountCards: { last4: string; status: string }[] | null = local
              ? (cards.get(account.id) ?? []).map((card) => ({ last4: card.last4, status: card.status }))
              : [];
            if (holderId !== undefined && refs.get(holderId)) {
              const outcome = settledRemote.get(holderId)!;
              if (outcome.ok) {
                for (const card of outcome.value) if (card.accountId === account.id) accountCards.push({ last4: card.last4, status: card.status });
              } else {
                accountCards = null;
                errors.push({ message: outcome.error.message, path: [...path, 'accounts', position, 'cards'], extensions: outcome.error.extensions });
              }
            }
            return {
              accountNumber: account.accountNumber,
              status: account.status,
              cards: accountCards,
              holders: local
                ? (holders.get(account.id) ?? []).filter((holder) => visible.has(holder.organization_id)).map((holder) => ({ id: encodeGlobalId('Customer', holder.id) }))
                : [{ id: encodeGlobalId('Customer', customer.id) }],
            };
          }) ?? null,
        relationships: numbers?.map((relationshipNumber) => ({ relationshipNumber })) ?? null,
      },
    };
  });
  const data = { customers: { edges } };
  return errors.length > 0 ? { errors, data } : { data };
}

// ── HTTP ─────────────────────────────────────────────────────────────────────────────────────────
/** What yoga answers a client that sends no Accept header, or one allowing anything (fetch, autocannon). */
const CONTENT_TYPE = 'application/json; charset=utf-8';

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      if (size > config.MAX_BODY_BYTES) return; // drained, not kept: the answer is 413
      size += chunk.length;
      if (size > config.MAX_BODY_BYTES) chunks.length = 0;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(size > config.MAX_BODY_BYTES ? null : Buffer.concat(chunks, size)));
    request.on('error', reject);
  });
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method === 'GET' && path === '/metrics') {
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    response.end(`sql_statements_total ${sqlStatements}\nprovider_calls_total ${providerCalls}\n`);
    return;
  }
  if (path !== '/graphql' || request.method !== 'POST') {
    send(response, 404, { errors: [{ message: 'this hand-written handler serves POST /graphql only' }] });
    return;
  }
  const raw = await readBody(request);
  if (raw === null) {
    send(response, 413, { errors: [{ message: 'Request body is too large', extensions: { code: 'BAD_REQUEST' } }] });
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    send(response, 400, { errors: [{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    return;
  }
  if (typeof body !== 'object' || body === null || typeof (body as { query?: unknown }).query !== 'string') {
    send(response, 400, { errors: [{ message: 'Must provide query string.', extensions: { code: 'BAD_REQUEST' } }] });
    return;
  }
  let viewer: Viewer;
  try {
    viewer = await authenticate(request.headers.authorization);
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    send(response, error.status, { errors: [{ message: error.message, extensions: { code: error.code } }] }, {
      'www-authenticate': `Bearer error="${error.code === 'UNAUTHENTICATED' ? 'invalid_request' : 'invalid_token'}"`,
    });
    return;
  }
  if (!viewer.scopes.includes('customers:read')) {
    send(response, 403, {
      errors: [{ message: 'this query needs the scope customers:read', extensions: { code: 'FORBIDDEN', requiredScope: 'customers:read' } }],
    });
    return;
  }
  // the request's deadline and the client going away, made only when a provider is read
  const signal = () => {
    const gone = new AbortController();
    response.once('close', () => gone.abort());
    return AbortSignal.any([gone.signal, AbortSignal.timeout(config.REQUEST_TIMEOUT_MS)]);
  };
  send(response, 200, await stitchedRead(viewer, signal));
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    console.error(error);
    if (!response.headersSent) send(response, 500, { errors: [{ message: 'Unexpected error.' }] });
    else response.destroy();
  });
});
server.requestTimeout = config.REQUEST_TIMEOUT_MS + 5_000;
server.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  console.log(`Listening: http://${config.HOST}:${port}/graphql`);
});

const shutdown = () => {
  server.closeAllConnections();
  server.close(() => {
    providers.close();
    sqlite.close();
    process.exit(0);
  });
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
