import type { Database } from './db/client.js';
import { createLoaders, type Loaders } from './loaders/index.js';

/** What every resolver sees. A new one per request: the loaders' caches must not outlive it. */
export interface Context {
  database: Database;
  loaders: Loaders;
}

/** @example const context = createContext(database); */
export function createContext(database: Database): Context {
  return { database, loaders: createLoaders(database.db) };
}
