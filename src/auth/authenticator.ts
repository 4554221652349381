import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { createRemoteJWKSet, importSPKI, jwtVerify, SignJWT, errors as joseErrors, type JWTVerifyGetKey } from 'jose';
import type { Database } from '../db/client.js';
import { apiKeys } from '../db/tables.js';
import type { Viewer } from '../domain/mutation-deps.js';
import { effectiveScopes, SCOPES, type Scope } from './scopes.js';

/** Why credentials were refused; answered as HTTP 401 with `extensions.code`. */
export class AuthenticationError extends Error {
  constructor(
    readonly code: 'UNAUTHENTICATED' | 'TOKEN_EXPIRED' | 'INVALID_TOKEN' | 'INVALID_API_KEY',
    message: string,
  ) {
    super(message);
  }
}

export interface AuthenticatorOptions {
  database: Database;
  /** HS256 secret (local use and sandbox). */
  secret?: string | null;
  /** Production: verify with a public key (PEM, SPKI) … */
  publicKeyPem?: string | null;
  publicKeyAlgorithm?: string;
  /** … or with a JWKS endpoint. */
  jwksUrl?: string | null;
  audience: string;
  issuer?: string | null;
}

export interface Authenticator {
  /** The viewer for an Authorization header value; throws AuthenticationError. */
  authenticate(authorization: string | null): Promise<Viewer>;
  /** Signs a token with the HS256 secret (local use: `npm run token`, tests). */
  sign(claims: { organizationId: string; subject: string; scopes: readonly Scope[]; expiresIn?: string | number }): Promise<string>;
}

const API_KEY = /^cgk_([A-Za-z0-9-]{1,64})_([A-Za-z0-9_-]{20,128})$/;

/** SHA-256 of an API key's secret part: what is stored; the key itself never is. */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A new API key's parts: give `key` to the client once, store `hash`. */
export function newApiKey(id: string): { key: string; hash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { key: `cgk_${id}_${secret}`, hash: hashApiKeySecret(secret) };
}

/**
 * `Authorization: Bearer <token>` where the token is a JWT (claims: sub, org, scope — space
 * separated, as OAuth 2 has it) or an API key `cgk_<id>_<secret>`.
 * @example const viewer = await authenticator.authenticate(request.headers.get('authorization'));
 */
export async function createAuthenticator(options: AuthenticatorOptions): Promise<Authenticator> {
  const secret = options.secret ? new TextEncoder().encode(options.secret) : null;
  const verifier: CryptoKey | JWTVerifyGetKey | null = options.jwksUrl
    ? createRemoteJWKSet(new URL(options.jwksUrl))
    : options.publicKeyPem
      ? await importSPKI(options.publicKeyPem, options.publicKeyAlgorithm ?? 'RS256')
      : secret && (await hmacVerifyKey(secret));
  if (!verifier) throw new Error('authentication needs JWT_SECRET, JWT_PUBLIC_KEY or JWKS_URL');

  const fromJwt = (token: string) => verifyToken(token, verifier, { audience: options.audience, issuer: options.issuer ?? null });

  async function fromApiKey(id: string, secretPart: string): Promise<Viewer> {
    const [row] = await options.database.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    const given = Buffer.from(hashApiKeySecret(secretPart), 'hex');
    const valid = row && !row.revokedAt && timingSafeEqual(given, Buffer.from(row.keyHash, 'hex'));
    if (!row || !valid) throw new AuthenticationError('INVALID_API_KEY', 'the API key is not valid');
    return { organizationId: row.organizationId, subject: `api-key:${row.id}`, scopes: effectiveScopes(row.scopes) };
  }

  return {
    async authenticate(authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
      if (!match) throw new AuthenticationError('UNAUTHENTICATED', 'send credentials: Authorization: Bearer <token or API key>');
      const credential = match[1]!;
      const key = API_KEY.exec(credential);
      return key ? fromApiKey(key[1]!, key[2]!) : fromJwt(credential);
    },
    async sign(claims) {
      if (!secret) throw new Error('signing needs JWT_SECRET (tokens of an external issuer are signed there)');
      return new SignJWT({ org: claims.organizationId, scope: claims.scopes.join(' ') })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.subject)
        .setAudience(options.audience)
        .setIssuedAt()
        .setExpirationTime(claims.expiresIn ?? '12h')
        .sign(secret);
    },
  };
}

export { SCOPES };

/**
 * The HS256 secret imported once as a verify-only WebCrypto key: jose would otherwise import the raw
 * bytes again for every token it checks.
 */
export function hmacVerifyKey(secret: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
}

/**
 * A bearer token's viewer: signature and `exp` checked by jose against `verifier`, audience (and
 * issuer, when set) required, `sub` and the `org` claim required; scopes from `scope`. Every failure
 * is an AuthenticationError with its code (TOKEN_EXPIRED, INVALID_TOKEN).
 * @example const viewer = await verifyToken(token, await hmacVerifyKey(secret), { audience: 'customer-graph', issuer: null });
 */
export async function verifyToken(
  token: string,
  verifier: CryptoKey | JWTVerifyGetKey,
  claims: { audience: string; issuer: string | null },
): Promise<Viewer> {
  try {
    const { payload } = await jwtVerify(token, verifier as CryptoKey, {
      audience: claims.audience,
      ...(claims.issuer ? { issuer: claims.issuer } : {}),
      requiredClaims: ['sub', 'exp'],
    });
    const organizationId = payload['org'];
    if (typeof organizationId !== 'string' || organizationId.length === 0) {
      throw new AuthenticationError('INVALID_TOKEN', 'the token names no organization (claim "org")');
    }
    const scope = typeof payload['scope'] === 'string' ? payload['scope'].split(' ') : [];
    return { organizationId, subject: payload.sub!, scopes: effectiveScopes(scope), expiresAt: new Date(payload.exp! * 1000) };
  } catch (error) {
    if (error instanceof AuthenticationError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw new AuthenticationError('TOKEN_EXPIRED', 'the token has expired: get a new one');
    throw new AuthenticationError('INVALID_TOKEN', `the token is not valid: ${(error as Error).message}`);
  }
}
