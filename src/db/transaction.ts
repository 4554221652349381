import type Sqlite from 'better-sqlite3';
import type { Db } from './client.js';

export type RunInTransaction = <T>(work: (tx: Db) => Promise<T>) => Promise<T>;

/**
 * Makes the `transaction` function of one connection: it runs `work` in one write transaction and
 * commits it, or rolls it back if `work` throws.
 *
 * better-sqlite3 is synchronous and drizzle's own `transaction` for it accepts only a synchronous
 * callback, which would force callers to drop `await` and be rewritten for Postgres. This keeps
 * callers async: transactions on the one connection are serialised by a promise queue (two open
 * transactions on one connection would merge), and `BEGIN IMMEDIATE` takes the write lock up front so
 * another process on the same file waits (busy_timeout) instead of failing mid-transaction.
 *
 * Rule for `work`: database statements only, no network I/O — the write lock is held until it returns.
 *
 * @example const transaction = createTransactionRunner(sqlite, db);
 *          await transaction(async (tx) => { await tx.insert(customers).values(row); });
 */
export function createTransactionRunner(sqlite: Sqlite.Database, db: Db): RunInTransaction {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(work: (tx: Db) => Promise<T>): Promise<T> => {
    const run = queue.then(async () => {
      sqlite.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(db);
        sqlite.exec('COMMIT');
        return result;
      } catch (error) {
        if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
        throw error;
      }
    });
    queue = run.catch(() => undefined);
    return run;
  };
}
