import { readFileSync } from 'node:fs';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxCost: number;
  maxDirectives: number;
  /** Largest request body accepted; larger ones get 413. */
  maxBodyBytes: number;
  /** Introspection queries allowed (off in production). */
  introspection: boolean;
  /** "Did you mean …?" hints in validation errors (off in production: they reveal the schema). */
  fieldSuggestions: boolean;
  /** Require a non-simple request (a custom header or a JSON body), so a browser cannot be tricked into one. */
  csrfPrevention: boolean;
  /** A codegen persisted-documents manifest: when set, only its operations are accepted. */
  trustedDocuments: string | null;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxAliases: 15,
  maxTokens: 5000,
  // graphql-armor's static cost grows 1.5× per level: reading every field of a customer page costs ~80k
  maxCost: 100_000,
  maxDirectives: 10,
  maxBodyBytes: 5 * 1024 * 1024,
  introspection: true,
  fieldSuggestions: true,
  csrfPrevention: true,
  trustedDocuments: null,
};

/** The header a non-JSON request (GET, form post) must carry under CSRF prevention. */
export const CSRF_HEADER = 'x-graphql-csrf';

const rejected = (code: string) => (context: ValidationContext | null, error: GraphQLError) => {
  const coded = new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code, http: { status: 400 } } });
  // validation-time protections report through the context; the token limit runs at parse time
  if (context) context.reportError(coded);
  else throw coded;
};

/**
 * Limits every operation before it executes: depth, aliases, tokens, directives and a static cost
 * (graphql-armor, each rejection with its own extensions.code), the body size (413), introspection
 * and field suggestions (switchable for production), CSRF prevention, and an optional
 * trusted-documents mode.
 * @example createYoga({ plugins: [...useOperationLimits({ ...DEFAULT_OPERATION_LIMITS, introspection: false })] });
 */
export function useOperationLimits(limits: OperationLimits): Plugin[] {
  const plugins: Plugin[] = [
    useBodyLimit(limits.maxBodyBytes),
    EnvelopArmorPlugin({
      maxDepth: { n: limits.maxDepth, propagateOnRejection: false, onReject: [rejected('QUERY_TOO_DEEP')] },
      maxAliases: { n: limits.maxAliases, propagateOnRejection: false, onReject: [rejected('TOO_MANY_ALIASES')] },
      maxTokens: { n: limits.maxTokens, propagateOnRejection: false, onReject: [rejected('TOO_MANY_TOKENS')] },
      maxDirectives: { n: limits.maxDirectives, propagateOnRejection: false, onReject: [rejected('TOO_MANY_DIRECTIVES')] },
      costLimit: { maxCost: limits.maxCost, propagateOnRejection: false, onReject: [rejected('QUERY_TOO_COSTLY')] },
      blockFieldSuggestion: { enabled: !limits.fieldSuggestions },
    }) as Plugin,
  ];
  if (!limits.introspection) plugins.push(useNoIntrospection());
  if (limits.csrfPrevention) plugins.push(useCSRFPrevention({ requestHeaders: [CSRF_HEADER] }));
  if (limits.trustedDocuments) plugins.push(useTrustedDocuments(limits.trustedDocuments));
  return plugins;
}

function useNoIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}

/**
 * 413 for a body over the limit. With a Content-Length (every ordinary client), the header decides
 * before the body is read — node's HTTP parser never delivers more bytes than it declares. Without
 * one (chunked uploads), the body is counted while it is parsed and parsing stops at the limit.
 * Replaces yoga's own limit (maxRequestBodySize: false in app.ts), which pipes every body through a
 * web TransformStream even when its length is known (~2% of a stitched read's CPU).
 */
function useBodyLimit(maxBytes: number): Plugin {
  const tooLarge = () =>
    new GraphQLError(`the request body is larger than ${maxBytes} bytes`, { extensions: { code: 'PAYLOAD_TOO_LARGE', http: { status: 413 } } });
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return;
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        if (!/^\d+$/.test(declared)) {
          throw new GraphQLError('the Content-Length header is not a byte count', { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
        }
        if (Number(declared) > maxBytes) throw tooLarge();
        return;
      }
      if (!requestParser) return;
      setRequestParser((unsized) => requestParser(withCountedBody(unsized, maxBytes, tooLarge)));
    },
  };
}

/** The request with a body that fails with `tooLarge()` once more than `maxBytes` have been read. */
function withCountedBody(request: Request, maxBytes: number, tooLarge: () => Error): Request {
  let read = 0;
  const counted = request.body!.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        if (read > maxBytes) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, body: counted, duplex: 'half' } as RequestInit);
}

/**
 * Trusted documents: only operations in the codegen persisted-documents manifest (sha256 → document)
 * run. A client sends the hash as `extensions.persistedQuery.sha256Hash` (the automatic persisted
 * queries convention), or a query whose hash is in the manifest; anything else is refused before
 * parsing.
 */
function useTrustedDocuments(manifestPath: string): Plugin {
  const manifest = new Map(Object.entries(JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, string>));
  const trustedTexts = new Set(manifest.values());
  return {
    onParams({ params, setParams }) {
      const extensions = params.extensions as { persistedQuery?: { sha256Hash?: string } } | undefined;
      const id = extensions?.persistedQuery?.sha256Hash;
      const document = id ? manifest.get(id) : params.query && trustedTexts.has(params.query) ? params.query : undefined;
      if (!document) {
        throw new GraphQLError('only trusted documents are accepted: send extensions.persistedQuery.sha256Hash of an operation in the manifest', {
          extensions: { code: 'PERSISTED_DOCUMENT_NOT_FOUND', http: { status: 400 } },
        });
      }
      setParams({ ...params, query: document });
    },
  };
}
