/** Where the app sends its requests and with which credentials. */
export interface Settings {
  /** VITE_GRAPHQL_URL at build time, default `/graphql` on the app's own origin (Vite's dev proxy). */
  apiUrl: string;
  /** A bearer token (`npm run token`), or null until one is entered. */
  token: string | null;
  /** `?trusted=1`: send operations by their persisted-documents hash (a server with TRUSTED_DOCUMENTS). */
  trustedDocuments: boolean;
}

const TOKEN_KEY = 'customer-graph.token';

/**
 * The settings from the page's URL and localStorage: `?token=` (saved for the next visit, then
 * removed from the address bar) wins over the saved token; `?trusted=1` switches to hashes.
 */
export function readSettings(location: Location, history: History, storage: Storage): Settings {
  const params = new URLSearchParams(location.search);
  const given = params.get('token');
  if (given) {
    saveToken(storage, given);
    params.delete('token');
    const search = params.toString();
    history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}${location.hash}`);
  }
  return {
    apiUrl: import.meta.env['VITE_GRAPHQL_URL'] ?? '/graphql',
    token: given || storage.getItem(TOKEN_KEY),
    trustedDocuments: params.get('trusted') === '1',
  };
}

/** Keeps the token for the next visit; an empty one forgets it. */
export function saveToken(storage: Storage, token: string): void {
  if (token) storage.setItem(TOKEN_KEY, token);
  else storage.removeItem(TOKEN_KEY);
}
