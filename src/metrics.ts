import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { OUTBOX_STATUSES, PROVIDER_NAMES } from './domain/enums.js';
import type { OutboxDepth } from './domain/outbox-depth.js';
import { whenExecutionCompletes } from './execution-outcome.js';
import type { ProviderCallEvent } from './providers/http.js';

export interface Metrics {
  registry: Registry;
  operations: Counter<'operation' | 'type' | 'outcome'>;
  operationDuration: Histogram<'operation' | 'type'>;
  errors: Counter<'code'>;
  sqlStatements: Counter;
  providerCalls: Counter<'provider' | 'operation' | 'outcome'>;
  providerCallDuration: Histogram<'provider' | 'operation'>;
  /** Keys per dataloader batch, by loader name (SQL loaders of src/loaders/index.ts, provider reads). */
  loaderBatchSize: Histogram<'loader'>;
  /** Reports circuit states at scrape time (0 closed, 1 half-open, 2 open). */
  watchCircuits(states: () => Record<string, 'CLOSED' | 'HALF_OPEN' | 'OPEN'>): void;
  /** The Prometheus text of everything, the outbox's depth read first. */
  scrape(): Promise<string>;
  /** Reads the outbox's depth at scrape time (one statement, src/domain/outbox-depth.ts). */
  watchOutbox(depth: () => Promise<OutboxDepth[]>): void;
}

/** The outbox states a scrape reports: what is still to deliver, and what was given up on (DONE grows without bound). */
const REPORTED_OUTBOX_STATUSES = OUTBOX_STATUSES.filter((status) => status !== 'DONE');

