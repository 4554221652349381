import { builder } from '../builder.js';
import { ProviderName, ProviderSyncStatus } from './enums.js';
import { ProviderLinkRef } from './refs.js';

ProviderLinkRef.implement({
  description: 'Where one customer stands at one provider.',
  fields: (t) => ({
    provider: t.expose('provider', { type: ProviderName }),
    status: t.expose('status', { type: ProviderSyncStatus }),
    externalId: t.exposeString('externalId', { nullable: true, description: "The provider's own id for the customer." }),
    requestId: t.exposeString('requestId', {
      nullable: true,
      description: 'The provider request id of the last call (floLIVE: the asynchronous request to poll).',
    }),
    error: t.exposeString('error', { nullable: true, description: 'Why the last attempt failed, if it did.' }),
    attempts: t.exposeInt('attempts'),
    lastAttemptAt: t.field({ type: 'DateTime', nullable: true, resolve: (link) => link.lastAttemptAt }),
    deadLetteredAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Set when retries were exhausted and the link needs customerSync to be tried again.',
      resolve: (link) => link.deadLetteredAt,
    }),
    updatedAt: t.field({ type: 'DateTime', resolve: (link) => link.updatedAt }),
  }),
});
