import DataLoader from 'dataloader';

/**
 * The DataLoader key-order contract, kept in one place: a batch function must return exactly one
 * entry per key, in key order. These helpers turn "rows from one SQL IN (…)" into that shape.
 */

/** Largest IN (…) list per statement; far below SQLite's 32,766 bound-variable limit. */
export const SQL_BATCH_SIZE = 500;

/**
 * `batch: false` gives every key its own statement (DataLoader still caches per request): the N+1
 * behaviour the benchmark compares against (DATALOADER_BATCHING=off). Never what production wants.
 */
export interface KeyedLoaderOptions {
  batch?: boolean;
  /** Told the size of every batch the loader runs (metrics: dataloader_batch_size), under `name`. */
  onBatch?: LoaderBatchObserver;
  /** The loader's name for onBatch, e.g. 'identitiesByCustomerId'. */
  name?: string;
}

/** Receives each batch's loader name and key count; must not throw. */
export type LoaderBatchObserver = (loader: string, size: number) => void;

/** One row per key in key order; a key with no row gets null. */
export function orderByKeys<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): (V | null)[] {
  const byKey = new Map<K, V>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return keys.map((key) => byKey.get(key) ?? null);
}

/** Every row per key in key order, rows keeping their query order; a key with no rows gets []. */
export function groupByKeys<K, V, R = V>(
  keys: readonly K[],
  rows: readonly V[],
  keyOf: (row: V) => K,
  project: (row: V) => R = (row) => row as unknown as R,
): R[][] {
  const byKey = new Map<K, R[]>();
  for (const key of keys) byKey.set(key, []);
  for (const row of rows) byKey.get(keyOf(row))?.push(project(row));
  return keys.map((key) => byKey.get(key) ?? []);
}

/**
 * A loader of at most one row per key (a primary or unique key).
 * @example const customerById = rowLoader((ids) => db.select().from(customers).where(inArray(customers.id, ids)), (c) => c.id);
 */
export function rowLoader<K, V>(
  fetch: (keys: K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
  options: KeyedLoaderOptions = {},
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(async (keys) => {
    options.onBatch?.(options.name ?? 'unnamed', keys.length);
    return orderByKeys(keys, await fetch([...keys]), keyOf);
  }, {
    maxBatchSize: SQL_BATCH_SIZE,
    batch: options.batch ?? true,
  });
}

/**
 * A loader of a list per key (a foreign key, or a join table). `project` maps a fetched row to the
 * value kept in the list, e.g. dropping the join column.
 * @example const cardsByAccountId = groupLoader((ids) => db.select().from(cards).where(inArray(cards.accountId, ids)), (c) => c.accountId);
 */
export function groupLoader<K, V, R = V>(
  fetch: (keys: K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
  project?: (row: V) => R,
  options: KeyedLoaderOptions = {},
): DataLoader<K, R[]> {
  return new DataLoader<K, R[]>(async (keys) => {
    options.onBatch?.(options.name ?? 'unnamed', keys.length);
    return groupByKeys(keys, await fetch([...keys]), keyOf, project);
  }, {
    maxBatchSize: SQL_BATCH_SIZE,
    batch: options.batch ?? true,
  });
}

/** One promise per key for callers that want per-key failure (Pothos node loading), not `Error` values. */
export function loadEach<K, V>(loader: DataLoader<K, V>, keys: readonly K[]): Promise<V>[] {
  return keys.map((key) => loader.load(key));
}
