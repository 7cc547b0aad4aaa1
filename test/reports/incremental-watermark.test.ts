import { loadPdfTools, type ReportPdfCheck } from '@evidence-portal/core';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { tier } from '../support/context.js';
import { type EdgeCaseName, edgeCaseNames, edgeCasePdf, seededReport, sharedResources } from './edge-case-pdfs.js';
import { consume } from './pdf-consumers.js';

const stamp = {
  email: 'dana.reviewer@customer.example',
  displayName: 'Dana Reviewer',
  accountId: '333333333333',
  time: new Date('2026-05-01T09:30:00Z'),
  downloadId: 'dl-01JTESTINCREMENTAL0000001',
  termsRevision: 'tr-01JTERMS',
};
const footerParts = [stamp.email, stamp.accountId, '2026-05-01 09:30:00 UTC', stamp.downloadId];

const soak = tier() === 'soak';
/**
 * Every property runs in both tiers; the fast tier takes one representative of each edge case and
 * small files (the seeded 30-page report, one inherited /Resources shared by 20 pages) and renders
 * and pdf.js-parses a sample of their pages. Soak adds the seeded 300-page report, the page counts
 * of the demo catalog (8, 10, 12), 300 pages sharing one /Resources and 2,000 pages, every page
 * rendered. qpdf and pdftotext (the footer on every page) always see every page.
 */
type Case = EdgeCaseName | 'seeded-8' | 'seeded-10' | 'seeded-12';
const cases: Case[] = soak
  ? ['seeded-8', 'seeded-10', 'seeded-12', ...edgeCaseNames]
  : edgeCaseNames.filter((name) => name !== 'seeded-300' && name !== 'pages-2000');
const sharedPages = soak ? 300 : 20;
const sampled: Partial<Record<Case, number[]>> = soak
  ? {}
  : {
      'seeded-30': [1, 15, 30],
      'xref-table': [1, 30],
      'object-streams': [1, 30],
      'shared-resources': [1, sharedPages],
    };

function original(name: Case): Promise<Uint8Array> {
  if (name === 'seeded-8' || name === 'seeded-10' || name === 'seeded-12') return seededReport(Number(name.slice(7)));
  if (name === 'shared-resources') return sharedResources(sharedPages);
  return edgeCasePdf(name);
}

const checks = new Map<Uint8Array, Promise<Extract<ReportPdfCheck, { ok: true }>>>();
/** Each original is parsed once per file run (as publishing does once per version). */
function prepare(bytes: Uint8Array): Promise<Extract<ReportPdfCheck, { ok: true }>> {
  let check = checks.get(bytes);
  if (!check) {
    check = loadPdfTools().then(async ({ validateReportPdf }) => {
      const result = await validateReportPdf(bytes, { maxBytes: 200 * 1024 * 1024 });
      if (!result.ok) throw new Error(result.reason);
      return result;
    });
    checks.set(bytes, check);
  }
  return check;
}

describe('incremental-update watermark on real-world-shaped PDFs', () => {
  const originals = new Map<Case, Uint8Array>();
  beforeAll(async () => {
    for (const name of cases) originals.set(name, await original(name));
  }, 240_000);

  it.each(cases)(
    '%s: original is a byte prefix; qpdf, pdftoppm, pdf.js and pdftotext accept every page',
    async (name) => {
      const original = originals.get(name) ?? new Uint8Array();
      const check = await prepare(original);
      expect(check.fastPathUnsupported).toBeUndefined();
      const prepared = check.prepared;
      if (!prepared) throw new Error('not prepared');

      const { incrementalCopy } = await loadPdfTools();
      const copy = incrementalCopy(prepared, stamp);
      const bytes = Buffer.concat([original, copy.update]);
      const report = await consume(bytes, {
        ...(sampled[name] ? { renderPages: sampled[name] } : {}),
        signatures: name === 'signed',
      });

      expect(Buffer.compare(bytes.subarray(0, original.byteLength), Buffer.from(original))).toBe(0);
      expect(copy.size).toBe(bytes.length);
      expect(report.qpdfStatus, report.qpdfOutput).toBe(0);
      expect(report.qpdfOutput).toContain('No syntax or stream encoding errors');
      expect(report.pageTexts).toHaveLength(check.pageCount);
      for (const [i, text] of report.pageTexts.entries()) {
        for (const part of footerParts) expect(text, `page ${i + 1}`).toContain(part);
      }
      expect(report.rendered).toBe(sampled[name]?.length ?? check.pageCount);
      expect(report.pdfjsPages).toBe(check.pageCount);
      expect(report.pdfjsOperators.every((count) => count > 0)).toBe(true);
      // Size goal: original + 5% + a few KB per page.
      expect(copy.update.length).toBeLessThanOrEqual(original.byteLength * 0.05 + 2048 * check.pageCount + 16_384);
    },
    // A ceiling, not a timing: soak renders and pdf.js-parses each of 2,000 pages on a shared 2-core machine.
    soak ? 1_800_000 : 60_000,
  );

  it('keeps a signed report verifiable: pdfsig reports the signature valid over a document changed after signing', async () => {
    const original = originals.get('signed') ?? new Uint8Array();
    const check = await prepare(original);
    if (!check.prepared) throw new Error('not prepared');
    const { incrementalCopy } = await loadPdfTools();
    const before = await consume(original, { renderPages: [1], signatures: true });
    const after = await consume(Buffer.concat([original, incrementalCopy(check.prepared, stamp).update]), {
      renderPages: [1],
      signatures: true,
    });

    expect(check.signatures).toBe(1);
    expect(before.pdfsig).toContain('Signature Validation: Signature is Valid.');
    expect(before.pdfsig).toContain('Total document signed');
    expect(after.pdfsig).toContain('Signature Validation: Signature is Valid.');
    expect(after.pdfsig).toContain('Not total document signed');
  });

  it('redefines each page once with [q, original contents..., overlay] and a /Resources of its own; shared resources stay untouched', async () => {
    const original = originals.get('shared-resources') ?? new Uint8Array();
    const check = await prepare(original);
    if (!check.prepared) throw new Error('not prepared');
    const { incrementalCopy } = await loadPdfTools();
    const copy = incrementalCopy(check.prepared, stamp);
    const after = await PDFDocument.load(Buffer.concat([original, copy.update]));
    const page = after.getPages()[0];
    const contents = page?.node.Contents();
    const resources = page?.node.Resources();

    // The original's shared dictionary names an XObject "EvidencePortalMark": the overlay took another name.
    expect(check.prepared.resources[0]?.markName).toBe('EvidencePortalMark2');
    expect(contents?.toString()).toMatch(/^\[\s*\d+ 0 R\s+\d+ 0 R\s+\d+ 0 R\s*\]$/);
    expect(resources?.toString()).toContain('/EvidencePortalMark ');
    expect(resources?.toString()).toContain('/EvidencePortalMark2 ');
    // One rewritten dictionary shared by every page, not one per page.
    expect(check.pageCount).toBe(sharedPages);
    expect(check.prepared.resources).toHaveLength(1);
  });
});
