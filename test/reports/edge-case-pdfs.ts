import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPdfTools } from '@evidence-portal/core';
import {
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFPage,
  type PDFRef,
  PDFString,
  StandardFonts,
} from 'pdf-lib';

/**
 * Real-world-shaped report PDFs for the watermark paths: the seeded reports, xref tables and
 * object streams (qpdf), rotation (own and inherited), content arrays, one inherited /Resources
 * shared by every page (with a name the overlay would collide with), widgets and annotations, a
 * top-level matrix left unbalanced, and a file signed with a real PKCS#7 signature (openssl).
 */
export type EdgeCaseName =
  | 'seeded-30'
  | 'seeded-300'
  | 'xref-table'
  | 'object-streams'
  | 'rotated'
  | 'content-arrays'
  | 'shared-resources'
  | 'forms-annotations'
  | 'unbalanced-state'
  | 'signed'
  | 'pages-2000';

export const edgeCaseNames: readonly EdgeCaseName[] = [
  'seeded-30',
  'seeded-300',
  'xref-table',
  'object-streams',
  'rotated',
  'content-arrays',
  'shared-resources',
  'forms-annotations',
  'unbalanced-state',
  'signed',
  'pages-2000',
];

const name = (key: string) => PDFName.of(key);

export async function seededReport(pages: number): Promise<Uint8Array> {
  const { generateDemoReportPdf } = await loadPdfTools();
  return generateDemoReportPdf({
    title: 'SOC 2 Type II Report',
    company: 'Example Cloud',
    series: 'SOC 2 Type II',
    periodStart: '2025-01-01',
    periodEnd: '2025-12-31',
    pages,
  });
}

/** Runs qpdf over bytes (e.g. `--object-streams=generate`), answering the rewritten file. */
export function qpdfRewrite(bytes: Uint8Array, args: string[]): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'edge-pdf-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), bytes);
    execFileSync('qpdf', [...args, join(dir, 'in.pdf'), join(dir, 'out.pdf')]);
    return new Uint8Array(readFileSync(join(dir, 'out.pdf')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function contentStream(doc: PDFDocument, text: string): PDFRef {
  return doc.context.register(doc.context.stream(text));
}

/** A page whose own content is text at the top left and a page number at the bottom, via /F1. */
function textContent(label: string, page: number, width: number, height: number): string {
  return `BT /F1 18 Tf 40 ${height - 60} Td (${label}) Tj ET BT /F1 9 Tf ${width / 2 - 20} 24 Td (Page ${page}) Tj ET`;
}

async function rotated(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const root = doc.catalog.Pages();
  const rootRef = doc.context.getObjectRef(root);
  const add = (rotate: number | undefined, size: [number, number]) => {
    const page = doc.addPage(size);
    page.node.set(name('Resources'), doc.context.obj({ Font: { F1: font.ref } }));
    if (rotate !== undefined) page.node.set(name('Rotate'), PDFNumber.of(rotate));
    const n = doc.getPageCount();
    page.node.set(
      name('Contents'),
      contentStream(doc, textContent(`Rotate ${rotate ?? 'inherited 90'}`, n, size[0], size[1])),
    );
    return page;
  };
  add(0, [612, 792]);
  add(90, [612, 792]);
  add(180, [612, 792]);
  add(270, [612, 792]);
  add(90, [842, 595]);
  // Two pages under an intermediate node that carries /Rotate 90 for both.
  const inheritedA = add(undefined, [612, 792]);
  const inheritedB = add(undefined, [612, 792]);
  const kids = root.Kids();
  const midKids = [inheritedA.ref, inheritedB.ref];
  const mid = doc.context.obj({ Type: 'Pages', Parent: rootRef, Kids: midKids, Count: 2, Rotate: 90 });
  const midRef = doc.context.register(mid);
  for (const page of [inheritedA, inheritedB]) page.node.set(name('Parent'), midRef);
  const kept = kids.asArray().filter((ref) => ref !== inheritedA.ref && ref !== inheritedB.ref);
  root.set(name('Kids'), doc.context.obj([...kept, midRef]));
  return doc.save({ useObjectStreams: false });
}

async function contentArrays(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= 4; n++) {
    const page = doc.addPage([612, 792]);
    page.node.set(name('Resources'), doc.context.obj({ Font: { F1: font.ref } }));
    const parts = [
      contentStream(doc, 'BT /F1 18 Tf 40 730 Td'),
      contentStream(doc, `(Content array part one, page ${n}) Tj ET`),
      contentStream(doc, `BT /F1 9 Tf 280 24 Td (Page ${n}) Tj ET`),
    ];
    // Page 2 keeps its array in an object of its own (/Contents 12 0 R -> [..]).
    const array = doc.context.obj(parts);
    page.node.set(name('Contents'), n === 2 ? doc.context.register(array) : array);
  }
  return doc.save({ useObjectStreams: false });
}

/**
 * Every page inherits one /Resources from the page tree root; it already names an XObject
 * `EvidencePortalMark`, so the overlay must pick another name. (pdf-lib's normalisation used to copy
 * this dictionary into every page with every page's watermark keys: the quadratic growth.)
 */
export async function sharedResources(pages = 300): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const logo = doc.context.register(
    doc.context.stream('0.1 0.3 0.6 rg 0 0 40 40 re f', {
      Type: 'XObject',
      Subtype: 'Form',
      BBox: [0, 0, 40, 40],
    }),
  );
  const fonts: Record<string, PDFRef> = { F1: font.ref };
  for (let i = 0; i < 40; i++) fonts[`Fx${i}`] = font.ref;
  const shared = doc.context.register(doc.context.obj({ Font: fonts, XObject: { EvidencePortalMark: logo } }));
  doc.catalog.Pages().set(name('Resources'), shared);
  for (let n = 1; n <= pages; n++) {
    const page = doc.addPage([612, 792]);
    page.node.delete(name('Resources'));
    page.node.set(
      name('Contents'),
      contentStream(
        doc,
        `q 1 0 0 1 40 720 cm /EvidencePortalMark Do Q ${textContent('Shared resources', n, 612, 792)}`,
      ),
    );
  }
  return doc.save({ useObjectStreams: false });
}

