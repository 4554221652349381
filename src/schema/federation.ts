import { builder } from '../builder.js';
import type { Context } from '../context.js';
import type { AccountRow } from '../db/schema.js';
import { AppError, ErrorCode } from '../errors.js';
import { decodeGlobalId } from '../global-id.js';
import { isNodeVisible, visibleAccounts, visibleCustomer } from '../loaders/visibility.js';
import { AccountRef, CardRef, CustomerRef, RelationshipRef } from './refs.js';

/**
 * Apollo Federation v2 entities: the keys other subgraphs reference our objects by, and how a
 * representation becomes the object. Every reference resolves through the request's dataloaders,
 * so the representations of one `_entities` call cost one batch of loads however many there are.
 * What the viewer may not see resolves to null, exactly as through `node(id)`.
 *
 * `id` keys are the global IDs the `id` fields answer (base64url of `Typename:local id`).
 */

/** The object a global-ID key names, when it is one of `typename` the viewer sees; an undecodable ID is an INVALID_ID error at that entity. */
async function byGlobalId<T extends object>(
  context: Context,
  typename: string,
  globalId: string,
  load: (id: string) => Promise<T | null | undefined>,
): Promise<T | null> {
  const decoded = decodeGlobalId(globalId, ['representations', typename, 'id']);
  if (decoded.typename !== typename) return null;
  const found = await load(decoded.id);
  return found && (await isNodeVisible(context, typename, found)) ? found : null;
}

builder.asEntity(CustomerRef, {
  key: [builder.selection<{ id: string }>('id'), builder.selection<{ customerNumber: string }>('customerNumber')],
  resolveReference: async (reference, context) =>
    'id' in reference
      ? byGlobalId(context, 'Customer', reference.id, (id) => context.loaders.customerById.load(id))
      : visibleCustomer(context, await context.loaders.customerByNumber.load(reference.customerNumber)),
});

builder.asEntity(AccountRef, {
  key: [builder.selection<{ accountNumber: string }>('accountNumber'), builder.selection<{ id: string }>('id')],
  resolveReference: async (reference, context) =>
    'accountNumber' in reference
      ? accountByNumber(context, reference.accountNumber)
      : byGlobalId(context, 'Account', reference.id, (id) => context.loaders.accountById.load(id)),
});

builder.asEntity(CardRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (reference, context) => byGlobalId(context, 'Card', reference.id, (id) => context.loaders.cardById.load(id)),
});

builder.asEntity(RelationshipRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: (reference, context) =>
    byGlobalId(context, 'Relationship', reference.id, (id) => context.loaders.relationshipById.load(id)),
});

/**
 * Account numbers are unique within an organization, not across them. Of the viewer's
 * organizations' accounts with this number: its own organization's, else the only one; two in
 * other organizations of its subtree are an AMBIGUOUS_KEY error (reference the Account by id).
 */
async function accountByNumber(context: Context, accountNumber: string): Promise<AccountRow | null> {
  const visible = await visibleAccounts(context, await context.loaders.accountsByNumber.load(accountNumber));
  const own = visible.find((account) => account.organizationId === context.viewer.organizationId);
  if (own || visible.length <= 1) return own ?? visible[0] ?? null;
  throw new AppError(
    ErrorCode.AMBIGUOUS_KEY,
    `account number ${accountNumber} names accounts in ${visible.length} of your organizations: reference the Account by id`,
  );
}
