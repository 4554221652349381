import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProviderHttp } from '../../src/providers/http.js';
import { nodeHttpFetch } from '../../src/providers/node-http-fetch.js';

/** src/providers/node-http-fetch.ts against a real loopback server. */
describe('nodeHttpFetch', () => {
  let server: Server;
  let origin: string;
  let connections = 0;
  const fetch = nodeHttpFetch();

  beforeAll(async () => {
    server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
      let body = '';
      for await (const chunk of request) body += chunk;
      const path = new URL(request.url!, 'http://x').pathname;
      if (path === '/echo') {
        response.writeHead(201, { 'content-type': 'application/json', 'x-twice': ['a', 'b'] });
        response.end(JSON.stringify({ method: request.method, body, signature: request.headers['api-signature'] }));
      } else if (path === '/empty') {
        response.writeHead(204).end();
      } else if (path === '/moved') {
        response.writeHead(302, { location: '/echo' }).end();
      } else if (path === '/reset') {
        request.socket.destroy();
      } else if (path === '/hang') {
        // never answers
      } else {
        response.writeHead(404).end('no');
      }
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends method, headers and the exact body; answers status, repeated headers and body', async () => {
    const response = await fetch(`${origin}/echo`, { method: 'PUT', headers: { 'api-signature': 'sig' }, body: '{"a":1}' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-twice')).toBe('a, b');
    expect(await response.json()).toEqual({ method: 'PUT', body: '{"a":1}', signature: 'sig' });
  });

  it('keeps the connection alive between calls', async () => {
    const before = connections;
    for (let i = 0; i < 3; i++) await (await fetch(`${origin}/echo`, { method: 'GET' })).text();
    expect(connections - before).toBeLessThanOrEqual(1);
  });

  it('answers 204 without a body, and does not follow a redirect', async () => {
    const empty = await fetch(`${origin}/empty`, { method: 'DELETE' });
    expect([empty.status, await empty.text()]).toEqual([204, '']);
    const moved = await fetch(`${origin}/moved`, { method: 'GET' });
    expect([moved.status, moved.headers.get('location')]).toEqual([302, '/echo']);
  });

  it('rejects on a reset connection, an aborted call and a signal aborted before the call', async () => {
    await expect(fetch(`${origin}/reset`, { method: 'GET' })).rejects.toThrow();
    const controller = new AbortController();
    const hanging = fetch(`${origin}/hang`, { method: 'GET', signal: controller.signal });
    setTimeout(() => controller.abort(new Error('deadline')), 20);
    await expect(hanging).rejects.toThrow('deadline');
    await expect(fetch(`${origin}/echo`, { method: 'GET', signal: AbortSignal.abort(new Error('already')) })).rejects.toThrow('already');
    await expect(fetch(`${origin}/echo`, { method: 'POST', body: new Uint8Array([1]) })).rejects.toThrow(/string bodies/);
  });

  it('through createProviderHttp: a hang past the deadline is PROVIDER_TIMEOUT, a reset PROVIDER_UNAVAILABLE', async () => {
    const http = createProviderHttp({ provider: 'NOAH', fetch });
    await expect(http({ operation: 'hang', method: 'GET', url: `${origin}/hang`, signal: AbortSignal.timeout(30) })).rejects.toMatchObject({
      code: 'PROVIDER_TIMEOUT',
    });
    await expect(http({ operation: 'reset', method: 'GET', url: `${origin}/reset` })).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    const ok = await http({ operation: 'echo', method: 'POST', url: `${origin}/echo`, body: 'x' });
    expect(ok).toMatchObject({ status: 201, json: { body: 'x' } });
  });
});
