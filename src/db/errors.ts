/**
 * The table whose unique index or key a failed write broke — from SQLite's message ("UNIQUE
 * constraint failed: customers.customer_number") or Postgres's error (SQLSTATE 23505, its `table`),
 * whether drizzle wrapped the driver's error ("Failed query: …", the driver's as `cause`) or not.
 * Null for any other error.
 * @example if (uniqueViolationTable(error) === 'customers') …
 */
export function uniqueViolationTable(error: unknown): string | null {
  for (let current = error, depth = 0; current && depth < 3; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, table, message } = current as { code?: unknown; table?: unknown; message?: unknown };
    if (code === '23505' && typeof table === 'string') return table;
    const sqlite = typeof message === 'string' ? /UNIQUE constraint failed: (\w+)\./.exec(message) : null;
    if (sqlite) return sqlite[1]!;
  }
  return null;
}
