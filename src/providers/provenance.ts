import type { z } from 'zod';
import type { ProviderName } from '../domain/enums.js';
import { userErrorCodeOf, type InputPath, type UserError } from '../domain/user-error.js';

/**
 * Where each field of a provider request came from in the caller's input, so that a provider rule
 * broken by a mapped value is reported at the caller's path (`['customer','phones','mobile']`), not
 * at the provider's field name. Paths are relative to one mutation item: they start with
 * `customer` or `providerOptions`.
 * @example const from = new Provenance(); from.set(['mobilePhoneNumber'], ['customer', 'phones', 'mobile']);
 */
export class Provenance {
  private readonly sources = new Map<string, InputPath>();

  constructor(private readonly fallback: InputPath = ['customer']) {}

  set(providerPath: readonly (string | number)[], inputPath: InputPath): this {
    this.sources.set(key(providerPath), inputPath);
    return this;
  }

  /** The caller's path for a provider path: the longest recorded prefix wins, else the fallback. */
  resolve(providerPath: readonly PropertyKey[]): InputPath {
    for (let length = providerPath.length; length > 0; length--) {
      const found = this.sources.get(key(providerPath.slice(0, length)));
      if (found) return found;
    }
    return this.fallback;
  }
}

function key(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/**
 * Checks a mapped provider request against the provider's contract schema. Every violation becomes a
 * UserError at the caller's path, with `provider` set and the provider's field named in the message.
 * @example const errors = checkContract('NOAH', noahPutCustomerRequest, request, provenance);
 */
export function checkContract(
  provider: ProviderName,
  schema: z.ZodType,
  request: unknown,
  provenance: Provenance,
): UserError[] {
  const result = schema.safeParse(request);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({
    field: provenance.resolve(issue.path),
    message: `${provider} ${issue.path.map(String).join('.') || 'request'}: ${issue.message}`,
    code: userErrorCodeOf(issue),
    provider,
  }));
}
