import { builder } from '../builder.js';
import { generateCustomerNumbers, MAX_GENERATED_NUMBERS } from '../domain/customer-numbers-generate.js';
import { runIdempotent } from '../domain/idempotency.js';
import { auditPayload } from '../audit.js';
import type { UserError } from '../domain/user-error.js';
import { providerFieldError } from '../loaders/provider-loader.js';
import { ProviderError } from '../providers/errors.js';
import { UserErrorRef } from './user-error.js';

const CustomerNumbersGenerateInput = builder.inputType('CustomerNumbersGenerateInput', {
  fields: (t) => ({
    count: t.int({ required: true, description: `How many numbers, 1 to ${MAX_GENERATED_NUMBERS}.` }),
    organizationNumber: t.int({ description: 'FirstVision organization (001–998); default: the configured one.' }),
    logo: t.int({ description: 'FirstVision logo (product); default: the configured one.' }),
    idempotencyKey: t.string({ description: 'Makes the mutation safe to retry (see CustomerCreateInput.idempotencyKey).' }),
  }),
});

const CustomerNumbersGeneratePayload = builder
  .objectRef<{ customerNumbers: string[]; userErrors: UserError[] }>('CustomerNumbersGeneratePayload')
  .implement({
    fields: (t) => ({
      customerNumbers: t.exposeStringList('customerNumbers', {
        description: 'Reserved at FirstVision and recorded here: use one as customerNumber in customerCreate. Never issued twice.',
      }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (payload) => payload.userErrors }),
    }),
  });

builder.mutationField('customerNumbersGenerate', (t) =>
  t.field({
    type: CustomerNumbersGeneratePayload,
    description: 'Reserves new customer numbers at FirstVision (customer/generation).',
    args: { input: t.arg({ type: CustomerNumbersGenerateInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const { idempotencyKey, ...rest } = input;
      const deps = context.mutations();
      try {
        const payload = await runIdempotent(
          deps,
          context.idempotency,
          {
            key: idempotencyKey,
            operation: 'customerNumbersGenerate',
            input: rest,
            refused: (error) => ({ customerNumbers: [], userErrors: [error] }),
            fromReference: async (reference) => ({
              customerNumbers: (reference as { customerNumbers: string[] }).customerNumbers,
              userErrors: [],
            }),
          },
          (commit) => generateCustomerNumbers(deps, context.providers.firstvision, rest, commit),
        );
        auditPayload(context, payload.customerNumbers, payload.userErrors);
        return payload;
      } catch (error) {
        // FirstVision failing is not the caller's input: a coded error, not a userError
        if (error instanceof ProviderError) throw providerFieldError('FIRSTVISION', error);
        throw error;
      }
    },
  }),
);
