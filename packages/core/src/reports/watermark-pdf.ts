import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { degrees, PDFDict, PDFDocument, type PDFFont, PDFHexString, PDFName, rgb, StandardFonts } from 'pdf-lib';

/** Who a copy was made for: printed on every page and kept in the file's metadata. */
export interface WatermarkStamp {
  email: string;
  displayName: string;
  accountId: string;
  /** UTC instant of the download. */
  time: Date;
  downloadId: string;
  termsRevision: string;
}

/** Custom document-information key carrying the download id (besides Subject and Keywords). */
export const downloadIdInfoKey = 'PortalDownloadId';

let bundledFont: Uint8Array | null | undefined;

/**
 * DejaVu Sans ships with the package (assets/fonts, Bitstream Vera licence) because a fresh machine
 * or a Lambda image has no system fonts; it covers Latin, Greek, Cyrillic, Armenian, Georgian,
 * Hebrew and Arabic letters, so most names render as written. Undefined when the asset is missing
 * (e.g. a bundle without it): the watermark then falls back to Helvetica rather than failing.
 */
export function watermarkFontBytes(): Uint8Array | undefined {
  if (bundledFont === undefined) {
    bundledFont = null;
    // Source tree first; then where a Lambda bundle's copyFiles puts it (stacks/functions.ts), beside
    // or one level above the chunk that holds this code.
    for (const candidate of ['../../assets/fonts/', './assets/fonts/', '../assets/fonts/']) {
      try {
        bundledFont = readFileSync(new URL(`${candidate}DejaVuSans.ttf`, import.meta.url));
        break;
      } catch {
        // try the next place
      }
    }
  }
  return bundledFont ?? undefined;
}

/**
 * Keeps what the font can draw: unknown glyphs would print as empty boxes and lose the text for
 * `pdftotext`, so they become `?` (the exact name is still in the metadata and the download record).
 */
export function renderableText(text: string, font: PDFFont): string {
  const supported = new Set(font.getCharacterSet());
  let out = '';
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) out += ' ';
    else out += supported.has(codePoint) ? char : '?';
  }
  return out;
}

function fitSize(font: PDFFont, text: string, preferred: number, maxWidth: number, minimum: number): number {
  const width = font.widthOfTextAtSize(text, preferred);
  if (width <= maxWidth) return preferred;
  return Math.max(minimum, (preferred * maxWidth) / width);
}

function utcStamp(time: Date): string {
  return `${time.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * Stamps every page with a diagonal translucent mark and a horizontal footer line, both real text
 * (the footer is what `pdftotext` finds), and records the download id in the document metadata, so
 * a leaked copy resolves back to its download record.
 */
export async function watermarkPdf(
  pdfBytes: Uint8Array,
  stamp: WatermarkStamp,
  /** `fontBytes: null` forces the standard-font fallback (Latin only). */
  options: { fontBytes?: Uint8Array | null } = {},
): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdfBytes, { updateMetadata: false });
  const fontBytes = options.fontBytes === null ? undefined : (options.fontBytes ?? watermarkFontBytes());
  doc.registerFontkit(fontkit);
  const font = fontBytes
    ? await doc.embedFont(fontBytes, { subset: true })
    : await doc.embedFont(StandardFonts.Helvetica);

  const when = utcStamp(stamp.time);
  const mark = renderableText(`${stamp.email} · ${stamp.accountId}`, font);
  // Two lines: a right-to-left email would make text extractors reorder a shared line, so the
  // download id keeps a line of its own.
  const footerLines = [
    renderableText(`Licensed to ${stamp.email} · account ${stamp.accountId}`, font),
    renderableText(
      `download ${stamp.downloadId} · ${when} · Confidential — shared under terms ${stamp.termsRevision}`,
      font,
    ),
  ];

  for (const page of doc.getPages()) {
    const { x: left, y: bottom, width, height } = page.getCropBox();
    const diagonal = Math.hypot(width, height);
    const angle = Math.atan2(height, width);
    const markSize = fitSize(font, mark, 36, diagonal * 0.62, 10);
    const markWidth = font.widthOfTextAtSize(mark, markSize);
    // Start so the text's centre sits on the page centre along the diagonal.
    const cx = left + width / 2;
    const cy = bottom + height / 2;
    page.drawText(mark, {
      x: cx - (Math.cos(angle) * markWidth) / 2 + (Math.sin(angle) * markSize) / 3,
      y: cy - (Math.sin(angle) * markWidth) / 2 - (Math.cos(angle) * markSize) / 3,
      size: markSize,
      font,
      color: rgb(0.75, 0.1, 0.1),
      opacity: 0.18,
      rotate: degrees((angle * 180) / Math.PI),
    });
    const footerSize = Math.min(...footerLines.map((line) => fitSize(font, line, 7, width - 24, 3)));
    page.drawRectangle({
      x: left,
      y: bottom,
      width,
      height: footerSize * 2.6 + 8,
      color: rgb(1, 1, 1),
      opacity: 0.85,
    });
    footerLines.forEach((line, i) => {
      page.drawText(line, {
        x: left + 12,
        y: bottom + 4 + (footerLines.length - 1 - i) * footerSize * 1.3,
        size: footerSize,
        font,
        color: rgb(0.2, 0.2, 0.2),
      });
    });
  }

  doc.setSubject(`Download ${stamp.downloadId} for ${stamp.email} (${stamp.accountId}), ${when}`);
  doc.setKeywords([`download:${stamp.downloadId}`, `account:${stamp.accountId}`, `terms:${stamp.termsRevision}`]);
  const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
  info.set(PDFName.of(downloadIdInfoKey), PDFHexString.fromText(stamp.downloadId));
  info.set(PDFName.of('PortalRecipient'), PDFHexString.fromText(`${stamp.displayName} <${stamp.email}>`));
  doc.setModificationDate(stamp.time);
  return doc.save();
}
