import { createHash } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';

export type ReportPdfCheck = { ok: true; pageCount: number; sha256: string } | { ok: false; reason: string };

const header = Buffer.from('%PDF-');
const trailerMarker = Buffer.from('%%EOF');
/** A PDF's header may follow a little junk (the spec's readers tolerate 1 KiB); so do we. */
const headerWindow = 1024;
/** `%%EOF` closes the last revision; anything after it beyond whitespace is a few bytes at most. */
const trailerWindow = 1024;

/**
 * What publishing checks before a version becomes downloadable: a real PDF (header), complete
 * (ends with `%%EOF`), parses, not encrypted (we could not watermark it), within the size limit,
 * at least one page. Never throws: every failure is a reason a publisher can act on.
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
  // The trailer names an /Encrypt dictionary; checked before parsing because encrypted object streams do not parse.
  if (/\/Encrypt\s*(?:\d+\s+\d+\s+R|<<)/.test(buffer.toString('latin1'))) {
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
  return { ok: true, pageCount, sha256: createHash('sha256').update(buffer).digest('hex') };
}
