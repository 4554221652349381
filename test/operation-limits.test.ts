import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers.js';

const MANIFEST = fileURLToPath(new URL('../examples/generated/persisted-documents.json', import.meta.url));

describe('operation limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ demo: true, limits: { maxDepth: 6, maxAliases: 3, maxTokens: 400, maxCost: 150, maxDirectives: 2, maxBodyBytes: 4096 } });
  });
  afterAll(() => t.close());

  /** Rejected before execution: a 400 with the code, and not one SQL statement run. */
  async function expectRejected(query: string, code: string) {
    const before = t.statements.length;
    const { status, body } = await t.graphql(query);
    expect(status).toBe(400);
    expect(body.errors![0]!.extensions).toMatchObject({ code });
    expect(t.statements.length - before).toBe(0);
  }

  it('depth', async () => {
    await expectRejected('{ customers { edges { node { accounts { holders { accounts { holders { id } } } } } } } }', 'QUERY_TOO_DEEP');
    expect((await t.graphql('{ customers(first: 1) { edges { node { accounts { holders { id } } } } } }')).status).toBe(200);
  });

  it('aliases', async () => {
    await expectRejected('{ a: customers { totalCount } b: customers { totalCount } c: customers { totalCount } d: customers { totalCount } }', 'TOO_MANY_ALIASES');
  });

  it('tokens', async () => {
    await expectRejected(`{ customers { edges { node { ${'id '.repeat(400)} } } } }`, 'TOO_MANY_TOKENS');
  });

  it('cost', async () => {
    const wide = 'id customerNumber kind status displayName email locale currency dateOfBirth gender';
    await expectRejected(`{ customers { edges { node { ${wide} accounts { ${'accountNumber type status '.repeat(3)} cards { last4 iin network } holders { ${wide} } } } } } }`, 'QUERY_TOO_COSTLY');
  });

  it('directives', async () => {
    await expectRejected('{ customers @skip(if: false) @include(if: true) @skip(if: false) { totalCount } }', 'TOO_MANY_DIRECTIVES');
  });

  it('an oversized body gets 413 with a JSON error', async () => {
    const response = await t.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: t.headers,
      body: JSON.stringify({ query: '{ customers { totalCount } }', variables: { padding: 'x'.repeat(5000) } }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('a chunked body without Content-Length is counted as it is read: 413 past the limit, answered within it', async () => {
    const chunked = (text: string) => {
      const bytes = new TextEncoder().encode(text);
      return new ReadableStream<Uint8Array>({
        start(controller) {
          for (let at = 0; at < bytes.length; at += 1000) controller.enqueue(bytes.subarray(at, at + 1000));
          controller.close();
        },
      });
    };
    const send = (text: string) =>
      t.app.fetch(new Request('http://localhost/graphql', { method: 'POST', headers: t.headers, body: chunked(text), duplex: 'half' } as RequestInit));
    const oversized = await send(JSON.stringify({ query: '{ customers { totalCount } }', variables: { padding: 'x'.repeat(5000) } }));
    expect(oversized.status).toBe(413);
    expect(await oversized.json()).toMatchObject({ errors: [{ message: expect.stringMatching(/larger than/), extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
    const small = await send(JSON.stringify({ query: '{ customers { totalCount } }' }));
    expect(small.status).toBe(200);
    expect(await small.json()).toMatchObject({ data: { customers: { totalCount: expect.any(Number) } } });
  });

  it('a Content-Length that is not a byte count gets 400', async () => {
    const response = await t.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { ...t.headers, 'content-length': '12, 12' },
      body: JSON.stringify({ query: '{ customers { totalCount } }' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('CSRF: a "simple" GET needs the x-graphql-csrf header; JSON posts do not', async () => {
    const url = 'http://localhost/graphql?query=%7B%20customers%20%7B%20totalCount%20%7D%20%7D';
    const authorization = `Bearer ${t.token}`;
    expect((await t.app.fetch(url, { headers: { accept: 'application/json', authorization } })).status).toBe(403);
    const allowed = await t.app.fetch(url, { headers: { accept: 'application/json', authorization, 'x-graphql-csrf': '1' } });
    expect(allowed.status).toBe(200);
    expect(await allowed.json()).toEqual({ data: { customers: { totalCount: 24 } } });
  });
});

describe('production switches', () => {
  it('introspection off: __schema is refused; on (default): it answers', async () => {
    const off = await createTestApp({ limits: { introspection: false } });
    const refused = await off.graphql('{ __schema { queryType { name } } }');
    expect(refused.status).toBe(400);
    expect(refused.body.errors![0]!.message).toMatch(/introspection/i);
    off.close();
    const on = await createTestApp();
    expect((await on.graphql('{ __schema { queryType { name } } }')).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    on.close();
  });

  it('field suggestions off: a misspelt field gets no "Did you mean" hint', async () => {
    const off = await createTestApp({ limits: { fieldSuggestions: false } });
    const hidden = await off.graphql('{ customers { totlCount } }');
    expect(hidden.body.errors![0]!.message).not.toMatch(/Did you mean/);
    off.close();
    const on = await createTestApp();
    expect((await on.graphql('{ customers { totlCount } }')).body.errors![0]!.message).toMatch(/Did you mean "totalCount"/);
    on.close();
  });

  it('trusted documents: only operations of the codegen manifest run, by hash or by their exact text', async () => {
    const t = await createTestApp({ demo: true, limits: { trustedDocuments: MANIFEST } });
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
    const [hash, document] = Object.entries(manifest).find(([, text]) => text.includes('query CustomersPage'))!;
    const byId = await t.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: t.headers,
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, variables: { first: 2 } }),
    });
    expect(((await byId.json()) as any).data.customers.edges).toHaveLength(2);
    expect((await t.graphql(document, { first: 1 })).body.data.customers.edges).toHaveLength(1);
    const other = await t.graphql('{ customers { totalCount } }');
    expect(other.status).toBe(400);
    expect(other.body.errors![0]!.extensions).toMatchObject({ code: 'PERSISTED_DOCUMENT_NOT_FOUND' });
    t.close();
  });
});
