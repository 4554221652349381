import { builder } from '../builder.js';
import { loadEach } from '../loaders/keyed.js';
import { IdentityType } from './enums.js';
import { maskText, pii } from './pii.js';
import { CustomerRef, IdentityRef } from './refs.js';

builder.node(IdentityRef, {
  description: 'An identity document or number held by a customer.',
  id: { resolve: (identity) => identity.id },
  loadMany: (ids, context) => loadEach(context.loaders.identityById, ids),
  fields: (t) => ({
    type: t.expose('type', { type: IdentityType }),
    number: t.string({
      description: 'The number; masked to its last 4 characters without the scope pii:read.',
      resolve: (identity, _args, context) => pii(context, identity.number, (number) => maskText(number)!),
    }),
    issuingCountry: t.expose('issuingCountry', { type: 'CountryCode' }),
    issuedOn: t.expose('issuedOn', { type: 'Date', nullable: true }),
    expiresOn: t.expose('expiresOn', { type: 'Date', nullable: true }),
    customer: t.field({
      type: CustomerRef,
      resolve: async (identity, _args, context) => (await context.loaders.customerById.load(identity.customerId))!,
    }),
  }),
});
