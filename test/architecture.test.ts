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
    const allowed = new Set(['functions', 'packages/api/src/local/main.ts', 'packages/cli/src/main.ts']);
    const dirs = ['packages/core/src', 'packages/aws/src', 'packages/api/src', 'packages/cli/src', 'functions'];
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
});
