import { useMemo, useState } from 'react';
import { Provider } from 'urql';
import { createGraphClient } from './client.js';
import { CustomerCreateForm } from './CustomerCreateForm.js';
import { CustomerDetail } from './CustomerDetail.js';
import { CustomerList } from './CustomerList.js';
import { saveToken, type Settings } from './settings.js';
import { TokenForm } from './TokenForm.js';

/** The page: the token, the customer list, the selected customer, and the create form. */
export function App({ settings }: { settings: Settings }) {
  const [token, setToken] = useState(settings.token ?? '');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // a new client per token: its cache holds what this token may see
  const client = useMemo(
    () => (token ? createGraphClient({ url: settings.apiUrl, token, trustedDocuments: settings.trustedDocuments }) : null),
    [token, settings.apiUrl, settings.trustedDocuments],
  );
  const changeToken = (next: string) => {
    saveToken(window.localStorage, next);
    setSelectedId(null);
    setToken(next);
  };

  return (
    <>
      <header>
        <h1>customer-graph</h1>
        <TokenForm token={token} onSave={changeToken} />
        {settings.trustedDocuments && <span className="badge">trusted documents</span>}
      </header>
      {client ? (
        <Provider value={client}>
          <main>
            <CustomerList selectedId={selectedId} onSelect={setSelectedId} />
            <section aria-label="Customer">
              {selectedId ? <CustomerDetail id={selectedId} /> : <p className="hint">Select a customer.</p>}
            </section>
            <CustomerCreateForm onCreated={setSelectedId} />
          </main>
        </Provider>
      ) : (
        <p className="hint">
          Enter a token to start: <code>npm run token</code> prints one.
        </p>
      )}
    </>
  );
}
