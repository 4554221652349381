/**
 * Prints a token for local use, on its last line: `npm run token -- [--org <id|name>] [--scopes <a,b>]`.
 * Default: the root organization, all scopes. Uses JWT_SECRET, or the secret sandbox mode keeps in
 * the data directory (so the token works with `npm start`).
 */
import { asc, eq, isNull, or } from 'drizzle-orm';
import { authenticatorFromConfig } from '../src/auth/from-config.js';
import { SCOPES, type Scope } from '../src/auth/scopes.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { organizations } from '../src/db/tables.js';
import { withSecretFiles } from '../src/secret-files.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const config = loadConfig(withSecretFiles(process.env));
const database = await openDatabase({ url: config.DATABASE_URL });
await migrateDatabase(database);
const wanted = option('org');
const [organization] = await database.db
  .select()
  .from(organizations)
  .where(wanted ? or(eq(organizations.id, wanted), eq(organizations.name, wanted)) : isNull(organizations.parentId))
  .orderBy(asc(organizations.createdAt))
  .limit(1);
if (!organization) {
  console.error(wanted ? `no organization with id or name "${wanted}"` : 'no organization yet: start the server once (npm start)');
  process.exit(1);
}
const scopes = (option('scopes')?.split(',').map((scope) => scope.trim()) ?? [...SCOPES]) as Scope[];
const unknown = scopes.filter((scope) => !(SCOPES as readonly string[]).includes(scope));
if (unknown.length > 0) {
  console.error(`unknown scopes: ${unknown.join(', ')} (known: ${SCOPES.join(', ')})`);
  process.exit(1);
}
const authenticator = await authenticatorFromConfig(config, database);
console.error(`organization ${organization.name} (${organization.id}), scopes ${scopes.join(' ')}`);
console.log(await authenticator.sign({ organizationId: organization.id, subject: 'local-developer', scopes }));
await database.close();
