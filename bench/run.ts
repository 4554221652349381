/**
 * `npm run bench` (or `npm run bench -- --quick`, the smoke run CI executes): starts the real
 * server as a child process, drives it with autocannon from a separate process on loopback, and
 * writes bench/RESULTS.md (the smoke run: bench/RESULTS.quick.md, not committed) — machine facts, each figure's median and spread over several rounds.
 * Figures are only compared within one run (shared machines are noisy).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServerProcess, stopServerProcess, type ServerProcess } from '../test/support/server-process.js';
import { fullCustomerInput } from '../test/mutations.js';

const run = promisify(execFile);
const quick = process.argv.includes('--quick');
const settings = quick
  ? { customers: 500, rounds: 2, seconds: 2, connections: 8 }
  : { customers: 10_000, rounds: 5, seconds: 10, connections: 16 };

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

async function graphql(server: ServerProcess, query: string, variables?: unknown): Promise<any> {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as any;
  if (body.errors) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return body.data;
}

async function metric(server: ServerProcess, name: string): Promise<number> {
  const text = await (await fetch(server.graphqlUrl.replace(/\/graphql$/, '/metrics'))).text();
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+(?:\\.\\d+)?)$`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
}

/** Load from a separate process: autocannon's CLI, JSON out. */
async function autocannon(server: ServerProcess, query: string): Promise<{ rps: number; p99: number; errors: number }> {
  const { stdout } = await run(
    join('node_modules', '.bin', 'autocannon'),
    [
      '--json', '-c', String(settings.connections), '-d', String(settings.seconds), '-m', 'POST',
      '-H', 'content-type=application/json', '-H', `authorization=Bearer ${server.token}`,
      '-b', JSON.stringify({ query }), server.graphqlUrl,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const result = JSON.parse(stdout);
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

/** customersImport in batches of 1000 (no providers): the stitched read's data set. */
async function seed(server: ServerProcess, count: number): Promise<void> {
  for (let offset = 0; offset < count; offset += 1000) {
    const items = Array.from({ length: Math.min(1000, count - offset) }, (_, i) => {
      const n = offset + i;
      const base = fullCustomerInput();
      return {
        customer: {
          ...base,
          name: { first: `Bench${n}`, last: 'Reader' },
          identities: base.identities.map((identity: any, k: number) => ({ ...identity, number: `B${String(n).padStart(7, '0')}${k}` })),
          accounts: [{ ...base.accounts[0], accountNumber: `7${String(n).padStart(18, '0')}` }],
        },
      };
    });
    const data = await graphql(server, 'mutation ($input: CustomersImportInput!) { customersImport(input: $input) { importedCount userErrors { field message } } }', {
      input: { items, providers: [] },
    });
    if (data.customersImport.importedCount !== items.length) throw new Error(`seed: ${JSON.stringify(data.customersImport.userErrors.slice(0, 3))}`);
  }
}

async function withServer<T>(env: Record<string, string>, body: (server: ServerProcess) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'customer-graph-bench-'));
  const server = await startServerProcess({
    DATABASE_URL: `file:${join(dir, 'bench.db')}`,
    OUTBOX_POLL_INTERVAL_MS: '0',
    FLOLIVE_POLL_INTERVAL_MS: '0',
    LOG_LEVEL: 'warn',
    ...env,
  });
  try {
    return await body(server);
  } finally {
    await stopServerProcess(server.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const figures: Figure[] = [];
  const add = (name: string, unit: string, values: number[]) => {
    figures.push({ name, unit, values });
    console.log(`${name}: median ${round(median(values))} ${unit} (${values.map(round).join(', ')})`);
  };

  // Footprint: startup to the first answered query, on an empty database
  const startups: number[] = [];
  for (let i = 0; i < settings.rounds; i++) {
    const started = performance.now();
    startups.push(await withServer({ DEMO_DATA: 'off' }, async (server) => {
      await graphql(server, '{ customers(first: 1) { totalCount } }');
      return performance.now() - started;
    }));
  }
  add('Startup to first answered query', 'ms', startups);

  // Cost per request, on the demo data (linked to the FirstVision simulator)
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
        const before = { sql: await metric(server, 'sql_statements_total'), calls: await metric(server, 'provider_calls_total') };
        await graphql(server, query);
        // the /metrics read itself runs no SQL; the difference is this request's
        sql.push((await metric(server, 'sql_statements_total')) - before.sql);
        calls.push((await metric(server, 'provider_calls_total')) - before.calls);
      }
      add(`SQL statements per request, ${label}`, 'statements', sql);
      add(`Provider calls per request, ${label}`, 'calls', calls);
    }
  });

  // Stitched read through the full HTTP server (auth on)
  await withServer({ DEMO_DATA: 'off' }, async (server) => {
    const seeding = performance.now();
    await seed(server, settings.customers);
    add('customersImport while seeding (batches of 1000, no providers; one pass)', 'customers/s', [settings.customers / ((performance.now() - seeding) / 1000)]);
    await autocannon(server, STITCHED_READ); // warm-up
    const rps: number[] = [];
    const p99: number[] = [];
    for (let i = 0; i < settings.rounds; i++) {
      const result = await autocannon(server, STITCHED_READ);
      if (result.errors > 0) throw new Error(`stitched read: ${result.errors} failed requests`);
      rps.push(result.rps);
      p99.push(result.p99);
    }
    add(`Stitched read over ${settings.customers} customers: requests/s`, 'req/s', rps);
    add(`Stitched read over ${settings.customers} customers: p99 latency`, 'ms', p99);
  });

  writeResults(figures);
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
