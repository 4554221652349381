import { randomUUID } from 'node:crypto';
import { getOperationAST, type ExecutionResult } from 'graphql';
import type { Plugin, YogaLogger } from 'graphql-yoga';
import type { Context } from './context.js';
import { auditEvents } from './db/schema.js';

/** What a mutation reports for the audit record: the objects it created or changed. */
export interface AuditTrail {
  targets: string[];
}

/** Records the ids a mutation acted on (customer, organization …), for this request's audit record. */
export function auditTargets(context: Context, ids: readonly (string | null | undefined)[]): void {
  for (const id of ids) if (id && !context.audit.targets.includes(id)) context.audit.targets.push(id);
}

/**
 * Writes one audit record per mutation operation: who (subject, organization), what (the root
 * fields), on what (the targets the mutations reported), how it ended (ok, rejected — userErrors —
 * or error), the request id (X-Request-Id, or a new one, echoed back) and when. A failure to write
 * the record is logged and does not undo the mutation, which has committed by then.
 * @example createYoga({ plugins: [useAuditTrail({ now })] });
 */
export function useAuditTrail({ now = () => new Date() }: { now?: () => Date } = {}): Plugin {
  let logger: YogaLogger | null = null;
  return {
    onYogaInit({ yoga }) {
      logger = yoga.logger;
    },
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'mutation') return;
      const context = args.contextValue as unknown as Context;
      return {
        async onExecuteDone({ result }) {
          const single = result as ExecutionResult;
          const fields = operation.selectionSet.selections.flatMap((selection) => (selection.kind === 'Field' ? [selection.name.value] : []));
          try {
            await context.database.db.insert(auditEvents).values({
              id: randomUUID(),
              occurredAt: now(),
              organizationId: context.viewer.organizationId,
              subject: context.viewer.subject ?? 'anonymous',
              operation: [...new Set(fields)].join(','),
              targetIds: context.audit.targets,
              outcome: outcomeOf(single),
              requestId: context.requestId,
              detail: single.errors?.length ? { errors: single.errors.map((error) => error.extensions?.['code'] ?? 'UNCODED') } : null,
            });
          } catch (error) {
            logger?.error('audit record could not be written', error);
          }
        },
      };
    },
  };
}

/** ok; rejected when a payload carries userErrors; error when the operation had errors. */
function outcomeOf(result: ExecutionResult): 'ok' | 'rejected' | 'error' {
  if (result.errors?.length) return 'error';
  const payloads = Object.values(result.data ?? {}) as { userErrors?: unknown[] }[];
  return payloads.some((payload) => payload?.userErrors?.length) ? 'rejected' : 'ok';
}
