import { customers, identities } from '../src/db/tables.js';
import type { Database } from '../src/db/client.js';
import { createLogger, yogaLogger } from '../src/logger.js';

/**
 * Every log line test apps write in this test file (they log through `testYogaLogger`), and the
 * PII their databases held: test/setup.ts fails the file when a line carries any of it.
 */
export const capturedLogLines: string[] = [];
export const testLogger = createLogger({ level: 'debug', destination: { write: (line: string) => void capturedLogLines.push(line) } });
export const testYogaLogger = yogaLogger(testLogger);

const seenPii = new Set<string>();
const openDatabases = new Set<Database>();

/** Values shorter than this ('P', 'X1') would match unrelated text; real identity numbers, emails and phones are longer. */
const MIN_PII_LENGTH = 5;

/** Remembers a test database whose PII the logs must not contain. */
export function watchPii(database: Database): void {
  openDatabases.add(database);
}

/** Reads a database's identity numbers, emails and phone numbers (call before it closes). */
export async function collectPii(database: Database): Promise<void> {
  if (!openDatabases.delete(database)) return;
  try {
    await readPii(database);
  } catch {
    // closed by the test itself, or a test broke its schema on purpose (e.g. renamed a table): no PII to read
  }
}

async function readPii(database: Database): Promise<void> {
  for (const { number } of await database.db.select({ number: identities.number }).from(identities)) seenPii.add(number);
  const contacts = await database.db
    .select({ email: customers.email, mobile: customers.phoneMobile, landline: customers.phoneLandline, additional: customers.phoneAdditional, work: customers.phoneWork })
    .from(customers);
  for (const contact of contacts) for (const value of Object.values(contact)) if (value) seenPii.add(value);
}

/** The captured lines (without pino's own time/pid/hostname) that contain one of `values`. */
export function findLeaks(lines: readonly string[], values: Iterable<string>): { value: string; line: string }[] {
  const candidates = [...values].filter((value) => value.length >= MIN_PII_LENGTH);
  return lines.flatMap((raw) => {
    const { time: _time, pid: _pid, hostname: _hostname, ...rest } = JSON.parse(raw) as Record<string, unknown>;
    const line = JSON.stringify(rest);
    return candidates.filter((value) => line.includes(value)).map((value) => ({ value, line }));
  });
}

/** Collects the databases still open, checks the captured lines against all PII seen, and resets. */
export async function leaksOfThisFile(): Promise<{ value: string; line: string }[]> {
  for (const database of [...openDatabases]) await collectPii(database);
  const leaks = findLeaks(capturedLogLines, seenPii);
  capturedLogLines.length = 0;
  seenPii.clear();
  return leaks;
}
