import type { Plugin } from 'graphql-yoga';
import { routeToSandbox } from './sandbox-mount.js';
import type { Sandbox } from './types.js';

/**
 * Serves the provider simulators under `/sandbox/<provider>/…` from the app (sandbox mode).
 * @example createYoga({ plugins: [useSandboxes({ sandboxes: registry.sandboxes })] });
 */
export function useSandboxes({ sandboxes }: { sandboxes: readonly Sandbox[] }): Plugin {
  return {
    async onRequest({ request, endResponse }) {
      if (sandboxes.length === 0) return;
      const response = routeToSandbox(sandboxes, request);
      if (response) endResponse(await response);
    },
  };
}
