import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { forUpdate } from '../db/dialect-sql.js';
import { idempotencyKeys } from '../db/tables.js';
import { AppError, ErrorCode } from '../errors.js';
import type { MutationDeps } from './mutation-deps.js';
import type { UserError } from './user-error.js';

/** Called by a use case inside the transaction that commits its work, with what a retry needs to answer. */
export type CommitReference = (tx: Db, reference: unknown) => Promise<void>;

export interface IdempotencySettings {
  /** How long a key and its stored payload are kept (default 24 h). */
  ttlMs: number;
  /** How long a running request holds its key before a retry may take over (it died). */
  lockMs: number;
}

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export interface Idempotent<P> {
  key: string | null | undefined;
  /** The mutation's name: a key is bound to one operation. */
  operation: string;
  /** The input without the key: a key is bound to one input. */
  input: unknown;
  /** The payload for a refused key (a userError at input.idempotencyKey). */
  refused: (error: UserError) => P;
  /** The payload of a first request that committed (`reference`) but died before answering. */
  fromReference: (reference: unknown) => Promise<P>;
}

/**
 * Runs a mutation at most once per idempotency key, as payment APIs do:
 * - no key: runs;
 * - a new key: runs, stores the payload (userErrors included), answers;
 * - the same key and input again: answers the stored payload — nothing runs again;
 * - the same key with another input or operation: a userError IDEMPOTENCY_KEY_REUSED;
 * - the key held by a request still running: a retryable IDEMPOTENCY_KEY_IN_USE error;
 * - the key held by a request that died: its committed work (reference) is answered if it got that
 *   far, else this request takes the key over and runs.
 * Keys expire after `ttlMs`; an expired key is free again.
 * @example return runIdempotent(deps, settings, { key, operation: 'customerCreate', input, refused, fromReference }, (commit) => createCustomer(deps, input, commit));
 */
export async function runIdempotent<P>(
  deps: MutationDeps,
  settings: IdempotencySettings,
  spec: Idempotent<P>,
  run: (commit: CommitReference | undefined) => Promise<P>,
): Promise<P> {
  if (spec.key == null) return run(undefined);
  const key = spec.key;
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    return spec.refused({
      field: ['input', 'idempotencyKey'],
      message: `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
      code: key.length === 0 ? 'TOO_SHORT' : 'TOO_LONG',
    });
  }
  const organizationId = deps.viewer.organizationId;
  const requestHash = hashOf(spec.operation, spec.input);
  const where = and(eq(idempotencyKeys.organizationId, organizationId), eq(idempotencyKeys.key, key));

  const claim = await deps.database.transaction(async (tx) => {
    const now = deps.now();
    const held = {
      operation: spec.operation,
      requestHash,
      response: null,
      reference: null,
      lockedUntil: new Date(now.getTime() + settings.lockMs),
      createdAt: now,
      expiresAt: new Date(now.getTime() + settings.ttlMs),
    };
    // A new key is ours. Insert-or-nothing, not read-then-insert: two requests with one new key
    // (two instances on Postgres) cannot both see it free; the loser finds the winner's row.
    const inserted = await tx
      .insert(idempotencyKeys)
      .values({ organizationId, key, ...held })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted.length > 0) return { kind: 'run' as const };
    // an existing key: locked while we decide, so concurrent retries take turns
    const [row] = await forUpdate(tx.select().from(idempotencyKeys).where(where));
    // freed in between by a request that failed before committing: retryable
    if (!row) return { kind: 'busy' as const };
    if (row.expiresAt <= now) {
      await tx.update(idempotencyKeys).set(held).where(where);
      return { kind: 'run' as const };
    }
    if (row.operation !== spec.operation || row.requestHash !== requestHash) return { kind: 'reused' as const };
    if (row.response != null) return { kind: 'replay' as const, response: row.response };
    if (row.lockedUntil && row.lockedUntil > now) return { kind: 'busy' as const };
    if (row.reference != null) return { kind: 'recover' as const, reference: row.reference };
    await tx.update(idempotencyKeys).set({ lockedUntil: new Date(now.getTime() + settings.lockMs) }).where(where);
    return { kind: 'run' as const };
  });

  switch (claim.kind) {
    case 'reused':
      return spec.refused({
        field: ['input', 'idempotencyKey'],
        message: 'this key was used with a different input; use a new key for a new request',
        code: 'IDEMPOTENCY_KEY_REUSED',
      });
    case 'replay':
      return reviveDates(claim.response) as P;
    case 'busy':
      throw new AppError(ErrorCode.IDEMPOTENCY_KEY_IN_USE, 'a request with this idempotency key is still running; retry shortly', {
        argument: ['input', 'idempotencyKey'],
        retryable: true,
      });
    case 'recover': {
      const payload = await spec.fromReference(claim.reference);
      await store(deps, where, payload);
      return payload;
    }
    case 'run': {
      const commit: CommitReference = async (tx, reference) => {
        await tx.update(idempotencyKeys).set({ reference }).where(where);
      };
      let payload: P;
      try {
        payload = await run(commit);
      } catch (error) {
        // nothing committed under this key (or the reference answers a retry): free it unless committed
        await deps.database.db.delete(idempotencyKeys).where(and(where, eq(idempotencyKeys.requestHash, requestHash)));
        throw error;
      }
      await store(deps, where, payload);
      return payload;
    }
  }
}

async function store(deps: MutationDeps, where: ReturnType<typeof and>, payload: unknown): Promise<void> {
  await deps.database.db.update(idempotencyKeys).set({ response: payload, lockedUntil: null }).where(where);
}

/** SHA-256 of the operation and its input as canonical JSON (object keys sorted). */
export function hashOf(operation: string, input: unknown): string {
  return createHash('sha256').update(`${operation}\n${canonicalJson(input)}`).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Stored payloads are JSON: rows' instants come back as ISO strings and are turned into Dates again. */
const DATE_FIELDS = new Set(['createdAt', 'updatedAt', 'lastAttemptAt', 'deadLetteredAt']);
function reviveDates(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reviveDates);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, v]) => [
        key,
        DATE_FIELDS.has(key) && typeof v === 'string' ? new Date(v) : reviveDates(v),
      ]),
    );
  }
  return value;
}
