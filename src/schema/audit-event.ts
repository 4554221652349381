import { and, desc, eq, gte, inArray, lt, or, type SQL } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import { builder } from '../builder.js';
import type { AuditEventRow } from '../db/schema.js';
import { auditEvents } from '../db/tables.js';
import { AppError, ErrorCode } from '../errors.js';

const AuditEventRef = builder.objectRef<AuditEventRow>('AuditEvent').implement({
  description: 'One mutation as the audit trail recorded it.',
  fields: (t) => ({
    occurredAt: t.field({ type: 'DateTime', resolve: (event) => event.occurredAt }),
    subject: t.exposeString('subject', { description: 'Who: the token’s subject, or api-key:<id>.' }),
    organizationId: t.exposeString('organizationId', { nullable: true, description: 'The organization the viewer acted for.' }),
    operation: t.exposeString('operation', { description: 'The mutation root fields, comma separated.' }),
    targetIds: t.exposeStringList('targetIds', { description: 'What it acted on: customer and organization ids, reserved numbers.' }),
    outcome: t.exposeString('outcome', { description: 'ok, rejected (userErrors) or error.' }),
    requestId: t.exposeString('requestId', { nullable: true }),
  }),
});

const AuditEventConnection = builder.connectionObject({ type: AuditEventRef, name: 'AuditEventConnection' }, { name: 'AuditEventEdge' });

const AuditEventFilter = builder.inputType('AuditEventFilter', {
  fields: (t) => ({
    operation: t.string(),
    subject: t.string(),
    outcome: t.string(),
    from: t.field({ type: 'DateTime', description: 'Inclusive.' }),
    to: t.field({ type: 'DateTime', description: 'Exclusive.' }),
  }),
});

const CURSOR = 'audit:v1:';

builder.queryField('auditEvents', (t) =>
  t.field({
    type: AuditEventConnection,
    description: 'The audit trail of the viewer’s organizations, newest first. Needs the scope audit:read.',
    args: { first: t.arg.int(), after: t.arg.string(), filter: t.arg({ type: AuditEventFilter }) },
    resolve: async (_root, args, context) => {
      if (!context.viewer.scopes.includes('audit:read')) {
        throw new GraphQLError('auditEvents needs the scope audit:read', { extensions: { code: 'FORBIDDEN', requiredScope: 'audit:read' } });
      }
      const first = args.first ?? 20;
      if (!Number.isInteger(first) || first < 0 || first > 100) {
        throw new AppError(ErrorCode.BAD_USER_INPUT, `first must be between 0 and 100, got ${first}`, { argument: ['first'] });
      }
      const conditions: SQL[] = [inArray(auditEvents.organizationId, [...(await context.visibleOrganizations())])];
      const filter = args.filter;
      if (filter?.operation) conditions.push(eq(auditEvents.operation, filter.operation));
      if (filter?.subject) conditions.push(eq(auditEvents.subject, filter.subject));
      if (filter?.outcome) conditions.push(eq(auditEvents.outcome, filter.outcome));
      if (filter?.from) conditions.push(gte(auditEvents.occurredAt, filter.from));
      if (filter?.to) conditions.push(lt(auditEvents.occurredAt, filter.to));
      if (args.after) {
        const match = new RegExp(`^${CURSOR}(\\d+):(.+)$`).exec(Buffer.from(args.after, 'base64url').toString('utf8'));
        if (!match) throw new AppError(ErrorCode.INVALID_CURSOR, 'not a cursor of auditEvents', { argument: ['after'] });
        const at = new Date(Number(match[1]));
        conditions.push(or(lt(auditEvents.occurredAt, at), and(eq(auditEvents.occurredAt, at), lt(auditEvents.id, match[2]!)))!);
      }
      const rows = await context.database.db
        .select()
        .from(auditEvents)
        .where(and(...conditions))
        .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
        .limit(first + 1);
      const edges = rows.slice(0, first).map((node) => ({
        node,
        cursor: Buffer.from(`${CURSOR}${node.occurredAt.getTime()}:${node.id}`).toString('base64url'),
      }));
      return {
        edges,
        pageInfo: {
          hasNextPage: rows.length > first,
          hasPreviousPage: args.after != null,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: edges.at(-1)?.cursor ?? null,
        },
      };
    },
  }),
);
