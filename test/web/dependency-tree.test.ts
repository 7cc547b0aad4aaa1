import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** Where `name` resolves from code in `fromDir`: the nearest node_modules/<name> up the tree (Node and bundlers). */
function packageDir(fromDir: string, name: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`${name} does not resolve from ${fromDir}`);
  }
}

/** The version of `react` that code in `fromDir` gets when it imports it. */
function reactSeenFrom(fromDir: string): string {
  return (JSON.parse(readFileSync(join(packageDir(fromDir, 'react'), 'package.json'), 'utf8')) as { version: string })
    .version;
}

/**
 * The console once rendered a blank page because sst's react 18 (through ink) was hoisted to the root and
 * react-dom 19 resolved it. `npm ls --all` names such a tree `invalid`; these tests keep it clean.
 */
describe('dependency tree', () => {
  it('npm ls --all reports nothing invalid, missing or extraneous', async () => {
    const result = await run('npm', ['ls', '--all', '--json'], { cwd: root, maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: { stdout?: string; stderr?: string; code?: number }) => error,
    );
    const problems = (JSON.parse(result.stdout ?? '{}') as { problems?: string[] }).problems ?? [];
    expect(problems).toEqual([]);
    expect('code' in result ? result.code : 0).toBe(0);
  }, 120_000);

  it('every React library of the web console resolves React 19; sst’s ink keeps React 18', () => {
    const web = join(root, 'web');
    const manifest = JSON.parse(readFileSync(join(web, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const usesReact = (dir: string) => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
      return pkg.peerDependencies?.react !== undefined || pkg.dependencies?.react !== undefined;
    };
    const seen = Object.keys(manifest.dependencies)
      .filter((name) => name !== 'react' && usesReact(packageDir(web, name)))
      .map((name) => [name, reactSeenFrom(packageDir(web, name))] as const);
    expect(seen.map(([name]) => name)).toContain('react-dom');
    expect(reactSeenFrom(web)).toMatch(/^19\./);
    for (const [name, version] of seen) expect(`${name}: react ${version}`).toMatch(/: react 19\./);
    const sst = packageDir(root, 'sst');
    expect(reactSeenFrom(packageDir(sst, 'ink'))).toMatch(/^18\./);
    expect(reactSeenFrom(packageDir(packageDir(sst, 'ink'), 'react-reconciler'))).toMatch(/^18\./);
  });
});
