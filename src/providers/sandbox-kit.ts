import Sqlite from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import type { ProviderName } from '../domain/enums.js';
import type { FaultConfig, SandboxState } from './types.js';

/**
 * Shared pieces of the provider simulators: persistent state, request log, deterministic faults and
 * JSON responses. The simulators themselves live in `src/providers/<p>/sandbox.ts`.
 */

/**
 * A simulator's own SQLite file: named JSON records by collection, and a log of received requests.
 * It survives restarts like a real provider's state does.
 * @example const store = new SandboxStore('NOAH', file); store.put('customers', id, body);
 */
export class SandboxStore {
  private readonly db: Sqlite.Database;

  constructor(
    readonly provider: ProviderName,
    file: string,
  ) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Sqlite(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      create table if not exists records (
        collection text not null, key text not null, body text not null,
        created_at integer not null, updated_at integer not null,
        primary key (collection, key));
      create table if not exists requests (
        id integer primary key autoincrement, route text not null, status integer not null,
        received_at integer not null);
    `);
  }

  get<T = unknown>(collection: string, key: string): T | undefined {
    const row = this.db.prepare('select body from records where collection = ? and key = ?').get(collection, key) as
      | { body: string }
      | undefined;
    return row ? (JSON.parse(row.body) as T) : undefined;
  }

  /** Inserts or replaces; returns true when the key was new. */
  put(collection: string, key: string, body: unknown, now = Date.now()): boolean {
    const existed = this.get(collection, key) !== undefined;
    this.db
      .prepare(
        `insert into records (collection, key, body, created_at, updated_at) values (?, ?, ?, ?, ?)
         on conflict (collection, key) do update set body = excluded.body, updated_at = excluded.updated_at`,
      )
      .run(collection, key, JSON.stringify(body), now, now);
    return !existed;
  }

  list<T = unknown>(collection: string): T[] {
    return (
      this.db.prepare('select body from records where collection = ? order by created_at, key').all(collection) as {
        body: string;
      }[]
    ).map((row) => JSON.parse(row.body) as T);
  }

  /** Logs a received request by route template (e.g. `PUT /v1/customers/:id`) and the status answered. */
  recordRequest(route: string, status: number, now = Date.now()): void {
    this.db.prepare('insert into requests (route, status, received_at) values (?, ?, ?)').run(route, status, now);
  }

  state(): SandboxState {
    const collections = this.db.prepare('select distinct collection from records order by collection').pluck().all() as string[];
    const byRoute = Object.fromEntries(
      (this.db.prepare('select route, count(*) as n from requests group by route order by route').all() as {
        route: string;
        n: number;
      }[]).map((row) => [row.route, row.n]),
    );
    return {
      provider: this.provider,
      records: Object.fromEntries(collections.map((collection) => [collection, this.list(collection)])),
      requests: { total: Object.values(byRoute).reduce((sum, n) => sum + n, 0), byRoute },
    };
  }

  close(): void {
    this.db.close();
  }
}

/**
 * Deterministic fault injection: with the same seed, the same sequence of requests fails.
 * @example const faults = new FaultInjector({ failureRate: 0.3, seed: 7 }); if (await faults.shouldFail()) return error503;
 */
export class FaultInjector {
  private state: number;

  constructor(
    private readonly config: FaultConfig = {},
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.state = (config.seed ?? 1) >>> 0;
  }

  /** Waits the configured latency, then says whether this request should fail. */
  async shouldFail(): Promise<boolean> {
    if (this.config.latencyMs) await this.sleep(this.config.latencyMs);
    const rate = this.config.failureRate ?? 0;
    return rate > 0 && this.next() < rate;
  }

  /** mulberry32 */
  private next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
  });
}

/** The raw body (signatures are checked over it) and its JSON parse; `json` is undefined when not JSON. */
export async function readBody(request: Request): Promise<{ raw: string; json: unknown }> {
  const raw = await request.text();
  if (raw.length === 0) return { raw, json: undefined };
  try {
    return { raw, json: JSON.parse(raw) };
  } catch {
    return { raw, json: undefined };
  }
}

/**
 * Credentials a simulator and its adapter share (API keys, secrets, signing keys): generated once and
 * kept as JSON in `<dataDir>/<file>` (mode 600), so that after a restart the adapter still matches
 * what the simulator stored. `dataDir` null generates them in memory. Two processes starting at once
 * agree: the file is created exclusively and the loser reads the winner's. A file that does not
 * parse is an error naming it, never silently replaced.
 * @example const settings = await keptSandboxSettings({ provider: 'NOAH', dataDir, file: 'sandbox-noah-settings.json', schema, generate });
 */
export async function keptSandboxSettings<T>(options: {
  provider: ProviderName;
  dataDir: string | null;
  file: string;
  schema: z.ZodType<T, any>;
  generate: () => T | Promise<T>;
}): Promise<T> {
  if (options.dataDir === null) return options.generate();
  const file = join(options.dataDir, options.file);
  const read = async (): Promise<T | undefined> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = options.schema.safeParse(json);
    if (!parsed.success) {
      throw new Error(`${file} does not hold valid ${options.provider} sandbox settings: delete it to generate new ones`);
    }
    return parsed.data;
  };
  const kept = await read();
  if (kept !== undefined) return kept;
  const generated = await options.generate();
  await mkdir(options.dataDir, { recursive: true });
  try {
    await writeFile(file, `${JSON.stringify(generated, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return (await read())!;
    throw error;
  }
  return generated;
}
