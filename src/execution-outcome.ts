import type { GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

type OnExecuteDone = NonNullable<Extract<ReturnType<NonNullable<Plugin['onExecute']>>, { onExecuteDone?: unknown }>['onExecuteDone']>;

/** One part of an incremental (`@defer` / `@stream`) result: its own errors and those of each increment. */
interface IncrementalPart {
  errors?: readonly GraphQLError[];
  incremental?: readonly { errors?: readonly GraphQLError[] }[];
}

/**
 * An `onExecuteDone` hook that calls `done` once, when the operation's whole result is known, with
 * every error in it: at once for a single result; after the last part for an incremental one
 * (`@defer`/`@stream`), whose errors arrive in its parts — counting only the first part would record
 * a deferred provider failure as success. `done` runs also when the client goes away mid-stream.
 * For a single result yoga awaits `done` before answering; for an incremental one it runs as the
 * stream ends and is not awaited (the client may have its last part before `done` has finished).
 * @example onExecute: () => ({ onExecuteDone: whenExecutionCompletes((errors) => count(errors)) })
 */
export function whenExecutionCompletes(done: (errors: readonly GraphQLError[]) => void | Promise<void>): OnExecuteDone {
  return ({ result }) => {
    if (!isAsyncIterable(result)) return done((result as IncrementalPart).errors ?? []);
    const errors: GraphQLError[] = [];
    return {
      onNext: ({ result: part }) => {
        const { errors: own = [], incremental = [] } = part as IncrementalPart;
        errors.push(...own, ...incremental.flatMap((increment) => increment.errors ?? []));
      },
      onEnd: () => void done(errors),
    };
  };
}
