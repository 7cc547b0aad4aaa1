/**
 * Report download cost (`npm run bench:watermark`), every figure measured in this one run against
 * `npm start`'s server (`startLocalPortal`: DynamoDB Local, the local KMS, s3rver, the demo data,
 * PDF work on worker threads):
 *  1. per download of each file — (a) naive: read the original, pdf-lib load + stamp + full save;
 *     (b) incremental: the prepared description's update appended to the original as it streams from
 *     the blob store; (c) a plain copy of the bytes from the blob store. Output size, ms/page, and the
 *     peak RSS growth of a download, for the 30- and 300-page seeded reports, the 300-page one with
 *     qpdf object streams, one of 2,000 pages and one whose pages share one inherited /Resources;
 *  2. through the real local server over HTTP (real sign-in, routes, authorizer, streaming):
 *     /api/health polled (p50/p99/max) alone, then during five concurrent downloads of the 300-page
 *     report (3 rounds), then during five concurrent publishes of a 300-page version (upload +
 *     finalize: the publish-time parse) together with five concurrent downloads of a version the
 *     fast path cannot take (each a full pdf-lib rewrite, the naive fallback).
 * Ends with exactly one line `ratio naive/incremental=<x> incremental/copy=<y>` for the 300-page report.
 *
 *   npm run bench:watermark [-- workers=N files=0]   (PDF worker threads of the server, workers=0: on the
 *   event loop as before; files=0: only the part through the server)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadPdfTools } from '@evidence-portal/core';
import { startLocalPortal } from '@evidence-portal/local-server';
import { qpdfRewrite, seededReport, sharedResources } from '../test/reports/edge-case-pdfs.js';

const args = Object.fromEntries(
  process.argv.slice(2).flatMap((arg) => {
    const [key, value] = arg.split('=');
    return key && value ? [[key, Number(value)]] : [];
  }),
) as Record<string, number>;

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

const dataDir = mkdtempSync(join(tmpdir(), 'bench-watermark-'));
const portal = await startLocalPortal({
  port: 0,
  dataDir,
  runJobs: false,
  logLevel: 'warn',
  ...(args.workers !== undefined ? { pdfWorkers: args.workers } : {}),
});
try {
  const deps = portal.deps;
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
  // `files=0` measures only the part through the server.
  for (const file of args.files === 0 ? [] : files) {
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

  // ---- Through the real local server: /api/health while downloads and publishes run -----------
  const base = portal.url;
  const credentials = JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')) as {
    users: Array<{ email: string; password: string }>;
  };
  const signIn = async (organization: string, email: string) => {
    const password = credentials.users.find((user) => user.email === email)?.password;
    const response = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organization, email, password }),
    });
    if (response.status !== 201 && response.status !== 200) throw new Error(`sign-in ${email}: ${response.status}`);
    const { token } = (await response.json()) as { token: string };
    return { authorization: `Bearer ${token}` };
  };
  const auditor = await signIn('o-examplecorp', 'auditor@example.com');
  const publisher = await signIn('o-portal-operator', 'publisher@example.net');
  const call = async <T>(headers: Record<string, string>, method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };

  /** Publishes one version through the API (create, presigned PUT, finalize): the finalize's ms. */
  const terms = await call<{ revisionId: string }>(publisher, 'POST', '/api/report-terms', {
    title: 'Bench terms',
    text: 'Shared in confidence.',
  });
  const newVersion = async (name: string) => {
    const report = await call<{ id: string; sequence: number }>(publisher, 'POST', '/api/reports', {
      name,
      description: 'Bench report.',
      category: 'SOC',
      series: 'SOC 2 Type II',
      company: 'Example Cloud',
      thirdParty: false,
    });
    const created = await call<{
      version: { version: number };
      upload: { url: string; headers: Record<string, string> };
    }>(publisher, 'POST', `/api/reports/${report.id}/versions`, {
      expectedSequence: report.sequence,
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      effectiveDate: '2026-01-15',
      termsRevisionId: terms.revisionId,
      acceptanceType: 'EXPLICIT',
    });
    return { reportId: report.id, version: created.version.version, upload: created.upload };
  };
  const publish = async (version: Awaited<ReturnType<typeof newVersion>>, bytes: Uint8Array) => {
    const put = await fetch(version.upload.url, { method: 'PUT', headers: version.upload.headers, body: bytes });
    if (put.status !== 200) throw new Error(`upload ${put.status}`);
    const start = performance.now();
    const path = `/api/reports/${version.reportId}/versions/${version.version}/finalize`;
    // Concurrent publishes of other reports may move the catalog meanwhile: a client retries `catalog_busy`.
    let finalized: { uploadState: string; statusMessage?: string } | undefined;
    for (let attempt = 1; !finalized; attempt++) {
      finalized = await call<{ uploadState: string }>(publisher, 'POST', path).catch((error: Error) => {
        if (attempt < 5 && error.message.includes('catalog_busy')) return undefined;
        throw error;
      });
    }
    if (finalized.uploadState !== 'COMPLETE') throw new Error(`finalize: ${JSON.stringify(finalized)}`);
    return performance.now() - start;
  };
  const download = async (reportId: string, version: number) => {
    const path = `/api/reports/${reportId}/versions/${version}`;
    const { revisionId } = await call<{ revisionId: string }>(auditor, 'GET', `${path}/terms`);
    const { termToken } = await call<{ termToken: string }>(auditor, 'POST', `${path}/terms/acceptances`, {
      revisionId,
    });
    const start = performance.now();
    const response = await fetch(`${base}${path}/download?termToken=${termToken}`, { headers: auditor });
    if (response.status !== 200 || !response.body) throw new Error(`download ${response.status}`);
    let firstByte = Number.NaN;
    let bytes = 0;
    for await (const chunk of response.body) {
      if (Number.isNaN(firstByte)) firstByte = performance.now() - start;
      bytes += (chunk as Uint8Array).byteLength;
    }
    return { ms: performance.now() - start, firstByte, bytes };
  };
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
  const healthLine = (label: string, health: { latencies: number[]; failures: number }) =>
    `  /api/health ${label}: p50 ${median(health.latencies).toFixed(1)} ms p99 ${quantile(health.latencies, 0.99).toFixed(1)} ms max ${Math.max(...health.latencies).toFixed(1)} ms over ${health.latencies.length} requests, ${health.failures} non-200`;
  /** Polls /api/health for as long as `work` runs. */
  const whilePolling = async <T>(work: () => Promise<T>) => {
    let done = false;
    const health = poll(() => done);
    try {
      const result = await work();
      done = true;
      return { result, health: await health };
    } finally {
      done = true;
    }
  };

  // The seeded 300-page report, as the demo catalog published it at start (through the worker pool).
  const catalog = await call<{ items: Array<{ id: string; latest?: { version: number; pageCount: number } }> }>(
    auditor,
    'GET',
    '/api/reports?limit=100',
  );
  const big = catalog.items.find((item) => item.latest?.pageCount === 300);
  if (!big?.latest) throw new Error('the demo catalog has no 300-page report');
  const bigVersion = big.latest.version;
  // A 300-page version whose startxref points nowhere: pdf-lib parses it, the fast path cannot take it.
  const text = Buffer.from(seeded300).toString('latin1');
  const xrefAt = text.lastIndexOf('startxref');
  const offset = /startxref\s+(\d+)/.exec(text.slice(xrefAt));
  if (!offset?.[1]) throw new Error('no startxref');
  const unsupported = Buffer.from(seeded300);
  unsupported.write('9'.padStart(offset[1].length, '0'), xrefAt + offset[0].length - offset[1].length, 'latin1');
  const fallback = await newVersion('Bench fallback report');
  await publish(fallback, unsupported);
  const pending: Array<Awaited<ReturnType<typeof newVersion>>> = [];
  for (let i = 1; i <= 5; i++) pending.push(await newVersion(`Bench report ${i}`));
  await download(big.id, bigVersion);
  await download(fallback.reportId, fallback.version);

  const quietUntil = performance.now() + 3000;
  const quiet = await poll(() => performance.now() > quietUntil);
  const rounds = 3;
  const downloads = await whilePolling(async () => {
    const all: Array<Awaited<ReturnType<typeof download>>> = [];
    for (let round = 0; round < rounds; round++) {
      all.push(...(await Promise.all(Array.from({ length: 5 }, () => download(big.id, bigVersion)))));
    }
    return all;
  });
  const heavy = await whilePolling(() =>
    Promise.all([
      Promise.all(pending.map((version) => publish(version, seeded300))),
      Promise.all(Array.from({ length: 5 }, () => download(fallback.reportId, fallback.version))),
    ]),
  );
  const [publishMs, fallbackDownloads] = heavy.result;
  const pool = portal.pdfWork;
  console.log(
    `through the real local server (PDF work: ${pool ? `${pool.size} worker thread(s), at most ${pool.stats().peakThreads} alive` : 'in-process'}):`,
  );
  console.log(healthLine('alone', quiet));
  console.log(
    `- 5 concurrent downloads of the 300-page report x ${rounds} rounds: download p50 ${median(downloads.result.map((d) => d.ms)).toFixed(0)} ms (first byte p50 ${median(downloads.result.map((d) => d.firstByte)).toFixed(0)} ms, ${downloads.result[0]?.bytes} bytes each)`,
  );
  console.log(healthLine('meanwhile', downloads.health));
  console.log(
    `- 5 concurrent publishes of a 300-page version (finalize p50 ${median(publishMs).toFixed(0)} ms, max ${Math.max(...publishMs).toFixed(0)} ms) + 5 concurrent downloads taking the full rewrite (p50 ${median(fallbackDownloads.map((d) => d.ms)).toFixed(0)} ms, max ${Math.max(...fallbackDownloads.map((d) => d.ms)).toFixed(0)} ms, ${fallbackDownloads[0]?.bytes} bytes each)`,
  );
  console.log(healthLine('meanwhile', heavy.health));
  console.log(
    `ratio naive/incremental=${(headline.naive / headline.incremental).toFixed(1)} incremental/copy=${(headline.incremental / headline.copy).toFixed(2)}`,
  );
} finally {
  await portal.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
