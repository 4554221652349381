import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  /** The GraphQL endpoint it printed. */
  graphqlUrl: string;
  /** The token it prints in sandbox mode. */
  token: string;
  output: () => string;
}

/** Runs `npm run build` (scripts/build.mjs: src → dist/, under a second). */
export function buildServer(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'pipe' });
}

/**
 * Starts the server (PORT 0: a free port) and waits until it has printed its token and its
 * GraphiQL URL. Rejects with the output if it exits first. `build: true` runs dist/ as `npm start`
 * does (call buildServer first); otherwise src/ through tsx.
 */
export function startServerProcess(env: Record<string, string>, options: { build?: boolean } = {}): Promise<ServerProcess> {
  const entry = options.build ? ['dist/src/start.js'] : ['--import', 'tsx', 'src/server.ts'];
  return spawnUntilReady('server', entry, env, (output, child) => {
    const url = /GraphiQL: (http:\/\/\S+)/.exec(output())?.[1];
    const token = /^Token: (\S+)$/m.exec(output())?.[1];
    return url && token ? { child, graphqlUrl: url, token, output } : undefined;
  });
}

/**
 * `npm run sandbox` (scripts/sandbox.ts): the five simulators in their own process on a free
 * loopback port, state and settings in `dataDir`. A server started with SANDBOX_URL=`origin` and
 * SANDBOX_DATA_DIR=`dataDir` uses them instead of in-process ones.
 */
export function startSandboxProcess(dataDir: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; origin: string }> {
  return spawnUntilReady('sandbox', ['--import', 'tsx', 'scripts/sandbox.ts'], { SANDBOX_PORT: '0', SANDBOX_DATA_DIR: dataDir, ...env }, (output, child) => {
    const origin = /listening on (http:\/\/[\d.]+:\d+)\//.exec(output())?.[1];
    return origin ? { child, origin } : undefined;
  });
}

/**
 * Spawns `node <args>` in the project root (PORT 0 unless `env` says otherwise) and resolves with
 * what `ready` makes of its output once that is not undefined; rejects with the output if the
 * process exits first.
 */
export function spawnUntilReady<T>(
  name: string,
  args: string[],
  env: Record<string, string>,
  ready: (output: () => string, child: ChildProcess) => T | undefined,
): Promise<T> {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const value = ready(() => output, child);
      if (value !== undefined) resolve(value);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before listening:\n${output}`)));
  });
}

/** SIGTERM, and the exit code it ends with. */
export function stopServerProcess(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}
