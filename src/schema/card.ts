import { builder } from '../builder.js';
import { loadEach } from '../loaders/keyed.js';
import { recordSourceOf } from '../loaders/firstvision-stitch.js';
import { CardNetwork, CardStatus, CardType, RecordSource } from './enums.js';
import { AccountRef, CardRef, CustomerRef } from './refs.js';

builder.node(CardRef, {
  description: 'A payment card. Only the last four digits and the IIN are kept, never a full PAN.',
  id: { resolve: (card) => card.id },
  loadMany: (ids, context) => loadEach(context.loaders.cardById, ids),
  fields: (t) => ({
    last4: t.exposeString('last4'),
    iin: t.exposeString('iin', { description: 'Issuer identification number: the first 6 to 8 digits.' }),
    type: t.expose('type', { type: CardType }),
    status: t.expose('status', { type: CardStatus }),
    network: t.expose('network', { type: CardNetwork }),
    source: t.field({ type: RecordSource, resolve: (card) => recordSourceOf(card) }),
    openedOn: t.expose('openedOn', { type: 'Date', nullable: true }),
    closedOn: t.expose('closedOn', { type: 'Date', nullable: true }),
    account: t.field({
      type: AccountRef,
      resolve: async (card, _args, context) => (await context.loaders.accountById.load(card.accountId))!,
    }),
    holder: t.field({
      type: CustomerRef,
      resolve: async (card, _args, context) => (await context.loaders.customerById.load(card.holderId))!,
    }),
  }),
});
