import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A secret generated once into the data directory (mode 600) and read back on every start, so
 * what it protects survives a restart; two processes starting at once agree on one (`wx`). A kept
 * value `usable` refuses is an error naming the file (deleting it generates a new one).
 * @example const secret = await dataDirSecret({ dataDir, file: 'auth-jwt-secret', generate, usable: (s) => s.length >= 32 });
 */
export async function dataDirSecret(options: {
  dataDir: string;
  file: string;
  generate: () => string;
  usable: (kept: string) => boolean;
}): Promise<string> {
  const file = join(options.dataDir, options.file);
  const kept = async () => {
    const value = (await readFile(file, 'utf8')).trim();
    if (!options.usable(value)) throw new Error(`${file} holds no usable secret: delete it to generate a new one`);
    return value;
  };
  try {
    return await kept();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = options.generate();
  await mkdir(options.dataDir, { recursive: true });
  try {
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return kept();
    throw error;
  }
}
