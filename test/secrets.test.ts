import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialRedactor, credentialValues } from '../src/providers/credentials.js';
import type { FetchLike } from '../src/providers/http.js';
import { withSecretFiles } from '../src/secret-files.js';
import { dataDirSecret } from '../src/data-dir-secret.js';
import { localIdentityKey } from '../src/db/identity-encryption.js';
import { createTestApp } from './helpers.js';
import { CREATE, fullCustomerInput } from './mutations.js';
import { rawRows } from './support/raw-sql.js';

describe('secrets from files (src/secret-files.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'customer-graph-secrets-'));
  const file = join(dir, 'noah-api-key');
  writeFileSync(file, 'k3y-from-a-file-123\n');

  it('reads <NAME>_FILE into <NAME>, dropping one trailing newline', () => {
    const env = withSecretFiles({ PROVIDER_NOAH_API_KEY_FILE: file, PORT: '4000' });
    expect(env).toEqual({ PROVIDER_NOAH_API_KEY: 'k3y-from-a-file-123', PORT: '4000' });
  });

  it("leaves other tools' *_FILE variables alone", () => {
    expect(withSecretFiles({ TF_CLI_CONFIG_FILE: '/nowhere/.terraformrc' })).toEqual({ TF_CLI_CONFIG_FILE: '/nowhere/.terraformrc' });
  });

  it('refuses both forms at once, and an unreadable file, naming the variable but not the value', () => {
    expect(() => withSecretFiles({ JWT_SECRET: 'inline-value', JWT_SECRET_FILE: file })).toThrow('JWT_SECRET and JWT_SECRET_FILE are both set; set one');
    expect(() => withSecretFiles({ JWT_SECRET_FILE: join(dir, 'missing') })).toThrow(/^JWT_SECRET_FILE: cannot read .*missing \(ENOENT\)$/);
  });
});

describe('sandbox secrets generated into the data directory (src/data-dir-secret.ts)', () => {
  it('generates once, keeps it across starts, and two starts at once agree', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'customer-graph-keys-')), 'data');
    const [a, b] = await Promise.all([localIdentityKey(dataDir), localIdentityKey(dataDir)]);
    expect(a).toBe(b);
    expect(Buffer.from(a, 'base64')).toHaveLength(64);
    expect(await localIdentityKey(dataDir)).toBe(a);
  });

  it('refuses a kept value that is not usable, naming the file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'customer-graph-keys-'));
    writeFileSync(join(dataDir, 'identity-encryption-key'), 'too-short\n');
    await expect(localIdentityKey(dataDir)).rejects.toThrow(/identity-encryption-key holds no usable secret: delete it to generate a new one/);
    await expect(dataDirSecret({ dataDir, file: 'identity-encryption-key', generate: () => 'x', usable: () => true })).resolves.toBe('too-short');
  });
});

describe('credentials redacted from provider answers and errors (src/providers/credentials.ts)', () => {
  it('finds the credential strings in settings, however nested', () => {
    const settings = { url: 'https://x', username: 'svc', password: 'pa55word-long', signing: { privateKey: { kty: 'EC', d: 'private-scalar-xyz' } }, apiKey: 'short' };
    expect(credentialValues(settings).sort()).toEqual(['pa55word-long', 'private-scalar-xyz']);
  });

  it('masks credentials, their base64 form and authorization values', () => {
    const text = `bad key pa55word-long (${Buffer.from('pa55word-long').toString('base64')}), header Basic c3ZjOnBhNTV3b3Jk and Bearer eyJ.abc.def`;
    expect(credentialRedactor(['pa55word-long'])(text)).toBe('bad key [redacted] ([redacted]), header Basic [redacted] and Bearer [redacted]');
  });

  it('a provider that echoes our credentials in an error never gets them into the GraphQL answer or the database', async () => {
    let password = '';
    const echoEnfuce = (next: FetchLike): FetchLike => async (url, init) => {
      if (!url.includes('/sandbox/enfuce/') || init.method !== 'POST') return next(url, init);
      const authorization = (init.headers as Record<string, string>)['Authorization'] ?? (init.headers as Record<string, string>)['authorization']!;
      password = Buffer.from(authorization.replace('Basic ', ''), 'base64').toString().split(':')[1]!;
      return Response.json({ message: `credentials ${password} refused; you sent ${authorization}` }, { status: 400 });
    };
    const t = await createTestApp({ transport: echoEnfuce });
    const { body } = await t.graphql(CREATE, { input: { customer: fullCustomerInput(), providers: ['ENFUCE'] } });
    expect(password.length).toBeGreaterThanOrEqual(8);
    const answer = JSON.stringify(body);
    expect(answer).toContain('PROVIDER_REJECTED');
    expect(answer).toContain('[redacted]');
    expect(answer).not.toContain(password);
    const stored = JSON.stringify(await rawRows(t.database, 'SELECT * FROM provider_links')) + JSON.stringify(await rawRows(t.database, 'SELECT * FROM outbox_attempts'));
    expect(stored).not.toContain(password);
    expect(stored).not.toContain(Buffer.from(`customer-graph-sandbox:${password}`).toString('base64'));
    t.close();
  });
});
