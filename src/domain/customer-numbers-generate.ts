import { inArray } from 'drizzle-orm';
import { customers, reservedCustomerNumbers } from '../db/tables.js';
import { ProviderError } from '../providers/errors.js';
import type { FirstvisionAdapter } from '../providers/firstvision/index.js';
import type { Db } from '../db/client.js';
import type { CommitReference } from './idempotency.js';
import { providerCall, type MutationDeps } from './mutation-deps.js';
import type { UserError } from './user-error.js';

export const MAX_GENERATED_NUMBERS = 99;
/** Rounds of asking FirstVision again when some of its numbers were already issued here. */
const TOP_UP_ROUNDS = 3;

/**
 * customerNumbersGenerate: customer numbers reserved at FirstVision (customer/generation) and
 * recorded here, so no number is handed out twice — across calls, restarts and processes (the
 * reservation's primary key decides). A number FirstVision returns that is already reserved or in use
 * is dropped and replaced by asking again.
 * @example const { customerNumbers } = await generateCustomerNumbers(deps, firstvision, { count: 5 });
 */
export async function generateCustomerNumbers(
  deps: MutationDeps,
  firstvision: FirstvisionAdapter,
  input: { count: number; organizationNumber?: number | null; logo?: number | null },
  commit?: CommitReference,
): Promise<{ customerNumbers: string[]; userErrors: UserError[] }> {
  if (!Number.isInteger(input.count) || input.count < 1 || input.count > MAX_GENERATED_NUMBERS) {
    return {
      customerNumbers: [],
      userErrors: [{ field: ['input', 'count'], message: `must be 1 to ${MAX_GENERATED_NUMBERS}`, code: input.count < 1 ? 'TOO_SHORT' : 'TOO_MANY' }],
    };
  }
  const logo = input.logo ?? firstvision.defaults.logo;
  if (logo === null) {
    return {
      customerNumbers: [],
      userErrors: [{ field: ['input', 'logo'], message: 'is required: no default FirstVision logo is configured', code: 'REQUIRED', provider: 'FIRSTVISION' }],
    };
  }
  const organizationNumber = input.organizationNumber ?? firstvision.defaults.organizationNumber;
  const issued: string[] = [];
  for (let round = 0; round <= TOP_UP_ROUNDS && issued.length < input.count; round++) {
    const numbers = await firstvision.generateCustomerNumbers(
      { organizationNumber, logo, count: input.count - issued.length },
      providerCall(deps),
    );
    issued.push(...(await reserve(deps, numbers, (tx, fresh) => commit?.(tx, { customerNumbers: [...issued, ...fresh] }))));
  }
  if (issued.length < input.count) {
    throw new ProviderError(
      'FIRSTVISION',
      'PROVIDER_BAD_RESPONSE',
      `FirstVision kept returning numbers already issued: ${issued.length} of ${input.count} reserved`,
    );
  }
  return { customerNumbers: issued, userErrors: [] };
}

/** Records the numbers not yet reserved or used; returns those, in FirstVision's order. */
async function reserve(
  deps: MutationDeps,
  numbers: readonly string[],
  committed: (tx: Db, reserved: string[]) => Promise<void> | undefined,
): Promise<string[]> {
  if (numbers.length === 0) return [];
  return deps.database.transaction(async (tx) => {
    const used = new Set(
      (await tx.select({ n: customers.customerNumber }).from(customers).where(inArray(customers.customerNumber, [...numbers]))).map((row) => row.n),
    );
    const fresh = [...new Set(numbers)].filter((number) => !used.has(number));
    if (fresh.length === 0) return [];
    const inserted = await tx
      .insert(reservedCustomerNumbers)
      .values(fresh.map((customerNumber) => ({ customerNumber, organizationId: deps.viewer.organizationId, provider: 'FIRSTVISION' as const, reservedAt: deps.now() })))
      .onConflictDoNothing()
      .returning({ customerNumber: reservedCustomerNumbers.customerNumber });
    const accepted = new Set(inserted.map((row) => row.customerNumber));
    const reserved = fresh.filter((number) => accepted.has(number));
    await committed(tx, reserved);
    return reserved;
  });
}
