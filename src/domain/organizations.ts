import { randomUUID } from 'node:crypto';
import { asc, isNull } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { lockExclusively } from '../db/dialect-sql.js';
import type { OrganizationRow } from '../db/schema.js';
import { organizations } from '../db/tables.js';
import type { UserError } from './user-error.js';

/**
 * The root organization: the oldest one without a parent, created as "Default organization" in an
 * empty database. The process itself acts for it (demo linking, the outbox worker), and local
 * tokens default to it.
 */
export async function ensureRootOrganization(database: Database): Promise<string> {
  return database.transaction(async (tx) => {
    // instances starting together on one empty Postgres database: one creates it, the others find it
    await lockExclusively(tx, 'root-organization');
    const [root] = await tx
      .select({ id: organizations.id })
      .from(organizations)
      .where(isNull(organizations.parentId))
      .orderBy(asc(organizations.createdAt), asc(organizations.id))
      .limit(1);
    if (root) return root.id;
    const id = randomUUID();
    await tx.insert(organizations).values({ id, name: 'Default organization' });
    return id;
  });
}

/**
 * The organization and every descendant: what a viewer of it may see. One recursive query, run on
 * every request that reads customers: a fixed text, prepared once (the connection's statement cache).
 */
export async function organizationSubtree(database: Database, organizationId: string): Promise<ReadonlySet<string>> {
  const rows = await database.rows(SUBTREE_SQL[database.dialect], [organizationId]);
  return new Set(rows.map((row) => row[0] as string));
}

const subtreeSql = (placeholder: string) => `with recursive subtree(id) as (
  select id from organizations where id = ${placeholder}
  union
  select o.id from organizations o join subtree s on o.parent_id = s.id
)
select id from subtree`;
const SUBTREE_SQL = { sqlite: subtreeSql('?'), postgres: subtreeSql('$1') } as const;

/**
 * organizationCreate: a new organization under `parentId` (default: the viewer's own), which must
 * be in the viewer's subtree — another tenant's organization is "not found".
 */
export async function createOrganization(
  database: Database,
  visible: ReadonlySet<string>,
  viewerOrganization: string,
  input: { name: string; parentId: string | null },
): Promise<{ organization: OrganizationRow | null; userErrors: UserError[] }> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) {
    return { organization: null, userErrors: [{ field: ['input', 'name'], message: 'must be 1 to 200 characters', code: 'INVALID' }] };
  }
  const parentId = input.parentId ?? viewerOrganization;
  if (!visible.has(parentId)) {
    return { organization: null, userErrors: [{ field: ['input', 'parentId'], message: 'no such organization', code: 'NOT_FOUND' }] };
  }
  const id = randomUUID();
  const [organization] = await database.db.insert(organizations).values({ id, name, parentId }).returning();
  return { organization: organization ?? null, userErrors: [] };
}
