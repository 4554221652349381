import type { CombinedError } from 'urql';

/** A request that failed as a whole: network, HTTP status or GraphQL errors (e.g. a refused token). */
export function ErrorMessage({ error }: { error: CombinedError }) {
  const messages = error.graphQLErrors.length ? error.graphQLErrors.map((e) => e.message) : [error.message];
  return (
    <div role="alert" className="error">
      {messages.map((message, i) => (
        <p key={i}>{message}</p>
      ))}
    </div>
  );
}
