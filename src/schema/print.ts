import { printSubgraphSchema } from '@apollo/subgraph';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './index.js';

/** The SDL committed as schema.graphql: the API as served, sorted, so it diffs only where the API changed. */
export function printSchemaSdl(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

/**
 * The SDL committed as subgraph.graphql: what `_service { sdl }` answers and what composition reads
 * (`@link`, `@key`; the federation types and fields left out).
 */
export function printSubgraphSdl(): string {
  return `${printSubgraphSchema(schema)}\n`;
}

/** The committed SDL files and what each must equal. */
export const PRINTED_SCHEMAS = { 'schema.graphql': printSchemaSdl, 'subgraph.graphql': printSubgraphSdl } as const;
