import { createHash } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { readPdfTrailer } from './pdf/pdf-trailer.js';
import { preparePdf } from './pdf/prepare-report-pdf.js';
import { FastPathUnsupported, type PreparedPdf } from './pdf/prepared-pdf.js';

export type ReportPdfCheck =
  | {
      ok: true;
      pageCount: number;
      sha256: string;
      /** What downloads stamp from; absent when the fast path cannot take this file. */
      prepared?: PreparedPdf;
      /** Why downloads of this file take the full rewrite instead. */
      fastPathUnsupported?: string;
      /** Digital signatures found (an incremental update keeps them verifiable). */
      signatures: number;
    }
  | { ok: false; reason: string };

const header = Buffer.from('%PDF-');
const trailerMarker = Buffer.from('%%EOF');
/** A PDF's header may follow a little junk (the spec's readers tolerate 1 KiB); so do we. */
const headerWindow = 1024;
/** `%%EOF` closes the last revision; anything after it beyond whitespace is a few bytes at most. */
const trailerWindow = 1024;

/**
 * What publishing checks before a version becomes downloadable: a real PDF (header), complete
 * (ends with `%%EOF`), parses, not encrypted (we could not watermark it), within the size limit,
 * at least one page. The same parse prepares the description downloads stamp from. Never throws
 * for a bad file: every failure is a reason a publisher can act on.
 */
export async function validateReportPdf(bytes: Uint8Array, options: { maxBytes: number }): Promise<ReportPdfCheck> {
  if (bytes.byteLength === 0) return { ok: false, reason: 'The file is empty.' };
  if (bytes.byteLength > options.maxBytes) {
    return {
      ok: false,
      reason: `The file is ${bytes.byteLength} bytes; the limit is ${options.maxBytes} bytes.`,
    };
  }
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerAt = buffer.subarray(0, headerWindow).indexOf(header);
  if (headerAt < 0) return { ok: false, reason: 'Not a PDF: the file does not start with a %PDF- header.' };
  if (buffer.subarray(Math.max(0, buffer.length - trailerWindow)).indexOf(trailerMarker) < 0) {
    return { ok: false, reason: 'The PDF is truncated: it has no %%EOF trailer at its end.' };
  }
  // Encryption is the trailer's /Encrypt entry, read before parsing because encrypted object streams
  // do not parse. (An encrypted attachment inside an unencrypted file is not an encrypted file.)
  const trailer = readPdfTrailer(bytes);
  if (!('unreadable' in trailer) && trailer.encrypted) {
    return { ok: false, reason: 'The PDF is encrypted; upload an unencrypted copy so it can be watermarked.' };
  }
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, throwOnInvalidObject: true, updateMetadata: false });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0]?.slice(0, 200) : undefined;
    return { ok: false, reason: `The PDF does not parse${detail ? `: ${detail}` : '.'}` };
  }
  if (doc.isEncrypted) {
    return { ok: false, reason: 'The PDF is encrypted; upload an unencrypted copy so it can be watermarked.' };
  }
  let pageCount: number;
  try {
    pageCount = doc.getPageCount();
  } catch {
    return { ok: false, reason: 'The PDF page tree is damaged.' };
  }
  if (pageCount < 1) return { ok: false, reason: 'The PDF has no pages.' };
  const sha256 = createHash('sha256').update(buffer).digest('hex');
  let prepared: PreparedPdf | undefined;
  let fastPathUnsupported: string | undefined;
  try {
    if ('unreadable' in trailer) throw new FastPathUnsupported(trailer.unreadable);
    prepared = preparePdf(bytes, doc, trailer);
  } catch (error) {
    if (!(error instanceof FastPathUnsupported)) throw error;
    fastPathUnsupported = error.message;
  }
  return {
    ok: true,
    pageCount,
    sha256,
    signatures: prepared?.signatures.count ?? 0,
    ...(prepared ? { prepared } : {}),
    ...(fastPathUnsupported ? { fastPathUnsupported } : {}),
  };
}
