import { readFileSync } from 'node:fs';

/** PROVIDER_<NAME>_<CREDENTIAL>, JWT_SECRET, JWT_PUBLIC_KEY, IDENTITY_ENCRYPTION_KEY, DATABASE_URL — each with `_FILE`. */
const SECRET_FILE_VARIABLE = /^(PROVIDER_[A-Z0-9_]+|JWT_SECRET|JWT_PUBLIC_KEY|IDENTITY_ENCRYPTION_KEY|DATABASE_URL)_FILE$/;

/**
 * Secrets (provider credentials, JWT_SECRET, IDENTITY_ENCRYPTION_KEY …) come only from the environment: `PROVIDER_NOAH_API_KEY=…`, or
 * `PROVIDER_NOAH_API_KEY_FILE=/run/secrets/noah-api-key` (the Docker/Kubernetes secrets convention;
 * one trailing newline is dropped). Only our secret-bearing variables are read this way — other
 * tools' `*_FILE` variables in the same environment are left alone. Setting both is an error,
 * as is a file that cannot be read — the message names the variable, never the value.
 * @example const env = withSecretFiles(process.env);
 */
export function withSecretFiles(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const resolved = { ...env };
  for (const [name, path] of Object.entries(env)) {
    if (!SECRET_FILE_VARIABLE.test(name) || !path) continue;
    const variable = name.slice(0, -'_FILE'.length);
    if (env[variable] !== undefined) throw new Error(`${variable} and ${name} are both set; set one`);
    try {
      resolved[variable] = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new Error(`${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
    delete resolved[name];
  }
  return resolved;
}
