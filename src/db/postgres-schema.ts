/**
 * The Postgres tables, derived from the one schema definition (src/db/schema.ts) so the two dialects
 * cannot drift: same table, column, index, key and constraint names, same nullability and defaults.
 * drizzle-kit reads the result (src/db/schema.pg.ts) to write drizzle/postgres/.
 *
 * Storage choices, so that one set of queries runs on both:
 * - instants stay integer epoch milliseconds (`bigint`), as in SQLite — raw SQL that compares them
 *   with a number (the outbox claim, keyset cursors) is the same text on both;
 * - booleans are Postgres `boolean`, JSON columns `jsonb`, encrypted columns `text` with the same
 *   encoding as SQLite's;
 * - a CHECK or partial-index condition is the SQLite one with its columns swapped for the Postgres
 *   ones, except where SQLite's SQL is its own (GLOB, booleans as 1): those have their Postgres text
 *   in POSTGRES_CONDITIONS, by constraint name. A SQL default or column type this file does not know
 *   stops the derivation instead of guessing.
 */
import { Column, is, SQL, sql, type SQLChunk } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  uniqueIndex,
  type PgColumn,
  type PgColumnBuilderBase,
  type PgTable,
} from 'drizzle-orm/pg-core';
import { getTableConfig, SQLiteSyncDialect, SQLiteTable, type SQLiteColumn } from 'drizzle-orm/sqlite-core';

/** Epoch milliseconds in a bigint; node-postgres hands bigints back as strings. */
const epochMs = customType<{ data: Date; driverData: string | number }>({
  dataType: () => 'bigint',
  toDriver: (value) => value.getTime(),
  fromDriver: (value) => new Date(Number(value)),
});

type Columns = Record<string, PgColumn>;

/** Conditions written in SQLite's own SQL, in Postgres's, by constraint or index name. */
const POSTGRES_CONDITIONS: Record<string, (columns: Columns) => SQL> = {
  cards_last4_ck: (c) => sql`length(${c['last4']}) = 4 and ${c['last4']} !~ '[^0-9]'`,
  cards_iin_ck: (c) => sql`length(${c['iin']}) between 6 and 8 and ${c['iin']} !~ '[^0-9]'`,
  account_holders_one_primary_uq: (c) => sql`${c['isPrimary']}`,
};

/** SQLite's SQL defaults, by their text, in Postgres's SQL. */
const POSTGRES_DEFAULTS: Record<string, SQL> = {
  "(unixepoch('subsec') * 1000)": sql`(extract(epoch from clock_timestamp()) * 1000)::bigint`,
  "'[]'": sql`'[]'::jsonb`,
};

const sqlite = new SQLiteSyncDialect();

/**
 * The Postgres twin of every table in `tables` (keyed as given), typed as the SQLite tables so that
 * queries written once type-check for both.
 * @example export const { customers, accounts } = postgresTables(sqliteSchema);
 */
export function postgresTables<T extends Record<string, unknown>>(tables: T): { [K in keyof T]: T[K] } {
  const bySqlName = new Map<string, PgTable>();
  const derived: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(tables)) {
    if (!is(value, SQLiteTable)) continue;
    const table = postgresTable(value, bySqlName);
    bySqlName.set(getTableConfig(value).name, table);
    derived[key] = table;
  }
  return derived as { [K in keyof T]: T[K] };
}

