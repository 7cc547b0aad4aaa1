/**
 * Report download cost (`npm run bench:watermark`), every figure measured in this one run against the
 * local stack (s3rver for the blob store):
 *  1. per download of each file — (a) naive: read the original, pdf-lib load + stamp + full save;
 *     (b) incremental: the prepared description's update appended to the original as it streams from
 *     the blob store; (c) a plain copy of the bytes from the blob store. Output size, ms/page, and the
 *     peak RSS growth of a download, for the 30- and 300-page seeded reports, the 300-page one with
 *     qpdf object streams, one of 2,000 pages and one whose pages share one inherited /Resources;
 *  2. through the API over HTTP (real routes, real streaming; the session middleware is stood in for
 *     by a fixed principal): five concurrent downloads of the 300-page report while /api/health is
 *     polled, health p50/p99 against health alone.
 * Ends with exactly one line `ratio naive/incremental=<x> incremental/copy=<y>` for the 300-page report.
 */
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type AppDeps,
  buildDeps,
  createApp,
  loadConfig,
  localStackEnvironment,
  silentLogger,
} from '@evidence-portal/api';
import { createAwsClients, ensureTable, localCredentials } from '@evidence-portal/aws';
import { loadPdfTools, type Principal } from '@evidence-portal/core';
import { startLocalStack } from '@evidence-portal/local-stack';
import { serve } from '@hono/node-server';
import { OpenAPIHono } from '@hono/zod-openapi';
import { qpdfRewrite, seededReport, sharedResources } from '../test/reports/edge-case-pdfs.js';
import { auditorA, publishReport } from '../test/reports/report-fixtures.js';
import { allowAllAuthorizer } from '../test/support/principal.js';

const stamp = {
  email: 'dana.reviewer@customer.example',
  displayName: 'Dana Reviewer',
  accountId: '333333333333',
  time: new Date('2026-05-01T09:30:00Z'),
  downloadId: 'dl-01JBENCH0000000000000001',
  termsRevision: 'tr-01JTERMS',
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? Number.NaN;
};

/** Peak RSS above the value at start while `run` runs (sampled every 2 ms). */
async function withPeakRss<T>(run: () => Promise<T>): Promise<{ result: T; peakGrowth: number }> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 2);
  try {
    const result = await run();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakGrowth: peak - start };
  } finally {
    clearInterval(timer);
  }
}

/** A sink that counts bytes: what a client receiving the download does with them, minus the network. */
function counter() {
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done();
    },
  });
  return { sink, bytes: () => bytes };
}

