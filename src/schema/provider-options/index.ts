import { builder } from '../../builder.js';
import { CardlyticsOptionsInput } from './cardlytics.js';
import { EnfuceOptionsInput } from './enfuce.js';
import { FirstvisionOptionsInput } from './firstvision.js';
import { FloliveOptionsInput } from './flolive.js';
import { NoahOptionsInput } from './noah.js';

/** One field per provider, for settings only that provider has (src/providers/<p>/options.ts). */
export const ProviderOptionsInput = builder.inputType('ProviderOptionsInput', {
  description: 'Provider-only settings, one field per provider. Each is checked only when that provider is a target.',
  fields: (t) => ({
    enfuce: t.field({ type: EnfuceOptionsInput }),
    noah: t.field({ type: NoahOptionsInput }),
    cardlytics: t.field({ type: CardlyticsOptionsInput }),
    flolive: t.field({ type: FloliveOptionsInput }),
    firstvision: t.field({ type: FirstvisionOptionsInput }),
  }),
});
