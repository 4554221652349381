import type { ProviderRegistry } from '../providers/registry.js';
import { PROVIDER_OPTION_FIELDS } from '../providers/registry.js';
import type { CustomerRouting } from '../providers/types.js';
import type { ProviderName } from './enums.js';
import { zodIssuesToUserErrors, type InputPath, type UserError } from './user-error.js';

/** A provider request ready to be written to the outbox. */
export interface ProviderRequestPlan {
  provider: ProviderName;
  request: unknown;
  omitted: string[];
  /** The provider's options as validated, defaults applied. */
  options: unknown;
}

export interface PlanArgs {
  providers: ProviderRegistry;
  targets: readonly ProviderName[];
  operation: 'create' | 'update';
  /** The routing without the per-provider parts (options, externalId). */
  routing: Omit<CustomerRouting, 'options' | 'externalId'>;
  /** This customer's id at each provider (updates). */
  externalIds: Partial<Record<ProviderName, string | null>>;
  /** The parent customer's id at each provider, when routing.parent is set. */
  parentExternalIds?: Partial<Record<ProviderName, string | null>>;
  providerOptions: Record<string, unknown> | null | undefined;
  /** Options to use for a provider the caller gave none for (an update reuses the link's). */
  storedOptions?: Partial<Record<ProviderName, unknown>>;
  /** Where this item sits in the mutation input: ['input'] or ['input', 'items', 3]. */
  itemPath: InputPath;
}

/**
 * Validates each target provider's options and maps the customer to that provider's request,
 * checked against its contract. Pure: no I/O. Every problem of every provider is returned at once,
 * at the caller's input path.
 * @example const { plans, errors } = planProviderRequests({ providers, targets: ['NOAH'], operation: 'create', … });
 */
export function planProviderRequests(args: PlanArgs): { plans: ProviderRequestPlan[]; errors: UserError[] } {
  const plans: ProviderRequestPlan[] = [];
  const errors: UserError[] = [];
  for (const provider of args.targets) {
    const field = PROVIDER_OPTION_FIELDS[provider];
    const module = args.providers.module(provider);
    const options = module.optionsSchema.safeParse(args.providerOptions?.[field] ?? args.storedOptions?.[provider] ?? {});
    if (!options.success) {
      errors.push(
        ...zodIssuesToUserErrors(options.error.issues, [...args.itemPath, 'providerOptions', field]).map((error) => ({
          ...error,
          provider,
        })),
      );
      continue;
    }
    const adapter = args.providers.adapter(provider);
    const routing: CustomerRouting = {
      ...args.routing,
      options: options.data,
      externalId: args.externalIds[provider] ?? null,
      parent: args.routing.parent ? { ...args.routing.parent, externalId: args.parentExternalIds?.[provider] ?? null } : null,
    };
    const mapped =
      args.operation === 'create'
        ? adapter.mapCreate(routing)
        : adapter.mapUpdate
          ? adapter.mapUpdate(routing)
          : { ok: false as const, errors: [unsupportedUpdate(provider)] };
    if (mapped.ok) {
      plans.push({ provider, request: mapped.request, omitted: mapped.omitted, options: options.data });
    } else {
      errors.push(...mapped.errors.map((error) => ({ ...error, field: [...args.itemPath, ...error.field], provider })));
    }
  }
  return { plans, errors };
}

function unsupportedUpdate(provider: ProviderName): UserError {
  return { field: ['providers'], message: `${provider} has no customer update`, code: 'UNSUPPORTED', provider };
}
