import { build } from 'esbuild';

/**
 * Bundles the offline verifier into one self-contained ES module for plain `node` >= 20: no
 * node_modules, no tsx, no network. CommonJS dependencies (the Encryption SDK) need `require`, which
 * an ES module lacks, hence the banner.
 */
export async function buildVerifier(outfile: string): Promise<void> {
  await build({
    entryPoints: [new URL('./verifier-main.ts', import.meta.url).pathname],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __portalRequire } from 'node:module'; const require = __portalRequire(import.meta.url);",
    },
  });
}
