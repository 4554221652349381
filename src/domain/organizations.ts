import { randomUUID } from 'node:crypto';
import { asc, isNull } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { organizations } from '../db/schema.js';

/**
 * The organization requests act for until authentication lands: the oldest root organization,
 * created as "Default organization" in an empty database.
 */
export async function ensureRootOrganization(database: Database): Promise<string> {
  return database.transaction(async (tx) => {
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
