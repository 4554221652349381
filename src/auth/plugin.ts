import { getOperationAST, GraphQLError, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Viewer } from '../domain/mutation-deps.js';
import { AuthenticationError, type Authenticator } from './authenticator.js';
import type { Scope } from './scopes.js';

/** What each kind of operation needs: reading customers, or changing them. */
const REQUIRED_SCOPE: Record<'query' | 'mutation' | 'subscription', Scope> = {
  query: 'customers:read',
  mutation: 'customers:write',
  subscription: 'customers:read',
};

/**
 * Authenticates every GraphQL request (401 with a clear message and `extensions.code` when the
 * credentials are missing, invalid or expired) and checks the operation's scope (403 FORBIDDEN).
 * GraphiQL's page (a browser GET asking for HTML) loads without credentials: the user sets the
 * header in it. Everything outside the GraphQL endpoint (/health, /metrics, simulators) is not
 * this plugin's concern.
 * @example const { plugin, viewerOf } = useAuthentication({ authenticator, graphqlEndpoint: '/graphql' });
 */
export function useAuthentication({ authenticator, graphqlEndpoint }: { authenticator: Authenticator; graphqlEndpoint: string }) {
  const viewers = new WeakMap<Request, Viewer>();
  const plugin: Plugin = {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== graphqlEndpoint) return;
      if (request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html')) return;
      try {
        viewers.set(request, await authenticator.authenticate(request.headers.get('authorization')));
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
        endResponse(
          fetchAPI.Response.json(
            { errors: [{ message: error.message, extensions: { code: error.code } }] },
            {
              status: 401,
              headers: { 'www-authenticate': `Bearer error="${error.code === 'UNAUTHENTICATED' ? 'invalid_request' : 'invalid_token'}"` },
            },
          ),
        );
      }
    },
    onExecute({ args, setResultAndStopExecution }) {
      const refusal = scopeRefusal(args);
      if (refusal) setResultAndStopExecution(refusal);
    },
    // subscriptions do not pass through onExecute
    onSubscribe({ args, setResultAndStopExecution }) {
      const refusal = scopeRefusal(args);
      if (refusal) setResultAndStopExecution(refusal);
    },
  };
  return { plugin, viewerOf: (request: Request) => viewers.get(request) };
}

/** The 403 answer when the viewer lacks the scope its operation needs, else null. */
function scopeRefusal(args: { contextValue: unknown; document: DocumentNode; operationName?: string | null }): ExecutionResult | null {
  const viewer = (args.contextValue as { viewer?: Viewer }).viewer;
  const operation = getOperationAST(args.document, args.operationName)?.operation ?? 'query';
  const required = REQUIRED_SCOPE[operation];
  if (viewer?.scopes.includes(required)) return null;
  return {
    errors: [
      new GraphQLError(`this ${operation} needs the scope ${required}`, {
        extensions: { code: 'FORBIDDEN', requiredScope: required, http: { status: 403 } },
      }),
    ],
  };
}
