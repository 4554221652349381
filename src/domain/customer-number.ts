import { randomInt } from 'node:crypto';
import type { Db } from '../db/client.js';
import { inJsonList } from '../db/dialect-sql.js';
import { customers, reservedCustomerNumbers } from '../db/tables.js';

/**
 * A new customer number: 19 digits, first digit non-zero. 19 is FirstVision's fixed length and fits
 * every other provider's rule (Enfuce: ≤ 32 alphanumeric), so one number serves all five.
 * Uniqueness is enforced by the database's unique index; with 9·10^18 values a collision is
 * practically impossible, and the insert would refuse it rather than reuse a number.
 */
export function generateCustomerNumber(): string {
  let digits = String(randomInt(1, 10));
  while (digits.length < 19) digits += String(randomInt(0, 1_000_000)).padStart(6, '0');
  return digits.slice(0, 19);
}

/**
 * `count` generated customer numbers, distinct, not used by a customer, not reserved
 * (customerNumbersGenerate) and not in `avoid` (numbers other items of the same request carry), so
 * no number is ever issued twice. Candidates are checked in bulk: two statements per round, and a
 * second round only for the practically impossible collision.
 * @example const [number] = await unusedCustomerNumbers(db, 1);
 */
export async function unusedCustomerNumbers(db: Db, count: number, avoid: ReadonlySet<string> = new Set()): Promise<string[]> {
  const found = new Set<string>();
  while (found.size < count) {
    const candidates = new Set<string>();
    while (found.size + candidates.size < count) {
      const candidate = generateCustomerNumber();
      if (!avoid.has(candidate) && !found.has(candidate)) candidates.add(candidate);
    }
    const list = [...candidates];
    const [used, reserved] = await Promise.all([
      db.select({ n: customers.customerNumber }).from(customers).where(inJsonList(customers.customerNumber, list)),
      db.select({ n: reservedCustomerNumbers.customerNumber }).from(reservedCustomerNumbers).where(inJsonList(reservedCustomerNumbers.customerNumber, list)),
    ]);
    const taken = new Set([...used, ...reserved].map((row) => row.n));
    for (const candidate of list) if (!taken.has(candidate)) found.add(candidate);
  }
  return [...found];
}
