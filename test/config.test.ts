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

  it('a Postgres database needs the keys every instance shares: the identity key and a token verifier', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://127.0.0.1/test' })).toThrow(
      /IDENTITY_ENCRYPTION_KEY: is required with a Postgres DATABASE_URL[\s\S]*JWT_SECRET: JWT_SECRET, JWT_PUBLIC_KEY or JWKS_URL is required/,
    );
    const config = loadConfig({ DATABASE_URL: 'postgresql://127.0.0.1/test', IDENTITY_ENCRYPTION_KEY: 'k', JWT_SECRET: 'x'.repeat(32) });
    expect(config.DATABASE_URL).toBe('postgresql://127.0.0.1/test');
    expect(config.DATABASE_POOL_SIZE).toBe(10);
  });
});
