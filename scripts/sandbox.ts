/**
 * Serves the five provider simulators on their own, on loopback: `npm run sandbox`.
 * Each provider's API is under http://HOST:PORT/sandbox/<provider>/… with GET …/_state and
 * GET/PUT/DELETE …/_faults (the runtime fault switch).
 * Settings: SANDBOX_PORT (default 4010), SANDBOX_HOST (127.0.0.1), SANDBOX_DATA_DIR (./data/sandbox),
 * SANDBOX_FAULTS (as for the server).
 */
import { createServer } from 'node:http';
import { createServerAdapter } from '@whatwg-node/server';
import { loadConfig } from '../src/config.js';
import { createProviderRegistry } from '../src/providers/registry.js';
import { jsonResponse } from '../src/providers/sandbox-kit.js';
import { routeToSandbox } from '../src/providers/sandbox-mount.js';

const port = Number(process.env['SANDBOX_PORT'] ?? 4010);
const host = process.env['SANDBOX_HOST'] ?? '127.0.0.1';
const config = loadConfig(process.env);
const registry = await createProviderRegistry({
  mode: 'sandbox',
  dataDir: process.env['SANDBOX_DATA_DIR'] ?? './data/sandbox',
  faults: config.SANDBOX_FAULTS,
});
const adapter = createServerAdapter(
  async (request: Request, serverContext: unknown) =>
    (await routeToSandbox(registry.sandboxes, request, serverContext)) ??
    jsonResponse(404, { error: 'not found: simulators are under /sandbox/<provider>/' }),
);
const server = createServer(adapter);
server.listen(port, host, () => {
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  console.log(`Provider simulators listening on http://${host}:${bound}/sandbox/{${registry.sandboxes.map((s) => s.name.toLowerCase()).join(',')}}`);
});
const stop = () => server.close(() => (registry.close(), process.exit(0)));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
