import { builder } from '../builder.js';
import type { ProviderLinkRow } from '../db/schema.js';
import { ProviderName, ProviderSyncStatus } from './enums.js';
import { ProviderLinkRef } from './refs.js';

/** What ProviderLink (on Customer) and ProviderResult (in mutation payloads) both say. */
const ProviderSyncStateRef = builder.interfaceRef<ProviderLinkRow>('ProviderSyncState').implement({
  description: 'Where one customer stands at one provider.',
  fields: (t) => ({
    provider: t.expose('provider', { type: ProviderName }),
    status: t.expose('status', { type: ProviderSyncStatus }),
    externalId: t.exposeString('externalId', { nullable: true, description: "The provider's own id for the customer." }),
    requestId: t.exposeString('requestId', {
      nullable: true,
      description: 'The provider request id of the last call (floLIVE: the asynchronous request to poll).',
    }),
    error: t.exposeString('error', {
      nullable: true,
      description: 'Why the last attempt failed: a code (PROVIDER_REJECTED, PROVIDER_AUTH_FAILED, PROVIDER_UNAVAILABLE, PROVIDER_TIMEOUT, PROVIDER_BAD_RESPONSE), the HTTP status and the provider’s message.',
    }),
    attempts: t.exposeInt('attempts'),
    omitted: t.exposeStringList('omitted', {
      description: 'Parts of the customer this provider cannot represent, which were therefore not sent to it.',
    }),
    lastAttemptAt: t.field({ type: 'DateTime', nullable: true, resolve: (link) => link.lastAttemptAt }),
    deadLetteredAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Set when retries were exhausted.',
      resolve: (link) => link.deadLetteredAt,
    }),
    updatedAt: t.field({ type: 'DateTime', resolve: (link) => link.updatedAt }),
  }),
});

ProviderLinkRef.implement({
  description: 'Where one customer stands at one provider.',
  interfaces: [ProviderSyncStateRef],
  fields: () => ({}),
});

export const ProviderResultRef = builder.objectRef<ProviderLinkRow>('ProviderResult').implement({
  description: 'What a mutation did at one provider.',
  interfaces: [ProviderSyncStateRef],
  fields: () => ({}),
});
