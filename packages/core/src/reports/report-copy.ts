import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { NotFoundError } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Logger } from '../ports/runtime.js';
import type { PreparedPdf } from './pdf/prepared-pdf.js';
import type { ReportVersion } from './report-model.js';
import type { ReportPdfWork } from './report-pdf-work.js';
import type { WatermarkStamp } from './watermark-pdf.js';

/** How a copy was made: an update appended to the original, or pdf-lib's full rewrite. */
export type CopyMethod = 'incremental' | 'rewrite';

/** A stamped copy ready to deliver: its size and hash are known before its first byte flows. */
export interface PendingCopy {
  method: CopyMethod;
  size: number;
  sha256: string;
  /** The original's bytes from the blob store, then the update: read once, never held whole. */
  body: Readable;
  /** Releases the source stream when the download is refused after all (e.g. the token was spent). */
  abort(): void;
}

/** What is stored beside an original: its prepared description, or why the fast path cannot take it. */
export type StoredPreparation =
  | PreparedPdf
  | { format: 'evidence-portal/unprepared@1'; sha256: string; unsupported: string };

/** Beside the original, outside `originals/` (whose ObjectCreated events start upload validation). */
export function preparedKeyOf(fileKey: string): string {
  return `prepared/${fileKey}.json`;
}

const cacheSize = 16;

/**
 * Makes stamped copies of report versions. Per download the incremental path reads the prepared
 * description (cached here: versions are immutable) and appends an update to the original as it
 * streams from the blob store; files it cannot take, and recipients whose text Helvetica cannot
 * print, get the full rewrite, logged with the reason.
 */
export class ReportCopies {
  private readonly cache = new Map<string, StoredPreparation>();

  constructor(
    private readonly deps: {
      blobs: BlobStore;
      pdfWork: ReportPdfWork;
      logger?: Logger;
      watermarkFont?: Uint8Array;
      maxReportBytes: number;
    },
  ) {}

  /** Stores what publishing prepared, so no download parses the file. */
  async storePreparation(fileKey: string, preparation: StoredPreparation): Promise<void> {
    await this.deps.blobs.put('reports', preparedKeyOf(fileKey), Buffer.from(JSON.stringify(preparation)), {
      contentType: 'application/json',
    });
    this.remember(fileKey, preparation);
  }

  async make(version: ReportVersion, stamp: WatermarkStamp): Promise<PendingCopy> {
    const preparation = await this.preparation(version);
    let fallback: string;
    if ('unsupported' in preparation) {
      fallback = preparation.unsupported;
    } else {
      const { incrementalCopy } = await import('./pdf/incremental-update.js');
      const { FastPathUnsupported } = await import('./pdf/prepared-pdf.js');
      try {
        const copy = incrementalCopy(preparation, stamp);
        const source = await this.deps.blobs.get('reports', version.fileKey);
        if (source.contentLength !== undefined && source.contentLength !== preparation.size) {
          source.body.destroy();
          throw new Error(
            `stored original ${version.fileKey} is ${source.contentLength} bytes, its description says ${preparation.size}`,
          );
        }
        return {
          method: 'incremental',
          size: copy.size,
          sha256: copy.sha256,
          body: Readable.from(appended(source.body, copy.update), { objectMode: false }),
          abort: () => source.body.destroy(),
        };
      } catch (error) {
        if (!(error instanceof FastPathUnsupported)) throw error;
        fallback = error.message;
      }
    }
    this.deps.logger?.log('info', 'report copy takes the full rewrite', {
      reportId: version.reportId,
      version: version.version,
      downloadId: stamp.downloadId,
      reason: fallback,
    });
    const source = await this.readAll(version.fileKey);
    const pdf = await this.deps.pdfWork.rewrite(
      source,
      stamp,
      this.deps.watermarkFont ? { fontBytes: this.deps.watermarkFont } : {},
    );
    return {
      method: 'rewrite',
      size: pdf.byteLength,
      sha256: createHash('sha256').update(pdf).digest('hex'),
      body: Readable.from([Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength)]),
      abort: () => undefined,
    };
  }

  /** The stored description; versions published before descriptions existed are prepared on first download. */
  private async preparation(version: ReportVersion): Promise<StoredPreparation> {
    const cached = this.cache.get(version.fileKey);
    if (cached && cached.sha256 === version.sha256) return cached;
    let preparation: StoredPreparation | undefined;
    try {
      const blob = await this.deps.blobs.get('reports', preparedKeyOf(version.fileKey));
      preparation = JSON.parse((await collect(blob.body)).toString('utf8')) as StoredPreparation;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    if (!preparation || preparation.sha256 !== version.sha256) {
      const check = await this.deps.pdfWork.validate(await this.readAll(version.fileKey), {
        maxBytes: this.deps.maxReportBytes,
      });
      preparation = check.ok
        ? (check.prepared ?? {
            format: 'evidence-portal/unprepared@1',
            sha256: check.sha256,
            unsupported: check.fastPathUnsupported ?? 'not prepared',
          })
        : { format: 'evidence-portal/unprepared@1', sha256: version.sha256 ?? '', unsupported: check.reason };
      await this.storePreparation(version.fileKey, preparation);
    }
    this.remember(version.fileKey, preparation);
    return preparation;
  }

  private remember(fileKey: string, preparation: StoredPreparation): void {
    this.cache.delete(fileKey);
    this.cache.set(fileKey, preparation);
    if (this.cache.size > cacheSize) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }

  private async readAll(key: string): Promise<Uint8Array> {
    const blob = await this.deps.blobs.get('reports', key);
    return new Uint8Array(await collect(blob.body));
  }
}

async function* appended(source: Readable, update: Buffer): AsyncGenerator<Buffer> {
  for await (const chunk of source) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
  yield update;
}

async function collect(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
