import { createApp, type App } from '../src/app.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { loadDemoData } from '../src/domain/demo-data.js';
import { createMetrics, type Metrics } from '../src/metrics.js';

export interface TestApp {
  app: App;
  database: Database;
  metrics: Metrics;
  /** Every SQL statement drizzle ran, in order (the drizzle logger's view). */
  statements: string[];
  /** Runs a GraphQL operation in-process; returns the HTTP status and the parsed body. */
  graphql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  close(): void;
}

export interface GraphQLResponse<T> {
  status: number;
  body: { data?: T | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[] };
}

/** A fresh app on in-memory SQLite with the real migrations, optionally with the demo dataset. */
export async function createTestApp(options: { demo?: boolean; logging?: boolean } = {}): Promise<TestApp> {
  const statements: string[] = [];
  const metrics = createMetrics();
  const database = openDatabase({
    url: ':memory:',
    onQuery: (sql) => {
      statements.push(sql);
      metrics.sqlStatements.inc();
    },
  });
  migrateDatabase(database.db);
  if (options.demo) await loadDemoData(database);
  const app = createApp({ database, metrics, logging: options.logging ?? false });
  return {
    app,
    database,
    metrics,
    statements,
    async graphql(query, variables) {
      const response = await app.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as GraphQLResponse<any>['body'] };
    },
    close: () => database.close(),
  };
}
