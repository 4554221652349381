import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

export interface AppServer {
  /** The app's origin, e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a built single-page app (`dir`: Vite's dist/) on a free loopback port and forwards /graphql
 * to `graphqlUrl` — the same origin for page and API, as Vite's dev proxy gives the example.
 * Unknown paths answer index.html; a missing build is an error naming the command that makes it.
 * @example const app = await serveApp('examples/react-client/dist', server.graphqlUrl);
 */
export async function serveApp(appDir: string, graphqlUrl: string): Promise<AppServer> {
  const dir = resolve(appDir);
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(`${dir}/index.html is missing: run npm run build -w examples/react-client (the test global setup does)`);
  }
  const server = createServer((request, response) => {
    const handle = request.url?.startsWith('/graphql') ? forward(request, response, graphqlUrl) : serveFile(dir, request, response);
    handle.catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`app server: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function serveFile(dir: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://app').pathname));
  let file = join(dir, path);
  if (!file.startsWith(dir + sep) || !existsSync(file) || statSync(file).isDirectory()) file = join(dir, 'index.html');
  response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(response);
}

/** The request as it came (method, headers, body) to the API; its answer as it came back. */
async function forward(request: IncomingMessage, response: ServerResponse, graphqlUrl: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string' && name !== 'host' && name !== 'connection') headers.set(name, value);
  }
  const target = new URL(request.url!, graphqlUrl);
  const answer = await fetch(target, {
    method: request.method!,
    headers,
    ...(request.method === 'GET' || request.method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
  });
  const body = Buffer.from(await answer.arrayBuffer());
  // fetch has already decoded the body: send it as plain bytes with its own length
  const out: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(name)) out[name] = value;
  });
  response.writeHead(answer.status, { ...out, 'content-length': String(body.length) });
  response.end(body);
}
