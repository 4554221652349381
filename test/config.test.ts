import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('has working defaults for a zero-configuration start', () => {
    expect(loadConfig({})).toMatchObject({
      PORT: 4000,
      HOST: '127.0.0.1',
      DATABASE_URL: 'file:./data/customer-graph.db',
      DEMO_DATA: false,
    });
  });

  it('parses flags and numbers from strings', () => {
    expect(loadConfig({ PORT: '0', DEMO_DATA: 'on', DATABASE_URL: ':memory:' })).toMatchObject({
      PORT: 0,
      DEMO_DATA: true,
      DATABASE_URL: ':memory:',
    });
    expect(loadConfig({ DEMO_DATA: 'false' }).DEMO_DATA).toBe(false);
  });

  it('names every bad variable in one error', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', GRAPHIQL: 'maybe' })).toThrow(
      /PORT:[\s\S]*DATABASE_URL: must be ":memory:", "file:<path>" \(SQLite\) or "postgres:\/\/…"[\s\S]*GRAPHIQL:/,
    );
  });

  it('tracing is off unless OTEL_TRACES_EXPORTER names an exporter; a bad exporter, endpoint or service name stops the start', () => {
    expect(loadConfig({})).toMatchObject({ OTEL_TRACES_EXPORTER: 'none', OTEL_SERVICE_NAME: 'customer-graph' });
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.internal:4318', OTEL_SERVICE_NAME: 'cg-eu' })).toMatchObject({
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.internal:4318',
      OTEL_SERVICE_NAME: 'cg-eu',
    });
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'console' }).OTEL_TRACES_EXPORTER).toBe('console');
    expect(() => loadConfig({ OTEL_TRACES_EXPORTER: 'jaeger', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318', OTEL_SERVICE_NAME: '  ' })).toThrow(
      /OTEL_TRACES_EXPORTER: must be otlp, console or none[\s\S]*OTEL_SERVICE_NAME: must not be empty[\s\S]*OTEL_EXPORTER_OTLP_ENDPOINT: must be an http\(s\) URL/,
    );
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT: must be an http\(s\) URL/);
  });

  it('a Postgres database needs the keys every instance shares: the identity key and a token verifier', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://127.0.0.1/test' })).toThrow(
      /IDENTITY_ENCRYPTION_KEY: is required with a Postgres DATABASE_URL[\s\S]*JWT_SECRET: JWT_SECRET, JWT_PUBLIC_KEY or JWKS_URL is required/,
    );
    const config = loadConfig({ DATABASE_URL: 'postgresql://127.0.0.1/test', IDENTITY_ENCRYPTION_KEY: 'k', JWT_SECRET: 'x'.repeat(32) });
    expect(config.DATABASE_URL).toBe('postgresql://127.0.0.1/test');
    expect(config.DATABASE_POOL_SIZE).toBe(10);
  });
});
