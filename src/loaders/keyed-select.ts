import { Column, getTableColumns, is, Table } from 'drizzle-orm';
import type { Database } from '../db/client.js';

/**
 * What a loader selects: columns, or whole tables (all their columns, in definition order) — the
 * shape drizzle's `select(shape)` takes, and the shape of each decoded row.
 */
export type SelectShape = Record<string, Column | Table>;

/** The built query of one batch: drizzle's, so the SQL is exactly what drizzle would run, and its awaited type is the row type. */
interface BuiltQuery {
  toSQL(): { sql: string; params: unknown[] };
  then: PromiseLike<unknown[]>['then'];
}

/**
 * A loader's batch query without drizzle's per-call cost. Drizzle builds the query object, renders
 * its SQL and then maps every cell through several generic checks on every call; on the stitched
 * read that was a fifth of the server's CPU. Here drizzle renders the SQL once per batch size (the
 * text is then reused with the batch's keys as its parameters), the statement is prepared once (the
 * connection's cache), and rows are decoded by a decoder compiled once from the shape, calling each
 * column's own `mapFromDriverValue` — so values (dates, booleans, decrypted identity numbers) are
 * exactly what drizzle returns.
 *
 * `build(keys)` must use the keys as the query's only parameters, in order (checked when a batch
 * size is first rendered), and select `shape` (test/keyed-select.test.ts holds every loader's rows
 * equal to drizzle's own).
 * @example const byCustomer = keyedSelect(database, { customerId: accountHolders.customerId, account: accounts },
 *            (ids) => db.select({ customerId: accountHolders.customerId, account: accounts }).from(accountHolders)…);
 */
export function keyedSelect<K extends string, Q extends BuiltQuery>(
  database: Database,
  shape: SelectShape,
  build: (keys: K[]) => Q,
): KeyedSelect<K, Awaited<Q>> {
  const decode = rowDecoder(shape);
  const sqlByBatchSize = new Map<number, string>();
  const run = async (keys: readonly K[]): Promise<Awaited<Q>> => {
    let source = sqlByBatchSize.get(keys.length);
    if (source === undefined) {
      const rendered = build([...keys]).toSQL();
      if (rendered.params.length !== keys.length || rendered.params.some((param, i) => param !== keys[i])) {
        throw new Error(`keyedSelect: the query's parameters must be exactly its keys, got ${JSON.stringify(rendered.params).slice(0, 200)}`);
      }
      sqlByBatchSize.set(keys.length, (source = rendered.sql));
    }
    const rows = await database.rows(source, keys);
    const decoded = new Array<Record<string, unknown>>(rows.length);
    for (let i = 0; i < rows.length; i++) decoded[i] = decode(rows[i]!);
    return decoded as unknown as Awaited<Q>;
  };
  return Object.assign(run, { viaDrizzle: async (keys: readonly K[]): Promise<Awaited<Q>> => (await build([...keys])) as unknown as Awaited<Q> });
}

/** A batch query; `viaDrizzle` runs the same query through drizzle itself (what tests compare with). */
export type KeyedSelect<K, R> = ((keys: readonly K[]) => Promise<R>) & { viaDrizzle(keys: readonly K[]): Promise<R> };

/** The shape of one whole table's row (`select().from(table)`): `keyedSelect(database, tableShape(cards), …)`. */
export function tableShape(table: Table): SelectShape {
  return getTableColumns(table);
}

/**
 * Compiles a shape into one function from a row array to an object: each cell decoded by its column
 * (null stays null, as drizzle leaves it), tables as nested objects, in drizzle's column order.
 */
export function rowDecoder(shape: SelectShape): (row: unknown[]) => Record<string, unknown> {
  type Cell = { key: string; column: Column };
  const parts: ({ kind: 'column'; cell: Cell } | { kind: 'table'; key: string; cells: Cell[] })[] = Object.entries(shape).map(
    ([key, value]) => {
      if (is(value, Table)) {
        return { kind: 'table', key, cells: Object.entries(getTableColumns(value)).map(([name, column]) => ({ key: name, column })) };
      }
      if (is(value, Column)) return { kind: 'column', cell: { key, column: value } };
      throw new Error(`rowDecoder: ${key} is neither a column nor a table`);
    },
  );
  const cell = (column: Column, value: unknown) => (value === null ? null : column.mapFromDriverValue(value));
  return (row) => {
    const out: Record<string, unknown> = {};
    let at = 0;
    for (const part of parts) {
      if (part.kind === 'column') {
        out[part.cell.key] = cell(part.cell.column, row[at++]);
      } else {
        const nested: Record<string, unknown> = {};
        for (const { key, column } of part.cells) nested[key] = cell(column, row[at++]);
        out[part.key] = nested;
      }
    }
    return out;
  };
}
