import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, scrubText } from '../src/logger.js';
import { capturedLogLines, findLeaks } from './log-capture.js';
import { createTestApp, type TestApp } from './helpers.js';
import { CREATE, fullCustomerInput } from './mutations.js';
import { rawRun } from './support/raw-sql.js';

function memoryLogger() {
  const lines: string[] = [];
  const logger = createLogger({ destination: { write: (line: string) => void lines.push(line) } });
  return { logger, text: () => lines.join('') };
}

describe('logs carry no PII or secrets (src/logger.ts)', () => {
  it('redacts credentials and PII by key, at any of the first three levels', () => {
    const { logger, text } = memoryLogger();
    logger.info(
      { headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig' }, provider: { clientSecret: 's3cr3t-value' }, identity: { number: 'P12345678', dateOfBirth: '1985-04-12' } },
      'provider call',
    );
    expect(text()).not.toMatch(/eyJhbGciOiJIUzI1NiJ9|s3cr3t-value|P12345678|1985-04-12/);
    expect(text()).toContain('[redacted]');
  });

  it('scrubs PII from error messages and free text: query params, emails, phones, long numbers, bearer tokens', () => {
    const { logger, text } = memoryLogger();
    const error = new Error('Failed query: insert into "customers" values (?, ?)\nparams: anna.k@example.com,+358401234567');
    logger.error({ err: error }, 'mutation failed for anna.k@example.com, number 120485-123A, Bearer abc.def.ghi');
    const output = text();
    for (const secret of ['anna.k@example.com', '+358401234567', '120485-123A', 'abc.def.ghi']) expect(output).not.toContain(secret);
    expect(output).toContain('Failed query');
    expect(scrubText('call +358 40 123 4567 or P12345678')).toBe('call [phone] or [number]');
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
    const { body } = await t.graphql(CREATE, { input: { customer: input, providers: [] } });
    expect(body.errors?.[0]?.extensions?.['code']).toBe('INTERNAL_SERVER_ERROR');
    const logged = capturedLogLines.slice(before).join('');
    expect(logged).toContain('disk is full');
    expect(findLeaks(capturedLogLines.slice(before), ['leak.check@example.com', '+358401112233'])).toEqual([]);
  });
});
