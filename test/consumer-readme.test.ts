import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The README's consumer steps: `<!-- consumer:shell -->` or `<!-- consumer:file <path> -->`, each before a fenced block. */
export function consumerSteps(readme: string): ({ kind: 'shell'; lines: string[] } | { kind: 'file'; path: string; text: string })[] {
  const steps = [...readme.matchAll(/<!-- consumer:(shell|file) ?([^ ]*) -->\n```\w*\n([\s\S]*?)\n```/g)].map(([, kind, path, body]) =>
    kind === 'shell'
      ? { kind: 'shell' as const, lines: body!.split('\n').map((line) => line.replace(/\s+#.*$/, '').trim()).filter(Boolean) }
      : { kind: 'file' as const, path: path!, text: `${body}\n` },
  );
  if (steps.length === 0) throw new Error('README.md has no <!-- consumer:… --> blocks');
  return steps;
}

/** The version of `name` this repository installed (root node_modules), which the README must name. */
const installedVersion = (name: string) => (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

// A consumer team follows the README from a checkout to typed hooks in a folder of its own. Offline: the
// checkout is this repository, `npm install` is checked against (and served from) the packages installed here.
describe('README: a client team generates its own typed hooks', { timeout: 90_000 }, () => {
  const workspace = mkdtempSync(join(tmpdir(), 'customer-graph-consumer-'));
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('the README steps give generated hooks that type-check, and a misuse that does not', () => {
    let cwd = workspace;
    const run = (command: string, args: string[]) => spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_yes: 'true' } });
    for (const step of consumerSteps(readFileSync(join(root, 'README.md'), 'utf8'))) {
      if (step.kind === 'file') {
        mkdirSync(dirname(join(cwd, step.path)), { recursive: true });
        writeFileSync(join(cwd, step.path), step.text);
        continue;
      }
      for (const line of step.lines) {
        let match: RegExpExecArray | null;
        if ((match = /^git clone \S.* (\S+)$/.exec(line))) {
          symlinkSync(root, join(cwd, match[1]!));
        } else if ((match = /^mkdir (\S+) && cd \1$/.exec(line))) {
          cwd = join(cwd, match[1]!);
          mkdirSync(cwd);
        } else if (line === 'npm init -y') {
          expect(run('npm', ['init', '-y']).status).toBe(0);
        } else if ((match = /^npm install --save-exact( --save-dev)? (.+)$/.exec(line))) {
          // what npm would write, after checking each pinned version is the one this repository uses
          const manifest = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as Record<string, any>;
          const field = match[1] ? 'devDependencies' : 'dependencies';
          for (const spec of match[2]!.split(' ')) {
            const [, name, version] = /^(@?[^@]+)@(\S+)$/.exec(spec) ?? [];
            expect({ spec, version }).toEqual({ spec, version: installedVersion(name!) });
            manifest[field] = { ...manifest[field], [name!]: version };
          }
          writeFileSync(join(cwd, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
          if (!existsSync(join(cwd, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(cwd, 'node_modules'), 'dir');
        } else if (line.startsWith('npx ')) {
          const result = run('npx', line.slice(4).split(' '));
          expect({ line, status: result.status, output: result.stdout + result.stderr }).toMatchObject({ status: 0 });
        } else {
          throw new Error(`README consumer step not understood by this test: ${line}`);
        }
      }
    }

    // the steps made typed documents and a manifest TRUSTED_DOCUMENTS takes
    const app = join(workspace, 'customer-app');
    expect(readFileSync(join(app, 'src/gql/graphql.ts'), 'utf8')).toContain('export type CustomersQuery =');
    const manifest = JSON.parse(readFileSync(join(app, 'src/gql/persisted-documents.json'), 'utf8')) as Record<string, string>;
    expect(Object.values(manifest)).toEqual([expect.stringMatching(/^query Customers\(\$first: Int!\)/)]);

    // and the types are real: a field the schema lacks and a wrong variable fail the same check
    writeFileSync(
      join(app, 'src/Misuse.tsx'),
      `import { useQuery } from 'urql';
import { CustomersDocument } from './gql/graphql';
export function Misuse() {
  const [{ data }] = useQuery({ query: CustomersDocument, variables: { first: 'twenty' } });
  return <p>{data?.customers.edges[0]?.node.nickname}</p>;
}
`,
    );
    const tsc = spawnSync(join(root, 'node_modules/.bin/tsc'), ['--noEmit'], { cwd: app, encoding: 'utf8' });
    expect(tsc.status).not.toBe(0);
    expect(tsc.stdout).toMatch(/Misuse\.tsx.*'string' is not assignable to type 'number'/);
    expect(tsc.stdout).toMatch(/Misuse\.tsx.*Property 'nickname' does not exist/);
    expect(tsc.stdout).not.toMatch(/Customers\.tsx/);
  });

  it('finds every marked block of the README', () => {
    const steps = consumerSteps(readFileSync(join(root, 'README.md'), 'utf8'));
    expect(steps.map((step) => (step.kind === 'file' ? step.path : 'shell'))).toEqual(['shell', 'codegen.ts', 'tsconfig.json', 'src/Customers.tsx', 'shell']);
    expect(() => consumerSteps('# nothing here')).toThrow(/no <!-- consumer:… --> blocks/);
  });
});
