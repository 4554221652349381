import { builder } from '../builder.js';
import { loadEach } from '../loaders/keyed.js';
import { recordSourceOf } from '../loaders/firstvision-stitch.js';
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
      resolve: (relationship, _args, context) => context.loaders.membersByRelationshipId.load(relationship.id),
    }),
    accounts: t.field({
      type: [AccountRef],
      resolve: (relationship, _args, context) => context.loaders.accountsByRelationshipId.load(relationship.id),
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
