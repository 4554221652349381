import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The React example's production build (Vite's dist/). */
export const REACT_EXAMPLE_DIST = join(root, 'examples', 'react-client', 'dist');

/** `npm run build -w examples/react-client` (vite build, ~2 s); throws with vite's output when it fails. */
export function buildReactExample(): void {
  try {
    execFileSync('npm', ['run', 'build', '-w', 'examples/react-client'], { cwd: root, stdio: 'pipe' });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`building examples/react-client failed:\n${stdout?.toString() ?? ''}${stderr?.toString() ?? ''}`);
  }
}
