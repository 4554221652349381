import { GraphQLDeferDirective, GraphQLStreamDirective } from '@graphql-tools/utils';
import { specifiedDirectives } from 'graphql';
import { builder } from '../builder.js';
import './enums.js';
import './node.js';
import './organization.js';
import './customer.js';
import './identity.js';
import './address.js';
import './account.js';
import './card.js';
import './relationship.js';
import './provider-link.js';
import './provider-link-update.js';
import './demographics.js';
import './address-history.js';
import './user-error.js';
import './customer-mutations.js';
import './customer-numbers.js';
import './customer-lookup.js';
import './audit-event.js';
import './federation.js';

/** The Apollo Federation version the subgraph links, and the federation directives it uses. */
export const FEDERATION_LINK = 'https://specs.apollo.dev/federation/v2.6';

/**
 * The executable schema: an Apollo Federation v2 subgraph (`_entities`, `_service`) that is also a
 * complete API on its own. Built once per process; it holds no data, only type definitions.
 *
 * It declares `@defer` and `@stream` (executed by yoga's defer/stream plugin, src/app.ts), so
 * schema.graphql carries them and client teams' codegen accepts documents that use them.
 */
export const schema = builder.toSubGraphSchema({
  linkUrl: FEDERATION_LINK,
  federationDirectives: ['@key'],
  // the list replaces graphql-js's defaults: @skip, @include, @deprecated and @specifiedBy stay in it
  directives: [...specifiedDirectives, GraphQLDeferDirective, GraphQLStreamDirective],
  sortSchema: true,
});
