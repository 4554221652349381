import { GraphQLError, Kind, visit, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Malformed requests get a 4xx with a JSON error body, never a 500 (each case was found by
 * test/fuzz.test.ts):
 * - a document nested deeply enough overflows graphql-js's recursive parser (RangeError): it is
 *   answered as a syntax problem;
 * - invalid JSON in the `variables` or `extensions` parameter of a GET or a form-encoded POST
 *   reaches a JSON.parse yoga does not guard;
 * - yoga answers an unsupported Content-Type (415) or Accept (406) with an empty body — the 406
 *   also when a JSON-only client sends an operation whose result comes in parts (@defer);
 * - a string holding U+0000 (NUL), in the variables or as a literal: Postgres cannot store it in text
 *   or JSON, and no name, address or option needs it — refused as BAD_USER_INPUT naming where it is.
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
    onExecute({ args, setResultAndStopExecution }) {
      const refusal = nulRefusal(args);
      if (refusal) setResultAndStopExecution(refusal);
    },
    // subscriptions do not pass through onExecute
    onSubscribe({ args, setResultAndStopExecution }) {
      const refusal = nulRefusal(args);
      if (refusal) setResultAndStopExecution(refusal);
    },
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if ((response.status === 415 || response.status === 406) && !(await response.clone().text())) {
        setResponse(
          errorResponse(
            fetchAPI,
            response.status,
            response.status === 415 ? 'unsupported Content-Type: send application/json (or application/x-www-form-urlencoded, multipart/form-data)' : notAcceptable(request),
            response.status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'NOT_ACCEPTABLE',
            response.headers,
          ),
        );
      }
    },
  };
}

/**
 * The path of the first string under `value` that holds a NUL character, if any. Iterative: variables
 * may nest deeper than the stack (coercion refuses them later, with its own message). A bulk import's
 * variables hold tens of thousands of values: a plain scan first, the path only for a NUL found.
 */
function nulIn(value: unknown, path: (string | number)[]): (string | number)[] | null {
  if (!holdsNul(value)) return null;
  // each entry: a value, the entry it sits in, and its key there (the path is rebuilt only when found)
  const seen: { value: unknown; parent: number; key: string | number }[] = [{ value, parent: -1, key: '' }];
  const pending = [0];
  while (pending.length > 0) {
    const index = pending.pop()!;
    const current = seen[index]!.value;
    if (typeof current === 'string') {
      if (!current.includes('\u0000')) continue;
      const keys: (string | number)[] = [];
      for (let at = index; at > 0; at = seen[at]!.parent) keys.unshift(seen[at]!.key);
      return [...path, ...keys];
    }
    if (current && typeof current === 'object') {
      const entries: [string | number, unknown][] = Array.isArray(current) ? current.map((entry, i) => [i, entry]) : Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        seen.push({ value: entries[i]![1], parent: index, key: entries[i]![0] });
        pending.push(seen.length - 1);
      }
    }
  }
  return null;
}

function holdsNul(value: unknown): boolean {
  const pending = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return true;
    } else if (current && typeof current === 'object') {
      for (const entry of Array.isArray(current) ? current : Object.values(current)) pending.push(entry);
    }
  }
  return false;
}

/** `["document", "line:column"]` of the first string literal in the document that holds a NUL character, if any. */
function nulInDocument(document: DocumentNode): string[] | null {
  // a NUL can only enter a literal as an escape, \u0000 or \u{0} (the lexer refuses the raw
  // character): most documents are ruled out by their text, without a walk
  const source = document.loc?.source.body;
  if (source !== undefined && !/\\u(0000|\{0+\})/i.test(source)) return null;
  let found: string[] | null = null;
  visit(document, {
    [Kind.STRING](node) {
      if (found === null && node.value.includes('\u0000')) {
        const at = node.loc ? `${node.loc.startToken.line}:${node.loc.startToken.column}` : 'unknown';
        found = ['document', at];
      }
    },
  });
  return found;
}

/**
 * Why a 406: a client that accepts JSON was refused because the result comes in parts (an operation
 * using @defer or @stream, or a subscription); any other client named no type yoga writes.
 */
function notAcceptable(request: Request): string {
  const accepted = request.headers.get('accept') ?? '';
  return /application\/(json|graphql-response\+json)/.test(accepted)
    ? 'this operation answers in parts (@defer, @stream or a subscription): accept multipart/mixed or text/event-stream'
    : 'cannot answer in any type the Accept header allows: accept application/json or application/graphql-response+json (multipart/mixed or text/event-stream for @defer, @stream and subscriptions)';
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

/** The error for a NUL in the variables or the document's literals, else null. */
function nulRefusal(args: { variableValues?: unknown; document: DocumentNode }): ExecutionResult | null {
  const where = nulIn(args.variableValues, ['variables']) ?? nulInDocument(args.document);
  if (!where) return null;
  return {
    errors: [
      new GraphQLError(`${where.join('.')}: must not contain the character U+0000 (NUL)`, {
        extensions: { code: 'BAD_USER_INPUT', argument: where },
      }),
    ],
  };
}
