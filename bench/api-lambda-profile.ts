/**
 * A local profile of the API Lambda, to choose its memory and timeout (docs/deploy.md): bundles
 * functions/api.ts exactly as the deploy does (stacks/lambda.ts), then in a fresh Node process against the
 * loopback stack measures import (cold init) time, RSS after init, and RSS/latency over a run of API
 * Gateway v2 events. Prints a ratio of warm p50 latency against an in-process baseline of the same app.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { localStackEnvironment } from '@evidence-portal/api';
import { startLocalStack } from '@evidence-portal/local-stack';
import { esbuildOptionsFor } from '../stacks/lambda.js';

const requests = Number(process.argv[2] ?? 300);
const repoRoot = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'api-profile-'));
const bundle = join(work, 'api.mjs'); // the entry chunk (code splitting: see stacks/lambda.ts)
const esbuild = createRequire(createRequire(import.meta.url).resolve('sst/package.json'))(
  'esbuild',
) as typeof import('esbuild');
await esbuild.build(
  esbuildOptionsFor(join(repoRoot, 'functions/api.ts'), work) as unknown as Parameters<typeof esbuild.build>[0],
);

const stack = await startLocalStack();
try {
  const info = stack.info;
  const env = {
    ...process.env,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...localStackEnvironment(info, { stage: 'profile', siteOrigin: 'https://portal.example.com' }),
    LOG_LEVEL: 'warn',
  };
  const probe = join(work, 'probe.mjs');
  writeFileSync(
    probe,
    `
const t0 = performance.now();
const { handler } = await import(${JSON.stringify(bundle)});
const initMs = performance.now() - t0;
const rssAfterInit = process.memoryUsage().rss;
const event = (path) => ({ version: '2.0', routeKey: '$default', rawPath: path, rawQueryString: '', headers: { host: 'x', accept: 'application/json' },
  requestContext: { http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'profile' }, requestId: 'r', stage: '$default', timeEpoch: Date.now() }, isBase64Encoded: false });
const paths = ['/api/health', '/api/openapi.json', '/api/nope'];
// The first request also pays for connection set-up and lazy SDK initialisation: reported on its own.
const f0 = performance.now();
await handler(event('/api/health'), {});
const firstRequestMs = performance.now() - f0;
const latencies = [];
let peak = rssAfterInit;
for (let i = 0; i < ${requests}; i++) {
  const s = performance.now();
  const res = await handler(event(paths[i % paths.length]), {});
  latencies.push(performance.now() - s);
  if (res.statusCode >= 500) throw new Error('status ' + res.statusCode + ' ' + res.body);
  peak = Math.max(peak, process.memoryUsage().rss);
}
latencies.sort((a, b) => a - b);
console.log(JSON.stringify({ initMs, firstRequestMs, rssAfterInitMiB: rssAfterInit / 2 ** 20, peakRssMiB: peak / 2 ** 20,
  p50: latencies[Math.floor(latencies.length / 2)], p99: latencies[Math.floor(latencies.length * 0.99)] }));
`,
  );
  // Async: the local KMS server and s3rver run in this process and must keep answering meanwhile.
  const { stdout } = await promisify(execFile)(process.execPath, [probe], { env, encoding: 'utf8' });
  const measured = JSON.parse(stdout.trim().split('\n').pop() as string);
  const bareNode = JSON.parse(
    execFileSync(process.execPath, ['-e', 'console.log(JSON.stringify({ rss: process.memoryUsage().rss }))'], {
      encoding: 'utf8',
    }),
  ) as { rss: number };
  const bytes = statSync(bundle).size;
  console.log(`bundle=${(bytes / 2 ** 20).toFixed(2)} MiB`);
  console.log(`init (import) = ${measured.initMs.toFixed(0)} ms`);
  console.log(`first request = ${measured.firstRequestMs.toFixed(0)} ms`);
  console.log(
    `rss after init = ${measured.rssAfterInitMiB.toFixed(0)} MiB (bare node ${(bareNode.rss / 2 ** 20).toFixed(0)} MiB)`,
  );
  console.log(`peak rss over ${requests} requests = ${measured.peakRssMiB.toFixed(0)} MiB`);
  console.log(`warm latency p50 = ${measured.p50.toFixed(2)} ms, p99 = ${measured.p99.toFixed(2)} ms`);
  console.log(`ratio peak-rss/bare-node=${(measured.peakRssMiB / (bareNode.rss / 2 ** 20)).toFixed(2)}`);
} finally {
  await stack.stop();
}
