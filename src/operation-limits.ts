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

/** 413 for a body over the limit, by Content-Length or, without one, by reading it. */
function useBodyLimit(maxBytes: number): Plugin {
  return {
    async onRequest({ request, endResponse, fetchAPI }) {
      if (request.method === 'GET' || request.method === 'HEAD') return;
      const declared = Number(request.headers.get('content-length') ?? NaN);
      const size = Number.isFinite(declared) ? declared : (await request.clone().arrayBuffer()).byteLength;
      if (size > maxBytes) {
        endResponse(
          fetchAPI.Response.json(
            { errors: [{ message: `the request body is larger than ${maxBytes} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] },
            { status: 413 },
          ),
        );
      }
    },
  };
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
