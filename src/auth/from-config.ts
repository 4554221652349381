import { dirname } from 'node:path';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { isPostgresUrl } from '../db/url.js';
import { createAuthenticator, type Authenticator } from './authenticator.js';
import { localJwtSecret } from './local-secret.js';

/** Where sandbox secrets live: beside the database file (null for an in-memory database). */
export function dataDirOf(config: Config): string | null {
  if (config.DATABASE_URL === ':memory:' || isPostgresUrl(config.DATABASE_URL)) return null;
  return dirname(config.DATABASE_URL.slice('file:'.length));
}

/**
 * The authenticator the configuration asks for: a public key or JWKS in production, else HS256
 * with JWT_SECRET — which sandbox mode generates into the data directory when it is not set.
 */
export async function authenticatorFromConfig(config: Config, database: Database): Promise<Authenticator> {
  const external = config.JWT_PUBLIC_KEY ?? config.JWKS_URL;
  const secret =
    config.JWT_SECRET ?? (external || config.PROVIDER_MODE === 'live' ? null : await localJwtSecret(dataDirOf(config)));
  if (!secret && !external) throw new Error('authentication needs JWT_SECRET, JWT_PUBLIC_KEY or JWKS_URL in live mode');
  return createAuthenticator({
    database,
    secret,
    publicKeyPem: config.JWT_PUBLIC_KEY ?? null,
    publicKeyAlgorithm: config.JWT_PUBLIC_KEY_ALG,
    jwksUrl: config.JWKS_URL ?? null,
    audience: config.JWT_AUDIENCE,
    issuer: config.JWT_ISSUER ?? null,
  });
}