const stack = await startLocalStack();
try {
  const info = stack.info;
  const env = {
    ...localStackEnvironment(info, { stage: 'test', siteOrigin: 'http://localhost:3000' }),
    PORTAL_TABLE_NAME: `bench-watermark-${Date.now()}`,
  };

  const { dynamodb } = createAwsClients({
    region: info.region,
    dynamodbEndpoint: info.dynamodbEndpoint,
    credentials: localCredentials,
  });
  await ensureTable(dynamodb, env.PORTAL_TABLE_NAME);
  // Authorization is not what this measures: every request is allowed.
  const deps: AppDeps = buildDeps(loadConfig(env), { logger: silentLogger, authorizer: allowAllAuthorizer });
  const tools = await loadPdfTools();

  const seeded300 = await seededReport(300);
  const files: Array<{ name: string; bytes: Uint8Array; naiveRuns: number; runs: number }> = [
    { name: 'seeded 300 pages', bytes: seeded300, naiveRuns: 5, runs: 30 },
    { name: 'seeded 30 pages', bytes: await seededReport(30), naiveRuns: 10, runs: 50 },
    {
      name: '300 pages, qpdf object streams',
      bytes: qpdfRewrite(seeded300, ['--object-streams=generate']),
      naiveRuns: 3,
      runs: 30,
    },
    { name: '2,000 pages', bytes: await seededReport(2000), naiveRuns: 1, runs: 10 },
    { name: '300 pages, shared inherited /Resources', bytes: await sharedResources(300), naiveRuns: 1, runs: 30 },
  ];

  let headline = { naive: Number.NaN, incremental: Number.NaN, copy: Number.NaN };
  console.log('per download (median ms; ms/page; output size; peak RSS growth of one download):');
  for (const file of files) {
    const key = `originals/bench/${file.name.replace(/\W+/g, '-')}.pdf`;
    await deps.blobs.put('reports', key, file.bytes, { contentType: 'application/pdf' });
    const prepareStart = performance.now();
    const check = await tools.validateReportPdf(file.bytes, { maxBytes: 1e9 });
    const prepareMs = performance.now() - prepareStart;
    if (!check.ok || !check.prepared) throw new Error(`${file.name}: not prepared`);
    const prepared = check.prepared;
    const preparedJson = JSON.stringify(prepared).length;

    const copyOnce = async () => {
      const blob = await deps.blobs.get('reports', key);
      const sink = counter();
      await pipeline(blob.body, sink.sink);
      return sink.bytes();
    };
    const incrementalOnce = async () => {
      const copy = tools.incrementalCopy(prepared, stamp);
      const blob = await deps.blobs.get('reports', key);
      const sink = counter();
      await pipeline(async function* () {
        for await (const chunk of blob.body) yield chunk as Buffer;
        yield copy.update;
      }, sink.sink);
      return sink.bytes();
    };
    const naiveOnce = async () => {
      const blob = await deps.blobs.get('reports', key);
      const chunks: Buffer[] = [];
      for await (const chunk of blob.body) chunks.push(chunk as Buffer);
      const out = await tools.watermarkPdf(new Uint8Array(Buffer.concat(chunks)), stamp);
      return out.byteLength;
    };
    const time = async (runs: number, once: () => Promise<number>) => {
      const ms: number[] = [];
      let size = 0;
      let rss = 0;
      for (let i = 0; i < runs; i++) {
        const start = performance.now();
        const { result, peakGrowth } = await withPeakRss(once);
        ms.push(performance.now() - start);
        size = result;
        rss = Math.max(rss, peakGrowth);
      }
      return { ms: median(ms), size, rss };
    };
    // The first incremental copy of a version in a process builds and caches its page block.
    const firstStart = performance.now();
    tools.incrementalCopy(prepared, stamp);
    const firstPlanMs = performance.now() - firstStart;
    await copyOnce();
    const copy = await time(file.runs, copyOnce);
    const incremental = await time(file.runs, incrementalOnce);
    const naive = await time(file.naiveRuns, naiveOnce);
    const n = check.pageCount;
    const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
    console.log(
      `- ${file.name} (${n} pages, ${mb(file.bytes.byteLength)}; prepared once in ${prepareMs.toFixed(0)} ms, description ${(preparedJson / 1024).toFixed(0)} KiB, first copy in this process ${firstPlanMs.toFixed(1)} ms)`,
    );
    for (const [label, figures] of [
      ['(a) naive pdf-lib', naive],
      ['(b) incremental  ', incremental],
      ['(c) byte copy    ', copy],
    ] as const) {
      console.log(
        `    ${label} ${figures.ms.toFixed(1).padStart(8)} ms  ${(figures.ms / n).toFixed(3)} ms/page  ${mb(figures.size)} (+${(((figures.size - file.bytes.byteLength) / file.bytes.byteLength) * 100).toFixed(1)}%)  RSS +${mb(figures.rss)}`,
      );
    }
    console.log(
      `    naive/incremental=${(naive.ms / incremental.ms).toFixed(1)}x incremental/copy=${(incremental.ms / copy.ms).toFixed(2)}x`,
    );
    if (file.name === 'seeded 300 pages') headline = { naive: naive.ms, incremental: incremental.ms, copy: copy.ms };
  }

  // ---- Through the API: five concurrent downloads while /api/health is polled --------------------
  const published = await publishReport(deps, { pdf: seeded300 });
  const outer = new OpenAPIHono();
  const principal: Principal = { ...auditorA };
  outer.use('/api/reports/*', async (c, next) => {
    c.set('principal' as never, principal as never);
    await next();
  });
  outer.route('/', createApp(deps));
  const server = serve({ fetch: outer.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const versionPath = `${base}/api/reports/${published.report.id}/versions/${published.version.version}`;
  const poll = async (until: () => boolean) => {
    const latencies: number[] = [];
    let failures = 0;
    while (!until()) {
      const start = performance.now();
      const response = await fetch(`${base}/api/health`);
      await response.arrayBuffer();
      if (response.status !== 200) failures++;
      latencies.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return { latencies, failures };
  };
  const quietUntil = performance.now() + 3000;
  const quiet = await poll(() => performance.now() > quietUntil);
  const downloadOnce = async () => {
    const accept = await fetch(`${versionPath}/terms/acceptances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ revisionId: published.terms.revisionId }),
    });
    const { termToken } = (await accept.json()) as { termToken: string };
    const start = performance.now();
    const response = await fetch(`${versionPath}/download?termToken=${termToken}`);
    if (response.status !== 200 || !response.body) throw new Error(`download ${response.status}`);
    let firstByte = Number.NaN;
    let bytes = 0;
    for await (const chunk of response.body) {
      if (Number.isNaN(firstByte)) firstByte = performance.now() - start;
      bytes += (chunk as Uint8Array).byteLength;
    }
    return { ms: performance.now() - start, firstByte, bytes };
  };
  await downloadOnce();
  let done = false;
  const rounds = 3;
  const loaded = poll(() => done);
  const downloads: Array<{ ms: number; firstByte: number; bytes: number }> = [];
  for (let round = 0; round < rounds; round++) {
    downloads.push(...(await Promise.all(Array.from({ length: 5 }, downloadOnce))));
  }
  done = true;
  const health = await loaded;
  server.close();
  console.log(
    `through the API, 5 concurrent downloads of the 300-page report x ${rounds} rounds: download p50 ${median(downloads.map((d) => d.ms)).toFixed(0)} ms (first byte p50 ${median(downloads.map((d) => d.firstByte)).toFixed(0)} ms, ${downloads[0]?.bytes} bytes each)`,
  );
  console.log(
    `  /api/health meanwhile: p50 ${median(health.latencies).toFixed(1)} ms p99 ${quantile(health.latencies, 0.99).toFixed(1)} ms max ${Math.max(...health.latencies).toFixed(1)} ms over ${health.latencies.length} requests, ${health.failures} non-200; alone: p50 ${median(quiet.latencies).toFixed(1)} ms p99 ${quantile(quiet.latencies, 0.99).toFixed(1)} ms`,
  );
  console.log(
    `ratio naive/incremental=${(headline.naive / headline.incremental).toFixed(1)} incremental/copy=${(headline.incremental / headline.copy).toFixed(2)}`,
  );
  dynamodb.destroy();
} finally {
  await stack.stop();
}
