import { builder } from '../builder.js';
import { loadEach } from '../loaders/keyed.js';
import { OrganizationRef } from './refs.js';

builder.node(OrganizationRef, {
  description: 'A tenant. Organizations form a tree; customers belong to exactly one.',
  id: { resolve: (organization) => organization.id },
  loadMany: (ids, context) => loadEach(context.loaders.organizationById, ids),
  fields: (t) => ({
    name: t.exposeString('name'),
    parent: t.field({
      type: OrganizationRef,
      nullable: true,
      resolve: (organization, _args, context) =>
        organization.parentId ? context.loaders.organizationById.load(organization.parentId) : null,
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (organization) => organization.createdAt }),
  }),
});
