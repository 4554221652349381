import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

/**
 * The OpenTelemetry SDK, loaded by src/tracing.ts only when tracing is on: a tracer provider with
 * the service's name, async context carried through AsyncLocalStorage, W3C trace context as the
 * propagator. OTLP goes over HTTP/protobuf-JSON to OTEL_EXPORTER_OTLP_ENDPOINT (the exporter reads
 * the standard OTEL_EXPORTER_OTLP_* variables itself), batched; console and a given exporter
 * (tests) export each span as it ends.
 */
export function registerTracing(exporter: 'otlp' | 'console' | SpanExporter, serviceName: string): { shutdown(): Promise<void> } {
  const spanProcessor =
    exporter === 'otlp'
      ? new BatchSpanProcessor(new OTLPTraceExporter())
      : new SimpleSpanProcessor(exporter === 'console' ? new ConsoleSpanExporter() : exporter);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [spanProcessor],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
