import { randomBytes } from 'node:crypto';
import { dataDirSecret } from '../data-dir-secret.js';

/**
 * The HS256 secret for sandbox mode when JWT_SECRET is not set: generated once into the data
 * directory (`auth-jwt-secret`, mode 600) so tokens survive a restart, and shared with
 * `npm run token`. In memory (dataDir null) it lasts the process.
 */
export async function localJwtSecret(dataDir: string | null): Promise<string> {
  const generate = () => randomBytes(32).toString('base64url');
  if (dataDir === null) return generate();
  return dataDirSecret({ dataDir, file: 'auth-jwt-secret', generate, usable: (kept) => kept.length >= 32 });
}
