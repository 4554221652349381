import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerRow, ProviderLinkRow } from '../src/db/schema.js';
import { linkUpdateStream } from '../src/live/link-update-stream.js';
import { createLinkUpdates, ERROR_LENGTH_IN_EVENTS, openLinkUpdates, snapshotOf } from '../src/live/link-updates.js';
import { LINK_UPDATES_CHANNEL } from '../src/live/postgres-event-target.js';
import { freshTestDatabase, onPostgres } from './support/test-database.js';

const customer = { id: 'customer-1', organizationId: 'org' } as CustomerRow;

function link(overrides: Partial<ProviderLinkRow> = {}): ProviderLinkRow {
  return {
    id: 'link-1',
    customerId: customer.id,
    provider: 'FLOLIVE',
    status: 'IN_PROGRESS',
    externalId: null,
    requestId: 'req-1',
    error: null,
    attempts: 1,
    omitted: [],
    options: { plan: 'secret-ish options stay out of events' },
    deadLetteredAt: null,
    lastAttemptAt: new Date(1_000),
    createdAt: new Date(1_000),
    updatedAt: new Date(1_000),
    ...overrides,
  };
}

describe('link updates (in-process)', () => {
  it('an event carries the link without its provider options, instants as epoch ms, a long error cut', () => {
    const snapshot = snapshotOf(link({ error: 'x'.repeat(10_000) }));
    expect(snapshot).not.toHaveProperty('options');
    expect(snapshot.updatedAt).toBe(1_000);
    expect(snapshot.error).toHaveLength(ERROR_LENGTH_IN_EVENTS);
    expect(snapshot.error!.endsWith('…')).toBe(true);
    expect(snapshotOf(link({ error: 'short' })).error).toBe('short');
  });

  it('a customer’s subscribers get its links’ changes only', async () => {
    const updates = createLinkUpdates();
    const mine = updates.subscribe('customer-1');
    const first = mine.next();
    updates.publish([link({ customerId: 'customer-2', id: 'other' }), link({ status: 'SYNCED' })]);
    expect((await first).value).toMatchObject({ id: 'link-1', status: 'SYNCED' });
    await mine.return();
    expect(updates.listenerCount('customer-1')).toBe(0);
  });

  it('the stream shows the links as they stand, then changes; a change already shown or older is skipped', async () => {
    const updates = createLinkUpdates();
    let reads = 0;
    const stream = linkUpdateStream({
      linkUpdates: updates,
      customer,
      currentLinks: async () => {
        reads++;
        // committed between listening and reading: the read sees it, and so does the listener
        updates.publish([link({ status: 'SYNCED', updatedAt: new Date(2_000) })]);
        return [link({ status: 'SYNCED', updatedAt: new Date(2_000) })];
      },
    });
    expect((await stream.next()).value).toMatchObject({ customer, link: { status: 'SYNCED' } });
    expect(reads).toBe(1);
    // the duplicate from the listener was skipped; an older event too; a newer one comes through
    updates.publish([link({ status: 'IN_PROGRESS', updatedAt: new Date(1_500) })]);
    updates.publish([link({ status: 'FAILED', error: 'later', updatedAt: new Date(3_000) })]);
    const next = (await stream.next()).value!;
    expect(next.link).toMatchObject({ status: 'FAILED', error: 'later', options: null });
    expect(next.link.updatedAt).toEqual(new Date(3_000));
    // the same instant but something changed (a clock that did not move): shown
    updates.publish([link({ status: 'FAILED', error: 'later', attempts: 2, updatedAt: new Date(3_000) })]);
    expect((await stream.next()).value!.link.attempts).toBe(2);
  });

  it('a client that falls too far behind has its stream ended with an error; the publisher is unaffected', async () => {
    const updates = createLinkUpdates();
    const stream = linkUpdateStream({ linkUpdates: updates, customer, currentLinks: async () => [] });
    const first = stream.next();
    await expect.poll(() => updates.listenerCount(customer.id)).toBe(1);
    // one commit after another (a publish holds at most a customer's five links)
    for (let i = 1; i <= 1_100; i++) {
      updates.publish([link({ attempts: i })]);
      await new Promise((resolve) => setImmediate(resolve));
    }
    // the stream delivers what it holds, then its error
    expect((await first).value!.link.attempts).toBe(1);
    let error: unknown = null;
    try {
      for (;;) if ((await stream.next()).done) break;
    } catch (caught) {
      error = caught;
    }
    expect(String(error)).toMatch(/No more than 1024 pending calls to push/);
    await expect.poll(() => updates.listenerCount(customer.id)).toBe(0);
  });

  it('returning the stream while it waits for a change removes its listener at once', async () => {
    const updates = createLinkUpdates();
    const stream = linkUpdateStream({ linkUpdates: updates, customer, currentLinks: async () => [] });
    const waiting = stream.next();
    await expect.poll(() => updates.listenerCount(customer.id)).toBe(1);
    await stream.return();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(updates.listenerCount(customer.id)).toBe(0);
  });
});

