import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, scrubText } from '../src/logger.js';
import { capturedLogLines, findLeaks } from './log-capture.js';
import { createTestApp, type TestApp } from './helpers.js';
import { CREATE, fullCustomerInput } from './mutations.js';
import { rawRun } from './support/raw-sql.js';
import { drainOutboxOnce } from '../src/domain/outbox-worker.js';
import { settleFloliveLinks } from '../src/domain/flolive-settlement.js';
import { createReadThrottles } from '../src/loaders/provider-loader.js';

function memoryLogger() {
  const lines: string[] = [];
  const logger = createLogger({ destination: { write: (line: string) => void lines.push(line) } });
  return { logger, text: () => lines.join('') };
}

describe('logs carry no PII or secrets (src/logger.ts)', () => {
  it('redacts credentials and PII by key, at any depth and inside lists', () => {
    const { logger, text } = memoryLogger();
    logger.info(
      { headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig' }, provider: { clientSecret: 's3cr3t-value' }, identity: { number: 'P12345678', dateOfBirth: '1985-04-12' } },
      'provider call',
    );
    logger.info({ call: { request: { body: { holders: [{ secret: 'deep-s3cr3t', number: 'X1234' }] } } } }, 'nested');
    expect(text()).not.toMatch(/eyJhbGciOiJIUzI1NiJ9|s3cr3t-value|P12345678|1985-04-12|deep-s3cr3t|X1234/);
    expect(text()).toContain('"holders":[{"secret":"[redacted]","number":"[redacted]"}]');
  });

  it('scrubs PII from error messages and free text: query params, emails, phones, long numbers, bearer tokens', () => {
    const { logger, text } = memoryLogger();
    const error = new Error('Failed query: insert into "customers" values (?, ?)\nparams: anna.k@example.com,+358401234567');
    logger.error({ err: error }, 'mutation failed for anna.k@example.com, number 120485-123A, Bearer abc.def.ghi');
    const output = text();
    for (const secret of ['anna.k@example.com', '+358401234567', '120485-123A', 'abc.def.ghi']) expect(output).not.toContain(secret);
    expect(output).toContain('Failed query');
    expect(scrubText('call +358 40 123 4567 or P12345678')).toBe('call [phone] or [number]');
    // request ids and row ids are UUIDs, whose first group can be all digits: kept whole, so logs can be searched by them
    expect(scrubText('request 12345678-5f18-4d24-a37f-274ce5b0ec7f of 87654321-0000-4000-8000-123456789012')).toBe(
      'request 12345678-5f18-4d24-a37f-274ce5b0ec7f of 87654321-0000-4000-8000-123456789012',
    );
    expect(scrubText('ssn 12345678901 beside 12345678-5f18-4d24-a37f-274ce5b0ec7f')).toBe('ssn [number] beside 12345678-5f18-4d24-a37f-274ce5b0ec7f');
  });

  it('the leak check of test/setup.ts finds a value in a captured line', () => {
    const line = JSON.stringify({ time: 1, msg: 'hello anna.k@example.com' });
    expect(findLeaks([line], ['anna.k@example.com', 'X1'])).toEqual([{ value: 'anna.k@example.com', line: '{"msg":"hello anna.k@example.com"}' }]);
    expect(findLeaks([line], ['P12345678'])).toEqual([]);
  });
});

describe('an internal error whose message echoes PII', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is logged (through the capture sink) without the PII in its message', async () => {
    // a driver error that echoes the row's values, as drivers and ORMs do ("params: …")
    if (t.database.dialect === 'sqlite') {
      t.database.sqlite.function('refuse_row', (email: unknown, mobile: unknown) => {
        throw new Error(`disk is full while writing ${String(email)} ${String(mobile)}\nparams: ${String(email)},${String(mobile)}`);
      });
      t.database.sqlite.exec('CREATE TRIGGER refuse_customers BEFORE INSERT ON customers BEGIN SELECT refuse_row(NEW.email, NEW.phone_mobile); END');
    } else {
      await rawRun(
        t.database,
        `create function refuse_row() returns trigger language plpgsql as $$ begin
           raise exception E'disk is full while writing % %\\nparams: %,%', new.email, new.phone_mobile, new.email, new.phone_mobile;
         end $$`,
      );
      await rawRun(t.database, 'create trigger refuse_customers before insert on customers for each row execute function refuse_row()');
    }
    const input = fullCustomerInput({ email: 'leak.check@example.com', phones: { mobile: '+358401112233' } });
    const before = capturedLogLines.length;
    const response = await t.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { ...t.headers, 'x-request-id': 'failing-insert-7' },
      body: JSON.stringify({ query: CREATE, variables: { input: { customer: input, providers: [] } } }),
    });
    const body = (await response.json()) as { errors?: { extensions?: Record<string, unknown> }[] };
    expect(body.errors?.[0]?.extensions?.['code']).toBe('INTERNAL_SERVER_ERROR');
    const logged = capturedLogLines.slice(before).join('');
    expect(logged).toContain('disk is full');
    // the error's line names the request it happened in
    const errorLine = capturedLogLines.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line['level'] === 50);
    expect(errorLine).toMatchObject({ requestId: 'failing-insert-7', origin: 'graphql' });
    expect(findLeaks(capturedLogLines.slice(before), ['leak.check@example.com', '+358401112233'])).toEqual([]);
  });
});

