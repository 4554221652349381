import { builder } from '../builder.js';
import type { CustomerRow, ProviderLinkRow } from '../db/schema.js';
import type { Context } from '../context.js';
import { createCustomer, currentCustomerPayload, type CustomerMutationResult } from '../domain/customer-create.js';
import { syncCustomer } from '../domain/customer-sync.js';
import { updateCustomer } from '../domain/customer-update.js';
import {
  importCustomers,
  importPayloadFromReference,
  MAX_IMPORT_ITEMS,
  type ImportItemResult,
  type ImportReference,
} from '../domain/customers-import.js';
import { runIdempotent, type CommitReference } from '../domain/idempotency.js';
import { auditPayload } from '../audit.js';
import { decodeGlobalId } from '../global-id.js';
import type { UserError } from '../domain/user-error.js';
import { CustomerInput } from './customer-input.js';
import { ProviderName } from './enums.js';
import { ProviderOptionsInput } from './provider-options/index.js';
import { ProviderResultRef } from './provider-link.js';
import { CustomerRef } from './refs.js';
import { UserErrorRef } from './user-error.js';

/** Payload fields every customer mutation shares (Shopify's pattern: nullable result + userErrors). */
function customerPayload(name: string, description: string) {
  return builder.objectRef<CustomerMutationResult>(name).implement({
    description,
    fields: (t) => ({
      customer: t.field({ type: CustomerRef, nullable: true, resolve: (payload) => payload.customer }),
      providerResults: t.field({ type: [ProviderResultRef], resolve: (payload) => payload.providerResults }),
      userErrors: t.field({ type: [UserErrorRef], resolve: (payload) => payload.userErrors }),
    }),
  });
}

const CustomerCreatePayload = customerPayload(
  'CustomerCreatePayload',
  'The created customer and what each provider did, or the userErrors (then nothing was written or sent).',
);
const CustomerUpdatePayload = customerPayload(
  'CustomerUpdatePayload',
  'The updated customer and what each provider did, or the userErrors (then nothing was written or sent).',
);

const IDEMPOTENCY_KEY = {
  description:
    'Makes the mutation safe to retry: the same key with the same input answers the stored payload and runs nothing again; the same key with another input is refused (IDEMPOTENCY_KEY_REUSED). Kept 24 hours.',
};

const customerResult = (userErrors: UserError[]): CustomerMutationResult => ({ customer: null, providerResults: [], userErrors });

/** Runs a customer mutation under its idempotency key (see src/domain/idempotency.ts). */
async function idempotentCustomerMutation(
  context: Context,
  operation: string,
  input: { idempotencyKey?: string | null },
  run: (commit: CommitReference | undefined) => Promise<CustomerMutationResult>,
): Promise<CustomerMutationResult> {
  const { idempotencyKey, ...rest } = input;
  const deps = context.mutations();
  const attempted = [(rest as { id?: unknown }).id, (rest as { customerId?: unknown }).customerId].flatMap((id) => {
    try {
      return typeof id === 'string' ? [decodeGlobalId(id).id] : [];
    } catch {
      return [];
    }
  });
  const payload = await runIdempotent(
    deps,
    context.idempotency,
    {
      key: idempotencyKey,
      operation,
      input: rest,
      refused: (error) => customerResult([error]),
      fromReference: (reference) => currentCustomerPayload(deps, (reference as { customerId: string }).customerId),
    },
    run,
  );
  auditPayload(context, [...attempted, payload.customer?.id], payload.userErrors);
  return payload;
}

const providersArg = (t: PothosSchemaTypes.InputFieldBuilder<PothosSchemaTypes.ExtendDefaultTypes<any>, 'InputObject'>) =>
  t.field({ type: [ProviderName], description: 'Providers to route to. Default: the configured set (PROVIDERS_DEFAULT).' });

const CustomerCreateInput = builder.inputType('CustomerCreateInput', {
  fields: (t) => ({
    customer: t.field({ type: CustomerInput, required: true }),
    providers: providersArg(t),
    providerOptions: t.field({ type: ProviderOptionsInput }),
    idempotencyKey: t.string(IDEMPOTENCY_KEY),
  }),
});

const CustomerUpdateInput = builder.inputType('CustomerUpdateInput', {
  fields: (t) => ({
    id: t.id({ required: true, description: 'The customer to update.' }),
    customer: t.field({
      type: CustomerInput,
      required: true,
      description: 'The fields to change. customerNumber, kind, parentId and accounts cannot change here.',
    }),
    providers: t.field({
      type: [ProviderName],
      description: 'Providers to send the update to. Default: every linked provider that supports an update (ENFUCE, NOAH, FIRSTVISION).',
    }),
    providerOptions: t.field({ type: ProviderOptionsInput }),
    idempotencyKey: t.string(IDEMPOTENCY_KEY),
  }),
});

const CustomersImportItemInput = builder.inputType('CustomersImportItemInput', {
  fields: (t) => ({
    customer: t.field({ type: CustomerInput, required: true }),
    providerOptions: t.field({ type: ProviderOptionsInput }),
  }),
});

