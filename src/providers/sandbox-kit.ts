import Sqlite from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { ProviderName } from '../domain/enums.js';
import { mulberry32 } from '../seeded-random.js';
import type { FaultConfig, FaultKind, Sandbox, SandboxState } from './types.js';

/**
 * Shared pieces of the provider simulators: persistent state, request log, deterministic faults and
 * JSON responses. The simulators themselves live in `src/providers/<p>/sandbox.ts`.
 */

/** A JSON path a store indexes, e.g. `$.customer.customerNumber` (plain property names only: it is written into SQL). */
export type IndexedPath = `$.${string}`;
const INDEXED_PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/**
 * A simulator's own SQLite file: named JSON records by collection, and a log of received requests.
 * It survives restarts like a real provider's state does. Statements are prepared once; `indexes`
 * names the JSON paths `findBy` looks up through an expression index, so a simulator's uniqueness
 * checks cost an index probe rather than a parse of every record (the benchmarks create thousands).
 * @example const store = new SandboxStore('ENFUCE', file, ['$.customer.regNo']); store.findBy('customers', '$.customer.regNo', regNo);
 */
export class SandboxStore {
  private readonly db: Sqlite.Database;
  private readonly statements;
  private readonly finders = new Map<IndexedPath, Sqlite.Statement>();

  constructor(
    readonly provider: ProviderName,
    file: string,
    indexes: readonly IndexedPath[] = [],
  ) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Sqlite(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // a 2 MB page cache, SQLite's own default, not better-sqlite3's 16 MB: with the simulators
    // in-process, their five caches held ~23 MB of the server's memory under the bench's mixed
    // load, for stores read by key and by one indexed path
    this.db.pragma('cache_size = -2000');
    this.db.exec(`
      create table if not exists records (
        collection text not null, key text not null, body text not null,
        created_at integer not null, updated_at integer not null,
        primary key (collection, key));
      create table if not exists requests (
        id integer primary key autoincrement, route text not null, status integer not null,
        received_at integer not null);
    `);
    for (const path of indexes) {
      if (!INDEXED_PATH.test(path)) throw new Error(`SandboxStore: ${path} is not a plain JSON path`);
      const name = `records_${path.slice(2).replaceAll('.', '_')}`;
      this.db.exec(`create index if not exists ${name} on records (collection, json_extract(body, '${path}'))`);
      this.finders.set(
        path,
        this.db.prepare(`select body from records where collection = ? and json_extract(body, '${path}') = ? order by created_at, key`).pluck(),
      );
    }
    this.statements = {
      get: this.db.prepare('select body from records where collection = ? and key = ?').pluck(),
      put: this.db.prepare(
        `insert into records (collection, key, body, created_at, updated_at) values (?, ?, ?, ?, ?)
         on conflict (collection, key) do update set body = excluded.body, updated_at = excluded.updated_at`,
      ),
      list: this.db.prepare('select body from records where collection = ? order by created_at, key').pluck(),
      count: this.db.prepare('select count(*) from records where collection = ?').pluck(),
      recordRequest: this.db.prepare('insert into requests (route, status, received_at) values (?, ?, ?)'),
    };
  }

  get<T = unknown>(collection: string, key: string): T | undefined {
    const body = this.statements.get.get(collection, key) as string | undefined;
    return body === undefined ? undefined : (JSON.parse(body) as T);
  }

  /** Inserts or replaces; returns true when the key was new. */
  put(collection: string, key: string, body: unknown, now = Date.now()): boolean {
    const existed = this.statements.get.get(collection, key) !== undefined;
    this.statements.put.run(collection, key, JSON.stringify(body), now, now);
    return !existed;
  }

  /**
   * Runs `work` (this store's reads and writes) as one transaction: what one API request stores lands
   * whole or not at all, and a batch of puts commits once instead of once per record.
   */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  list<T = unknown>(collection: string): T[] {
    return (this.statements.list.all(collection) as string[]).map((body) => JSON.parse(body) as T);
  }

  count(collection: string): number {
    return this.statements.count.get(collection) as number;
  }

  /** The records whose JSON has `value` at `path` (one of the store's `indexes`), oldest first. */
  findBy<T = unknown>(collection: string, path: IndexedPath, value: string | number): T[] {
    const finder = this.finders.get(path);
    if (!finder) throw new Error(`SandboxStore(${this.provider}): ${path} is not indexed`);
    return (finder.all(collection, value) as string[]).map((body) => JSON.parse(body) as T);
  }

