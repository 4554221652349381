import { createServer, type Server } from 'node:http';
import type { App } from '../../src/app.js';

/** One message of a GraphQL-over-SSE stream (yoga's distinct-connections mode). */
export interface SseMessage {
  event: string;
  data: any;
}

export interface SseSubscription {
  status: number;
  contentType: string | null;
  /** The next `next` or `complete` message (keep-alive comments skipped); rejects after `timeoutMs`. */
  next(timeoutMs?: number): Promise<SseMessage>;
  /** Resolves with the messages that arrive within `ms` (to show that nothing does). */
  collect(ms: number): Promise<SseMessage[]>;
  /** Messages received so far and not yet taken. */
  buffered(): SseMessage[];
  /** Whether the server still holds the stream open. */
  isOpen(): boolean;
  /** Cuts the connection, as a client going away does. */
  close(): void;
}

/** The app on a real socket on 127.0.0.1 (port chosen by the system). */
export async function listen(app: App): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Starts a subscription over HTTP with `Accept: text/event-stream` (POST, JSON body) and reads its
 * messages as they arrive.
 * @example const sub = await subscribeSse(url, { query, variables }, token); const first = await sub.next();
 */
export async function subscribeSse(
  url: string,
  body: { query?: string; variables?: Record<string, unknown>; extensions?: Record<string, unknown> },
  token: string | null,
): Promise<SseSubscription> {
  const abort = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
    signal: abort.signal,
  });
  const messages: SseMessage[] = [];
  const waiters: (() => void)[] = [];
  let ended = false;
  let failure: unknown = null;
  const wake = () => waiters.splice(0).forEach((wakeUp) => wakeUp());
  void (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let text = '';
    try {
      for await (const chunk of response.body) {
        text += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const lines = block.split('\n').filter((line) => !line.startsWith(':'));
          if (lines.length === 0) continue;
          const event = lines.find((line) => line.startsWith('event:'))?.slice(6).trim() ?? 'message';
          const data = lines
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trimStart())
            .join('\n');
          messages.push({ event, data: data ? JSON.parse(data) : null });
          wake();
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) failure = error;
    } finally {
      ended = true;
      wake();
    }
  })();
  const waitForMessage = (timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no SSE message within ${timeoutMs} ms`)), timeoutMs);
      waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    async next(timeoutMs = 5_000) {
      while (messages.length === 0) {
        if (failure) throw failure;
        if (ended) throw new Error('the SSE stream ended');
        await waitForMessage(timeoutMs);
      }
      return messages.shift()!;
    },
    async collect(ms) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return messages.splice(0);
    },
    buffered: () => [...messages],
    isOpen: () => !ended,
    close: () => abort.abort(),
  };
}
