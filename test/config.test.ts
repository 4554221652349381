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
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'postgres://x', GRAPHIQL: 'maybe' })).toThrow(
      /PORT:[\s\S]*DATABASE_URL: must be ":memory:" or "file:<path>"[\s\S]*GRAPHIQL:/,
    );
  });
});
