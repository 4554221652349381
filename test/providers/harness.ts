import { customerInputSchema, type CanonicalCustomer } from '../../src/domain/canonical-customer.js';
import { createProviderHttp, type ProviderCallEvent } from '../../src/providers/http.js';
import { inProcessSandboxFetch, sandboxBaseUrl } from '../../src/providers/sandbox-mount.js';
import type { CustomerRouting, FaultConfig, ProviderModule } from '../../src/providers/types.js';

export const TEST_ORIGIN = 'http://sandbox.test';

/**
 * A provider's adapter wired to its simulator in-process (real Request/Response objects, no socket),
 * with in-memory simulator state. `calls` records every HTTP call the adapter made.
 * @example const { adapter, sandbox } = await adapterWithSandbox(noahProvider);
 */
export async function adapterWithSandbox<O, S>(
  module: ProviderModule<O, S>,
  options: { faults?: FaultConfig; settings?: S; now?: () => Date } = {},
) {
  const settings = options.settings ?? (await module.sandboxSettings(null));
  const sandbox = module.createSandbox({
    file: ':memory:',
    settings,
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.now ? { now: options.now } : {}),
    sleep: async () => {},
  });
  const calls: ProviderCallEvent[] = [];
  const http = createProviderHttp({ provider: module.name, fetch: inProcessSandboxFetch([sandbox]), onCall: (e) => calls.push(e) });
  const adapter = module.createAdapter({
    baseUrl: sandboxBaseUrl(TEST_ORIGIN, module.name),
    http,
    settings,
    ...(options.now ? { now: options.now } : {}),
  });
  return { adapter, sandbox, settings, calls, http };
}

/** Parses canonical input the way the mutations do; throws with the issues if it is invalid. */
export function canonical(input: Record<string, unknown>, today = '2026-11-21'): CanonicalCustomer {
  const result = customerInputSchema(today).safeParse(input);
  if (!result.success) throw new Error(`invalid canonical input: ${JSON.stringify(result.error.issues)}`);
  return result.data;
}

/** A routing for a canonical customer with deterministic ids; override any part. */
export function routingFor<O>(
  customer: CanonicalCustomer,
  options: O,
  overrides: Partial<CustomerRouting<O>> = {},
): CustomerRouting<O> {
  return {
    customerId: '6f1c2a4e-1b7d-4c1e-9a53-2d0f8e6b7c10',
    customerNumber: customer.customerNumber ?? '4000123412341234567',
    customer,
    accountIds: customer.accounts.map((_, i) => `acc-${i}`),
    parent: null,
    externalId: null,
    options,
    auditUser: null,
    createdAt: new Date('2026-11-21T10:00:00Z'),
    ...overrides,
  };
}

/** A valid private customer with everything every provider needs; spread and override in tests. */
export const FULL_PRIVATE_CUSTOMER = {
  customerNumber: '4000123412341234567',
  kind: 'PRIVATE',
  status: 'ACTIVE',
  name: { salutation: 'Ms', first: 'Aino', last: 'Virtanen' },
  dateOfBirth: '1985-04-12',
  gender: 'FEMALE',
  locale: 'fi_FI',
  currency: 'EUR',
  email: 'aino.virtanen@example.com',
  phones: { mobile: '+358401234567', landline: '+35891234567' },
  nationalities: ['FI'],
  identities: [
    { type: 'PASSPORT', number: 'P1234567', issuingCountry: 'FI', issuedOn: '2021-03-15', expiresOn: '2031-03-14' },
    { type: 'NATIONAL_ID', number: '120485-123A', issuingCountry: 'FI' },
  ],
  addresses: [
    {
      kind: 'RESIDENTIAL',
      line1: 'Mannerheimintie',
      buildingNumber: '12',
      apartment: '4',
      city: 'Helsinki',
      region: 'Uusimaa',
      postalCode: '00100',
      country: 'FI',
      isPrimary: true,
    },
  ],
  screening: { pep: false, sanctions: false, riskScore: 'LOW' },
  accounts: [
    {
      accountNumber: '4000000000000000001',
      type: 'CREDIT',
      status: 'OPEN',
      openedOn: '2024-01-15',
      portfolioId: 'PF-RETAIL',
      cards: [{ last4: '1234', iin: '453201', type: 'CREDIT', network: 'VISA', openedOn: '2024-01-15' }],
    },
  ],
} as const;
