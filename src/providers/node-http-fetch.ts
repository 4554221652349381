import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { FetchLike } from './http.js';

/**
 * The transport for provider calls over the network (live mode, and sandbox mode with SANDBOX_URL):
 * node:http with keep-alive agents, the whole answer read into one buffer and handed back as a
 * Response. Node's global fetch (undici) builds web streams, header lists and body mixins per call;
 * under the benchmark's mixed load that allocation rate grew the server's heap to ~200 MB between
 * GCs (bench/RESULTS.md, footprint with SANDBOX_URL). Provider answers are small JSON documents
 * read whole (src/providers/http.ts), so streaming buys nothing here.
 *
 * Differs from fetch deliberately: redirects are not followed (a provider API that redirects is a
 * misconfiguration to see, not to follow with credentials attached), and only string bodies are
 * sent (every adapter signs the exact string it sends). Aborting the signal destroys the socket and
 * rejects, as fetch does; the caller (http.ts) maps either failure to its ProviderError.
 * @example const providers = await createProviderRegistry({ mode: 'live', env, dataDir, fetch: nodeHttpFetch() });
 */
export function nodeHttpFetch(options: { maxSockets?: number } = {}): FetchLike {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
  const agents = { 'http:': new HttpAgent(agentOptions), 'https:': new HttpsAgent(agentOptions) };
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        reject(new TypeError(`unsupported protocol ${url.protocol}`));
        return;
      }
      const signal = init.signal ?? undefined;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') {
        reject(new TypeError('nodeHttpFetch sends string bodies only'));
        return;
      }
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(url, { method: init.method ?? 'GET', headers: headerRecord(init.headers), agent: agents[url.protocol] });
      const onAbort = () => request.destroy(signal!.reason instanceof Error ? signal!.reason : new Error('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      request.once('error', (error) => {
        done();
        reject(error);
      });
      request.once('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('error', (error) => {
          done();
          reject(error);
        });
        response.once('end', () => {
          done();
          const status = response.statusCode ?? 0;
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value === undefined) continue;
            for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
          }
          // a Response cannot carry a body with these statuses
          const body = status === 204 || status === 205 || status === 304 ? null : Buffer.concat(chunks);
          try {
            resolve(new Response(body, { status, statusText: response.statusMessage ?? '', headers }));
          } catch (error) {
            reject(error); // a status a Response cannot hold (outside 200–599)
          }
        });
      });
      request.end(init.body ?? undefined);
    });
}

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  return headers as Record<string, string>;
}
