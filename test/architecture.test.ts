import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('architecture rules', () => {
  it('packages/core imports no AWS SDK, no SST and reads no environment', () => {
    const offenders = sourceFiles(join(root, 'packages/core/src')).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const problems: string[] = [];
      if (/from\s+['"](@aws-sdk\/|@aws-crypto\/|sst)/.test(text)) problems.push('imports an AWS SDK or SST');
      if (/\bprocess\.env\b/.test(text)) problems.push('reads process.env');
      if (/from\s+['"]@evidence-portal\/(aws|api|local-stack|cli)['"]/.test(text)) problems.push('imports an adapter');
      return problems.map((p) => `${relative(root, file)}: ${p}`);
    });
    expect(offenders).toEqual([]);
  });

  it('only composition roots read process.env', () => {
    const allowed = new Set(['functions', 'packages/local-server/src/main.ts', 'packages/cli/src/main.ts']);
    const dirs = [
      'packages/core/src',
      'packages/aws/src',
      'packages/api/src',
      'packages/cli/src',
      'packages/local-server/src',
      'functions',
    ];
    const offenders = dirs.flatMap((dir) =>
      sourceFiles(join(root, dir))
        .filter((file) => !file.endsWith('.test.ts'))
        .map((file) => relative(root, file))
        .filter((file) => ![...allowed].some((prefix) => file === prefix || file.startsWith(`${prefix}/`)))
        .filter((file) => /\bprocess\.env\b/.test(readFileSync(join(root, file), 'utf8'))),
    );
    expect(offenders).toEqual([]);
  });

  it('only packages/aws and the local stack import the AWS SDK', () => {
    const dirs = ['packages/core/src', 'packages/api/src', 'packages/cli/src', 'functions', 'web/src'];
    const offenders = dirs.flatMap((dir) =>
      sourceFiles(join(root, dir))
        .filter((file) => /from\s+['"]@aws-sdk\//.test(readFileSync(file, 'utf8')))
        .map((file) => relative(root, file)),
    );
    expect(offenders).toEqual([]);
  });

  it('builds services only in composition: no `new *Service(`, `new *Directory(` or `new PolicyStore(` elsewhere', () => {
    // A unit test may build the one service it tests; fixtures, benches and runtime code go through
    // composition, so a listener wired there (account departures -> agreements) is never skipped.
    const composition = ['packages/core/src/compose-portal.ts', 'packages/api/src/composition/'];
    const construction = /\bnew\s+(?:[A-Z]\w*(?:Service|Directory)|PolicyStore)\s*\(/;
    const offenders = ['packages', 'functions', 'stacks', 'bench', 'test']
      .flatMap((dir) => sourceFiles(join(root, dir)))
      .map((file) => relative(root, file))
      .filter((file) => !file.includes('node_modules') && !file.endsWith('.test.ts'))
      .filter((file) => !composition.some((allowed) => file === allowed || file.startsWith(allowed)))
      .filter((file) => construction.test(readFileSync(join(root, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the workspaces import each other without a cycle', () => {
    const workspaces = readdirSync(join(root, 'packages')).map((dir) => ({
      dir: join('packages', dir),
      name: (JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as { name: string }).name,
    }));
    const edges = new Map<string, Set<string>>();
    for (const workspace of [...workspaces, { dir: 'web/src', name: '@evidence-portal/web' }]) {
      const imports = new Set<string>();
      for (const file of sourceFiles(join(root, workspace.dir))) {
        if (file.includes('node_modules')) continue;
        for (const match of readFileSync(file, 'utf8').matchAll(
          /(?:from|import)\s*\(?\s*['"](@evidence-portal\/[a-z-]+)/g,
        )) {
          if (match[1] !== workspace.name) imports.add(match[1] as string);
        }
      }
      edges.set(workspace.name, imports);
    }
    const cycles: string[] = [];
    const visit = (name: string, path: string[]) => {
      if (path.includes(name)) {
        cycles.push([...path.slice(path.indexOf(name)), name].join(' -> '));
        return;
      }
      for (const next of edges.get(name) ?? []) visit(next, [...path, name]);
    };
    for (const name of edges.keys()) visit(name, []);
    expect(edges.get('@evidence-portal/core')).toEqual(new Set());
    expect(cycles).toEqual([]);
  });

  it('core loads only its own modules and its few libraries, statically or dynamically, and no HTTP client', () => {
    // The domain may use these; anything else (an SDK, an HTTP library, a process API) belongs in an adapter.
    const allowed = new Set([
      'zod',
      'pdf-lib',
      '@pdf-lib/fontkit',
      '@pdf-lib/standard-fonts',
      '@noble/hashes/sha2.js',
      'canonicalize',
      'otpauth',
      'tar-stream',
      // The IANA special-purpose address table of the webhook SSRF guard (issue 15, item 14).
      'ipaddr.js',
      'node:crypto',
      'node:stream',
      'node:stream/consumers',
      'node:fs',
      'node:path',
      'node:net',
      'node:zlib',
    ]);
    const specifiers =
      /^\s*(?:import|export)\s[^;]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]|\brequire\s*\(\s*['"]([^'"]+)['"]/gm;
    const offenders = sourceFiles(join(root, 'packages/core/src'))
      .filter((file) => !file.endsWith('.test.ts'))
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        const problems = [...text.matchAll(specifiers)]
          .map((match) => (match[1] ?? match[2] ?? match[3] ?? match[4]) as string)
          .filter((specifier) => !specifier.startsWith('.') && !allowed.has(specifier))
          .map((specifier) => `imports ${specifier}`);
        // Computed dynamic imports could load anything at run time.
        if (/\bimport\s*\(\s*[^'"\s)]/.test(text)) problems.push('imports a computed specifier');
        if (
          /\b(?:fetch|XMLHttpRequest|WebSocket|EventSource)\s*\(/.test(text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ''))
        ) {
          problems.push('calls a network API');
        }
        return problems.map((problem) => `${relative(root, file)}: ${problem}`);
      });
    expect(offenders).toEqual([]);
  });

  it('keeps every packages/core source file under ~300 lines, with no exceptions', () => {
    const maxLines = 300;
    const tooLong = sourceFiles(join(root, 'packages/core/src'))
      .filter((file) => !file.endsWith('.test.ts'))
      .map((file) => [relative(root, file), readFileSync(file, 'utf8').trimEnd().split('\n').length] as const)
      .filter(([, lines]) => lines > maxLines)
      .map(([file, lines]) => `${file}: ${lines} lines`);
    expect(tooLong).toEqual([]);
  });
});
