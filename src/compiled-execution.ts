import {
  getOperationAST,
  GraphQLError,
  Kind,
  visit,
  BREAK,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { Plugin } from 'graphql-yoga';

/**
 * Queries, and mutations of one root field, run through graphql-jit: each (document, operation) is
 * compiled once into a JavaScript function specialised to its selection set and its variables, which
 * skips graphql-js's per-field work (field lookup, argument coercion, resolve-info objects, a promise
 * per list item) and coerces the variables with generated code. On the benchmark's stitched read that
 * is the difference between ~0.5× and ~0.75× of a hand-written handler; on a customersImport of 1,000
 * items, coercing the variables and completing the payload cost ~110 ms per call under graphql-js
 * (bench/RESULTS.md). The same resolvers, loaders and scalars run; only the walk changes.
 *
 * What a client sees stays graphql-js's (test/compiled-execution.test.ts compares the two):
 * - errors are graphql-js GraphQLErrors with the resolver's `extensions` (graphql-jit builds its
 *   own error class, which yoga's masking would treat as unexpected);
 * - variables graphql-jit refuses are answered by graphql-js, with graphql-js's message: a refusal
 *   comes before anything runs. graphql-jit accepts no variable graphql-js refuses (it checks the
 *   same types, scalars' parseValue and unknown input fields; the schema has no @oneOf input), and
 *   it refuses one graphql-js accepts (an omitted non-null input field with a default), which
 *   graphql-js then answers;
 * - two differences the spec allows: errors may come in another order (graphql-jit lists nulls in
 *   non-null positions after resolver errors), and when a null reaches the root, graphql-jit has
 *   still run the other root fields and reports their errors too (graphql-js stops at the first);
 * - left to the default executor: mutations of more than one root field (graphql-js stops at a
 *   non-null root field that failed; graphql-jit would go on to the next, and mutations have
 *   effects), subscriptions, documents using @defer or @stream (graphql-jit implements neither), and
 *   documents it refuses to compile.
 *
 * An operation is compiled the second time it runs, and cached per document object (yoga's parse
 * cache hands the same object for the same query text): what clients repeat runs compiled, while a
 * one-off query (typed in GraphiQL, or sent to make the server compile) costs no compilation
 * (~1 ms for a large selection). `GRAPHQL_JIT=off` (config.ts) leaves every request to graphql-js.
 * @example createYoga({ schema, plugins: [useCompiledExecution()] });
 */
export function useCompiledExecution(): Plugin {
  /** Per document and operation name: SEEN_ONCE, then the compiled query (null: not compilable). */
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null | typeof SEEN_ONCE>>();

  function compiledFor(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): CompiledQuery | null {
    let byOperation = compiled.get(document);
    if (!byOperation) compiled.set(document, (byOperation = new Map()));
    const key = operationName ?? '';
    const entry = byOperation.get(key);
    if (entry === undefined) {
      byOperation.set(key, SEEN_ONCE);
      return null;
    }
    if (entry !== SEEN_ONCE) return entry;
    const query = compile(schema, document, operationName);
    byOperation.set(key, query);
    return query;
  }

  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const query = compiledFor(args.schema, args.document, args.operationName);
      if (!query) return;
      setExecuteFn((executionArgs) => {
        const result = query.query(executionArgs.rootValue, executionArgs.contextValue, executionArgs.variableValues ?? {});
        const shape = (value: ExecutionResult) =>
          asGraphQLJsResult(value, getOperationAST(executionArgs.document, executionArgs.operationName)!, fragmentsOf(executionArgs.document));
        if (isPromiseLike(result)) return Promise.resolve(result).then(shape);
        // graphql-jit refused the variables and nothing ran: graphql-js answers, with its own message
        // for a bad variable, or with data where only graphql-jit refuses (see above)
        if (!('data' in result)) return executeFn(executionArgs);
        return shape(result);
      });
    },
  };
}

const fragmentMaps = new WeakMap<DocumentNode, FragmentMap>();
function fragmentsOf(document: DocumentNode): FragmentMap {
  let fragments = fragmentMaps.get(document);
  if (!fragments) {
    fragments = new Map(
      document.definitions.flatMap((definition) => (definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [])),
    );
    fragmentMaps.set(document, fragments);
  }
  return fragments;
}