/**
 * A metrics registry of its own (not prom-client's global one), so two apps in one process — tests —
 * never share counters.
 * @example const metrics = createMetrics(); await openDatabase({ url, onQuery: () => metrics.sqlStatements.inc() });
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  let circuitStates: () => Record<string, 'CLOSED' | 'HALF_OPEN' | 'OPEN'> = () => ({});
  new Gauge({
    name: 'provider_circuit_state',
    help: 'Circuit breaker per provider: 0 closed, 1 half-open, 2 open.',
    labelNames: ['provider'],
    registers: [registry],
    collect() {
      const code = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 } as const;
      for (const [provider, state] of Object.entries(circuitStates())) this.set({ provider }, code[state]);
    },
  });
  // the process's memory, read at scrape (no sampler or GC observer runs between scrapes); the
  // names are prom-client's default metrics', so existing Node.js dashboards read them
  for (const [name, help, read] of [
    ['process_resident_memory_bytes', 'Resident memory of the process (RSS).', (usage) => usage.rss],
    ['nodejs_heap_size_total_bytes', "V8's heap, as allocated from the system.", (usage) => usage.heapTotal],
    ['nodejs_heap_size_used_bytes', "V8's heap in use (live objects and garbage not yet collected).", (usage) => usage.heapUsed],
    ['nodejs_external_memory_bytes', 'Memory of C++ objects bound to JavaScript objects (buffers and the like).', (usage) => usage.external],
  ] as const satisfies readonly (readonly [string, string, (usage: NodeJS.MemoryUsage) => number])[]) {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(process.memoryUsage()));
      },
    });
  }
  let outboxDepth: (() => Promise<OutboxDepth[]>) | null = null;
  const outboxRows = new Gauge({
    name: 'outbox_rows',
    help: 'Outbox rows per provider and status: PENDING and IN_FLIGHT (still to deliver), DEAD (dead-lettered).',
    labelNames: ['provider', 'status'],
    registers: [registry],
  });
  const outboxAge = new Gauge({
    name: 'outbox_oldest_pending_age_seconds',
    help: 'Per provider: how long the oldest undelivered outbox row (PENDING or IN_FLIGHT) has existed; 0 when none.',
    labelNames: ['provider'],
    registers: [registry],
  });
  /** One statement feeds both outbox gauges; they are absent (not zero) when the database could not be read. */
  const readOutbox = async () => {
    outboxRows.reset();
    outboxAge.reset();
    if (!outboxDepth) return;
    let depth: OutboxDepth[];
    try {
      depth = await outboxDepth();
    } catch {
      return;
    }
    for (const provider of PROVIDER_NAMES) {
      outboxAge.set({ provider }, 0);
      for (const status of REPORTED_OUTBOX_STATUSES) outboxRows.set({ provider, status }, 0);
    }
    const oldest = new Map<string, number>();
    for (const row of depth) {
      outboxRows.set({ provider: row.provider, status: row.status }, row.rows);
      if (row.status !== 'DEAD') oldest.set(row.provider, Math.max(oldest.get(row.provider) ?? 0, row.oldestAgeSeconds));
    }
    for (const [provider, age] of oldest) outboxAge.set({ provider }, age);
  };
  return {
    scrape: async () => {
      await readOutbox();
      return registry.metrics();
    },
    watchCircuits: (states) => {
      circuitStates = states;
    },
    watchOutbox: (depth) => {
      outboxDepth = depth;
    },
    loaderBatchSize: new Histogram({
      name: 'dataloader_batch_size',
      help: 'Keys per dataloader batch, by loader (e.g. identitiesByCustomerId, firstvisionCards).',
      labelNames: ['loader'],
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers: [registry],
    }),
    registry,
    operations: new Counter({
      name: 'graphql_operations_total',
      help: 'GraphQL operations executed, by operation name, type and outcome (ok | error).',
      labelNames: ['operation', 'type', 'outcome'],
      registers: [registry],
    }),
    operationDuration: new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'Execution time of GraphQL operations, by operation name and type.',
      labelNames: ['operation', 'type'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'graphql_errors_total',
      help: 'GraphQL errors in execution results, by extensions.code.',
      labelNames: ['code'],
      registers: [registry],
    }),
    sqlStatements: new Counter({
      name: 'sql_statements_total',
      help: 'SQL statements run through drizzle.',
      registers: [registry],
    }),
    providerCalls: new Counter({
      name: 'provider_calls_total',
      help: 'HTTP calls to providers, by provider, operation and outcome (ok, http_<status>, timeout, transport_error).',
      labelNames: ['provider', 'operation', 'outcome'],
      registers: [registry],
    }),
    providerCallDuration: new Histogram({
      name: 'provider_call_duration_seconds',
      help: 'Latency of HTTP calls to providers, by provider and operation.',
      labelNames: ['provider', 'operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}

/** Feeds provider call events (src/providers/http.ts) into the metrics. */
export function recordProviderCall(metrics: Metrics, event: ProviderCallEvent): void {
  metrics.providerCalls.inc({ provider: event.provider, operation: event.operation, outcome: event.outcome });
  metrics.providerCallDuration.observe({ provider: event.provider, operation: event.operation }, event.durationMs / 1000);
}

/** Operation names become label values; anything that is not a plain GraphQL name is folded into one. */
function operationLabel(name: string | undefined): string {
  if (!name) return 'anonymous';
  return /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) ? name : 'invalid_name';
}

/**
 * Counts and times every executed operation and the error codes it produced. A subscription is
 * counted once, when it starts (`ok`: its stream is open; `error`: refused), timed to that point.
 * @example createYoga({ schema, plugins: [useMetrics({ metrics })] });
 */
export function useMetrics({ metrics, now = () => performance.now() }: { metrics: Metrics; now?: () => number }): Plugin {
  return {
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      const labels = { operation: operationLabel(operation?.name?.value), type: operation?.operation ?? 'unknown' };
      const started = now();
      return {
        // an incremental (@defer) result is timed and counted when its last part is sent
        onExecuteDone: whenExecutionCompletes((errors) => {
          metrics.operationDuration.observe(labels, (now() - started) / 1000);
          metrics.operations.inc({ ...labels, outcome: errors.length > 0 ? 'error' : 'ok' });
          for (const error of errors) {
            metrics.errors.inc({ code: String(error.extensions?.['code'] ?? 'UNCODED') });
          }
        }),
      };
    },
    onSubscribe({ args }) {
      const operation = getOperationAST(args.document, args.operationName);
      const labels = { operation: operationLabel(operation?.name?.value), type: operation?.operation ?? 'unknown' };
      const started = now();
      return {
        onSubscribeResult({ result }) {
          metrics.operationDuration.observe(labels, (now() - started) / 1000);
          const errors = Symbol.asyncIterator in result ? [] : (result.errors ?? []);
          metrics.operations.inc({ ...labels, outcome: errors.length > 0 ? 'error' : 'ok' });
          for (const error of errors) {
            metrics.errors.inc({ code: String(error.extensions?.['code'] ?? 'UNCODED') });
          }
        },
      };
    },
  };
}
