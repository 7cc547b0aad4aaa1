import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDict, PDFDocument, type PDFHexString, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { generateDemoReportPdf } from './demo-report-pdf.js';
import { validateReportPdf } from './validate-report-pdf.js';
import { downloadIdInfoKey, type WatermarkStamp, watermarkPdf } from './watermark-pdf.js';

const artifacts = join(import.meta.dirname, '../../../../test/artifacts');

function tempFile(name: string, bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'watermark-'));
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Text of each page as poppler sees it. */
function pagesText(path: string): string[] {
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\f')
    .slice(0, -1);
}

const stamp: WatermarkStamp = {
  email: 'ana.auditor@example.com',
  displayName: 'Ana Auditor',
  accountId: '123456789012',
  time: new Date('2026-03-04T05:06:07Z'),
  downloadId: 'dl-01JTESTDOWNLOAD0000000000',
  termsRevision: 'tr-2026-01',
};

const demo = () =>
  generateDemoReportPdf({
    title: 'SOC 2 Type II Report',
    company: 'Example Cloud',
    series: 'SOC 2 Type II',
    periodStart: '2025-01-01',
    periodEnd: '2025-12-31',
    pages: 6,
  });

describe('watermarkPdf', () => {
  it('puts the email and the download id on every page, as text pdftotext extracts', async () => {
    const marked = await watermarkPdf(await demo(), stamp);
    const path = tempFile('marked.pdf', marked);

    const pages = pagesText(path);

    expect(pages).toHaveLength(6);
    for (const page of pages) {
      const flat = page.replace(/\s+/g, ' ');
      expect(flat).toContain(stamp.email);
      expect(flat).toContain(stamp.downloadId);
      expect(flat).toContain('Licensed to ana.auditor@example.com · account 123456789012');
      expect(flat).toContain('2026-03-04 05:06:07 UTC');
      expect(flat).toContain('Confidential — shared under terms tr-2026-01');
    }
  });

  it('produces a file qpdf accepts and whose metadata names the download', async () => {
    const marked = await watermarkPdf(await demo(), stamp);
    const path = tempFile('marked.pdf', marked);

    const check = execFileSync('qpdf', ['--check', path], { encoding: 'utf8' });
    const doc = await PDFDocument.load(marked);

    expect(check).toContain('No syntax or stream encoding errors');
    expect(doc.getSubject()).toContain(stamp.downloadId);
    expect(doc.getKeywords()).toContain(`download:${stamp.downloadId}`);
    const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
    expect((info.get(PDFName.of(downloadIdInfoKey)) as PDFHexString).decodeText()).toBe(stamp.downloadId);
    expect(execFileSync('pdfinfo', [path], { encoding: 'utf8' })).toContain(stamp.downloadId);
  });

  it('renders page 1 with the mark visible (PNG kept under test/artifacts for a look)', async () => {
    const original = await demo();
    const marked = await watermarkPdf(original, { ...stamp, displayName: 'Ζωή Лебедева' });
    const markedPath = tempFile('marked.pdf', marked);
    const originalPath = tempFile('original.pdf', original);
    mkdirSync(artifacts, { recursive: true });
    const render = (pdf: string, prefix: string) => {
      execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', '-singlefile', pdf, prefix]);
      return readFileSync(`${prefix}.png`);
    };

    const markedPng = render(markedPath, join(artifacts, 'watermarked-page-1'));
    const originalPng = render(originalPath, join(markedPath, '..', 'original-page-1'));

    expect(markedPng.subarray(1, 4).toString()).toBe('PNG');
    // The stamped page draws differently from the original: the mark and footer are really painted.
    expect(markedPng.equals(originalPng)).toBe(false);
  });

  it('never crashes on names its font cannot draw, and keeps the drawable part', async () => {
    const names = ['山田 太郎', 'Ζωή Παπαδοπούλου', 'Дмитрий Лебедев', '😀\u0000\u202e', 'محمد'];
    for (const displayName of names) {
      const email = `${displayName}@example.com`;
      const marked = await watermarkPdf(await demo(), { ...stamp, displayName, email });
      const text = pagesText(tempFile('n.pdf', marked)).join(' ');
      expect(text).toContain(stamp.downloadId);
    }
    const cyrillic = await watermarkPdf(await demo(), { ...stamp, email: 'дмитрий@пример.рф' });
    expect(pagesText(tempFile('c.pdf', cyrillic))[0]).toContain('дмитрий@пример.рф');
  });

  it('falls back to a standard font without the bundled one, replacing what it cannot draw', async () => {
    const marked = await watermarkPdf(await demo(), { ...stamp, email: 'дмитрий@example.com' }, { fontBytes: null });
    const text = pagesText(tempFile('fallback.pdf', marked)).join(' ');
    expect(text).toContain(stamp.downloadId);
    expect(text).toContain('???????@example.com');
  });

  it('stamps a 300-page report on every page', async () => {
    const big = await generateDemoReportPdf({
      title: 'ISO/IEC 27001 Certificate and Statement of Applicability',
      company: 'Example Cloud',
      series: 'ISO 27001',
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      pages: 300,
    });
    const marked = await watermarkPdf(big, stamp);
    const pages = pagesText(tempFile('big.pdf', marked));
    expect(pages).toHaveLength(300);
    expect(pages.filter((page) => page.includes(stamp.downloadId))).toHaveLength(300);
  });
});

describe('validateReportPdf', () => {
  const limit = { maxBytes: 5_000_000 };

  it('accepts a real PDF with its page count and sha256', async () => {
    const bytes = await demo();
    const result = await validateReportPdf(bytes, limit);
    expect(result).toMatchObject({ ok: true, pageCount: 6 });
    expect(result.ok && result.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses garbage, truncation, encryption, oversize and emptiness with a reason', async () => {
    const bytes = await demo();
    const encryptedPath = `${tempFile('plain.pdf', bytes)}.enc.pdf`;
    execFileSync('qpdf', [
      '--encrypt',
      'user',
      'owner',
      '256',
      '--',
      encryptedPath.replace('.enc.pdf', ''),
      encryptedPath,
    ]);
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['garbage', new TextEncoder().encode('<html>not a pdf</html>'), /Not a PDF/],
      ['truncated', bytes.subarray(0, Math.floor(bytes.length / 2)), /truncated/],
      ['encrypted', readFileSync(encryptedPath), /encrypted/],
      ['oversize', bytes, /limit/],
      ['empty', new Uint8Array(), /empty/],
      ['header only', new TextEncoder().encode('%PDF-1.7\n%%EOF\n'), /does not parse|no pages|damaged/],
    ];
    for (const [name, input, reason] of cases) {
      const result = await validateReportPdf(input, name === 'oversize' ? { maxBytes: 100 } : limit);
      expect(result.ok, name).toBe(false);
      expect(result.ok ? '' : result.reason, name).toMatch(reason);
    }
  });
});
