import { builder } from '../builder.js';
import { loadEach } from '../loaders/keyed.js';
import { AccountStatus, AccountType } from './enums.js';
import { AccountRef, CardRef, CustomerRef, RelationshipRef } from './refs.js';

builder.node(AccountRef, {
  description: 'An account. Joint accounts have several holders, exactly one of them primary.',
  id: { resolve: (account) => account.id },
  loadMany: (ids, context) => loadEach(context.loaders.accountById, ids),
  fields: (t) => ({
    accountNumber: t.exposeString('accountNumber'),
    type: t.expose('type', { type: AccountType }),
    status: t.expose('status', { type: AccountStatus }),
    currency: t.expose('currency', { type: 'Currency', nullable: true }),
    openedOn: t.expose('openedOn', { type: 'Date', nullable: true }),
    closedOn: t.expose('closedOn', { type: 'Date', nullable: true }),
    portfolioId: t.exposeString('portfolioId', { nullable: true }),
    holders: t.field({
      type: [CustomerRef],
      description: 'Every holder of the account, the primary holder first.',
      resolve: async (account, _args, context) =>
        (await context.loaders.holdersByAccountId.load(account.id)).map((holder) => holder.customer),
    }),
    primaryHolder: t.field({
      type: CustomerRef,
      nullable: true,
      resolve: async (account, _args, context) =>
        (await context.loaders.holdersByAccountId.load(account.id)).find((holder) => holder.isPrimary)?.customer ??
        null,
    }),
    cards: t.field({
      type: [CardRef],
      resolve: (account, _args, context) => context.loaders.cardsByAccountId.load(account.id),
    }),
    relationship: t.field({
      type: RelationshipRef,
      nullable: true,
      resolve: (account, _args, context) =>
        account.relationshipId ? context.loaders.relationshipById.load(account.relationshipId) : null,
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (account) => account.createdAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (account) => account.updatedAt }),
  }),
});
