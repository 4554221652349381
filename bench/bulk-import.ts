/**
 * The bulk-import figure: customersImport of customers with one account and one card each, routed to
 * Cardlytics, through the full HTTP server (auth on, the in-process Cardlytics simulator), against a
 * raw better-sqlite3 transaction writing the same rows. bench/run.ts drives both.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/client.js';
import { configureIdentityEncryption, encryptIdentityNumber, encryptJson, newIdentityKeyMaterial } from '../src/db/identity-encryption.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { fullCustomerInput } from '../test/mutations.js';
import type { ServerProcess } from '../test/support/server-process.js';

/** customersImport takes at most this many items per call. */
const ITEMS_PER_CALL = 1000;

const IMPORT = /* GraphQL */ `
  mutation BulkImport($input: CustomersImportInput!) {
    customersImport(input: $input) {
      importedCount
      items { index customer { id customerNumber } providerResults { provider status externalId error } userErrors { field message } }
      userErrors { field message code provider }
    }
  }
`;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * `count` import items starting at `offset`: the full private customer of the tests with unique
 * customer, identity and account numbers, exactly one account with one card, valid for Cardlytics
 * (portfolio given, CREDIT account, VISA card with a Visa IIN). Customer numbers start with 8,
 * account numbers with 9, identity numbers with X; `n` makes them unique (bench/run.ts seeds the
 * stitched read's data with these, bench/load.ts creates customers from n ≥ 2,000,000).
 * @example const items = bulkImportInput(0, 1000);
 */
export function bulkImportInput(offset: number, count: number) {
  return Array.from({ length: count }, (_, i) => {
    const n = offset + i;
    const base = fullCustomerInput();
    return {
      customer: {
        ...base,
        customerNumber: `8${pad(n, 18)}`,
        name: { salutation: 'Ms', first: `Bulk${n}`, last: 'Importer' },
        email: `bulk${n}@example.com`,
        identities: base.identities.map((identity, k) => ({ ...identity, number: `X${pad(n, 8)}${k}` })),
        accounts: [
          {
            accountNumber: `9${pad(n, 18)}`,
            type: 'CREDIT',
            status: 'OPEN',
            openedOn: '2024-01-15',
            portfolioId: 'PF-BULK',
            cards: [{ last4: pad(n % 10_000, 4), iin: '453201', type: 'CREDIT', network: 'VISA', openedOn: '2024-01-15' }],
          },
        ],
      },
    };
  });
}

/** One GraphQL request to the server with its token; throws on a non-2xx answer or any error. */
export async function graphql(server: ServerProcess, query: string, variables?: unknown): Promise<any> {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as any;
  if (!response.ok || body.errors) throw new Error(`${query.slice(0, 60)}…: HTTP ${response.status} ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return body.data;
}

/**
 * Imports `total` customers (items from bulkImportInput) in sequential calls of at most 1,000,
 * routed to Cardlytics, and answers customers per second over the calls. Throws unless every item
 * was imported with no userErrors and its Cardlytics link came back SYNCED with the customer's id;
 * then checks the simulator (outside the timing) holds every one of those customers with its account
 * and card, so a link reported SYNCED that Cardlytics never stored cannot pass.
 * @example const { perSecond } = await importThroughServer(server, 10_000);
 */
export async function importThroughServer(server: ServerProcess, total: number): Promise<{ perSecond: number }> {
  const synced = new Map<string, string>();
  let elapsedMs = 0;
  for (let offset = 0; offset < total; offset += ITEMS_PER_CALL) {
    const items = bulkImportInput(offset, Math.min(ITEMS_PER_CALL, total - offset));
    const started = performance.now();
    const data = await graphql(server, IMPORT, { input: { items, providers: ['CARDLYTICS'] } });
    elapsedMs += performance.now() - started;
    const payload = data.customersImport;
    if (payload.userErrors.length > 0 || payload.importedCount !== items.length) {
      throw new Error(`bulk import at ${offset}: imported ${payload.importedCount} of ${items.length}: ${JSON.stringify(payload.userErrors.slice(0, 3))}`);
    }
    payload.items.forEach((item: any, i: number) => {
      const expectedNumber = items[i]!.customer.customerNumber;
      if (item.index !== i || item.customer?.customerNumber !== expectedNumber) {
        throw new Error(`bulk import at ${offset}: item ${i} answered ${JSON.stringify(item).slice(0, 300)}`);
      }
      const links = item.providerResults as { provider: string; status: string; externalId: string | null; error: string | null }[];
      const link = links[0];
      if (links.length !== 1 || link?.provider !== 'CARDLYTICS' || link.status !== 'SYNCED' || !link.externalId || link.error !== null) {
        throw new Error(`bulk import at ${offset}: item ${i}'s Cardlytics link is ${JSON.stringify(links)}`);
      }
      synced.set(link.externalId, expectedNumber);
    });
  }
  if (synced.size !== total) throw new Error(`bulk import: ${synced.size} distinct Cardlytics customers for ${total} items`);

  const stateUrl = server.graphqlUrl.replace(/\/graphql$/, '/sandbox/cardlytics/_state');
  const state = (await (await fetch(stateUrl)).json()) as { records: { customers?: any[] } };
  const stored = new Map((state.records.customers ?? []).map((customer) => [customer.sourceCustomerId as string, customer]));
  for (const externalId of synced.keys()) {
    const customer = stored.get(externalId);
    if (customer?.accounts?.length !== 1 || customer.accounts[0].cards?.length !== 1) {
      throw new Error(`bulk import: Cardlytics holds ${JSON.stringify(customer ?? null).slice(0, 300)} for link ${externalId}, reported SYNCED`);
    }
  }
  return { perSecond: total / (elapsedMs / 1000) };
}

