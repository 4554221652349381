import { builder } from '../builder.js';
import { loadEach } from '../loaders/keyed.js';
import { recordSourceOf } from '../loaders/firstvision-stitch.js';
import { visibleAccounts, visibleCustomers } from '../loaders/visibility.js';
import { RecordSource } from './enums.js';
import { AccountRef, CustomerRef, RelationshipRef } from './refs.js';

builder.node(RelationshipRef, {
  description: 'A banking relationship grouping customers and the accounts they share.',
  id: { resolve: (relationship) => relationship.id },
  loadMany: (ids, context) => loadEach(context.loaders.relationshipById, ids),
  fields: (t) => ({
    relationshipNumber: t.exposeString('relationshipNumber'),
    customers: t.field({
      type: [CustomerRef],
      resolve: async (relationship, _args, context) =>
        visibleCustomers(context, await context.loaders.membersByRelationshipId.load(relationship.id)),
    }),
    accounts: t.field({
      type: [AccountRef],
      resolve: async (relationship, _args, context) =>
        visibleAccounts(context, await context.loaders.accountsByRelationshipId.load(relationship.id)),
    }),
    source: t.field({ type: RecordSource, resolve: (relationship) => recordSourceOf(relationship) }),
    createdAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Null for relationship numbers known only at FirstVision.',
      resolve: (relationship) => (recordSourceOf(relationship) === 'LOCAL' ? relationship.createdAt : null),
    }),
  }),
});
