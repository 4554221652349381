import { builder } from '../builder.js';
import type { AddressHistoryEntry } from '../loaders/firstvision-stitch.js';
import { AddressPeriod, RecordSource } from './enums.js';
import { AddressRef } from './refs.js';

export const AddressHistoryEntryRef = builder.objectRef<AddressHistoryEntry>('AddressHistoryEntry').implement({
  description: 'A current or prior address, from the customer’s own addresses or from FirstVision’s current/prior address inquiry.',
  fields: (t) => ({
    period: t.expose('period', { type: AddressPeriod }),
    source: t.expose('source', { type: RecordSource }),
    lines: t.exposeStringList('lines', { description: 'Street lines, house number first where the source keeps it apart.' }),
    city: t.exposeString('city', { nullable: true }),
    region: t.exposeString('region', { nullable: true }),
    postalCode: t.exposeString('postalCode', { nullable: true }),
    country: t.expose('country', { type: 'CountryCode', nullable: true, description: 'FirstVision keeps none for prior addresses.' }),
    validFrom: t.expose('validFrom', { type: 'Date', nullable: true }),
    validUntil: t.expose('validUntil', { type: 'Date', nullable: true }),
    address: t.field({
      type: AddressRef,
      nullable: true,
      description: 'The stored address this entry is, for LOCAL entries.',
      resolve: (entry, _args, context) => (entry.addressId ? context.loaders.addressById.load(entry.addressId) : null),
    }),
  }),
});