describe.runIf(onPostgres)('link updates through Postgres LISTEN/NOTIFY', () => {
  // a database of its own: the listener counts below see no one else's connections
  let storage: Awaited<ReturnType<typeof freshTestDatabase>>;
  let url: string;
  beforeAll(async () => {
    storage = await freshTestDatabase();
    url = storage.url;
  });
  afterAll(() => storage.drop());

  it('a publish of one instance reaches the subscribers of another, once each, in order', async () => {
    const [a, b] = [await openLinkUpdates({ databaseUrl: url }), await openLinkUpdates({ databaseUrl: url })];
    try {
      const [onA, onB] = [a.subscribe('customer-1'), b.subscribe('customer-1')];
      const [firstA, firstB] = [onA.next(), onB.next()];
      await expect.poll(() => listening(url)).toBeGreaterThanOrEqual(2);
      a.publish([link({ status: 'PENDING', attempts: 1 }), link({ status: 'SYNCED', attempts: 2 })]);
      expect((await firstA).value).toMatchObject({ status: 'PENDING' });
      expect((await firstB).value).toMatchObject({ status: 'PENDING' });
      expect((await onA.next()).value).toMatchObject({ status: 'SYNCED' });
      expect((await onB.next()).value).toMatchObject({ status: 'SYNCED' });
      await Promise.all([onA.return(), onB.return()]);
      expect(a.listenerCount('customer-1')).toBe(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('many events published at once share NOTIFYs and all arrive, in order', async () => {
    const [a, b] = [await openLinkUpdates({ databaseUrl: url }), await openLinkUpdates({ databaseUrl: url })];
    try {
      const events = b.subscribe('customer-1');
      const first = events.next();
      await expect.poll(() => listening(url)).toBe(1);
      a.publish(Array.from({ length: 300 }, (_, i) => link({ attempts: i, error: `attempt ${i} failed: ${'x'.repeat(i)}` })));
      const attempts = [(await first).value!.attempts];
      while (attempts.length < 300) attempts.push((await events.next()).value!.attempts);
      expect(attempts).toEqual(Array.from({ length: 300 }, (_, i) => i));
      await events.return();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('the listening connection, cut by the server, is opened again and events flow again', async () => {
    const errors: unknown[] = [];
    const updates = await openLinkUpdates({ databaseUrl: url, onError: (error) => errors.push(error) });
    try {
      const events = updates.subscribe('customer-1');
      const first = events.next();
      await expect.poll(() => listening(url)).toBe(1);
      await admin(url, `select pg_terminate_backend(pid) from pg_stat_activity where query like 'LISTEN ${LINK_UPDATES_CHANNEL}%' and datname = current_database()`);
      await expect.poll(() => errors.length, { timeout: 5_000 }).toBeGreaterThan(0);
      // reconnects after its pause (1 s) and listens again
      await expect.poll(() => listening(url), { timeout: 5_000 }).toBe(1);
      updates.publish([link({ status: 'SYNCED' })]);
      expect((await first).value).toMatchObject({ status: 'SYNCED' });
      await events.return();
    } finally {
      await updates.close();
    }
  });

  it('an event too large for NOTIFY is reported, not sent', async () => {
    const errors: unknown[] = [];
    const updates = await openLinkUpdates({ databaseUrl: url, onError: (error) => errors.push(error) });
    try {
      updates.publish([link({ omitted: Array.from({ length: 200 }, (_, i) => `an omitted field with a long description ${i}`) })]);
      expect(String(errors[0])).toMatch(/too large to NOTIFY; not delivered/);
    } finally {
      await updates.close();
    }
  });
});

/** Connections of this test database that listen on the link updates channel (their last statement). */
async function listening(url: string): Promise<number> {
  const rows = await admin(url, `select count(*)::int as n from pg_stat_activity where query like 'LISTEN ${LINK_UPDATES_CHANNEL}%' and datname = current_database()`);
  return rows[0]!.n as number;
}

async function admin(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}
