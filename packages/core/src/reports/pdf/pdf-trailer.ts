import { PDFArray, PDFContext, PDFDict, PDFName, PDFNumber, type PDFObject, PDFObjectParser, PDFRef } from 'pdf-lib';

/** The file's last cross-reference section and the trailer that goes with it. */
export interface PdfTrailer {
  /** Byte offset of the last cross-reference section (`startxref`), the next update's `/Prev`. */
  startxref: number;
  /** A classic `xref` table, or a cross-reference stream (PDF 1.5). */
  kind: 'table' | 'stream';
  /** `/Size`: one more than the highest object number in use. */
  size: number;
  root?: PDFObject;
  info?: PDFObject;
  id?: PDFObject;
  encrypted: boolean;
}

const tailWindow = 2048;
const startxrefPattern = /startxref\s+(\d+)\s*(?:%%EOF)?\s*$/;
const objectHeader = /^\s*(\d+)\s+(\d+)\s+obj\b/;

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return Buffer.from(
    bytes.buffer,
    bytes.byteOffset + from,
    Math.max(0, Math.min(to, bytes.byteLength) - from),
  ).toString('latin1');
}

/**
 * Reads the trailer the way a reader starts: from `startxref` at the end of the file to the last
 * cross-reference section, then its trailer dictionary (after `xref … trailer`, or the stream's own
 * dictionary). Encryption is decided here, from `/Encrypt` in that trailer, not by searching the file.
 * Answers a reason instead when the file does not lead to a cross-reference section.
 */
export function readPdfTrailer(bytes: Uint8Array): PdfTrailer | { unreadable: string } {
  const tail = ascii(bytes, Math.max(0, bytes.byteLength - tailWindow), bytes.byteLength);
  const eofAt = tail.lastIndexOf('%%EOF');
  const match = startxrefPattern.exec(tail.slice(0, eofAt >= 0 ? eofAt + 5 : tail.length));
  if (!match?.[1]) return { unreadable: 'no startxref before %%EOF' };
  const startxref = Number(match[1]);
  if (!Number.isSafeInteger(startxref) || startxref >= bytes.byteLength) {
    return { unreadable: `startxref ${match[1]} lies outside the file` };
  }
  const context = PDFContext.create();
  const head = ascii(bytes, startxref, startxref + 64);
  let dict: PDFObject;
  let kind: PdfTrailer['kind'];
  try {
    if (head.startsWith('xref')) {
      kind = 'table';
      const at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf('trailer', startxref, 'latin1');
      if (at < 0) return { unreadable: 'the xref table has no trailer' };
      dict = PDFObjectParser.forBytes(bytes.subarray(at + 'trailer'.length), context).parseObject();
    } else {
      const header = objectHeader.exec(head);
      if (!header) return { unreadable: `startxref ${startxref} points at neither "xref" nor an object` };
      kind = 'stream';
      dict = PDFObjectParser.forBytes(bytes.subarray(startxref + header[0].length), context).parseObject();
    }
  } catch (error) {
    return {
      unreadable: `the trailer does not parse (${error instanceof Error ? error.message.slice(0, 120) : error})`,
    };
  }
  const trailer =
    dict instanceof PDFDict ? dict : 'dict' in dict && dict.dict instanceof PDFDict ? dict.dict : undefined;
  if (!trailer) return { unreadable: 'the trailer is not a dictionary' };
  if (kind === 'stream' && trailer.get(PDFName.of('Type'))?.toString() !== '/XRef') {
    return { unreadable: `startxref ${startxref} points at an object that is not a cross-reference stream` };
  }
  const size = trailer.get(PDFName.of('Size'));
  if (!(size instanceof PDFNumber)) return { unreadable: 'the trailer has no /Size' };
  const root = trailer.get(PDFName.of('Root'));
  const info = trailer.get(PDFName.of('Info'));
  const id = trailer.get(PDFName.of('ID'));
  return {
    startxref,
    kind,
    size: size.asNumber(),
    ...(root instanceof PDFRef ? { root } : {}),
    ...(info instanceof PDFRef ? { info } : {}),
    ...(id instanceof PDFArray ? { id } : {}),
    encrypted: trailer.has(PDFName.of('Encrypt')),
  };
}
