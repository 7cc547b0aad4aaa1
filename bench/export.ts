/**
 * Evidence bundle export cost (`npm run bench:export [MiB] [S3 MiB]`, defaults 1024 and 256): a bundle of many files
 * (16 MiB each), file to file on local disk so no blob store dominates, built exactly as the export
 * job builds it — each file through SHA-256 into the tar (tar-stream), the DSSE-signed statement, the
 * AWS Encryption SDK (committing suite 0x0478, 1 MiB frames, data key wrapped to an RSA key) — against
 * a one-pass baseline over the same bytes in the same run: read, SHA-256, AES-256-GCM, write.
 * Rounds alternate baseline and export; the ratio is the median of per-round ratios. Peak RSS growth
 * is sampled during the exports.
 *
 * Then the same export through the project's local S3 (s3rver, in a child process so this process's
 * RSS is the exporter's alone): the files are read from one bucket and the bundle written to another
 * by the S3 adapter the export job uses (lib-storage multipart upload), against a plain S3 copy of the
 * same bytes in the same run (each object read and written into one object, no hashing or encryption).
 * `0` as the S3 size skips it.
 *
 * Ends with exactly one line `ratio export/baseline=<x> rss_growth_mib=<y>` (the file-to-file figures).
 */
import { spawn } from 'node:child_process';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createAwsClients, ensureBuckets, localCredentials, S3BlobStore } from '@evidence-portal/aws';
import { type BundleFileSource, bundleEncryptionContext } from '@evidence-portal/core';
import { encryptToRsa, testAuditorKey, testBundleArchive, testSigningKey } from '../test/evidence/bundle-kit.js';

const totalMiB = Number(process.argv[2] ?? 1024);
const s3MiB = Number(process.argv[3] ?? 256);
const fileMiB = 16;
const rounds = 3;
const dir = mkdtempSync(join(tmpdir(), 'bench-export-'));
const files: string[] = [];
const chunk = randomBytes(1 << 20);
for (let i = 0; i < Math.max(1, Math.floor(totalMiB / fileMiB)); i++) {
  const path = join(dir, `evidence-${String(i).padStart(4, '0')}.bin`);
  // Distinct contents per file (a different first MiB), so nothing dedupes or caches by value.
  writeFileSync(path, Buffer.concat([randomBytes(1 << 20), ...Array(fileMiB - 1).fill(chunk)]));
  files.push(path);
}
const bytes = files.length * fileMiB * (1 << 20);
const key = testSigningKey();
const auditor = testAuditorKey();

async function baseline(out: string): Promise<number> {
  const started = performance.now();
  const cipher = createCipheriv('aes-256-gcm', randomBytes(32), randomBytes(12));
  const sink = createWriteStream(out);
  for (const file of files) {
    const hash = createHash('sha256');
    for await (const data of createReadStream(file, { highWaterMark: 1 << 20 })) {
      hash.update(data as Buffer);
      if (!sink.write(cipher.update(data as Buffer))) await once(sink, 'drain');
    }
    hash.digest();
  }
  sink.end(cipher.final());
  await once(sink, 'finish');
  return performance.now() - started;
}

async function exportBundle(out: string): Promise<number> {
  const started = performance.now();
  const sources: BundleFileSource[] = files.map((file, i) => ({
    path: `files/evidence/${String(i).padStart(4, '0')}.bin`,
    open: async () => ({ size: (await stat(file)).size, body: createReadStream(file, { highWaterMark: 1 << 20 }) }),
  }));
  const archive = testBundleArchive({ key, files: sources, proofSeqs: [], auditorFingerprint: auditor.fingerprint });
  const encrypted = encryptToRsa(archive, { ...bundleEncryptionContext('o-bench', 'eb-bench') }, auditor.publicKeyPem);
  await pipeline(encrypted, createWriteStream(out));
  return performance.now() - started;
}

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const mib = (n: number) => n / (1 << 20);
const ratios: number[] = [];
let rssBefore = 0;
let s3Line: string | undefined;
let fileGrowthMib = 0;
try {
  // Warm-up (JIT, file cache), then measure.
  await baseline(join(dir, 'warm.base'));
  await exportBundle(join(dir, 'warm.evb'));
  global.gc?.();
  rssBefore = process.memoryUsage().rss;
  peakRss = rssBefore;
  for (let round = 0; round < rounds; round++) {
    const base = await baseline(join(dir, 'out.base'));
    const exported = await exportBundle(join(dir, 'out.evb'));
    const size = (await stat(join(dir, 'out.evb'))).size;
    ratios.push(base / exported);
    console.log(
      `round ${round + 1}: ${files.length} files, ${mib(bytes).toFixed(0)} MiB -> ${mib(size).toFixed(1)} MiB bundle; ` +
        `baseline ${base.toFixed(0)} ms (${(mib(bytes) / (base / 1000)).toFixed(0)} MiB/s), ` +
        `export ${exported.toFixed(0)} ms (${(mib(bytes) / (exported / 1000)).toFixed(0)} MiB/s), throughput ratio ${(base / exported).toFixed(2)}`,
    );
  }
  fileGrowthMib = mib(peakRss - rssBefore);
  if (s3MiB > 0) s3Line = await throughLocalS3();
} finally {
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
}

