import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApp, type AppServer } from './support/app-server.js';
import { launchChromium } from './support/browser.js';

describe('browser test support', () => {
  it('launchChromium names scripts/ensure-chromium.sh when chromium is missing', async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(
      /chromium is not installed at \/nonexistent\/chromium: run scripts\/ensure-chromium\.sh/,
    );
  });

  it('serveApp refuses a folder without a build, naming the build command', async () => {
    await expect(serveApp(join(tmpdir(), 'no-such-build'), 'http://127.0.0.1:1/graphql')).rejects.toThrow(
      /index\.html is missing: run npm run build -w examples\/react-client/,
    );
  });

  describe('serveApp', () => {
    const dir = mkdtempSync(join(tmpdir(), 'customer-graph-app-'));
    const seen: { method?: string; url?: string; authorization?: string; body: string }[] = [];
    const api = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ method: request.method, url: request.url, authorization: request.headers.authorization, body });
        response.writeHead(401, { 'content-type': 'application/graphql-response+json', 'x-request-id': 'r1' });
        response.end('{"errors":[{"message":"no"}]}');
      });
    });
    let app: AppServer;

    beforeAll(async () => {
      writeFileSync(join(dir, 'index.html'), '<title>app</title>');
      writeFileSync(join(dir, 'main.js'), 'export {}');
      await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
      app = await serveApp(dir, `http://127.0.0.1:${(api.address() as AddressInfo).port}/graphql`);
    });
    afterAll(async () => {
      await app?.close();
      api.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('serves the build with content types, index.html for unknown paths and for paths outside it', async () => {
      const script = await fetch(`${app.url}/main.js`);
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(await script.text()).toBe('export {}');
      // sent as written (fetch would normalise the dots away)
      const raw = (path: string) =>
        new Promise<string>((resolve, reject) => {
          get(`${app.url}${path}`, { path }, (response) => {
            let body = '';
            response.on('data', (chunk: Buffer) => (body += chunk.toString()));
            response.on('end', () => resolve(body));
          }).on('error', reject);
        });
      for (const path of ['/customers/42', '/../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd']) {
        expect(await raw(path)).toBe('<title>app</title>');
      }
    });

    it('forwards /graphql with method, headers and body, and answers with the API’s status and headers', async () => {
      const response = await fetch(`${app.url}/graphql?x=1`, {
        method: 'POST',
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        body: '{"query":"{ a }"}',
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('x-request-id')).toBe('r1');
      expect(await response.json()).toEqual({ errors: [{ message: 'no' }] });
      expect(seen).toEqual([{ method: 'POST', url: '/graphql?x=1', authorization: 'Bearer t', body: '{"query":"{ a }"}' }]);
    });

    it('answers 502 with the reason when the API is unreachable', async () => {
      const orphan = await serveApp(dir, 'http://127.0.0.1:1/graphql');
      try {
        const response = await fetch(`${orphan.url}/graphql`, { method: 'POST', body: '{}' });
        expect(response.status).toBe(502);
        expect(await response.text()).toMatch(/^app server: fetch failed/);
      } finally {
        await orphan.close();
      }
    });
  });
});
