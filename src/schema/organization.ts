import { GraphQLError } from 'graphql';
import { builder } from '../builder.js';
import type { OrganizationRow } from '../db/schema.js';
import { createOrganization } from '../domain/organizations.js';
import type { UserError } from '../domain/user-error.js';
import { decodeGlobalId } from '../global-id.js';
import { UserErrorRef } from './user-error.js';
import { auditPayload } from '../audit.js';
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
      description: 'Null when the parent is outside the viewer’s organizations.',
      resolve: async (organization, _args, context) =>
        organization.parentId && (await context.visibleOrganizations()).has(organization.parentId)
          ? context.loaders.organizationById.load(organization.parentId)
          : null,
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (organization) => organization.createdAt }),
  }),
});

const OrganizationCreateInput = builder.inputType('OrganizationCreateInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    parentId: t.id({ description: 'The parent organization (default: the viewer’s own); it must be one the viewer sees.' }),
  }),
});

const OrganizationCreatePayload = builder
  .objectRef<{ organization: OrganizationRow | null; userErrors: UserError[] }>('OrganizationCreatePayload')
  .implement({
    fields: (t) => ({
      organization: t.field({ type: OrganizationRef, nullable: true, resolve: (payload) => payload.organization }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (payload) => payload.userErrors }),
    }),
  });

builder.mutationField('organizationCreate', (t) =>
  t.field({
    type: OrganizationCreatePayload,
    description: 'Creates an organization under one the viewer sees. Needs the scope admin.',
    args: { input: t.arg({ type: OrganizationCreateInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      if (!context.viewer.scopes.includes('admin')) {
        throw new GraphQLError('organizationCreate needs the scope admin', { extensions: { code: 'FORBIDDEN', requiredScope: 'admin' } });
      }
      let parentId: string | null = null;
      if (input.parentId) {
        try {
          const decoded = decodeGlobalId(input.parentId, ['input', 'parentId']);
          parentId = decoded.typename === OrganizationRef.name ? decoded.id : '';
        } catch {
          parentId = '';
        }
      }
      const payload = await createOrganization(context.database, await context.visibleOrganizations(), context.viewer.organizationId, {
        name: input.name,
        parentId,
      });
      auditPayload(context, [payload.organization?.id], payload.userErrors);
      return payload;
    },
  }),
);