async function formsAndAnnotations(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const first = doc.addPage([612, 792]);
  first.drawText('Management response form', { x: 40, y: 740, size: 18, font });
  const form = doc.getForm();
  const field = form.createTextField('response');
  field.setText('No exceptions noted');
  // A widget across the middle of the page, where the diagonal mark runs.
  field.addToPage(first, { x: 40, y: 300, width: 530, height: 200 });
  const box = form.createCheckBox('agree');
  box.addToPage(first, { x: 40, y: 240, width: 20, height: 20 });
  box.check();
  const second = doc.addPage([612, 792]);
  second.drawText('Contents with a link', { x: 40, y: 740, size: 18, font });
  const link = doc.context.register(
    doc.context.obj({
      Type: 'Annot',
      Subtype: 'Link',
      Rect: [40, 700, 300, 720],
      Border: [0, 0, 0],
      A: { S: 'URI', URI: PDFString.of('https://example.com/') },
    }),
  );
  second.node.set(name('Annots'), doc.context.obj([link]));
  return doc.save({ useObjectStreams: false });
}

/** Content that flips the matrix at top level and never restores it (common in generated PDFs). */
async function unbalancedState(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= 2; n++) {
    const page = doc.addPage([612, 792]);
    page.node.set(name('Resources'), doc.context.obj({ Font: { F1: font.ref } }));
    page.node.set(
      name('Contents'),
      contentStream(
        doc,
        `1 0 0 -1 0 792 cm 0.5 0 0 0.5 0 0 cm 1 0 0 rg BT /F1 24 Tf 1 0 0 -1 80 120 Tm (Flipped and scaled) Tj ET`,
      ),
    );
  }
  return doc.save({ useObjectStreams: false });
}

const signatureSpace = 8192;

/**
 * A report signed by "the audit firm": a signature field whose /V carries a detached PKCS#7
 * (openssl cms, a throwaway self-signed certificate) over the /ByteRange, as signing tools write it.
 */
