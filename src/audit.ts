import { randomUUID } from 'node:crypto';
import { getOperationAST } from 'graphql';
import type { Plugin, YogaLogger } from 'graphql-yoga';
import type { Context } from './context.js';
import { auditEvents } from './db/tables.js';
import { whenExecutionCompletes } from './execution-outcome.js';

/** What a request's mutations report for its audit record. */
export interface AuditTrail {
  /** The objects they created or changed, in the order first reported (a Set: an import reports a thousand ids). */
  targets: Set<string>;
  /** Whether a payload refused input (userErrors), whether or not the client selected them. */
  rejected: boolean;
}

/**
 * Records what a mutation's payload reports for this request's audit record: the ids it acted on
 * (customer, organization …) and its userErrors.
 * @example auditPayload(context, [payload.customer?.id], payload.userErrors);
 */
export function auditPayload(context: Context, ids: readonly (string | null | undefined)[], userErrors: readonly unknown[]): void {
  for (const id of ids) if (id) context.audit.targets.add(id);
  if (userErrors.length > 0) context.audit.rejected = true;
}

/**
 * Writes one audit record per mutation operation: who (subject, organization), what (the root
 * fields), on what (the targets the mutations reported), how it ended (ok; rejected — a payload had
 * userErrors, selected or not; error — the operation had errors), the request id (X-Request-Id, or
 * a new one, echoed back) and when. A failure to write the record is logged and does not undo the
 * mutation, which has committed by then.
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
        // a mutation whose payload selection defers fragments is recorded once its last part is sent
        onExecuteDone: whenExecutionCompletes(async (errors) => {
          const fields = operation.selectionSet.selections.flatMap((selection) => (selection.kind === 'Field' ? [selection.name.value] : []));
          try {
            await context.database.db.insert(auditEvents).values({
              id: randomUUID(),
              occurredAt: now(),
              organizationId: context.viewer.organizationId,
              subject: context.viewer.subject ?? 'anonymous',
              operation: [...new Set(fields)].join(','),
              targetIds: [...context.audit.targets],
              outcome: errors.length ? 'error' : context.audit.rejected ? 'rejected' : 'ok',
              requestId: context.requestId,
              detail: errors.length ? { errors: errors.map((error) => error.extensions?.['code'] ?? 'UNCODED') } : null,
            });
          } catch (error) {
            logger?.error('audit record could not be written', error);
          }
        }),
      };
    },
  };
}
