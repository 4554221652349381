import type { TypedDocumentString } from './generated/graphql.js';

export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/**
 * The smallest useful typed client over the generated documents: the result and variable types come
 * from the operation, so `data.customer?.accounts[0]?.cards` is checked by the compiler.
 * `options.token` is sent as `Authorization: Bearer`; `options.fetch` lets tests pass the in-process app.
 * @example const { data } = await execute('http://127.0.0.1:4000/graphql', CustomerByNumberDocument, { customerNumber: '4000000000000001001' }, { token });
 */
export async function execute<TResult, TVariables>(
  url: string,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  options: { token?: string; fetch?: (url: string, init: RequestInit) => Promise<Response> } = {},
): Promise<{ data: TResult | null; errors?: GraphQLErrorShape[] }> {
  const response = await (options.fetch ?? fetch)(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  return (await response.json()) as { data: TResult | null; errors?: GraphQLErrorShape[] };
}