export async function signedReport(): Promise<Uint8Array> {
  const doc = await PDFDocument.load(await seededReport(5));
  const sig = doc.context.register(
    doc.context.obj({
      Type: 'Sig',
      Filter: 'Adobe.PPKLite',
      SubFilter: 'adbe.pkcs7.detached',
      ByteRange: [0, 1111111111, 2222222222, 3333333333],
      Contents: PDFHexString.of('0'.repeat(signatureSpace * 2)),
      M: PDFString.fromDate(new Date('2025-06-30T12:00:00Z')),
      Name: PDFString.of('Example Audit LLP'),
      Reason: PDFString.of('Independent auditor report'),
    }),
  );
  const firstPage: PDFPage | undefined = doc.getPages()[0];
  if (!firstPage) throw new Error('no page');
  const widget = doc.context.register(
    doc.context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      T: PDFString.of('AuditorSignature'),
      Rect: [0, 0, 0, 0],
      F: 132,
      P: firstPage.ref,
      V: sig,
    }),
  );
  firstPage.node.set(name('Annots'), doc.context.obj([widget]));
  doc.catalog.set(name('AcroForm'), doc.context.obj({ Fields: [widget], SigFlags: 3 }));
  const bytes = Buffer.from(await doc.save({ useObjectStreams: false }));
  // Fill in the byte range around the hex /Contents, then the signature over those ranges.
  const text = bytes.toString('latin1');
  const placeholder = /\/ByteRange\s*\[\s*0\s+1111111111\s+2222222222\s+3333333333\s*\]/.exec(text);
  const contentsAt = text.indexOf(`<${'0'.repeat(signatureSpace * 2)}>`);
  if (!placeholder || contentsAt < 0) throw new Error('signature placeholder not found');
  const rangeAt = placeholder.index;
  const gapStart = contentsAt;
  const gapEnd = contentsAt + signatureSpace * 2 + 2;
  const range = `/ByteRange [0 ${gapStart} ${gapEnd} ${bytes.length - gapEnd}]`.padEnd(placeholder[0].length, ' ');
  if (range.length !== placeholder[0].length) throw new Error('byte range does not fit its placeholder');
  bytes.write(range, rangeAt, 'latin1');
  const dir = mkdtempSync(join(tmpdir(), 'signed-pdf-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=Example Audit LLP',
        '-days',
        '30',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    writeFileSync(join(dir, 'signed-data'), Buffer.concat([bytes.subarray(0, gapStart), bytes.subarray(gapEnd)]));
    execFileSync('openssl', [
      'cms',
      '-sign',
      '-binary',
      '-md',
      'sha256',
      '-outform',
      'DER',
      '-signer',
      join(dir, 'cert.pem'),
      '-inkey',
      join(dir, 'key.pem'),
      '-in',
      join(dir, 'signed-data'),
      '-out',
      join(dir, 'sig.der'),
    ]);
    const signature = readFileSync(join(dir, 'sig.der')).toString('hex');
    if (signature.length > signatureSpace * 2) throw new Error('signature larger than its placeholder');
    bytes.write(signature, gapStart + 1, 'latin1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return new Uint8Array(bytes);
}

export async function edgeCasePdf(which: EdgeCaseName): Promise<Uint8Array> {
  switch (which) {
    case 'seeded-30':
      return seededReport(30);
    case 'seeded-300':
      return seededReport(300);
    case 'xref-table':
      return qpdfRewrite(await seededReport(30), ['--object-streams=disable']);
    case 'object-streams':
      return qpdfRewrite(await seededReport(30), ['--object-streams=generate']);
    case 'rotated':
      return rotated();
    case 'content-arrays':
      return contentArrays();
    case 'shared-resources':
      return sharedResources(300);
    case 'forms-annotations':
      return formsAndAnnotations();
    case 'unbalanced-state':
      return unbalancedState();
    case 'signed':
      return signedReport();
    case 'pages-2000':
      return seededReport(2000);
  }
}