const SEEN_ONCE = Symbol('seen once');

/** null: leave this operation to the default executor. */
function compile(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): CompiledQuery | null {
  const operation = getOperationAST(document, operationName);
  if (!operation || !compilable(operation, fragmentsOf(document)) || usesIncrementalDelivery(document)) return null;
  const result = compileQuery(schema, document, operationName ?? undefined, {
    // skip/include on fragment spreads as the spec says (the old behaviour is kept only for compatibility)
    useExperimentalPathBasedSkipInclude: true,
  });
  return isCompiledQuery(result) ? result : null;
}

/** A query, or a mutation whose selection is one root field (fragments included). */
function compilable(operation: OperationDefinitionNode, fragments: FragmentMap): boolean {
  if (operation.operation === 'query') return true;
  if (operation.operation !== 'mutation') return false;
  const selections = [...operation.selectionSet.selections];
  let fields = 0;
  while (selections.length > 0) {
    const selection = selections.pop()!;
    if (selection.kind === Kind.FIELD) fields++;
    else if (selection.kind === Kind.INLINE_FRAGMENT) selections.push(...selection.selectionSet.selections);
    else {
      const fragment = fragments.get(selection.name.value);
      if (!fragment) return false;
      selections.push(...fragment.selectionSet.selections);
    }
  }
  return fields === 1;
}

function usesIncrementalDelivery(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.DIRECTIVE](node) {
      if (node.name.value === 'defer' || node.name.value === 'stream') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * graphql-jit's result as graphql-js builds it: `errors` before `data`, and each error a graphql-js
 * GraphQLError located at its field nodes. graphql-jit's own errors carry message, path,
 * originalError and extensions but no nodes, and yoga's error masking rebuilds an error from its
 * nodes, which would drop the locations.
 */
function asGraphQLJsResult(result: ExecutionResult, operation: OperationDefinitionNode, fragments: FragmentMap): ExecutionResult {
  if (!result.errors?.length) return result;
  const { errors, data, ...rest } = result;
  return { errors: errors.map((error) => locatedAt(error, operation, fragments)), data, ...rest };
}

function locatedAt(error: GraphQLError, operation: OperationDefinitionNode, fragments: FragmentMap): GraphQLError {
  const nodes = error.path ? fieldNodesAt(operation, fragments, error.path) : [];
  return new GraphQLError(error.message, {
    ...(nodes.length ? { nodes } : {}),
    ...(error.path ? { path: error.path } : {}),
    // graphql-jit's own errors (a null in a non-null position) have none; graphql-js raises those
    // as plain errors, which yoga masks as unexpected, and so must they be here
    originalError: error.originalError ?? new Error(error.message),
    ...(error.extensions && Object.keys(error.extensions).length ? { extensions: error.extensions } : {}),
  });
}

type FragmentMap = ReadonlyMap<string, FragmentDefinitionNode>;

/**
 * The field nodes a response path points at: each name segment matched by response key through
 * fields, inline fragments and fragment spreads (list indices skipped). Type conditions are not
 * checked: a response key selected under fragments on two different types gets both locations.
 */
function fieldNodesAt(operation: OperationDefinitionNode, fragments: FragmentMap, path: readonly (string | number)[]): FieldNode[] {
  let selectionSets: SelectionSetNode[] = [operation.selectionSet];
  let fields: FieldNode[] = [];
  for (const segment of path) {
    if (typeof segment === 'number') continue;
    fields = selectionSets.flatMap((selectionSet) => fieldsWithKey(selectionSet, segment, fragments, new Set()));
    selectionSets = fields.flatMap((field) => (field.selectionSet ? [field.selectionSet] : []));
  }
  return fields;
}

function fieldsWithKey(selectionSet: SelectionSetNode, key: string, fragments: FragmentMap, visited: Set<string>): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return (selection.alias ?? selection.name).value === key ? [selection] : [];
    if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsWithKey(selection.selectionSet, key, fragments, visited);
    const fragment = fragments.get(selection.name.value);
    if (!fragment || visited.has(fragment.name.value)) return [];
    visited.add(fragment.name.value);
    return fieldsWithKey(fragment.selectionSet, key, fragments, visited);
  });
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function';
}
