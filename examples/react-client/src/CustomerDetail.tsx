import { useQuery } from 'urql';
import { ErrorMessage } from './ErrorMessage.js';
import { CustomerDetailQuery } from './operations.js';

/** One customer: its accounts with their cards, and its link to each provider it was routed to. */
export function CustomerDetail({ id }: { id: string }) {
  const [{ data, fetching, error }] = useQuery({ query: CustomerDetailQuery, variables: { id } });
  if (!data) return error ? <ErrorMessage error={error} /> : <p className="hint">{fetching ? 'Loading…' : ''}</p>;
  const customer = data.customer;
  if (!customer) return <p className="hint">No such customer.</p>;

  return (
    <article>
      <h2>{customer.displayName}</h2>
      {/* data and errors together: a provider-backed field (accounts) is null where its provider could not be read */}
      {error && <ErrorMessage error={error} />}
      <dl>
        <dt>Customer number</dt>
        <dd>{customer.customerNumber}</dd>
        <dt>Kind</dt>
        <dd>{customer.kind}</dd>
        <dt>Status</dt>
        <dd>{customer.status}</dd>
        <dt>Email</dt>
        <dd>{customer.email ?? '—'}</dd>
      </dl>

      <h3>Accounts</h3>
      {customer.accounts == null ? (
        <p className="hint">Accounts could not be read.</p>
      ) : customer.accounts.length === 0 ? (
        <p className="hint">No accounts.</p>
      ) : (
        <ul>
          {customer.accounts.map((account) => (
            <li key={account.accountNumber}>
              {account.type} {account.accountNumber}
              <ul>
                {(account.cards ?? []).map((card) => (
                  <li key={`${card.iin}-${card.last4}`}>
                    {card.network} {card.iin}…{card.last4} ({card.status})
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}

      <h3>Providers</h3>
      {customer.providerLinks.length === 0 ? (
        <p className="hint">Not routed to any provider.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Provider</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {customer.providerLinks.map((link) => (
              <tr key={link.provider}>
                <td>{link.provider}</td>
                <td>{link.status}</td>
                <td>{link.attempts}</td>
                <td>{link.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
