import type { Plugin } from 'graphql-yoga';
import { routeToSandbox } from './sandbox-mount.js';
import type { Sandbox } from './types.js';

/**
 * Serves the provider simulators under `/sandbox/<provider>/…` from the app (sandbox mode).
 * @example createYoga({ plugins: [useSandboxes({ sandboxes: registry.sandboxes })] });
 */
export function useSandboxes({ sandboxes }: { sandboxes: readonly Sandbox[] }): Plugin {
  return {
    async onRequest({ request, serverContext, endResponse }) {
      if (sandboxes.length === 0) return;
      // The Node server's context lets a simulated connection cut drop the real socket.
      const response = routeToSandbox(sandboxes, request, serverContext);
      if (response) endResponse(await response);
    },
  };
}
