import { asc, eq } from 'drizzle-orm';
import { builder } from '../builder.js';
import { providerLinks } from '../db/tables.js';
import { AppError, ErrorCode } from '../errors.js';
import { decodeGlobalId } from '../global-id.js';
import { linkUpdateStream, type ProviderLinkUpdate } from '../live/link-update-stream.js';
import { visibleCustomer } from '../loaders/visibility.js';
import { CustomerRef, ProviderLinkRef } from './refs.js';

const ProviderLinkUpdateRef = builder.objectRef<ProviderLinkUpdate>('ProviderLinkUpdate').implement({
  description: 'A provider link of a customer, as it stands after a change.',
  fields: (t) => ({
    customer: t.field({
      type: CustomerRef,
      description: 'The customer the link belongs to (the one subscribed to).',
      // read again for each event: the subscription may run for hours
      resolve: async (update, _args, context) => (await context.loaders.customerById.load(update.customer.id)) ?? update.customer,
    }),
    link: t.field({ type: ProviderLinkRef, resolve: (update) => update.link }),
  }),
});

builder.subscriptionType({});

builder.subscriptionField('providerLinkUpdated', (t) =>
  t.field({
    type: ProviderLinkUpdateRef,
    description:
      "A customer's provider links: first each link as it stands, then the link again whenever its status, attempts or error change " +
      '(outbox retries, floLIVE settling, customerSync), once the change is committed — made by this instance or, on Postgres, any other. ' +
      'Over SSE: POST or GET /graphql with `Accept: text/event-stream`. A customer the viewer cannot see is NOT_FOUND, as a missing one.',
    args: { customerId: t.arg.id({ required: true, description: 'The customer’s global ID.' }) },
    subscribe: async (_root, args, context) => {
      const decoded = decodeGlobalId(args.customerId, ['customerId']);
      if (decoded.typename !== CustomerRef.name) {
        throw new AppError(ErrorCode.INVALID_ID, `expected a Customer ID, got a ${decoded.typename} ID`, { argument: ['customerId'] });
      }
      const customer = await visibleCustomer(context, await context.loaders.customerById.load(decoded.id));
      if (!customer) throw new AppError(ErrorCode.NOT_FOUND, 'no customer with this ID', { argument: ['customerId'] });
      return linkUpdateStream({
        linkUpdates: context.linkUpdates,
        customer,
        endsAt: context.viewer.expiresAt,
        currentLinks: () =>
          context.database.db.select().from(providerLinks).where(eq(providerLinks.customerId, customer.id)).orderBy(asc(providerLinks.provider)),
      });
    },
    resolve: (update, _args, context) => {
      // each event runs as a request of its own: no loader cache or deadline left from the last one
      context.renew();
      return update;
    },
  }),
);
