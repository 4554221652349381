/**
 * The benchmark's load generator, run as its own process (`node --import tsx bench/load.ts '<json>'`)
 * so the server under test never shares an event loop with its client. autocannon's programmatic API,
 * because creates need a unique customer per request (its CLI can only repeat one body). Prints one
 * JSON line: requests/s, latency percentiles, and how many answers were wrong (errors, non-2xx, or a
 * body that failed its check) — a figure built on wrong answers is refused by the caller.
 */
import autocannon from 'autocannon';
import { bulkImportInput } from './bulk-import.js';

export type LoadRequest =
  | { kind: 'query'; query: string }
  /** customerCreate of a new customer per request, routed to `providers`. */
  | { kind: 'create'; providers: string[] };

export interface LoadPlan {
  url: string;
  token: string;
  connections: number;
  seconds: number;
  /** Each connection cycles through these in order. */
  requests: LoadRequest[];
  /** The `n` of the first created customer (bulkImportInput): rounds against one database never collide. */
  firstNumber: number;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  wrong: number;
}

const CREATE = `mutation ($input: CustomerCreateInput!) {
  customerCreate(input: $input) { customer { id } providerResults { provider status error } userErrors { field message } }
}`;

function createBody(n: number, providers: string[]): string {
  const [{ customer }] = bulkImportInput(n, 1) as [{ customer: unknown }];
  return JSON.stringify({ query: CREATE, variables: { input: { customer, providers } } });
}

/** A read is right when it has data and no errors; a create when nothing was refused and no provider failed. */
function verify(body: string): boolean {
  if (!body.startsWith('{"data":') || body.includes('"errors":')) return false;
  if (body.includes('"customerCreate"')) return body.includes('"userErrors":[]') && !body.includes('"status":"FAILED"');
  return true;
}

async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2] ?? '') as LoadPlan;
  let next = plan.firstNumber;
  const result = await autocannon({
    url: plan.url,
    connections: plan.connections,
    duration: plan.seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${plan.token}` },
    requests: plan.requests.map((request) =>
      request.kind === 'query'
        ? { body: JSON.stringify({ query: request.query }) }
        : { setupRequest: (spec) => ({ ...spec, body: createBody(next++, request.providers) }) },
    ),
    verifyBody: verify,
  });
  const out: LoadResult = {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    wrong: result.errors + result.timeouts + result.non2xx + result.mismatches,
  };
  console.log(JSON.stringify(out));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
