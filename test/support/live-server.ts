import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess, stopServerProcess, type ServerProcess } from './server-process.js';
import { sharedTestDatabase } from './test-database.js';
import { TEST_IDENTITY_KEY } from './test-keys.js';

export interface LiveServer extends ServerProcess {
  /** Stops the server (SIGTERM, then SIGKILL if it is still running), drops its database and removes its folder. */
  close(): Promise<void>;
}

/**
 * The built server (dist/, as `npm start` runs it) on a free loopback port over a database of its
 * own — a SQLite file, or a fresh Postgres database under TEST_POSTGRES_URL — with the demo data and
 * the in-process simulators: what a browser or a client example talks to. `env` adds settings
 * (e.g. TRUSTED_DOCUMENTS).
 * @example const server = await startLiveServer({ TRUSTED_DOCUMENTS: manifest }); … await server.close();
 */
export async function startLiveServer(env: Record<string, string> = {}): Promise<LiveServer> {
  const dir = mkdtempSync(join(tmpdir(), 'customer-graph-live-'));
  const storage = await sharedTestDatabase(dir);
  const cleanUp = async () => {
    await storage.drop();
    rmSync(dir, { recursive: true, force: true });
  };
  let server: ServerProcess;
  try {
    server = await startServerProcess(
      {
        DATABASE_URL: storage.url,
        HOST: '127.0.0.1',
        IDENTITY_ENCRYPTION_KEY: TEST_IDENTITY_KEY,
        JWT_SECRET: 'live-server-test-secret-that-is-long-enough',
        ...env,
      },
      { build: true },
    );
  } catch (error) {
    await cleanUp();
    throw error;
  }
  return {
    ...server,
    async close() {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        const killer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
        await stopServerProcess(server.child);
        clearTimeout(killer);
      }
      await cleanUp();
    },
  };
}