  /** Logs a received request by route template (e.g. `PUT /v1/customers/:id`) and the status answered. */
  recordRequest(route: string, status: number, now = Date.now()): void {
    this.statements.recordRequest.run(route, status, now);
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
 * Whether a kind acts on the request before it fails. Keyed by every FaultKind, so a new kind cannot
 * be added without saying whether it does.
 */
const APPLIES_REQUEST: Readonly<Record<FaultKind, boolean>> = {
  '500': false,
  '503': false,
  hang: false,
  hangAfterWrite: true,
  reset: false,
  resetAfterWrite: true,
  // a 2xx means the provider processed the request; only its answer is broken
  malformed: true,
  nak: false,
  envelope: false,
};

/** Every FaultKind, for the schema's enum. */
export const FAULT_KINDS = Object.keys(APPLIES_REQUEST) as [FaultKind, ...FaultKind[]];

/**
 * A FaultConfig as configuration (SANDBOX_FAULTS) and the runtime switch (PUT …/_faults) accept it.
 * @example faultConfigSchema.parse({ failureRate: 0.2, kinds: ['503', 'hangAfterWrite'], seed: 7 })
 */
export const faultConfigSchema = z.strictObject({
  seed: z.number().int().optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  latencyJitterMs: z.number().int().min(0).max(60_000).optional(),
  failureRate: z.number().min(0).max(1).optional(),
  kinds: z.array(z.enum(FAULT_KINDS)).min(1).optional(),
  retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
}) satisfies z.ZodType<FaultConfig>;

/**
 * How one simulator words the failures that carry its envelope. The kit decides when and which; the
 * simulator only builds bodies. A provider without a NAK or a 200 error envelope leaves those out and
 * answers them as its 500.
 */
export interface FaultAnswers {
  /** Its own 500. */
  internalError(): Response;
  /** Its own 503; the kit adds Retry-After. */
  unavailable(): Response;
  /** floLIVE: the transient NAK. */
  nak?(): Response;
  /** FirstVision: a 200 whose envelope says hasError. */
  envelope?(): Response;
}

export interface FaultInjectorOptions {
  /** How latency waits; tests inject one that records durations instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  /** The kinds a failing request gets when the config names none. */
  defaultKinds?: readonly [FaultKind, ...FaultKind[]];
}

/** Answers that stand for "no answer": the request's delivery waits until the caller gives up. */
const HANGING = new WeakSet<Response>();
/** Answers whose connection is cut once the headers are out. */
const CUT = new WeakSet<Response>();

/**
 * Whether a simulator's answer is a connection cut. In process the body stream fails when read; a
 * server that has a socket must also drop it, because a Node server meets a failing body stream by
 * leaving the response open (the caller would see a hang, not a reset).
 */
export function isConnectionCut(response: Response): boolean {
  return CUT.has(response);
}

/**
 * Deterministic fault injection shared by every simulator: latency (base plus seeded jitter), whether
 * a request fails and which kind it gets. The failure draws, the kind picks and the jitter come from
 * three streams of one seed, so adding jitter or kinds does not move which requests fail.
 * @example const faults = new FaultInjector({ failureRate: 0.3, kinds: ['503', 'reset'], seed: 7 });
 *          const response = await faults.answer(answers, () => applyTheRequest());
 *          return faults.deliver(response, request);
 */
export class FaultInjector {
  private config: FaultConfig | null = null;
  private failures = mulberry32(1);
  private picks = mulberry32(1);
  private jitter = mulberry32(1);
  private readonly sleep: (ms: number) => Promise<void>;
  /**
   * Hung requests by their release. Node's Request links its signal to the one it was made with only
   * while the Request itself lives, so a hang holds its Request, not just the signal.
   */
  private readonly hung = new Map<(reason: unknown) => void, Request>();

  constructor(
    config: FaultConfig | null | undefined,
    private readonly options: FaultInjectorOptions = {},
  ) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.configure(config ?? null);
  }

  /** The config in force (a copy), null when none. */
  current(): FaultConfig | null {
    return this.config === null ? null : structuredClone(this.config);
  }

  /** Replaces the config and restarts the seeded streams: the same config replays the same faults. */
  configure(config: FaultConfig | null): void {
    this.config = config === null ? null : faultConfigSchema.parse(config);
    const seed = (this.config?.seed ?? 1) >>> 0;
    // The failure stream is the seed itself, as before kinds and jitter existed: old seeds fail the same requests.
    this.failures = mulberry32(seed);
    this.picks = mulberry32(mix(seed ^ 0x6b696e64));
    this.jitter = mulberry32(mix(seed ^ 0x6a697474));
  }

  /**
   * One API request through the faults: waits the latency, then either lets `apply` answer or
   * answers with the drawn fault. Kinds that act first run `apply` and drop its answer. Pass the
   * result to `deliver`, after logging it.
   */
  async answer(answers: FaultAnswers, apply: () => Promise<Response>): Promise<Response> {
    const kind = await this.next();
    if (kind === null) return apply();
    if (APPLIES_REQUEST[kind]) await apply();
    return this.render(kind, answers);
  }

  /**
   * Hands an answer to the caller. A hang never resolves: it rejects when the request's signal aborts
   * (the caller's deadline, or a client that went away) or the simulator closes, and not before.
   */
  deliver(response: Response, request: Request): Promise<Response> {
    if (!HANGING.has(response)) return Promise.resolve(response);
    const signal = request.signal;
    return new Promise<Response>((_, reject) => {
      const release = (reason: unknown) => {
        this.hung.delete(release);
        signal.removeEventListener('abort', onAbort);
        reject(reason);
      };
      const onAbort = () => release(signal.reason);
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.hung.set(release, request);
    });
  }

  /** Lets go of hung requests, so a closing server is not held open by them. */
  close(): void {
    for (const release of [...this.hung.keys()]) release(new Error('the simulator was closed'));
  }

  /** Waits this request's latency; the fault it gets, or null. */
  private async next(): Promise<FaultKind | null> {
    const config = this.config;
    if (config === null) return null;
    const jitter = config.latencyJitterMs ? Math.floor(this.jitter() * (config.latencyJitterMs + 1)) : 0;
    const latency = (config.latencyMs ?? 0) + jitter;
    if (latency > 0) await this.sleep(latency);
    const rate = config.failureRate ?? 0;
    if (!(rate > 0 && this.failures() < rate)) return null;
    const kinds = config.kinds ?? this.options.defaultKinds ?? ['500'];
    return kinds[Math.floor(this.picks() * kinds.length)] ?? kinds[0]!;
  }

  private render(kind: FaultKind, answers: FaultAnswers): Response {
    switch (kind) {
      case '500':
        return answers.internalError();
      case '503': {
        const response = answers.unavailable();
        response.headers.set('retry-after', String(this.config?.retryAfterSeconds ?? 1));
        return response;
      }
      case 'nak':
        return answers.nak?.() ?? answers.internalError();
      case 'envelope':
        return answers.envelope?.() ?? answers.internalError();
      case 'malformed':
        // A JSON answer cut off mid-way, as a proxy with a full buffer or a crashing worker leaves it.
        return new Response('{"data":{"id":"', { status: 200, headers: { 'content-type': 'application/json' } });
      case 'reset':
      case 'resetAfterWrite':
        return cutAnswer();
      case 'hang':
      case 'hangAfterWrite': {
        // Status 0: the request log records that nothing was answered.
        const response = Response.error();
        HANGING.add(response);
        return response;
      }
    }
  }
}

/** Headers out, then the connection reset: reading the body fails as a socket reset would make it. */
function cutAnswer(): Response {
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.error(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    },
  });
  const response = new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
  CUT.add(response);
  return response;
}


/** murmur3's finalizer: spreads a seed so derived streams do not start beside each other. */
function mix(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
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

/**
 * The Sandbox surface every simulator shares: answer the request, log it by route template and
 * status, then let the fault plan deliver (or spoil) the answer; state, faults and close.
 * @example return sandboxSurface({ name: 'NOAH', store, faults, now: () => Date.now(), answer });
 */
export function sandboxSurface(spec: {
  name: ProviderName;
  store: SandboxStore;
  faults: FaultInjector;
  now: () => number;
  /** The route template the request matched (for the request log) and the provider's answer. */
  answer: (request: Request, path: string) => Promise<{ route: string; response: Response }>;
  /** What `_state` shows, when the store holds something that must not be shown (e.g. tokens). */
  state?: () => SandboxState;
}): Sandbox {
  const { store, faults } = spec;
  return {
    name: spec.name,
    async handle(request, path) {
      const { route, response } = await spec.answer(request, path);
      store.recordRequest(route, response.status, spec.now());
      return faults.deliver(response, request);
    },
    state: spec.state ?? (() => store.state()),
    faults: () => faults.current(),
    setFaults: (config) => faults.configure(config),
    close: () => {
      faults.close();
      store.close();
    },
  };
}
