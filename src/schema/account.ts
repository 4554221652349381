import { builder } from '../builder.js';
import { loadEach } from '../loaders/keyed.js';
import { mergedCardsOfAccount, providerStatusOf, recordSourceOf } from '../loaders/firstvision-stitch.js';
import { visibleCustomer, visibleCustomers } from '../loaders/visibility.js';
import { AccountStatus, AccountType, RecordSource } from './enums.js';
import { AccountRef, CardRef, CustomerRef, RelationshipRef } from './refs.js';

builder.node(AccountRef, {
  description:
    'An account. Joint accounts have several holders, exactly one of them primary. Accounts known only at FirstVision (source FIRSTVISION) have type OTHER and resolve through node(id) only within the request that read them.',
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
        visibleCustomers(context, (await context.loaders.holdersByAccountId.load(account.id)).map((holder) => holder.customer)),
    }),
    primaryHolder: t.field({
      type: CustomerRef,
      nullable: true,
      resolve: async (account, _args, context) =>
        visibleCustomer(context, (await context.loaders.holdersByAccountId.load(account.id)).find((holder) => holder.isPrimary)?.customer),
    }),
    cards: t.field({
      type: [CardRef],
      nullable: true,
      description: 'Local cards, plus FirstVision’s for this account when its primary holder is linked there.',
      resolve: (account, _args, context) => mergedCardsOfAccount(context, account),
    }),
    source: t.field({ type: RecordSource, resolve: (account) => recordSourceOf(account) }),
    providerStatus: t.string({
      nullable: true,
      description: 'FirstVision’s own status letter for accounts known only there (its letters are not published; A and blank read as OPEN, C and Z as CLOSED).',
      resolve: (account) => providerStatusOf(account),
    }),
    relationship: t.field({
      type: RelationshipRef,
      nullable: true,
      resolve: (account, _args, context) =>
        account.relationshipId ? context.loaders.relationshipById.load(account.relationshipId) : null,
    }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Null for accounts known only at FirstVision.',
      resolve: (account) => (recordSourceOf(account) === 'LOCAL' ? account.createdAt : null),
    }),
    updatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (account) => (recordSourceOf(account) === 'LOCAL' ? account.updatedAt : null),
    }),
  }),
});
