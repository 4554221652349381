/**
 * Starting the hand-written stitched-read handler (bench/handwritten-server.ts) as a child process,
 * the way test/support/server-process.ts starts the real server (same Node, `--import tsx`, PORT 0),
 * and checking that it answers exactly what the GraphQL server answers.
 */
import type { ChildProcess } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';

import { spawnUntilReady } from '../test/support/server-process.js';

export { stopServerProcess } from '../test/support/server-process.js';

/**
 * Starts bench/handwritten-server.ts with `env` (give it the real server's: DATABASE_URL, JWT_*,
 * IDENTITY_ENCRYPTION_KEY) on a free port, and resolves once it listens. Stop it with stopServerProcess.
 * @example const handwritten = await startHandwrittenServer({ DATABASE_URL: 'file:/tmp/x/bench.db', JWT_SECRET, IDENTITY_ENCRYPTION_KEY });
 */
export function startHandwrittenServer(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  return spawnUntilReady('hand-written server', ['--import', 'tsx', 'bench/handwritten-server.ts'], env, (output, child) => {
    const url = /^Listening: (http:\/\/\S+)$/m.exec(output())?.[1];
    return url ? { url, child } : undefined;
  });
}

async function answerOf(url: string, token: string, query: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    throw new Error(`${url} answered ${response.status} with a body that is not JSON: ${text.slice(0, 300)}`);
  }
}

/** Where two JSON values first differ, at most `limit` places: `path: left ≠ right`. */
function differences(left: unknown, right: unknown, path = '$', found: string[] = [], limit = 10): string[] {
  if (found.length >= limit || isDeepStrictEqual(left, right)) return found;
  const show = (value: unknown) => (value === undefined ? '(absent)' : JSON.stringify(value)?.slice(0, 120));
  if (Array.isArray(left) && Array.isArray(right)) {
    if (left.length !== right.length) found.push(`${path}.length: ${left.length} ≠ ${right.length}`);
    for (let i = 0; i < Math.min(left.length, right.length); i++) differences(left[i], right[i], `${path}[${i}]`, found, limit);
    return found;
  }
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isObject(left) && isObject(right)) {
    for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) differences(left[key], right[key], `${path}.${key}`, found, limit);
    return found;
  }
  found.push(`${path}: ${show(left)} ≠ ${show(right)}`);
  return found;
}

/**
 * Sends `query` to both endpoints with the same token and throws, naming the first differences,
 * unless both answer the same status and the same parsed JSON (deep equal: key order aside).
 * @example await assertSameAnswer(server.graphqlUrl, handwritten.url, server.token, STITCHED_READ);
 */
export async function assertSameAnswer(graphqlUrl: string, handwrittenUrl: string, token: string, query: string): Promise<void> {
  const [graphql, handwritten] = await Promise.all([answerOf(graphqlUrl, token, query), answerOf(handwrittenUrl, token, query)]);
  if (graphql.status === handwritten.status && isDeepStrictEqual(graphql.body, handwritten.body)) return;
  const found = differences(graphql.body, handwritten.body);
  const edges = (body: unknown) => (body as { data?: { customers?: { edges?: unknown[] } } } | null)?.data?.customers?.edges?.length;
  throw new Error(
    [
      `the hand-written handler does not answer what the GraphQL server answers (left: GraphQL ${graphqlUrl}, right: hand-written ${handwrittenUrl})`,
      `  status: ${graphql.status} vs ${handwritten.status}; edges: ${edges(graphql.body) ?? '-'} vs ${edges(handwritten.body) ?? '-'}`,
      ...found.map((difference) => `  ${difference}`),
    ].join('\n'),
  );
}
