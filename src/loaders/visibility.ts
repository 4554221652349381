import type { AccountRow, CardRow, CustomerRow } from '../db/schema.js';
import type { Loaders } from './index.js';

/**
 * Tenant visibility: a viewer sees the organizations of its subtree and what belongs to them.
 * Everything else is indistinguishable from what does not exist — null, or left out of lists.
 */
export interface VisibilityContext {
  loaders: Loaders;
  /** The viewer's organization and its descendants (one query per request, memoised). */
  visibleOrganizations(): Promise<ReadonlySet<string>>;
}

export async function visibleCustomer(ctx: VisibilityContext, customer: CustomerRow | null | undefined): Promise<CustomerRow | null> {
  if (!customer) return null;
  return (await ctx.visibleOrganizations()).has(customer.organizationId) ? customer : null;
}

export async function visibleCustomers(ctx: VisibilityContext, customers: readonly CustomerRow[]): Promise<CustomerRow[]> {
  const visible = await ctx.visibleOrganizations();
  return customers.filter((customer) => visible.has(customer.organizationId));
}

export async function visibleAccounts(ctx: VisibilityContext, accounts: readonly AccountRow[]): Promise<AccountRow[]> {
  const visible = await ctx.visibleOrganizations();
  return accounts.filter((account) => visible.has(account.organizationId));
}

/** Whether a node loaded by global ID is the viewer's to see, by the organization that owns it. */
export async function isNodeVisible(ctx: VisibilityContext, typename: string, node: object): Promise<boolean> {
  const visible = await ctx.visibleOrganizations();
  const customerOf = async (id: string) => (await ctx.loaders.customerById.load(id))?.organizationId;
  switch (typename) {
    case 'Organization':
      return visible.has((node as { id: string }).id);
    case 'Customer':
    case 'Account':
    case 'Relationship':
      return visible.has((node as { organizationId: string }).organizationId);
    case 'Identity':
    case 'Address':
      return visible.has((await customerOf((node as { customerId: string }).customerId)) ?? '');
    case 'Card':
      return visible.has((await customerOf((node as CardRow).holderId)) ?? '');
    default:
      return false;
  }
}