function postgresTable(source: SQLiteTable, tables: Map<string, PgTable>): PgTable {
  const config = getTableConfig(source);
  const keyOf = new Map(Object.entries(source).flatMap(([key, value]) => (is(value, Column) ? [[value.name, key] as const] : [])));
  const columns: Record<string, PgColumnBuilderBase> = {};
  for (const column of config.columns) columns[keyOf.get(column.name)!] = postgresColumn(config.name, column);

  return pgTable(config.name, columns, (t) => {
    const byName = new Map(Object.values(t as Columns).map((column) => [column.name, column]));
    const twin = (column: SQLiteColumn) => byName.get(column.name)!;
    const condition = (name: string, value: SQL) => POSTGRES_CONDITIONS[name]?.(t as Columns) ?? swapColumns(value, twin);
    // runs when drizzle reads the table's config, once every table is derived
    const foreignTwin = (table: SQLiteTable, column: SQLiteColumn): PgColumn => {
      const target = tables.get(getTableConfig(table).name);
      if (!target) throw new Error(`${config.name}: references ${getTableConfig(table).name}, which is not among the tables derived`);
      return Object.values(target).find((candidate) => is(candidate, Column) && candidate.name === column.name) as PgColumn;
    };
    return [
      ...config.primaryKeys.map((key) => primaryKey({ name: key.getName(), columns: key.columns.map(twin) as [PgColumn, ...PgColumn[]] })),
      ...config.foreignKeys.map((key) => {
        const reference = key.reference();
        const built = foreignKey({
          name: key.getName(),
          columns: reference.columns.map(twin) as [PgColumn, ...PgColumn[]],
          foreignColumns: reference.foreignColumns.map((column) => foreignTwin(reference.foreignTable, column)) as [PgColumn, ...PgColumn[]],
        });
        if (key.onDelete) built.onDelete(key.onDelete);
        if (key.onUpdate) built.onUpdate(key.onUpdate);
        return built;
      }),
      ...config.indexes.map(({ config: index_ }) => {
        const on = index_.columns.map((column) => twin(column as SQLiteColumn)) as [PgColumn, ...PgColumn[]];
        const built = (index_.unique ? uniqueIndex(index_.name) : index(index_.name)).on(...on);
        return index_.where ? built.where(condition(index_.name, index_.where)) : built;
      }),
      ...config.checks.map((constraint) => check(constraint.name, condition(constraint.name, constraint.value))),
    ];
  }) as PgTable;
}

function postgresColumn(table: string, column: SQLiteColumn): PgColumnBuilderBase {
  const where = `${table}.${column.name}`;
  let built: any;
  switch (column.columnType) {
    case 'SQLiteText':
      built = text(column.name, column.enumValues?.length ? { enum: column.enumValues as [string, ...string[]] } : {});
      break;
    case 'SQLiteTextJson':
      built = jsonb(column.name);
      break;
    case 'SQLiteTimestamp':
      built = epochMs(column.name);
      break;
    case 'SQLiteBoolean':
      built = boolean(column.name);
      break;
    case 'SQLiteInteger':
      built = column.primary && (column as unknown as { autoIncrement: boolean }).autoIncrement ? serial(column.name) : integer(column.name);
      break;
    case 'SQLiteCustomColumn':
      if (column.getSQLType() !== 'text') throw new Error(`${where}: a custom column of type ${column.getSQLType()}`);
      // the same encoding as in SQLite (encrypted text): the SQLite column's own mapping
      built = customType<{ data: unknown; driverData: string }>({
        dataType: () => 'text',
        toDriver: (value) => column.mapToDriverValue(value) as string,
        fromDriver: (value) => column.mapFromDriverValue(value),
      })(column.name);
      break;
    default:
      throw new Error(`${where}: no Postgres type for ${column.columnType}`);
  }
  if (column.primary) built = built.primaryKey();
  else if (column.notNull) built = built.notNull();
  if (column.hasDefault && column.default !== undefined) built = built.default(postgresDefault(where, column.default));
  return built as PgColumnBuilderBase;
}

function postgresDefault(where: string, value: unknown): unknown {
  if (!is(value, SQL)) return value;
  const text_ = sqlite.sqlToQuery(value).sql;
  const translated = POSTGRES_DEFAULTS[text_];
  if (!translated) throw new Error(`${where}: no Postgres default for ${text_}`);
  return translated;
}

/** `value` with every SQLite column in it replaced by its Postgres twin (nested SQL included). */
function swapColumns(value: SQL, twin: (column: SQLiteColumn) => PgColumn): SQL {
  const chunks: SQLChunk[] = value.queryChunks.map((chunk) => {
    if (is(chunk, Column)) return twin(chunk as SQLiteColumn);
    if (is(chunk, SQL)) return swapColumns(chunk, twin);
    return chunk;
  });
  return new SQL(chunks);
}
