import { describe, expect, it } from 'vitest';
import { customerInputSchema } from '../src/domain/canonical-customer.js';
import { FULL_PRIVATE_CUSTOMER } from './providers/harness.js';

describe('the canonical customer schema', () => {
  const schema = customerInputSchema('2026-11-21');

  it('reads GraphQL null as absent: every optional null comes out undefined, at any depth', () => {
    const input = structuredClone(FULL_PRIVATE_CUSTOMER) as any;
    input.name.middle = null;
    input.gender = null;
    input.phones = { mobile: '+358401234567', landline: null };
    input.addresses[0].line2 = null;
    input.addresses[0].isPrimary = null;
    input.accounts[0].cards[0].closedOn = null;
    input.screening = null;
    const result = schema.safeParse(input);
    expect(result.success).toBe(true);
    const customer = result.data!;
    expect(customer.name!.middle).toBeUndefined();
    expect(customer.gender).toBeUndefined();
    expect(customer.phones).toEqual({ mobile: '+358401234567', landline: undefined });
    expect(customer.addresses[0]!.line2).toBeUndefined();
    // the only address is primary when none is marked
    expect(customer.addresses[0]!.isPrimary).toBe(true);
    expect(customer.accounts[0]!.cards[0]!.closedOn).toBeUndefined();
    expect(customer.screening).toBeUndefined();
    expect(JSON.stringify(customer)).not.toContain('null');
  });

  it('a PRIVATE customer whose first or last name is null is refused as REQUIRED, like an absent one', () => {
    const result = schema.safeParse({ ...FULL_PRIVATE_CUSTOMER, name: { first: null, last: 'Virtanen' } });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['name.first', 'is required for a PRIVATE customer']]);
  });

  it('is built once per day and reused', () => {
    expect(customerInputSchema('2026-11-21')).toBe(schema);
    expect(customerInputSchema('2026-11-22')).not.toBe(schema);
  });
});
