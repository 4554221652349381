import SchemaBuilder from '@pothos/core';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
import {
  CountryCodeResolver,
  CurrencyResolver,
  DateResolver,
  DateTimeResolver,
  EmailAddressResolver,
  PhoneNumberResolver,
} from 'graphql-scalars';
import type { Context } from './context.js';
import { decodeGlobalId, encodeGlobalId } from './global-id.js';
import { LocaleScalar } from './schema/scalars/locale.js';

/**
 * Builder configuration only; types live in src/schema/, one file each.
 * Fields are non-null unless declared `nullable: true` (decided before the first codegen run,
 * because flipping it later changes every generated client type).
 */
export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    Date: { Input: Date; Output: Date | string };
    DateTime: { Input: Date; Output: Date };
    EmailAddress: { Input: string; Output: string };
    PhoneNumber: { Input: string; Output: string };
    CountryCode: { Input: string; Output: string };
    Currency: { Input: string; Output: string };
    Locale: { Input: string; Output: string };
  };
}>({
  // federation last: it reads the types the others have finished (src/schema/federation.ts)
  plugins: [RelayPlugin, DirectivePlugin, FederationPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: (globalId) => decodeGlobalId(globalId),
    // node/nodes are defined in schema/node.ts: they return null for unknown types and report
    // an undecodable ID per entry instead of failing the whole list.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
});

builder.addScalarType('Date', DateResolver);
builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('EmailAddress', EmailAddressResolver);
builder.addScalarType('PhoneNumber', PhoneNumberResolver);
builder.addScalarType('CountryCode', CountryCodeResolver);
builder.addScalarType('Currency', CurrencyResolver);
builder.addScalarType('Locale', LocaleScalar);

builder.queryType({});
