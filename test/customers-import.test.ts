import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountHolders, accounts, customers, outbox, outboxAttempts, providerLinks, reservedCustomerNumbers } from '../src/db/tables.js';
import { inArray } from 'drizzle-orm';
import { decodeGlobalId, encodeGlobalId } from '../src/global-id.js';
import { fullCustomerInput } from './mutations.js';
import { createTestApp, type TestApp } from './helpers.js';
import { rawCount, rawRows } from './support/raw-sql.js';
import { inChunks } from '../src/db/prepared-statements.js';

const IMPORT = /* GraphQL */ `
  mutation Import($input: CustomersImportInput!) {
    customersImport(input: $input) {
      importedCount
      items { index customer { id customerNumber } providerResults { provider status externalId requestId error } userErrors { field code provider } }
      userErrors { field code provider }
    }
  }
`;

function item(i: number) {
  return {
    customer: fullCustomerInput({
      name: { first: `Person${i}`, last: 'Imported' },
      email: `person${i}@example.com`,
      accounts: [
        {
          accountNumber: `IMP${String(i).padStart(6, '0')}`,
          type: 'CHECKING',
          portfolioId: 'PF-IMPORT',
          openedOn: '2025-03-01',
          cards: [{ last4: String(1000 + (i % 9000)).slice(-4), iin: '453201', type: 'DEBIT', network: 'VISA', openedOn: '2025-03-01' }],
        },
      ],
    }),
  };
}

