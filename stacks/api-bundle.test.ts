import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { apiFunction } from './functions.js';
import { esbuildOptionsFor } from './lambda.js';
import { repoRoot } from './synth-app.js';

/**
 * Bundles the real functions/api.ts as `sst deploy` does: with the esbuild SST itself runs (its own
 * dependency, not the workspace's) and the options SST derives from stacks/lambda.ts. The budget is for
 * what a cold start loads: the entry chunk plus every chunk it imports statically. Chunks reached only by
 * `await import()` (PDF watermarking) load on first use and are reported separately.
 */
const BUDGET_BYTES = 1.5 * 1024 * 1024;
const entry = path.join(repoRoot, 'functions', apiFunction.entry);
type Esbuild = typeof import('esbuild');
const sstEsbuild = (): Esbuild => createRequire(createRequire(import.meta.url).resolve('sst/package.json'))('esbuild');

/** Bytes of `chunk` and everything it statically imports (each chunk counted once). */
function coldStartBytes(outputs: Metafile['outputs'], chunk: string, seen = new Set<string>()): number {
  if (seen.has(chunk)) return 0;
  seen.add(chunk);
  const output = outputs[chunk];
  if (!output) throw new Error(`no output ${chunk}`);
  return (
    output.bytes +
    output.imports
      .filter((imported) => imported.kind === 'import-statement' && !imported.external)
      .reduce((sum, imported) => sum + coldStartBytes(outputs, imported.path, seen), 0)
  );
}

describe('API Lambda bundle', () => {
  it.runIf(existsSync(entry))(
    `functions/api.ts loads at most ${BUDGET_BYTES} bytes of minified code at cold start`,
    async () => {
      const outdir = mkdtempSync(path.join(os.tmpdir(), 'portal-api-bundle-'));
      // The options are typed for SST's own esbuild, which this test runs.
      const result = await sstEsbuild().build(
        esbuildOptionsFor(entry, outdir) as unknown as Parameters<Esbuild['build']>[0],
      );
      expect(result.errors).toEqual([]);
      const outputs = result.metafile?.outputs ?? {};
      const code = Object.keys(outputs).filter((file) => file.endsWith('.mjs'));
      // Lazily imported modules are entry points of their own in the metafile; ours is named after the file.
      const entryChunk = code.find((file) => path.basename(file) === 'api.mjs');
      expect(entryChunk).toBeDefined();
      const cold = coldStartBytes(outputs, entryChunk as string);
      const total = code.reduce((sum, file) => sum + (outputs[file]?.bytes ?? 0), 0);
      console.info(
        `functions/api.ts: cold start ${cold} bytes (${(cold / 2 ** 20).toFixed(2)} MiB), ` +
          `all chunks ${total} bytes (${(total / 2 ** 20).toFixed(2)} MiB) in ${code.length} files`,
      );
      expect(cold).toBeLessThanOrEqual(BUDGET_BYTES);
    },
    60_000,
  );
});
