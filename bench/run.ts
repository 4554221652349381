/**
 * `npm run bench` (or `npm run bench -- --quick`, the smoke run CI executes): starts the real
 * server as a child process (built, as `npm start` runs it), drives it with autocannon from a separate process on loopback, and
 * writes bench/RESULTS.md (the smoke run: bench/RESULTS.quick.md, not committed) — machine facts, each figure's median and spread over several rounds.
 * Figures are only compared within one run (shared machines are noisy).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildServer, startSandboxProcess, startServerProcess, stopServerProcess, type ServerProcess } from '../test/support/server-process.js';
import { newIdentityKeyMaterial } from '../src/db/identity-encryption.js';
import { assertSameAnswer, startHandwrittenServer } from './handwritten.js';
import { bulkImportInput, graphql, importThroughServer, rawInsertRate } from './bulk-import.js';
import type { LoadPlan, LoadRequest, LoadResult } from './load.js';

const run = promisify(execFile);
const quick = process.argv.includes('--quick');
const settings = quick
  ? { customers: 500, rounds: 2, seconds: 2, connections: 8, fanOutSeconds: 2, footprintSeconds: 10, bulkRounds: 1 }
  : { customers: 10_000, rounds: 5, seconds: 10, connections: 16, fanOutSeconds: 5, footprintSeconds: 60, bulkRounds: 3 };
const PROVIDERS = ['ENFUCE', 'NOAH', 'CARDLYTICS', 'FLOLIVE', 'FIRSTVISION'];

const STITCHED_READ = `{ customers(first: 50) { edges { node {
  id customerNumber displayName
  identities { type number } addresses { kind city postalCode country }
  accounts { accountNumber status cards { last4 status } holders { id } }
  relationships { relationshipNumber }
} } } }`;
const FIRSTVISION_READ = (first: number) => `{ customers(first: ${first}) { edges { node {
  id identities { number } accounts { accountNumber cards { last4 } }
  demographics { lastName } relationships { relationshipNumber } addressHistory { period }
} } } }`;

interface Figure {
  name: string;
  unit: string;
  values: number[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const round = (value: number) => (Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 100) / 100);

/** One read of the server's /metrics: the counters asked for, each summed over its labels. */
async function counters(server: ServerProcess): Promise<{ sql: number; calls: number }> {
  const text = await (await fetch(server.graphqlUrl.replace(/\/graphql$/, '/metrics'))).text();
  const sum = (name: string) =>
    [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+(?:\\.\\d+)?)$`, 'gm'))].reduce((total, m) => total + Number(m[1]), 0);
  return { sql: sum('sql_statements_total'), calls: sum('provider_calls_total') };
}

/** Load from a separate process: bench/load.ts (autocannon). Refuses a figure built on wrong answers. */
let nextNumber = 1_000_000;
async function load(url: string, token: string, requests: LoadRequest[], options: { connections?: number; seconds?: number } = {}): Promise<LoadResult> {
  const plan: LoadPlan = {
    url,
    token,
    connections: options.connections ?? settings.connections,
    seconds: options.seconds ?? settings.seconds,
    requests,
    firstNumber: (nextNumber += 1_000_000),
  };
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join('bench', 'load.ts'), JSON.stringify(plan)], {
    maxBuffer: 16 * 1024 * 1024,
  });
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadResult;
  if (result.wrong > 0) throw new Error(`${result.wrong} of ${result.requests} answers were wrong (${JSON.stringify(requests).slice(0, 200)})`);
  return result;
}

/** customersImport in batches of 1000 (no providers): the stitched read's data set. */
async function seed(server: ServerProcess, count: number): Promise<void> {
  for (let offset = 0; offset < count; offset += 1000) {
    const items = bulkImportInput(offset, Math.min(1000, count - offset));
    const data = await graphql(server, 'mutation ($input: CustomersImportInput!) { customersImport(input: $input) { importedCount userErrors { field message } } }', {
      input: { items, providers: [] },
    });
    if (data.customersImport.importedCount !== items.length) throw new Error(`seed: ${JSON.stringify(data.customersImport.userErrors.slice(0, 3))}`);
  }
}

/** Secrets every server of one run shares, so the hand-written handler verifies the same tokens and decrypts the same rows. */
const SHARED_SECRETS = { JWT_SECRET: randomBytes(32).toString('base64url'), IDENTITY_ENCRYPTION_KEY: newIdentityKeyMaterial() };

/** A server on a fresh database file; `body` gets it and the environment it runs with (to start siblings on the same file). */
async function withServer<T>(env: Record<string, string>, body: (server: ServerProcess, env: Record<string, string>) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'customer-graph-bench-'));
  const serverEnv = {
    DATABASE_URL: `file:${join(dir, 'bench.db')}`,
    OUTBOX_POLL_INTERVAL_MS: '0',
    FLOLIVE_POLL_INTERVAL_MS: '0',
    LOG_LEVEL: 'warn',
    ...SHARED_SECRETS,
    ...env,
  };
  const server = await startServerProcess(serverEnv, { build: true });
  try {
    return await body(server, serverEnv);
  } finally {
    await stopServerProcess(server.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

const figures: Figure[] = [];
function add(name: string, unit: string, values: number[]): void {
  figures.push({ name, unit, values });
  console.log(`${name}: median ${round(median(values))} ${unit} (${values.map(round).join(', ')})`);
}
const ratios = (a: number[], b: number[]) => a.map((value, i) => value / b[i]!);

/** Footprint: startup to the first answered query, on an empty database. */
async function startup(): Promise<void> {
  const startups: number[] = [];
  for (let i = 0; i < settings.rounds; i++) {
    const started = performance.now();
    startups.push(
      await withServer({ DEMO_DATA: 'off' }, async (server) => {
        await graphql(server, '{ customers(first: 1) { totalCount } }');
        return performance.now() - started;
      }),
    );
  }
  add('Startup to first answered query', 'ms', startups);
}

/** Cost per request, on the demo data (linked to the FirstVision simulator): /metrics before and after one request. */
async function costPerRequest(): Promise<void> {
  await withServer({ DEMO_DATA: 'on' }, async (server) => {
    for (const [label, query] of [
      ['stitched read, first 5', STITCHED_READ.replace('first: 50', 'first: 5')],
      ['stitched read, first 20', STITCHED_READ.replace('first: 50', 'first: 20')],
      ['with FirstVision fields, first 5', FIRSTVISION_READ(5)],
      ['with FirstVision fields, first 20', FIRSTVISION_READ(20)],
    ] as const) {
      const sql: number[] = [];
      const calls: number[] = [];
      for (let i = 0; i < settings.rounds; i++) {
        // a /metrics read runs SQL of its own (the outbox depth gauges, counted in the same read):
        // measured between two reads with nothing in between, and taken off the request's difference
        const idle = await counters(server);
        const before = await counters(server);
        const perRead = before.sql - idle.sql;
        await graphql(server, query);
        const after = await counters(server);
        sql.push(after.sql - before.sql - perRead);
        calls.push(after.calls - before.calls);
      }
      add(`SQL statements per request, ${label}`, 'statements', sql);
      add(`Provider calls per request, ${label}`, 'calls', calls);
    }
  });
}

/**
 * Stitched read over the seeded database, three servers on the same file side by side, rounds
 * interleaved so a noisy neighbour hits all three alike: the GraphQL server, the same server with
 * DATALOADER_BATCHING=off, and the hand-written node:http handler (bench/handwritten-server.ts).
 * Then the mixed-load footprint on the same file (footprints).
 */
async function stitchedRead(): Promise<void> {
  await withServer({ DEMO_DATA: 'off' }, async (server, env) => {
    const seeding = performance.now();
    await seed(server, settings.customers);
    add('customersImport while seeding (batches of 1000, no providers; one pass)', 'customers/s', [settings.customers / ((performance.now() - seeding) / 1000)]);
    const unbatched = await startServerProcess({ ...env, DATALOADER_BATCHING: 'off' }, { build: true });
    const handwritten = await startHandwrittenServer(env);
    try {
      // the hand-written handler and the unbatched server must answer exactly what the server answers
      await assertSameAnswer(server.graphqlUrl, handwritten.url, server.token, STITCHED_READ);
      await assertSameAnswer(server.graphqlUrl, unbatched.graphqlUrl, server.token, STITCHED_READ);
      const targets = { graphql: server.graphqlUrl, handwritten: handwritten.url, unbatched: unbatched.graphqlUrl };
      const results = { graphql: [] as LoadResult[], handwritten: [] as LoadResult[], unbatched: [] as LoadResult[] };
      for (const url of Object.values(targets)) await load(url, server.token, [{ kind: 'query', query: STITCHED_READ }], { seconds: 2 }); // warm-up
      for (let i = 0; i < settings.rounds; i++) {
        for (const [name, url] of Object.entries(targets) as [keyof typeof targets, string][]) {
          results[name].push(await load(url, server.token, [{ kind: 'query', query: STITCHED_READ }]));
        }
      }
      const rps = (list: LoadResult[]) => list.map((result) => result.rps);
      const p99 = (list: LoadResult[]) => list.map((result) => result.p99);
      const label = `Stitched read, customers(first: 50) over ${settings.customers}`;
      add(`${label}: GraphQL server, requests/s`, 'req/s', rps(results.graphql));
      add(`${label}: hand-written node:http handler, requests/s`, 'req/s', rps(results.handwritten));
      add(`${label}: GraphQL server with dataloaders off (N+1), requests/s`, 'req/s', rps(results.unbatched));
      add(`${label}: GraphQL server ÷ hand-written (target ≥ 0.75)`, '×', ratios(rps(results.graphql), rps(results.handwritten)));
      add(`${label}: dataloaders off ÷ on`, '×', ratios(rps(results.unbatched), rps(results.graphql)));
      add(`${label}: GraphQL server, p99`, 'ms', p99(results.graphql));
      add(`${label}: hand-written node:http handler, p99`, 'ms', p99(results.handwritten));
      add(`${label}: GraphQL server with dataloaders off (N+1), p99`, 'ms', p99(results.unbatched));
    } finally {
      await stopServerProcess(unbatched.child);
      await stopServerProcess(handwritten.child);
    }
    // footprint: fresh servers on the seeded file, not the one just driven through the rounds above
    await footprints(env);
  });
}

/** `--only footprint`: the footprint figures alone, over a freshly seeded data set. */
async function footprintOnly(): Promise<void> {
  await withServer({ DEMO_DATA: 'off' }, async (server, env) => {
    await seed(server, settings.customers);
    await footprints(env);
  });
}

/**
 * The mixed-load footprint on the data set of `env` (a fresh server each time): once with the
 * simulators in their own process (SANDBOX_URL: the server's own figure, as in live mode) and once
 * with them in-process.
 */
async function footprints(env: Record<string, string>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'customer-graph-sandbox-'));
  const sandbox = await startSandboxProcess(dir);
  try {
    for (const [label, extra] of [
      ['server alone, the simulators in their own process (npm run sandbox)', { SANDBOX_URL: sandbox.origin, SANDBOX_DATA_DIR: dir }],
      ['server with the five simulators in-process (sandbox mode default)', {}],
    ] as const) {
      const fresh = await startServerProcess({ ...env, ...extra }, { build: true });
      try {
        await footprint(fresh, label);
      } finally {
        await stopServerProcess(fresh.child);
      }
    }
  } finally {
    await stopServerProcess(sandbox.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Footprint under steady mixed load (stitched reads, FirstVision reads, creates routed to all five
 * simulators), the server's RSS sampled from /proc each second: its level at the end and its trend.
 */
async function footprint(server: ServerProcess, label: string): Promise<void> {
  const samples: { at: number; rss: number }[] = [];
  const started = performance.now();
  const sampler = setInterval(() => {
    const rss = residentMegabytes(server.child.pid!);
    if (rss !== null) samples.push({ at: (performance.now() - started) / 1000, rss });
  }, 1000);
  try {
    await load(
      server.graphqlUrl,
      server.token,
      [
        { kind: 'query', query: STITCHED_READ },
        { kind: 'query', query: FIRSTVISION_READ(5) },
        { kind: 'create', providers: ['ENFUCE', 'NOAH', 'CARDLYTICS', 'FLOLIVE', 'FIRSTVISION'] },
      ],
      { seconds: settings.footprintSeconds, connections: 8 },
    );
  } finally {
    clearInterval(sampler);
  }
  // the trend after the first sixth (allocations settling): a least-squares slope, MB per minute
  const steady = samples.filter((sample) => sample.at >= settings.footprintSeconds / 6);
  add(`RSS after ${settings.footprintSeconds} s of mixed load, ${label} (target ≤ 200)`, 'MB', samples.slice(-3).map((sample) => sample.rss));
  add(`RSS peak during mixed load, ${label}`, 'MB', [Math.max(...samples.map((sample) => sample.rss))]);
  add(`RSS trend under steady mixed load (least-squares slope), ${label}`, 'MB/min', [slope(steady) * 60]);
}

function residentMegabytes(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

function slope(points: { at: number; rss: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, p) => sum + p.at, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.rss, 0) / n;
  const covariance = points.reduce((sum, p) => sum + (p.at - meanX) * (p.rss - meanY), 0);
  const variance = points.reduce((sum, p) => sum + (p.at - meanX) ** 2, 0);
  return covariance / variance;
}

/**
 * Fan-out: customerCreate routed to all five simulators, each answering after 50 ms, against the
 * same create routed to one provider at a time; the slowest single provider is the bound.
 */
async function fanOut(): Promise<void> {
  const latency = Object.fromEntries(PROVIDERS.map((provider) => [provider, { latencyMs: 50 }]));
  await withServer({ DEMO_DATA: 'off', SANDBOX_FAULTS: JSON.stringify(latency) }, async (server) => {
    const options = { connections: 4, seconds: settings.fanOutSeconds };
    const create = (providers: string[]): LoadRequest[] => [{ kind: 'create', providers }];
    for (const providers of [PROVIDERS, ...PROVIDERS.map((provider) => [provider])]) await load(server.graphqlUrl, server.token, create(providers), { ...options, seconds: 1 });
    const all: LoadResult[] = [];
    const slowest: { provider: string; result: LoadResult }[] = [];
    for (let i = 0; i < settings.rounds; i++) {
      all.push(await load(server.graphqlUrl, server.token, create(PROVIDERS), options));
      const singles = [];
      for (const provider of PROVIDERS) singles.push({ provider, result: await load(server.graphqlUrl, server.token, create([provider]), options) });
      slowest.push(singles.reduce((worst, single) => (single.result.p50 > worst.result.p50 ? single : worst)));
    }
    console.log(`slowest single provider per round: ${slowest.map((s) => s.provider).join(', ')}`);
    add('Fan-out: customerCreate to all five providers (50 ms each), p50', 'ms', all.map((result) => result.p50));
    add('Fan-out: customerCreate to all five providers (50 ms each), p99', 'ms', all.map((result) => result.p99));
    add('Fan-out: slowest single provider, p50', 'ms', slowest.map((s) => s.result.p50));
    add('Fan-out: slowest single provider, p99', 'ms', slowest.map((s) => s.result.p99));
    add('Fan-out: all five ÷ slowest single, p50 (target ≤ 1.3)', '×', ratios(all.map((r) => r.p50), slowest.map((s) => s.result.p50)));
  });
}

/**
 * Bulk: customersImport of the whole data set (account and card each) routed to CARDLYTICS, ten
 * calls of 1,000, on a fresh server per round; against one raw better-sqlite3 transaction writing
 * the same rows (bench/bulk-import.ts), measured in the same round.
 */
async function bulk(): Promise<void> {
  const imported: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < settings.bulkRounds; i++) {
    imported.push((await withServer({ DEMO_DATA: 'off' }, (server) => importThroughServer(server, settings.customers))).perSecond);
    raw.push((await rawInsertRate(settings.customers)).perSecond);
  }
  add(`Bulk: customersImport of ${settings.customers} (account + card each) to CARDLYTICS (target ≥ 5000)`, 'customers/s', imported);
  add(`Bulk: raw better-sqlite3 transaction, same rows`, 'customers/s', raw);
  add('Bulk: customersImport ÷ raw insert (target ≥ 0.25)', '×', ratios(imported, raw));
}

const SCENARIOS: Record<string, () => Promise<void>> = { startup, cost: costPerRequest, read: stitchedRead, 'fan-out': fanOut, bulk };
/** Run only by `--only footprint`: a full run measures the footprint within `read`, on its data set. */
const EXTRA_SCENARIOS: Record<string, () => Promise<void>> = { footprint: footprintOnly };

/** `--only <scenario>` runs one scenario and prints its figures without writing a results file. */
async function main(): Promise<void> {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const all = { ...SCENARIOS, ...EXTRA_SCENARIOS };
  if (only !== undefined && !(only in all)) throw new Error(`--only takes one of: ${Object.keys(all).join(', ')}`);
  // the server runs as `npm start` runs it: built into dist/
  buildServer();
  if (only !== undefined) await all[only]!();
  else {
    for (const scenario of Object.values(SCENARIOS)) await scenario();
    writeResults(figures);
  }
}

function writeResults(figures: Figure[]): void {
  const cpu = cpus();
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString()}.${quick ? ' **Quick smoke run: small data, few rounds — not figures to quote.**' : ''}`,
    '',
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, ${process.platform}/${process.arch}.`,
    `Settings: ${settings.customers} customers, ${settings.rounds} rounds, ${settings.seconds} s per load round, ${settings.connections} connections (autocannon, separate process, loopback).`,
    '',
    '| figure | median | spread (min – max) | rounds |',
    '| --- | --- | --- | --- |',
    ...figures.map(
      (figure) =>
        `| ${figure.name} | ${round(median(figure.values))} ${figure.unit} | ${round(Math.min(...figure.values))} – ${round(Math.max(...figure.values))} | ${figure.values.length} |`,
    ),
    '',
  ];
  // the smoke run does not overwrite the committed full results
  const file = join('bench', quick ? 'RESULTS.quick.md' : 'RESULTS.md');
  writeFileSync(file, lines.join('\n'));
  console.log(`wrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
