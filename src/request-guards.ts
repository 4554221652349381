import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Malformed requests get a 4xx with a JSON error body, never a 500 (each case was found by
 * test/fuzz.test.ts):
 * - a document nested deeply enough overflows graphql-js's recursive parser (RangeError): it is
 *   answered as a syntax problem;
 * - invalid JSON in the `variables` or `extensions` parameter of a GET or a form-encoded POST
 *   reaches a JSON.parse yoga does not guard;
 * - yoga answers an unsupported Content-Type (415) or Accept (406) with an empty body.
 * @example createYoga({ plugins: [useRequestGuards()] });
 */
export function useRequestGuards(): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const params = await jsonParams(request, url);
      for (const [name, value] of params) {
        if (value === null || value === '') continue;
        try {
          JSON.parse(value);
        } catch {
          endResponse(errorResponse(fetchAPI, 400, `the "${name}" parameter is not valid JSON`, 'BAD_REQUEST'));
          return;
        }
      }
    },
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parseFn(source, options);
        } catch (error) {
          if (!(error instanceof RangeError)) throw error;
          throw new GraphQLError('Syntax Error: the document nests too deeply to parse', {
            extensions: { code: 'GRAPHQL_PARSE_FAILED', http: { status: 400 } },
          });
        }
      });
    },
    async onResponse({ response, setResponse, fetchAPI }) {
      if ((response.status === 415 || response.status === 406) && !(await response.clone().text())) {
        setResponse(
          errorResponse(
            fetchAPI,
            response.status,
            response.status === 415
              ? 'unsupported Content-Type: send application/json (or application/x-www-form-urlencoded, multipart/form-data)'
              : 'cannot answer in any type the Accept header allows: accept application/json or application/graphql-response+json',
            response.status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'NOT_ACCEPTABLE',
            response.headers,
          ),
        );
      }
    },
  };
}

/** The `variables` and `extensions` of a GET query string or a form-encoded POST body. */
async function jsonParams(request: Request, url: URL): Promise<[string, string | null][]> {
  const names = ['variables', 'extensions'];
  if (request.method === 'GET') return names.map((name) => [name, url.searchParams.get(name)]);
  if (request.method === 'POST' && request.headers.get('content-type')?.startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(await request.clone().text());
    return names.map((name) => [name, form.get(name)]);
  }
  return [];
}

function errorResponse(
  fetchAPI: { Response: typeof Response },
  status: number,
  message: string,
  code: string,
  headers?: Headers,
): Response {
  const merged = new Headers(headers);
  merged.set('content-type', 'application/json; charset=utf-8');
  return new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), { status, headers: merged });
}