describe("a request's provider calls in the logs (src/provider-call-observer.ts)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ faults: { NOAH: { failureRate: 1, kinds: ['503'], seed: 1 } }, circuit: { failureThreshold: 1000 } });
  });
  afterAll(() => t.close());

  /** Sends a create with `requestId` as X-Request-Id (none when null); answers the response's id and the lines logged meanwhile. */
  async function create(requestId: string | null, first: string) {
    const before = capturedLogLines.length;
    const input = fullCustomerInput({ accounts: [], name: { first, last: 'Logged' }, email: `${first.toLowerCase()}.logged@example.com` });
    const response = await t.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { ...t.headers, ...(requestId === null ? {} : { 'x-request-id': requestId }) },
      body: JSON.stringify({ query: CREATE, variables: { input: { customer: input, providers: ['ENFUCE', 'NOAH', 'CARDLYTICS'] } } }),
    });
    const body = (await response.json()) as { data: { customerCreate: { userErrors: unknown[] } } };
    expect(body.data.customerCreate.userErrors).toEqual([]);
    const lines = capturedLogLines.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
    return { echoed: response.headers.get('x-request-id'), lines, providerLines: lines.filter((line) => String(line['msg']).startsWith('provider call')) };
  }

  it("keeps the client's X-Request-Id, echoes it, and every provider call of the request logs it", async () => {
    const { echoed, providerLines } = await create('client-req.42:a_b-c', 'Kept');
    expect(echoed).toBe('client-req.42:a_b-c');
    expect(new Set(providerLines.map((line) => line['provider']))).toEqual(new Set(['ENFUCE', 'NOAH', 'CARDLYTICS']));
    for (const line of providerLines) expect(line).toMatchObject({ requestId: 'client-req.42:a_b-c', origin: 'graphql' });
    const noah = providerLines.find((line) => line['provider'] === 'NOAH')!;
    expect(noah).toMatchObject({ level: 40, msg: 'provider call failed', operation: 'customer.put', method: 'PUT', outcome: 'http_503', status: 503 });
    expect(typeof noah['durationMs']).toBe('number');
    const enfuce = providerLines.find((line) => line['provider'] === 'ENFUCE')!;
    expect(enfuce).toMatchObject({ level: 30, msg: 'provider call', operation: 'customer.create', outcome: 'ok', status: 201 });
  });

  it('replaces a missing or malformed X-Request-Id with a fresh UUID, in the response and the logs alike', async () => {
    for (const given of [null, 'has spaces and ; semicolons', 'x'.repeat(129)]) {
      const { echoed, providerLines } = await create(given, `Fresh${given === null ? 'None' : given.length}`);
      expect(echoed).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(providerLines.length).toBeGreaterThanOrEqual(3);
      for (const line of providerLines) expect(line['requestId']).toBe(echoed);
    }
  });

  it('keeps concurrent requests apart: each call logs the id of the request that made it', async () => {
    const before = capturedLogLines.length;
    await Promise.all([create('concurrent-a', 'Anna'), create('concurrent-b', 'Bert')]);
    // both requests' lines interleave in the capture; each call is attributed to exactly one request
    const all = capturedLogLines
      .slice(before)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => String(line['msg']).startsWith('provider call'));
    expect(all.filter((line) => line['requestId'] === 'concurrent-a')).toHaveLength(all.filter((line) => line['requestId'] === 'concurrent-b').length);
    expect(all.filter((line) => line['requestId'] === 'concurrent-a').length).toBeGreaterThanOrEqual(3);
    expect(all.every((line) => line['requestId'] === 'concurrent-a' || line['requestId'] === 'concurrent-b')).toBe(true);
  });

  /** Sends `query` with X-Request-Id `requestId`; answers the body and the provider-call lines logged meanwhile. */
  async function send(requestId: string, query: string, variables: Record<string, unknown>) {
    const before = capturedLogLines.length;
    const response = await t.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { ...t.headers, 'x-request-id': requestId },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data: any; errors?: unknown };
    expect(body.errors).toBeUndefined();
    const lines = capturedLogLines.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
    return { body, providerLines: lines.filter((line) => String(line['msg']).startsWith('provider call')) };
  }

  it("a read's provider calls, made through the request's loaders, log the request's id", async () => {
    const input = fullCustomerInput({ name: { first: 'Reader', last: 'Logged' }, email: 'reader.logged@example.com' });
    const created = await send('read-create-1', CREATE, { input: { customer: input, providers: ['FIRSTVISION'] } });
    expect(created.body.data.customerCreate.userErrors).toEqual([]);
    const id = created.body.data.customerCreate.customer.id as string;
    const { body, providerLines } = await send('read-req-1', 'query($id: ID!) { node(id: $id) { ... on Customer { demographics { lastName } } } }', { id });
    expect(body.data.node.demographics).toMatchObject({ lastName: 'Logged' });
    const demographic = providerLines.filter((line) => line['provider'] === 'FIRSTVISION' && line['operation'] !== 'token');
    expect(demographic.length).toBeGreaterThan(0);
    for (const line of providerLines) expect(line).toMatchObject({ requestId: 'read-req-1', origin: 'graphql' });
  });

  it('a floLIVE poll round logs its status calls under its own id', async () => {
    // no providerLinks in the answer: reading an IN_PROGRESS floLIVE link would settle it there
    const CREATE_LEAN = 'mutation($input: CustomerCreateInput!) { customerCreate(input: $input) { providerResults { provider status } } }';
    const input = fullCustomerInput({ accounts: [], name: { first: 'Polled', last: 'Logged' }, email: 'polled.logged@example.com' });
    const created = await send('poll-create-1', CREATE_LEAN, { input: { customer: input, providers: ['FLOLIVE'] } });
    expect(created.body.data.customerCreate.providerResults).toMatchObject([{ provider: 'FLOLIVE', status: 'IN_PROGRESS' }]);
    const before = capturedLogLines.length;
    const deps = { database: t.database, linkUpdates: t.linkUpdates, flolive: t.providers.flolive, throttle: createReadThrottles().FLOLIVE, now: () => new Date(), callTimeoutMs: 5000 };
    expect((await settleFloliveLinks(deps)).settled).toBeGreaterThan(0);
    const lines = capturedLogLines.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
    const status = lines.filter((line) => line['msg'] === 'provider call' && line['provider'] === 'FLOLIVE');
    expect(status.length).toBeGreaterThan(0);
    expect(new Set(status.map((line) => line['requestId'])).size).toBe(1);
    expect(status[0]!['requestId']).toMatch(/^[0-9a-f-]{36}$/);
    for (const line of status) expect(line['origin']).toBe('flolive-poll');
  });

  it('logs the outbox round that retries a call under its own id, not a request id, and no PII anywhere', async () => {
    const before = capturedLogLines.length;
    await t.app.fetch('http://localhost/sandbox/noah/_faults', { method: 'DELETE' });
    const later = () => new Date(Date.now() + 10 * 60_000);
    const claimed = await drainOutboxOnce({ ...t.mutationDeps(), now: later }, { workerId: 'log-test', batchSize: 50, claimMs: 30_000 });
    expect(claimed.length).toBeGreaterThan(0);
    const lines = capturedLogLines.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
    const retried = lines.filter((line) => line['msg'] === 'provider call' && line['provider'] === 'NOAH');
    expect(retried.length).toBeGreaterThan(0);
    const rounds = new Set(retried.map((line) => line['requestId']));
    expect(rounds.size).toBe(1);
    expect([...rounds][0]).toMatch(/^[0-9a-f-]{36}$/);
    for (const line of retried) expect(line['origin']).toBe('outbox');

    const pii = ['kept.logged@example.com', 'anna.logged@example.com', fullCustomerInput().identities[0].number, fullCustomerInput().phones.mobile];
    expect(findLeaks(capturedLogLines, pii)).toEqual([]);
    expect(capturedLogLines.join('')).not.toMatch(/authorization|Bearer|\/sandbox\//i);
  });
});
