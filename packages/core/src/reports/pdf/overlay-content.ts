import { FontNames } from '@pdf-lib/standard-fonts';
import { StandardFontEmbedder } from 'pdf-lib';
import { FastPathUnsupported, type PageGeometry } from './prepared-pdf.js';

/** The two lines a copy carries: the diagonal mark and the footer (what `pdftotext` finds). */
export interface OverlayText {
  mark: string;
  footer: string;
}

/** What one overlay form draws: everything, only the footer (the mark then rides on an annotation), or only the mark. */
export type OverlayPart = 'all' | 'footer' | 'mark';

let helvetica: StandardFontEmbedder | undefined;
/** Standard 14 Helvetica: every reader has it, so a copy embeds no font bytes at all. */
function font(): StandardFontEmbedder {
  helvetica ??= StandardFontEmbedder.for(FontNames.Helvetica);
  return helvetica;
}

/**
 * Throws `FastPathUnsupported` unless WinAnsi (Helvetica's encoding here) can print every character:
 * such names take the full rewrite, whose embedded DejaVu subset prints them as written.
 */
export function assertWinAnsi(text: string): void {
  const { encoding } = font();
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (!encoding.canEncodeUnicodeCodePoint(codePoint)) {
      throw new FastPathUnsupported(`U+${codePoint.toString(16).toUpperCase().padStart(4, '0')} is not in WinAnsi`);
    }
  }
}

const fmt = (n: number) => {
  const rounded = Math.round(n * 1000) / 1000;
  return Object.is(rounded, -0) ? '0' : String(rounded);
};

/**
 * Default user space → the reader's upright frame: origin at the corner the reader sees bottom
 * left, x to the reader's right. /Rotate turns the page clockwise when shown, so the frame turns
 * the other way. Answers the matrix and the frame's width and height.
 */
export function readerFrame(geometry: PageGeometry): { matrix: number[]; width: number; height: number } {
  const [x0, y0, x1, y1] = geometry.box;
  const w = x1 - x0;
  const h = y1 - y0;
  switch (geometry.rotate) {
    case 90:
      return { matrix: [0, 1, -1, 0, x1, y0], width: h, height: w };
    case 180:
      return { matrix: [-1, 0, 0, -1, x1, y1], width: w, height: h };
    case 270:
      return { matrix: [0, -1, 1, 0, x0, y1], width: h, height: w };
    default:
      return { matrix: [1, 0, 0, 1, x0, y0], width: w, height: h };
  }
}

function fitSize(text: string, preferred: number, maxWidth: number, minimum: number): number {
  const width = font().widthOfTextAtSize(text, preferred);
  return width <= maxWidth ? preferred : Math.max(minimum, (preferred * maxWidth) / width);
}

/** Footer: one line at the reader's bottom edge, inside the margin printers leave blank. */
export const footerStyle = { preferredSize: 6, minimumSize: 3, sideMargin: 10, stripOpacity: 0.7 } as const;

/**
 * The content of one overlay form for a page geometry, in default user space (the form's BBox is
 * the page box, its matrix the identity). Font `/F` and graphics states `/Mark` and `/Strip` are
 * the form's own resources.
 */
export function overlayContent(geometry: PageGeometry, text: OverlayText, part: OverlayPart): string {
  const { matrix, width, height } = readerFrame(geometry);
  const helv = font();
  const out: string[] = [`q ${matrix.map(fmt).join(' ')} cm`];
  if (part !== 'footer') {
    const diagonal = Math.hypot(width, height);
    const angle = Math.atan2(height, width);
    const size = fitSize(text.mark, 36, diagonal * 0.62, 8);
    const markWidth = helv.widthOfTextAtSize(text.mark, size);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    // Centre of the text run on the frame's centre, baseline a third of the size below it.
    const tx = width / 2 - (cos * markWidth) / 2 + (sin * size) / 3;
    const ty = height / 2 - (sin * markWidth) / 2 - (cos * size) / 3;
    out.push(
      `q /Mark gs 0.75 0.1 0.1 rg BT /F ${fmt(size)} Tf ${[cos, sin, -sin, cos, tx, ty].map(fmt).join(' ')} Tm ${helv.encodeText(text.mark).toString()} Tj ET Q`,
    );
  }
  if (part !== 'mark') {
    const size = fitSize(
      text.footer,
      footerStyle.preferredSize,
      width - 2 * footerStyle.sideMargin,
      footerStyle.minimumSize,
    );
    const textWidth = helv.widthOfTextAtSize(text.footer, size);
    const baseline = size * 0.5 + 1;
    // A strip just behind the text run (not the page width), so the line stays legible on a
    // full-bleed background while covering no more than the text itself.
    const strip = [footerStyle.sideMargin - 2, baseline - size * 0.3, textWidth + 4, size * 1.25];
    out.push(
      `q /Strip gs 1 g ${strip.map(fmt).join(' ')} re f Q`,
      `BT 0.2 g /F ${fmt(size)} Tf 1 0 0 1 ${fmt(footerStyle.sideMargin)} ${fmt(baseline)} Tm ${helv.encodeText(text.footer).toString()} Tj ET`,
    );
  }
  out.push('Q');
  return out.join('\n');
}