describe('customersImport', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it('sends 120 customers to Cardlytics in calls of at most 50 (50, 50, 20) with their accounts and cards', async () => {
    const { body } = await t.graphql(IMPORT, { input: { items: Array.from({ length: 120 }, (_, i) => item(i)), providers: ['CARDLYTICS'] } });
    expect(body.errors).toBeUndefined();
    const payload = body.data.customersImport;
    expect(payload.userErrors).toEqual([]);
    expect(payload.importedCount).toBe(120);
    const state = t.sandboxState('CARDLYTICS');
    const customerCalls = Object.entries(state.requests.byRoute).find(([route]) => /customers/.test(route) && /POST/.test(route));
    expect(customerCalls?.[1]).toBe(3);
    const requestIds = new Set(payload.items.map((i: any) => i.providerResults[0].requestId));
    expect(requestIds.size).toBe(3);
    expect(payload.items.every((i: any) => i.providerResults[0].status === 'SYNCED')).toBe(true);
  });

  it('writes each table in a few multi-row statements, whatever the number of items, and every row lands', async () => {
    const before = t.statements.length;
    const counts = async () =>
      Object.fromEntries(
        await Promise.all(['customers', 'identities', 'addresses', 'accounts', 'account_holders', 'cards', 'provider_links', 'outbox'].map(async (table) => [table, await rawCount(t.database, table)])),
      );
    const start = await counts();
    const { body } = await t.graphql(IMPORT, { input: { items: Array.from({ length: 150 }, (_, i) => item(i)), providers: ['CARDLYTICS'] } });
    expect(body.data.customersImport.importedCount).toBe(150);
    const written = await counts();
    // per item: a customer, 2 identities, an address, an account, its holder, a card, a link, an outbox row
    const perItem = { customers: 1, identities: 2, addresses: 1, accounts: 1, account_holders: 1, cards: 1, provider_links: 1, outbox: 1 };
    for (const [table, n] of Object.entries(perItem)) expect(written[table] - start[table], table).toBe(150 * n);
    const inserts = (table: string) => t.statements.slice(before).filter((sql) => new RegExp(`^insert into "${table}"`, 'i').test(sql)).length;
    // 150 rows go as 128 + 16 + 4 + 2, 300 as 128 + 128 + 32 + 8 + 4
    expect(inChunks(Array.from({ length: 150 })).map((chunk) => chunk.length)).toEqual([128, 16, 4, 2]);
    for (const [table, n] of Object.entries(perItem)) expect(inserts(table), table).toBe(inChunks(Array.from({ length: 150 * n })).length);
    // the outcomes of the three Cardlytics calls (50 each): one link update per call at most, each
    // link given its own Cardlytics id
    const linkUpdates = t.statements.slice(before).filter((sql) => /^update "provider_links"/i.test(sql)).length;
    expect(linkUpdates).toBeGreaterThanOrEqual(1);
    expect(linkUpdates).toBeLessThanOrEqual(3);
    const externalIds = body.data.customersImport.items.map((entry: any) => entry.providerResults[0].externalId);
    expect(new Set(externalIds).size).toBe(150);
    const stored = await rawRows<{ customer_id: string; external_id: string }>(t.database, "select customer_id, external_id from provider_links where provider = 'CARDLYTICS'");
    const storedIds = new Map(stored.map((row) => [row.customer_id, row.external_id]));
    for (const entry of body.data.customersImport.items) {
      expect(storedIds.get(decodeGlobalId(entry.customer.id).id)).toBe(entry.providerResults[0].externalId);
    }
    // the rows read back as written: identities in the caller's order, the card on its account
    const { body: read } = await t.graphql(`{ customer(id: "${body.data.customersImport.items[149].customer.id}") {
      name { first } identities { type } accounts { accountNumber cards { last4 } holders { id } } providerLinks { provider status } } }`);
    expect(read.data.customer).toMatchObject({
      name: { first: 'Person149' },
      identities: item(149).customer.identities.map((identity: { type: string }) => ({ type: identity.type })),
      accounts: [{ accountNumber: 'IMP000149', cards: [{ last4: '1149' }], holders: [{ id: body.data.customersImport.items[149].customer.id }] }],
      providerLinks: [{ provider: 'CARDLYTICS', status: 'SYNCED' }],
    });
  });

  it('one bad item does not sink the others; its errors are indexed by item', async () => {
    // passes the GraphQL PhoneNumber scalar (lenient) but not the canonical E.164 rule
    const items = [item(0), { customer: { ...item(1).customer, phones: { mobile: '0401234567' } } }, item(2)];
    const { body } = await t.graphql(IMPORT, { input: { items, providers: ['CARDLYTICS'] } });
    const payload = body.data.customersImport;
    expect(payload.importedCount).toBe(2);
    expect(payload.items[1].customer).toBeNull();
    expect(payload.items[1].userErrors).toMatchObject([{ field: ['input', 'items', '1', 'customer', 'phones', 'mobile'] }]);
    expect(payload.userErrors).toEqual(payload.items[1].userErrors);
    expect(payload.items[0].customer).not.toBeNull();
    expect(payload.items[2].customer).not.toBeNull();
    expect((await t.database.db.select().from(customers)).length).toBe(2);
  });

  it('a provider rule broken by one item is reported at that item with the provider named', async () => {
    const bad = item(1);
    (bad.customer as any).accounts[0].cards[0] = { last4: '1234', iin: '999999', type: 'DEBIT', network: 'OTHER', openedOn: '2025-03-01' };
    const { body } = await t.graphql(IMPORT, { input: { items: [item(0), bad], providers: ['CARDLYTICS'] } });
    const payload = body.data.customersImport;
    expect(payload.importedCount).toBe(1);
    expect(payload.items[1].userErrors[0]).toMatchObject({ provider: 'CARDLYTICS' });
    expect(payload.items[1].userErrors[0].field.slice(0, 4)).toEqual(['input', 'items', '1', 'customer']);
  });

  it('refuses numbers repeated across items', async () => {
    const first = item(0);
    const second = { customer: { ...item(1).customer, accounts: item(0).customer.accounts } };
    const { body } = await t.graphql(IMPORT, { input: { items: [first, second], providers: [] } });
    expect(body.data.customersImport.items[1].userErrors).toMatchObject([
      { field: ['input', 'items', '1', 'customer', 'accounts', '0', 'accountNumber'], code: 'TAKEN' },
    ]);
  });

  it('refuses more than 1,000 items without writing anything', async () => {
    const many = Array.from({ length: 1001 }, () => ({ customer: { name: { first: 'A', last: 'B' } } }));
    const { body } = await t.graphql(IMPORT, { input: { items: many, providers: [] } });
    expect(body.data.customersImport).toMatchObject({ importedCount: 0, userErrors: [{ field: ['input', 'items'], code: 'TOO_MANY' }] });
    expect(await t.database.db.select().from(customers)).toEqual([]);
  });

  it('writes every row of every item of an import larger than a provider batch: children, links, outbox rows, attempts', async () => {
    const { body } = await t.graphql(IMPORT, { input: { items: Array.from({ length: 130 }, (_, i) => item(i)), providers: ['CARDLYTICS'] } });
    expect(body.data.customersImport.importedCount).toBe(130);
    const count = (table: string) => rawCount(t.database, table);
    expect(await count('customers')).toBe(130);
    expect(await count('identities')).toBe(260);
    expect(await count('addresses')).toBe(130);
    expect(await count('accounts')).toBe(130);
    expect(await count('account_holders')).toBe(130);
    expect(await count('cards')).toBe(130);
    expect(await count('outbox_attempts')).toBe(130);
    const links = await t.database.db.select().from(providerLinks);
    expect(links.map((link) => [link.provider, link.status, link.attempts])).toEqual(Array(130).fill(['CARDLYTICS', 'SYNCED', 1]));
    expect(links.every((link) => link.externalId === link.customerId && link.requestId && link.lastAttemptAt)).toBe(true);
    const rows = await t.database.db.select().from(outbox);
    expect(rows.map((row) => [row.status, row.attempts, row.claimedBy, row.uncertain])).toEqual(Array(130).fill(['DONE', 1, null, false]));
    // what each item wrote is that item's: its name, its account under it, its card on that account
    const byNumber = new Map((await t.database.db.select().from(accounts)).map((account) => [account.accountNumber, account]));
    const holders = new Map((await t.database.db.select().from(accountHolders)).map((holder) => [holder.accountId, holder.customerId]));
    const people = new Map((await t.database.db.select().from(customers)).map((customer) => [customer.id, customer]));
    for (const i of [0, 49, 50, 129]) {
      const account = byNumber.get(`IMP${String(i).padStart(6, '0')}`)!;
      expect(people.get(holders.get(account.id)!)!.firstName).toBe(`Person${i}`);
    }
    // at rest: identity numbers and provider requests are ciphertext
    expect(await count("identities where number like 'v1:%'")).toBe(260);
    expect(await count("outbox where payload like 'e1:%'")).toBe(130);
  });

  it('judges each of many items on its own: bad items anywhere leave every other item written', async () => {
    const existing = await t.graphql(IMPORT, { input: { items: [item(900)], providers: [] } });
    const parentId = existing.body.data.customersImport.items[0].customer.id;
    const items: { customer: Record<string, unknown> }[] = Array.from({ length: 120 }, (_, i) => item(i));
    // the canonical model refuses it
    items[3] = { customer: { ...item(3).customer, phones: { mobile: '0401234567' } } };
    // its account number is already stored
    items[40] = { customer: { ...item(40).customer, accounts: item(900).customer.accounts } };
    // its customer number repeats an earlier item's
    items[10] = { customer: { ...item(10).customer, customerNumber: 'DUP0001' } };
    items[75] = { customer: { ...item(75).customer, customerNumber: 'DUP0001' } };
    // Cardlytics's rule: it knows four card networks
    const account = (item(60).customer as any).accounts[0];
    items[60] = { customer: { ...item(60).customer, accounts: [{ ...account, cards: [{ ...account.cards[0], iin: '999999', network: 'OTHER' }] }] } };
    // parents: a stored one (twice), a missing one, a malformed id
    items[20] = { customer: { ...item(20).customer, parentId } };
    items[21] = { customer: { ...item(21).customer, parentId } };
    items[22] = { customer: { ...item(22).customer, parentId: encodeGlobalId('Customer', 'no-such-customer') } };
    items[119] = { customer: { ...item(119).customer, parentId: 'not-a-global-id' } };
    const { body } = await t.graphql(IMPORT, { input: { items, providers: ['CARDLYTICS'] } });
    const payload = body.data.customersImport;
    const refused = payload.items.filter((result: any) => result.userErrors.length > 0);
    expect(refused.map((result: any) => [result.index, result.userErrors.map((e: any) => [e.field.slice(3).join('.'), e.code, e.provider])])).toEqual([
      [3, [['customer.phones.mobile', 'INVALID_FORMAT', null]]],
      [22, [['customer.parentId', 'NOT_FOUND', null]]],
      [40, [['customer.accounts.0.accountNumber', 'TAKEN', null]]],
      [60, [['customer.accounts.0.cards.0.network', 'UNSUPPORTED', 'CARDLYTICS']]],
      [75, [['customer.customerNumber', 'TAKEN', null]]],
      [119, [['customer.parentId', 'INVALID', null]]],
    ]);
    expect(payload.importedCount).toBe(114);
    expect(payload.items.every((result: any) => (result.customer === null) === result.userErrors.length > 0)).toBe(true);
    expect(payload.items.filter((result: any) => result.customer).every((result: any) => result.providerResults[0].status === 'SYNCED')).toBe(true);
    expect((await t.database.db.select().from(customers)).length).toBe(115);
    const children = await t.database.db.select().from(customers).where(inArray(customers.id, [payload.items[20].customer.id, payload.items[21].customer.id].map(localId)));
    expect(children.map((child) => child.parentId)).toEqual([localId(parentId), localId(parentId)]);
  });

  it('answers each imported customer exactly as stored', async () => {
    const { importCustomers } = await import('../src/domain/customers-import.js');
    const items: { customer: Record<string, unknown> }[] = Array.from({ length: 60 }, (_, i) => item(i));
    items[7] = { customer: { ...item(7).customer, screening: null, nationalities: ['FI', 'SE'], name: { first: 'Only', last: 'Names' } } };
    const result = await importCustomers(t.mutationDeps(), { items, providers: ['CARDLYTICS'] });
    const stored = new Map((await t.database.db.select().from(customers)).map((row) => [row.id, row]));
    expect(result.items.every((entry) => entry.customer !== null)).toBe(true);
    for (const entry of result.items) expect(entry.customer).toEqual(stored.get(entry.customer!.id));
    const links = await t.database.db.select().from(providerLinks);
    for (const entry of result.items) expect(entry.providerResults).toEqual(links.filter((link) => link.customerId === entry.customer!.id));
  });

  it('generates a distinct customer number for every item that names none, never a reserved one', async () => {
    const reserved = '1000000000000000000';
    await t.database.db.insert(reservedCustomerNumbers).values({ customerNumber: reserved, organizationId: t.organizationId, provider: 'FIRSTVISION', reservedAt: new Date() });
    const items = Array.from({ length: 150 }, (_, i) => {
      const { customerNumber: _none, ...customer } = item(i).customer as Record<string, unknown>;
      return { customer };
    });
    const { body } = await t.graphql(IMPORT, { input: { items, providers: [] } });
    const numbers: string[] = body.data.customersImport.items.map((result: any) => result.customer.customerNumber);
    expect(new Set(numbers).size).toBe(150);
    expect(numbers.every((number) => /^[1-9]\d{18}$/.test(number) && number !== reserved)).toBe(true);
  });

  it('records each batch\'s outcome on its own rows when Cardlytics fails some batches and takes others', async () => {
    t.close();
    t = await createTestApp({ faults: { CARDLYTICS: { failureRate: 0.5, kinds: ['503'], seed: 3 } }, circuit: { failureThreshold: 1000 } });
    const { body } = await t.graphql(IMPORT, { input: { items: Array.from({ length: 200 }, (_, i) => item(i)), providers: ['CARDLYTICS'] } });
    const payload = body.data.customersImport;
    expect(payload.importedCount).toBe(200);
    const statuses = payload.items.map((result: any) => result.providerResults[0].status);
    // both outcomes occur, batch by batch (50 customers share a call)
    expect(new Set(statuses)).toEqual(new Set(['SYNCED', 'PENDING']));
    for (let start = 0; start < 200; start += 50) expect(new Set(statuses.slice(start, start + 50)).size).toBe(1);
    const links = new Map((await t.database.db.select().from(providerLinks)).map((link) => [link.id, link]));
    const rows = await t.database.db.select().from(outbox);
    const attempts = await t.database.db.select().from(outboxAttempts);
    expect(attempts.length).toBe(200);
    const attemptOf = new Map(attempts.map((attempt) => [attempt.outboxId, attempt]));
    for (const row of rows) {
      const link = links.get(row.providerLinkId)!;
      expect(row.attempts).toBe(1);
      expect(link.attempts).toBe(1);
      expect(row.claimedBy).toBeNull();
      if (link.status === 'SYNCED') {
        expect([row.status, row.lastError, attemptOf.get(row.id)!.outcome]).toEqual(['DONE', null, 'SYNCED']);
        expect(link.externalId).toBe(link.customerId);
      } else {
        expect(link.status).toBe('PENDING');
        expect(row.status).toBe('PENDING');
        expect(row.lastError).toMatch(/503|unavailable/i);
        expect(link.error).toBe(row.lastError);
        expect(row.nextAttemptAt.getTime()).toBeGreaterThan(row.updatedAt.getTime());
        expect(attemptOf.get(row.id)!.outcome).toBe('FAILED');
      }
    }
  });

  it('stores an absent optional value as NULL, not as a default (screening flags, dates)', async () => {
    const { screening: _none, ...customer } = item(0).customer as Record<string, unknown>;
    const { body } = await t.graphql(IMPORT, { input: { items: [{ customer: { ...customer, screening: { pep: null, riskScore: 'LOW' } } }], providers: [] } });
    expect(body.data.customersImport.importedCount).toBe(1);
    const [stored] = await rawRows(t.database, 'select screening_pep, screening_sanctions, screening_risk_score, middle_name from customers');
    expect(stored).toEqual({ screening_pep: null, screening_sanctions: null, screening_risk_score: 'LOW', middle_name: null });
    const [card] = await rawRows(t.database, 'select closed_on from cards');
    expect(card).toEqual({ closed_on: null });
  });
});

function localId(globalId: string): string {
  return Buffer.from(globalId, 'base64url').toString().split(':').slice(1).join(':');
}
