import { FULL_PRIVATE_CUSTOMER } from './providers/harness.js';

export const CREATE = /* GraphQL */ `
  mutation Create($input: CustomerCreateInput!) {
    customerCreate(input: $input) {
      customer {
        id customerNumber displayName
        identities { type } accounts { accountNumber cards { last4 } }
        providerLinks { provider status externalId requestId error attempts omitted }
      }
      providerResults { provider status externalId requestId error attempts omitted }
      userErrors { field message code provider }
    }
  }
`;

/** The full customer, as a client would send it (no customer number: one is generated). */
export function fullCustomerInput(overrides: Record<string, unknown> = {}) {
  const { customerNumber: _generated, ...customer } = FULL_PRIVATE_CUSTOMER;
  return { ...structuredClone(customer), ...overrides };
}
