import { randomInt } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { customers, reservedCustomerNumbers } from '../db/schema.js';

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
 * A generated customer number not used by a customer and not reserved (customerNumbersGenerate),
 * so no number is ever issued twice.
 */
export async function unusedCustomerNumber(db: Db): Promise<string> {
  for (;;) {
    const candidate = generateCustomerNumber();
    const [customer] = await db.select({ id: customers.id }).from(customers).where(eq(customers.customerNumber, candidate));
    const [reserved] = await db
      .select({ n: reservedCustomerNumbers.customerNumber })
      .from(reservedCustomerNumbers)
      .where(eq(reservedCustomerNumbers.customerNumber, candidate));
    if (!customer && !reserved) return candidate;
  }
}
