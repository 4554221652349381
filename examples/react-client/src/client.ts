import { cacheExchange, Client, fetchExchange, type Exchange, type TypedDocumentNode } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';

export interface GraphClientOptions {
  /** The GraphQL endpoint: `/graphql` behind Vite's proxy or the example's own host, or a full URL. */
  url: string;
  /** Sent as `Authorization: Bearer <token>`; every customer-graph request needs one. */
  token: string;
  /**
   * Send each operation as its hash from src/gql/persisted-documents.json instead of its text: what a
   * server started with TRUSTED_DOCUMENTS=<that manifest> accepts. Default false (the full text).
   */
  trustedDocuments?: boolean;
  /** The fetch to use (tests); default the global one. */
  fetch?: typeof fetch;
}

/**
 * The urql client of the app: document cache, optionally the persisted-documents exchange, fetch.
 * Every request is a POST with a JSON body, which customer-graph's CSRF prevention accepts as it is
 * (urql sends queries as GET by default; a GET would need the x-graphql-csrf header).
 * @example const client = createGraphClient({ url: '/graphql', token });
 */
export function createGraphClient(options: GraphClientOptions): Client {
  const exchanges: Exchange[] = [cacheExchange];
  if (options.trustedDocuments) {
    exchanges.push(
      persistedExchange({
        // the hash codegen embedded in the document, exactly the manifest's key; no hashing at run time.
        // A document without one goes as text, and the server refuses it (PERSISTED_DOCUMENT_NOT_FOUND)
        generateHash: async (_text, document) => manifestKeyOf(document),
        // only hashes: the server knows every document, and refuses text it does not know
        enforcePersistedQueries: true,
        enableForMutation: true,
        // POST like every other request (a GET would need the CSRF header)
        preferGetForPersistedQueries: false,
      }),
    );
  }
  exchanges.push(fetchExchange);
  return new Client({
    url: options.url,
    exchanges,
    preferGetMethod: false,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    fetchOptions: () => ({ headers: { authorization: `Bearer ${options.token}` } }),
  });
}

/** The persisted-documents key codegen put in a document's `__meta__.hash` (`sha256:<hex>`), if any. */
export function manifestKeyOf(document: TypedDocumentNode<any, any>): string | undefined {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  return typeof hash === 'string' ? hash : undefined;
}
