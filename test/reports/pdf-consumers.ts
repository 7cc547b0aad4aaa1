import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the usual consumers make of one PDF: qpdf, poppler (render, text, signatures) and pdf.js. */
export interface ConsumerReport {
  qpdfStatus: number | null;
  qpdfOutput: string;
  /** pdftotext output, one entry per page. */
  pageTexts: string[];
  /** PNG files pdftoppm rendered (one per page asked). */
  rendered: number;
  pdfjsPages: number;
  /** Operators pdf.js found on the pages it was asked to parse (a page with none did not parse). */
  pdfjsOperators: number[];
  pdfsig?: string;
}

/**
 * Runs every consumer over `bytes`. `renderPages` limits rendering and pdf.js page parsing to a
 * sample (the fast tier); text extraction and qpdf always see every page.
 */
export async function consume(
  bytes: Uint8Array,
  options: { renderPages?: number[]; signatures?: boolean } = {},
): Promise<ConsumerReport> {
  const dir = mkdtempSync(join(tmpdir(), 'pdf-consumers-'));
  try {
    const file = join(dir, 'copy.pdf');
    writeFileSync(file, bytes);
    const qpdf = spawnSync('qpdf', ['--check', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    const pageTexts = text.split('\f');
    if (pageTexts[pageTexts.length - 1]?.trim() === '') pageTexts.pop();

    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), verbosity: 0, useSystemFonts: false }).promise;
    const pages = options.renderPages ?? Array.from({ length: doc.numPages }, (_, i) => i + 1);
    const pdfjsOperators: number[] = [];
    for (const n of pages) {
      const page = await doc.getPage(n);
      const ops = await page.getOperatorList();
      pdfjsOperators.push(ops.fnArray.length);
    }
    const pdfjsPages = doc.numPages;
    await doc.destroy();

    // One pdftoppm per run of consecutive pages (2,000 pages: one process, not 2,000).
    const runs: Array<[number, number]> = [];
    for (const n of [...pages].sort((a, b) => a - b)) {
      const last = runs[runs.length - 1];
      if (last && n === last[1] + 1) last[1] = n;
      else runs.push([n, n]);
    }
    for (const [first, last] of runs) {
      execFileSync('pdftoppm', ['-r', '12', '-f', String(first), '-l', String(last), '-png', file, join(dir, 'page')]);
    }
    const rendered = readdirSync(dir).filter((name) => name.endsWith('.png')).length;
    const pdfsig = options.signatures ? spawnSync('pdfsig', [file], { encoding: 'utf8' }).stdout : undefined;
    return {
      qpdfStatus: qpdf.status,
      qpdfOutput: `${qpdf.stdout}${qpdf.stderr}`,
      pageTexts,
      rendered,
      pdfjsPages,
      pdfjsOperators,
      ...(pdfsig !== undefined ? { pdfsig } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
