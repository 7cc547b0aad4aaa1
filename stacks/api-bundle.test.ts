import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiFunction } from './functions.js';
import { esbuildOptionsFor } from './lambda.js';
import { repoRoot } from './synth-app.js';

/**
 * Bundles the real functions/api.ts as `sst deploy` does: with the esbuild SST itself runs (its own
 * dependency, not the workspace's) and the options SST derives from stacks/lambda.ts.
 */
const BUDGET_BYTES = 1.5 * 1024 * 1024;
const entry = path.join(repoRoot, 'functions', apiFunction.entry);
type Esbuild = typeof import('esbuild');
const sstEsbuild = (): Esbuild => createRequire(createRequire(import.meta.url).resolve('sst/package.json'))('esbuild');

describe('API Lambda bundle', () => {
  it.runIf(existsSync(entry))(
    `functions/api.ts bundles to at most ${BUDGET_BYTES} bytes minified`,
    async () => {
      const outfile = path.join(mkdtempSync(path.join(os.tmpdir(), 'portal-api-bundle-')), 'api.mjs');
      // The options are typed for SST's own esbuild, which this test runs.
      const result = await sstEsbuild().build(esbuildOptionsFor(entry, outfile) as unknown as Parameters<Esbuild['build']>[0]);
      expect(result.errors).toEqual([]);
      const bytes = statSync(outfile).size;
      console.info(`functions/api.ts bundle: ${bytes} bytes (${(bytes / 1024 / 1024).toFixed(2)} MiB)`);
      expect(bytes).toBeLessThanOrEqual(BUDGET_BYTES);
    },
    60_000,
  );
});