/** The export through the local S3 against a plain S3 copy of the same bytes, alternating, same run. */
async function throughLocalS3(): Promise<string> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'support', 's3-local-child.ts')],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const { endpoint } = JSON.parse(line.toString('utf8')) as { endpoint: string };
    const { s3 } = createAwsClients({ region: 'us-east-1', s3Endpoint: endpoint, credentials: localCredentials });
    const buckets = { reports: 'bench-sources', bundles: 'bench-bundles', checkpoints: 'bench-checkpoints' };
    await ensureBuckets(s3, Object.values(buckets));
    const blobs = new S3BlobStore(s3, buckets);
    const count = Math.min(files.length, Math.max(1, Math.floor(s3MiB / fileMiB)));
    const keys = files.slice(0, count).map((_, i) => `sources/${String(i).padStart(4, '0')}.bin`);
    for (const [i, objectKey] of keys.entries()) {
      await blobs.put('reports', objectKey, createReadStream(files[i] as string, { highWaterMark: 1 << 20 }));
    }
    const total = count * fileMiB * (1 << 20);
    const copy = async () => {
      const started = performance.now();
      const body = new PassThrough({ highWaterMark: 1 << 20 });
      const upload = blobs.put('bundles', 'copy.bin', body);
      for (const objectKey of keys) {
        for await (const data of (await blobs.get('reports', objectKey)).body) {
          if (!body.write(data as Buffer)) await once(body, 'drain');
        }
      }
      body.end();
      await upload;
      return performance.now() - started;
    };
    const exportToS3 = async () => {
      const started = performance.now();
      const sources: BundleFileSource[] = keys.map((objectKey, i) => ({
        path: `files/evidence/${String(i).padStart(4, '0')}.bin`,
        open: async () => {
          const object = await blobs.get('reports', objectKey);
          return { size: object.contentLength ?? 0, body: object.body };
        },
      }));
      const archive = testBundleArchive({
        key,
        files: sources,
        proofSeqs: [],
        auditorFingerprint: auditor.fingerprint,
      });
      const encrypted = encryptToRsa(
        archive,
        { ...bundleEncryptionContext('o-bench', 'eb-bench') },
        auditor.publicKeyPem,
      );
      // As the job hands it over: a node stream (the ESDK's is a readable-stream duplex the adapter would not stream).
      await blobs.put('bundles', 'bundle.evb', encrypted.pipe(new PassThrough({ highWaterMark: 1 << 20 })));
      return performance.now() - started;
    };
    await copy();
    await exportToS3();
    global.gc?.();
    const before = process.memoryUsage().rss;
    peakRss = before;
    const s3Ratios: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const base = await copy();
      const exported = await exportToS3();
      s3Ratios.push(base / exported);
      console.log(
        `local S3 round ${round + 1}: ${count} objects, ${mib(total).toFixed(0)} MiB; ` +
          `plain copy ${base.toFixed(0)} ms (${(mib(total) / (base / 1000)).toFixed(0)} MiB/s), ` +
          `export ${exported.toFixed(0)} ms (${(mib(total) / (exported / 1000)).toFixed(0)} MiB/s), ratio ${(base / exported).toFixed(2)}`,
      );
    }
    s3.destroy();
    return `local S3: ratio export/copy=${median(s3Ratios).toFixed(2)} rss_growth_mib=${mib(peakRss - before).toFixed(1)}`;
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

if (s3Line) console.log(s3Line);
console.log(`ratio export/baseline=${median(ratios).toFixed(2)} rss_growth_mib=${fileGrowthMib.toFixed(1)}`);
