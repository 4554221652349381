import { useState } from 'react';
import { useQuery } from 'urql';
import { ErrorMessage } from './ErrorMessage.js';
import { CustomerListQuery } from './operations.js';

const PAGE_SIZE = 20;

/** Customers in creation order, a page at a time (forward cursors; the ones behind are kept for Previous). */
export function CustomerList({ selectedId, onSelect }: { selectedId: string | null; onSelect: (id: string) => void }) {
  // the `after` cursor of every page opened so far; the last one is the current page
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const [{ data, fetching, error }] = useQuery({ query: CustomerListQuery, variables: { first: PAGE_SIZE, after } });
  const page = data?.customers;

  return (
    <nav aria-label="Customers">
      <h2>Customers {page && <small>({page.totalCount})</small>}</h2>
      {error && <ErrorMessage error={error} />}
      {fetching && !page && <p className="hint">Loading…</p>}
      <ul>
        {page?.edges.map(({ node }) => (
          <li key={node.id}>
            <button type="button" aria-current={node.id === selectedId} onClick={() => onSelect(node.id)}>
              {node.displayName} <small>{node.customerNumber}</small>
            </button>
          </li>
        ))}
      </ul>
      <div className="pager">
        <button type="button" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous page
        </button>
        <button
          type="button"
          disabled={!page?.pageInfo.hasNextPage}
          onClick={() => page && setCursors([...cursors, page.pageInfo.endCursor ?? null])}
        >
          Next page
        </button>
      </div>
    </nav>
  );
}
