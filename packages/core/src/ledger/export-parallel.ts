import { LineSplitter } from './export-line-reader.js';
import { ExportRangeVerifier, type RangePass, type RangeResult } from './export-range.js';
import { type ExportVerification, ExportVerifier, type ExportVerifyOptions } from './export-verifier.js';

type Chunks = AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>;

/** Verifies an export given as a byte stream (a file, an HTTP body). Buffers passed in are consumed. */
export async function verifyExport(chunks: Chunks, options: ExportVerifyOptions = {}): Promise<ExportVerification> {
  const verifier = new ExportVerifier(options);
  const lines = new LineSplitter();
  const onLine = (line: Buffer) => {
    verifier.pushLine(line);
    return !verifier.failed;
  };
  for await (const chunk of chunks) {
    if (!lines.push(chunk, onLine)) break;
  }
  if (!verifier.failed) lines.end(onLine);
  return verifier.finish();
}

/** An export on disk: its size, and a fresh stream of its bytes from an offset. */
export interface ExportFile {
  size: number;
  open(start: number): Chunks;
}

/** Below this, one thread is quicker than starting a second. */
const minParallelBytes = 1 << 20;

/**
 * Verifies an export file on two cores: this thread checks the header and the lines that start in
 * the first half of the file, `pass` (a worker reading the file itself) the rest; each hashes its own
 * leaves, and the second half's Merkle subtrees join the first half's tree, so every checkpoint's
 * root is checked exactly as in one pass. Same verdict as `verifyExport`: when anything is wrong, or
 * the halves do not join, the file is verified again in one pass, which names the first bad seq.
 */
export async function verifyExportFile(
  file: ExportFile,
  pass: RangePass | undefined,
  options: ExportVerifyOptions = {},
): Promise<ExportVerification> {
  if (!pass || file.size < minParallelBytes) {
    pass?.abort();
    return verifyExport(file.open(0), options);
  }
  return verifyExportInHalves(file, pass, options);
}

/** The two-core verification of `verifyExportFile`, whatever the size (tests drive it on small files). */
export async function verifyExportInHalves(
  file: ExportFile,
  pass: RangePass,
  options: ExportVerifyOptions = {},
): Promise<ExportVerification> {
  const verifier = new ExportVerifier(options);
  const lines = new LineSplitter();
  let split: number | undefined;
  let range: Promise<RangeResult | undefined> | undefined;
  let reachedSplit = false;
  const onLine = (line: Buffer, start: number) => {
    if (split !== undefined && start >= split) {
      reachedSplit = true;
      return false;
    }
    verifier.pushLine(line);
    if (start === 0) {
      const request = verifier.failed ? undefined : verifier.rangeRequest(Math.floor((lines.offset + file.size) / 2));
      if (!request) return false;
      split = request.split;
      // A pass that breaks (a worker that cannot start, say) costs speed, not the verdict.
      range = pass.run(request).catch(() => undefined);
    }
    return !verifier.failed;
  };
  for await (const chunk of file.open(0)) {
    if (!lines.push(chunk, onLine)) break;
  }
  if (!reachedSplit && !verifier.failed) lines.end(onLine);
  const result = verifier.failed ? undefined : await range;
  if (!result || !verifier.join(result)) {
    pass.abort();
    return verifyExport(file.open(0), options);
  }
  const verdict = verifier.finish();
  return verdict.valid ? verdict : verifyExport(file.open(0), options);
}

/** The second half in this thread (tests drive the parallel path many times with it). */
export function inThreadRangePass(open: (start: number) => Chunks): RangePass {
  return {
    async run(request) {
      const range = new ExportRangeVerifier(request);
      for await (const chunk of open(request.split - 1)) {
        if (!range.pushChunk(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)) break;
      }
      return range.finish();
    },
    abort() {},
  };
}