/**
 * The floor to compare with: one better-sqlite3 transaction, prepared statements, on a fresh file
 * database migrated with the project's migrations and opened with the server's settings (WAL,
 * synchronous NORMAL, foreign keys on), writing per customer the rows customersImport writes —
 * customers, 2 identities, 1 address, 1 account, 1 account_holders, 1 card, 1 provider_links and
 * 1 outbox row, every column insertCustomerGraph and writeLinksAndOutbox set.
 *
 * Stored values are the same as the server's, so the raw side does the same encryption: each identity
 * number through encryptIdentityNumber (AES-GCM plus blind index) and each outbox payload through
 * encryptJson, with a Cardlytics request of the mapper's shape. It does no validation, mapping,
 * provider call or outcome recording (outbox_attempts, the SYNCED/DONE updates): those are the
 * import's own work, so leaving them out keeps the raw rate an upper bound.
 * @example const { perSecond } = await rawInsertRate(10_000);
 */
export async function rawInsertRate(total: number): Promise<{ perSecond: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'customer-graph-raw-'));
  const database = await openDatabase({ url: `file:${join(dir, 'raw.db')}` });
  try {
    await migrateDatabase(database);
    configureIdentityEncryption(newIdentityKeyMaterial());
    const { sqlite } = database;
    const organizationId = randomUUID();
    sqlite.prepare('insert into organizations (id, name, created_at) values (?, ?, ?)').run(organizationId, 'Raw', Date.now());
    const items = bulkImportInput(0, total);

    const insertCustomer = sqlite.prepare(`insert into customers (id, organization_id, parent_id, customer_number, kind, status,
      salutation, title, first_name, middle_name, last_name, suffix, business_name, date_of_birth, gender, locale, currency, email,
      phone_mobile, phone_landline, phone_additional, phone_work, nationalities, screening_pep, screening_sanctions,
      screening_risk_score, created_at, updated_at) values (${placeholders(28)})`);
    const insertIdentity = sqlite.prepare(`insert into identities (id, customer_id, type, number, issuing_country, issued_on,
      expires_on, created_at) values (${placeholders(8)})`);
    const insertAddress = sqlite.prepare(`insert into addresses (id, customer_id, kind, line1, line2, building_number,
      building_name, floor, apartment, entrance, po_box, city, county, region, postal_code, country, valid_from, valid_until,
      is_primary, recipient_name, company, created_at) values (${placeholders(22)})`);
    const insertAccount = sqlite.prepare(`insert into accounts (id, organization_id, account_number, type, status, currency,
      opened_on, closed_on, portfolio_id, created_at, updated_at) values (${placeholders(11)})`);
    const insertHolder = sqlite.prepare(`insert into account_holders (account_id, customer_id, is_primary, created_at)
      values (${placeholders(4)})`);
    const insertCard = sqlite.prepare(`insert into cards (id, account_id, holder_id, last4, iin, type, status, network,
      opened_on, closed_on, created_at) values (${placeholders(11)})`);
    const insertLink = sqlite.prepare(`insert into provider_links (id, customer_id, provider, status, omitted, options,
      created_at, updated_at) values (${placeholders(8)})`);
    const insertOutbox = sqlite.prepare(`insert into outbox (id, provider_link_id, provider, operation, payload, status,
      next_attempt_at, claimed_by, claimed_until, created_at, updated_at) values (${placeholders(11)})`);

    const started = performance.now();
    sqlite.transaction(() => {
      const now = Date.now();
      for (const { customer } of items) {
        const customerId = randomUUID();
        const accountId = randomUUID();
        const account = customer.accounts[0]!;
        const card = account.cards[0]!;
        const address = customer.addresses[0]!;
        insertCustomer.run(
          customerId, organizationId, null, customer.customerNumber, customer.kind, customer.status,
          customer.name.salutation, null, customer.name.first, null, customer.name.last, null, null, customer.dateOfBirth,
          customer.gender, customer.locale, customer.currency, customer.email, customer.phones.mobile, customer.phones.landline,
          null, null, JSON.stringify(customer.nationalities), customer.screening.pep ? 1 : 0, customer.screening.sanctions ? 1 : 0,
          customer.screening.riskScore, now, now,
        );
        customer.identities.forEach((identity: { type: string; number: string; issuingCountry: string; issuedOn?: string; expiresOn?: string }, i) =>
          insertIdentity.run(
            randomUUID(), customerId, identity.type, encryptIdentityNumber(identity.number), identity.issuingCountry,
            identity.issuedOn ?? null, identity.expiresOn ?? null, now + i,
          ),
        );
        insertAddress.run(
          randomUUID(), customerId, address.kind, address.line1, null, address.buildingNumber, null, null, address.apartment, null,
          null, address.city, null, address.region, address.postalCode, address.country, null, null, 1, null, null, now,
        );
        insertAccount.run(accountId, organizationId, account.accountNumber, account.type, account.status, customer.currency,
          account.openedOn, null, account.portfolioId, now, now);
        insertHolder.run(accountId, customerId, 1, now);
        insertCard.run(randomUUID(), accountId, customerId, card.last4, card.iin, card.type, 'ACTIVE', card.network,
          card.openedOn, null, now);
        const options = { enrollmentOptInStatus: 'ACTIVE', alertOptInStatus: ['ALL'], targetingIndicator: 'TARGET' };
        const linkId = randomUUID();
        insertLink.run(linkId, customerId, 'CARDLYTICS', 'PENDING', JSON.stringify(OMITTED), JSON.stringify(options), now, now);
        const instant = new Date(now).toISOString();
        const request = {
          sourceCustomerId: customerId,
          organizationId: 'sandbox-organization',
          postalCode: address.postalCode,
          country: address.country,
          customerCreationDate: instant,
          enrollmentStartDate: instant,
          ...options,
          accounts: [
            {
              sourceAccountId: accountId,
              sourceCustomerIds: [customerId],
              primarySourceCustomerId: customerId,
              status: 'OPEN',
              type: 'CRD',
              sourcePortfolioId: account.portfolioId,
              accountOpenDate: `${account.openedOn}T00:00:00Z`,
              accountCloseDate: null,
              cards: [
                {
                  sourceAccountId: accountId, sourceCustomerId: customerId, last4: card.last4, iin: card.iin, cardType: card.type,
                  status: 'OPEN', networkIdentifier: 4, openDate: `${card.openedOn}T00:00:00Z`, closeDate: null,
                },
              ],
            },
          ],
        };
        insertOutbox.run(randomUUID(), linkId, 'CARDLYTICS', 'create', encryptJson({ request }), 'IN_FLIGHT', now, 'mutation',
          now + 40_000, now, now);
      }
    })();
    const elapsedMs = performance.now() - started;
    const stored = sqlite.prepare('select count(*) from customers').pluck().get() as number;
    if (stored !== total) throw new Error(`raw insert: ${stored} customers stored of ${total}`);
    return { perSecond: total / (elapsedMs / 1000) };
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the Cardlytics mapper reports as left out for these customers, word for word (provider_links.omitted). */
const OMITTED = [
  'customer name, dateOfBirth, gender, locale, currency, email, phones, nationalities, identities, screening: not sent; Cardlytics keeps no personal details, only the primary address\'s postal code and country.',
  'customer.addresses[0]: only postalCode and country are sent; Cardlytics keeps no street address.',
  'customer.customerNumber and accounts[].accountNumber: not sent; Cardlytics identifies customers and accounts by our ids (sourceCustomerId, sourceAccountId).',
];

function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
