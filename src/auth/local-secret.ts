import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const FILE = 'auth-jwt-secret';

/**
 * The HS256 secret for sandbox mode when JWT_SECRET is not set: generated once into the data
 * directory (mode 600) so tokens survive a restart, and shared with `npm run token`. In memory
 * (dataDir null) it lasts the process.
 */
export async function localJwtSecret(dataDir: string | null): Promise<string> {
  if (dataDir === null) return randomBytes(32).toString('base64url');
  const file = join(dataDir, FILE);
  try {
    const kept = (await readFile(file, 'utf8')).trim();
    if (kept.length >= 32) return kept;
    throw new Error(`${file} holds no usable secret: delete it to generate a new one`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  await mkdir(dataDir, { recursive: true });
  try {
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(file, 'utf8')).trim();
    throw error;
  }
}
