import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { getOperationAST } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { whenExecutionCompletes } from './execution-outcome.js';

/**
 * OpenTelemetry tracing, switched by OTEL_TRACES_EXPORTER (config.ts): a span per GraphQL operation
 * (useTracing) with a child span per provider call (providerCallSpan, from src/providers/http.ts),
 * and W3C `traceparent` sent to providers. Only @opentelemetry/api (small, no-op by itself) is
 * loaded here; the SDK and its exporters (src/tracing-sdk.ts) are imported only when tracing is
 * switched on, so a server without tracing neither loads nor keeps them.
 */

export type TracesExporter = 'otlp' | 'console' | 'none';

let enabled = false;

/** Whether startTracing switched tracing on in this process (an app only traces then). */
export function tracingEnabled(): boolean {
  return enabled;
}

export interface TracingHandle {
  /** Exports what is still buffered and stops. */
  shutdown(): Promise<void>;
}

/**
 * Registers the OpenTelemetry SDK as the process's tracer provider, unless `exporter` is 'none'.
 * `exporter` may be a SpanExporter instance (tests: InMemorySpanExporter, exported span by span).
 * @example const tracing = await startTracing({ exporter: config.OTEL_TRACES_EXPORTER, serviceName: config.OTEL_SERVICE_NAME });
 */
export async function startTracing(options: { exporter: TracesExporter | SpanExporter; serviceName: string }): Promise<TracingHandle | null> {
  if (options.exporter === 'none') return null;
  const { registerTracing } = await import('./tracing-sdk.js');
  const handle = registerTracing(options.exporter, options.serviceName);
  enabled = true;
  return {
    shutdown: async () => {
      enabled = false;
      await handle.shutdown();
    },
  };
}

const tracer = () => trace.getTracer('customer-graph');

/** The span's name and labels of an operation: names that are not plain GraphQL names are folded, as in metrics. */
function operationOf(document: Parameters<typeof getOperationAST>[0], operationName: string | null | undefined) {
  const operation = getOperationAST(document, operationName);
  const name = operation?.name?.value;
  return { type: operation?.operation ?? 'unknown', name: name && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) ? name : undefined };
}

/**
 * A span per executed GraphQL operation, active while it runs (so provider calls become its
 * children), named `<type> <name>`, with the request id and the errors' codes. It wraps the whole
 * execute phase, so compiled execution (src/compiled-execution.ts, which replaces execute) is
 * traced alike. Does nothing unless tracing is on.
 * @example createYoga({ schema, plugins: [useTracing()] });
 */
export function useTracing(): Plugin {
  /** Operation spans whose result comes in parts: ended when the last part is sent, not when execute returns. */
  const streaming = new WeakSet<Span>();
  return {
    instrumentation: {
      execute: ({ context: executionContext }, wrapped) => {
        if (!enabled) return wrapped();
        const requestId = (executionContext as { requestId?: unknown }).requestId;
        const span = tracer().startSpan('graphql.operation', {
          kind: SpanKind.INTERNAL,
          ...(typeof requestId === 'string' ? { attributes: { 'customer_graph.request_id': requestId } } : {}),
        });
        return context.with(trace.setSpan(context.active(), span), async () => {
          try {
            await wrapped();
          } catch (error) {
            span.recordException(error as Error);
            span.setStatus({ code: SpanStatusCode.ERROR });
            throw error;
          } finally {
            // an incremental (@defer) result's span ends with its last part (onExecuteDone below)
            if (!streaming.has(span)) span.end();
          }
        });
      },
    },
    onExecute({ args }) {
      const span = enabled ? trace.getActiveSpan() : undefined;
      if (!span?.isRecording()) return;
      const operation = operationOf(args.document, args.operationName);
      span.updateName(operation.name ? `${operation.type} ${operation.name}` : operation.type);
      span.setAttribute('graphql.operation.type', operation.type);
      if (operation.name) span.setAttribute('graphql.operation.name', operation.name);
      const completed = whenExecutionCompletes((errors) => {
        span.setAttribute('graphql.error.count', errors.length);
        if (errors.length > 0) {
          const codes = [...new Set(errors.map((error) => String(error.extensions?.['code'] ?? 'UNCODED')))];
          span.setAttribute('graphql.error.codes', codes);
          span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(',') });
        }
        if (streaming.has(span)) span.end();
      });
      return {
        onExecuteDone(payload) {
          if (isAsyncIterable(payload.result)) streaming.add(span);
          return completed(payload);
        },
      };
    },
  };
}

/**
 * Runs one provider HTTP call inside a client span (a child of the operation's, or of nothing for
 * background work), with `traceparent` added to `headers`. `work` reports the HTTP status and the
 * outcome through `finish`. Without tracing it only runs `work`.
 * @example return providerCallSpan({ provider, operation, method }, headers, (finish) => send(finish));
 */
export async function providerCallSpan<T>(
  call: { provider: string; operation: string; method: string },
  headers: Record<string, string>,
  work: (finish: (outcome: string, status?: number) => void) => Promise<T>,
): Promise<T> {
  if (!enabled) return work(() => {});
  const span: Span = tracer().startSpan(`${call.provider} ${call.operation}`, {
    kind: SpanKind.CLIENT,
    attributes: { 'customer_graph.provider': call.provider, 'customer_graph.provider.operation': call.operation, 'http.request.method': call.method },
  });
  const active = trace.setSpan(context.active(), span);
  propagation.inject(active, headers);
  try {
    return await context.with(active, () =>
      work((outcome, status) => {
        span.setAttribute('customer_graph.provider.outcome', outcome);
        if (status !== undefined) span.setAttribute('http.response.status_code', status);
        if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
      }),
    );
  } finally {
    span.end();
  }
}
