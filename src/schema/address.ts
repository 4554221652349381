import { builder } from '../builder.js';
import { loadEach } from '../loaders/keyed.js';
import { AddressKind } from './enums.js';
import { AddressRef, CustomerRef } from './refs.js';

builder.node(AddressRef, {
  description: 'A postal address of a customer.',
  id: { resolve: (address) => address.id },
  loadMany: (ids, context) => loadEach(context.loaders.addressById, ids),
  fields: (t) => ({
    kind: t.expose('kind', { type: AddressKind }),
    line1: t.exposeString('line1', { description: 'First street line.' }),
    line2: t.exposeString('line2', { nullable: true }),
    buildingNumber: t.exposeString('buildingNumber', { nullable: true }),
    buildingName: t.exposeString('buildingName', { nullable: true }),
    floor: t.exposeString('floor', { nullable: true }),
    apartment: t.exposeString('apartment', { nullable: true }),
    entrance: t.exposeString('entrance', { nullable: true }),
    poBox: t.exposeString('poBox', { nullable: true }),
    city: t.exposeString('city'),
    county: t.exposeString('county', { nullable: true }),
    region: t.exposeString('region', { nullable: true, description: 'State, province or region.' }),
    postalCode: t.exposeString('postalCode', { nullable: true }),
    country: t.expose('country', { type: 'CountryCode' }),
    validFrom: t.expose('validFrom', { type: 'Date', nullable: true }),
    validUntil: t.expose('validUntil', { type: 'Date', nullable: true }),
    isPrimary: t.exposeBoolean('isPrimary'),
    recipientName: t.exposeString('recipientName', { nullable: true }),
    company: t.exposeString('company', { nullable: true }),
    customer: t.field({
      type: CustomerRef,
      resolve: async (address, _args, context) => (await context.loaders.customerById.load(address.customerId))!,
    }),
  }),
});
