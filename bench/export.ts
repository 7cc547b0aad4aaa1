/**
 * Evidence bundle export cost (`npm run bench:export [MiB]`, default 1024): a bundle of many files
 * (16 MiB each), file to file on local disk so no blob store dominates, built exactly as the export
 * job builds it — each file through SHA-256 into the tar (tar-stream), the DSSE-signed statement, the
 * AWS Encryption SDK (committing suite 0x0478, 1 MiB frames, data key wrapped to an RSA key) — against
 * a one-pass baseline over the same bytes in the same run: read, SHA-256, AES-256-GCM, write.
 * Rounds alternate baseline and export; the ratio is the median of per-round ratios. Peak RSS growth
 * is sampled during the exports. Ends with exactly one line `ratio export/baseline=<x> rss_growth_mib=<y>`.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type BundleFileSource, bundleEncryptionContext } from '@evidence-portal/core';
import { encryptToRsa, testAuditorKey, testBundleArchive, testSigningKey } from '../test/evidence/bundle-kit.js';

const totalMiB = Number(process.argv[2] ?? 1024);
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
const ratios: number[] = [];
let rssBefore = 0;
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
      `round ${round + 1}: ${files.length} files, ${(bytes / (1 << 20)).toFixed(0)} MiB -> ${(size / (1 << 20)).toFixed(1)} MiB bundle; ` +
        `baseline ${base.toFixed(0)} ms (${(bytes / (1 << 20) / (base / 1000)).toFixed(0)} MiB/s), ` +
        `export ${exported.toFixed(0)} ms (${(bytes / (1 << 20) / (exported / 1000)).toFixed(0)} MiB/s), throughput ratio ${(base / exported).toFixed(2)}`,
    );
  }
} finally {
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
}
ratios.sort((a, b) => a - b);
const median = ratios[Math.floor(ratios.length / 2)] ?? 0;
const growth = (peakRss - rssBefore) / (1 << 20);
console.log(`ratio export/baseline=${median.toFixed(2)} rss_growth_mib=${growth.toFixed(1)}`);
