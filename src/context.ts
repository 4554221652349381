import type { Database } from './db/client.js';
import type { MutationDeps, Viewer } from './domain/mutation-deps.js';
import type { ProviderName } from './domain/enums.js';
import { createLoaders, type Loaders } from './loaders/index.js';
import type { ProviderRegistry } from './providers/registry.js';

/** What every resolver sees. A new one per request: the loaders' caches must not outlive it. */
export interface Context {
  database: Database;
  loaders: Loaders;
  viewer: Viewer;
  /** The dependencies of the mutation use cases (src/domain). */
  mutations(): MutationDeps;
}

export interface ContextDependencies {
  database: Database;
  providers: ProviderRegistry;
  viewer: Viewer;
  defaultProviders: readonly ProviderName[];
  providerDeadlineMs: number;
  now: () => Date;
}

/** @example const context = createContext({ database, providers, viewer, defaultProviders, providerDeadlineMs, now }); */
export function createContext(dependencies: ContextDependencies): Context {
  const { database, viewer } = dependencies;
  return {
    database,
    viewer,
    loaders: createLoaders(database.db),
    mutations: () => ({
      database,
      providers: dependencies.providers,
      defaultProviders: dependencies.defaultProviders,
      providerDeadlineMs: dependencies.providerDeadlineMs,
      viewer,
      now: dependencies.now,
    }),
  };
}