const CustomersImportInput = builder.inputType('CustomersImportInput', {
  fields: (t) => ({
    items: t.field({ type: [CustomersImportItemInput], required: true, description: `At most ${MAX_IMPORT_ITEMS}.` }),
    providers: providersArg(t),
    idempotencyKey: t.string(IDEMPOTENCY_KEY),
  }),
});

const CustomerSyncInput = builder.inputType('CustomerSyncInput', {
  fields: (t) => ({
    customerId: t.id({ required: true }),
    providers: t.field({
      type: [ProviderName],
      description: 'Providers to sync. Default: every provider whose link is FAILED (rejected or dead-lettered).',
    }),
    idempotencyKey: t.string(IDEMPOTENCY_KEY),
  }),
});

const CustomerSyncPayload = customerPayload(
  'CustomerSyncPayload',
  'The customer and its provider links after its failed or dead-lettered links were queued and sent again.',
);

const CustomersImportItemResult = builder.objectRef<ImportItemResult>('CustomersImportItemResult').implement({
  description: 'The outcome of one import item: a customer, or the userErrors that kept it out.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Position of the item in input.items.' }),
    customer: t.field({ type: CustomerRef, nullable: true, resolve: (item): CustomerRow | null => item.customer }),
    providerResults: t.field({ type: [ProviderResultRef], resolve: (item): ProviderLinkRow[] => item.providerResults }),
    userErrors: t.field({ type: [UserErrorRef], resolve: (item): UserError[] => item.userErrors }),
  }),
});

const CustomersImportPayload = builder
  .objectRef<{ items: ImportItemResult[]; userErrors: UserError[] }>('CustomersImportPayload')
  .implement({
    description: 'Per-item results. A bad item does not stop the others.',
    fields: (t) => ({
      items: t.field({ type: [CustomersImportItemResult], resolve: (payload) => payload.items }),
      importedCount: t.int({ resolve: (payload) => payload.items.filter((item) => item.customer).length }),
      userErrors: t.field({
        type: [UserErrorRef],
        description: 'Every item’s errors, with field paths starting ["input","items",<index>].',
        resolve: (payload) => payload.userErrors,
      }),
    }),
  });

builder.mutationType({});

builder.mutationFields((t) => ({
  customerCreate: t.field({
    type: CustomerCreatePayload,
    description:
      'Creates a customer: validated against the canonical model and every target provider’s contract, stored with a provider link per target, then sent to the providers in parallel.',
    args: { input: t.arg({ type: CustomerCreateInput, required: true }) },
    resolve: (_root, { input }, context) =>
      idempotentCustomerMutation(context, 'customerCreate', input, (commit) =>
        createCustomer(
          context.mutations(),
          {
            customer: input.customer,
            providers: input.providers ?? null,
            providerOptions: input.providerOptions as Record<string, unknown> | null | undefined,
          },
          commit,
        ),
      ),
  }),
  customerUpdate: t.field({
    type: CustomerUpdatePayload,
    description: 'Changes a customer locally and at its providers (ENFUCE, NOAH, FIRSTVISION updates).',
    args: { input: t.arg({ type: CustomerUpdateInput, required: true }) },
    resolve: (_root, { input }, context) =>
      idempotentCustomerMutation(context, 'customerUpdate', input, (commit) =>
        updateCustomer(
          context.mutations(),
          {
            id: input.id,
            customer: input.customer as Record<string, unknown>,
            providers: input.providers ?? null,
            providerOptions: input.providerOptions as Record<string, unknown> | null | undefined,
          },
          commit,
        ),
      ),
  }),
  customersImport: t.field({
    type: CustomersImportPayload,
    description: `Creates up to ${MAX_IMPORT_ITEMS} customers; Cardlytics receives them in batches of at most 50.`,
    args: { input: t.arg({ type: CustomersImportInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const { idempotencyKey, ...rest } = input;
      const deps = context.mutations();
      const payload = await runIdempotent(
        deps,
        context.idempotency,
        {
          key: idempotencyKey,
          operation: 'customersImport',
          input: rest,
          refused: (error) => ({ items: [], userErrors: [error] }),
          fromReference: (reference) => importPayloadFromReference(deps, reference as ImportReference),
        },
        (commit) =>
          importCustomers(
            deps,
            {
              items: input.items.map((item) => ({
                customer: item.customer,
                providerOptions: item.providerOptions as Record<string, unknown> | null | undefined,
              })),
              providers: input.providers ?? null,
            },
            commit,
          ),
      );
      auditPayload(context, payload.items.map((item) => item.customer?.id), payload.userErrors);
      return payload;
    },
  }),
  customerSync: t.field({
    type: CustomerSyncPayload,
    description: 'Queues a customer’s failed or dead-lettered provider links again and sends them now.',
    args: { input: t.arg({ type: CustomerSyncInput, required: true }) },
    resolve: (_root, { input }, context) =>
      idempotentCustomerMutation(context, 'customerSync', input, (commit) =>
        syncCustomer(context.mutations(), { customerId: input.customerId, providers: input.providers ?? null }, commit),
      ),
  }),
}));
