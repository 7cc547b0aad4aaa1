import { createHash } from 'node:crypto';
import {
  PDFArray,
  PDFDict,
  type PDFDocument,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFPageLeaf,
  PDFRef,
  PDFStream,
} from 'pdf-lib';
import { pdfSyntax } from './pdf-syntax.js';
import type { PdfTrailer } from './pdf-trailer.js';
import {
  FastPathUnsupported,
  type PageGeometry,
  type PreparedPage,
  type PreparedPdf,
  type PreparedResources,
  preparedPdfFormat,
} from './prepared-pdf.js';
import { sha256Checkpoint } from './resumable-sha256.js';

/** Document-information keys every copy writes anew. */
export const replacedInfoKeys = ['Subject', 'Keywords', 'ModDate', 'PortalDownloadId', 'PortalRecipient'];

const name = (key: string) => PDFName.of(key);

function entriesOf(dict: PDFDict, skip: ReadonlySet<string>): string {
  const parts: string[] = [];
  for (const [key, value] of dict.entries()) {
    if (skip.has(key.decodeText())) continue;
    parts.push(`${key.toString()} ${pdfSyntax(value)}`);
  }
  return parts.join(' ');
}

function numbersOf(doc: PDFDocument, value: PDFObject | undefined): number[] | undefined {
  const array = value instanceof PDFRef ? doc.context.lookup(value) : value;
  if (!(array instanceof PDFArray) || array.size() !== 4) return undefined;
  const out: number[] = [];
  for (let i = 0; i < 4; i++) {
    const item = array.lookup(i);
    if (!(item instanceof PDFNumber)) return undefined;
    out.push(item.asNumber());
  }
  return out;
}

function normalBox(box: number[]): [number, number, number, number] {
  const [a = 0, b = 0, c = 0, d = 0] = box;
  return [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
}

/** The visible region: CropBox clipped to MediaBox (both inheritable), as a reader shows it. */
function geometryOf(doc: PDFDocument, leaf: PDFPageLeaf, pageNumber: number): PageGeometry {
  const media = numbersOf(doc, leaf.getInheritableAttribute(name('MediaBox')));
  if (!media) throw new FastPathUnsupported(`page ${pageNumber} has no valid /MediaBox`);
  let box = normalBox(media);
  const crop = numbersOf(doc, leaf.getInheritableAttribute(name('CropBox')));
  if (crop) {
    const c = normalBox(crop);
    const clipped: [number, number, number, number] = [
      Math.max(box[0], c[0]),
      Math.max(box[1], c[1]),
      Math.min(box[2], c[2]),
      Math.min(box[3], c[3]),
    ];
    if (clipped[2] > clipped[0] && clipped[3] > clipped[1]) box = clipped;
  }
  if (box[2] - box[0] < 1 || box[3] - box[1] < 1) throw new FastPathUnsupported(`page ${pageNumber} has an empty box`);
  const rotateValue = doc.context.lookup(leaf.getInheritableAttribute(name('Rotate')));
  const raw = rotateValue instanceof PDFNumber ? rotateValue.asNumber() : 0;
  // A /Rotate that is not a multiple of 90 is invalid; readers show such a page unrotated.
  const rotate = raw % 90 === 0 ? ((raw % 360) + 360) % 360 : 0;
  return { box, rotate: rotate as PageGeometry['rotate'] };
}

function contentRefs(doc: PDFDocument, leaf: PDFPageLeaf, pageNumber: number): string[] {
  const contents = leaf.get(name('Contents'));
  if (contents === undefined) return [];
  if (contents instanceof PDFRef) {
    const target = doc.context.lookup(contents);
    if (target instanceof PDFStream) return [contents.toString()];
    if (!(target instanceof PDFArray)) throw new FastPathUnsupported(`page ${pageNumber} /Contents is not a stream`);
    return arrayRefs(target, pageNumber);
  }
  if (contents instanceof PDFArray) return arrayRefs(contents, pageNumber);
  throw new FastPathUnsupported(`page ${pageNumber} /Contents is neither a stream nor an array`);
}

function arrayRefs(array: PDFArray, pageNumber: number): string[] {
  return array.asArray().map((item) => {
    if (!(item instanceof PDFRef)) throw new FastPathUnsupported(`page ${pageNumber} /Contents holds a direct object`);
    return item.toString();
  });
}

/** Visible widgets, and other visible annotations with appearances of their own (not links), draw over content. */
function drawsOverContent(doc: PDFDocument, annot: PDFDict): boolean {
  const subtype = annot.get(name('Subtype'))?.toString();
  if (subtype === '/Link' || subtype === '/Popup') return false;
  if (subtype !== '/Widget' && !annot.has(name('AP'))) return false;
  const flags = doc.context.lookup(annot.get(name('F')));
  // Hidden (2) or NoView (32) annotations are never drawn.
  if (flags instanceof PDFNumber && (flags.asNumber() & (2 | 32)) !== 0) return false;
  const rect = numbersOf(doc, annot.get(name('Rect')));
  return (
    rect !== undefined &&
    Math.abs((rect[2] ?? 0) - (rect[0] ?? 0)) >= 1 &&
    Math.abs((rect[3] ?? 0) - (rect[1] ?? 0)) >= 1
  );
}

/** Widgets, and annotations with appearances of their own, are drawn over page content. */
function annotationsOf(doc: PDFDocument, leaf: PDFPageLeaf): { annots: string[]; covered: boolean } | undefined {
  const value = leaf.get(name('Annots'));
  const array = value instanceof PDFRef ? doc.context.lookup(value) : value;
  if (!(array instanceof PDFArray) || array.size() === 0) return undefined;
  let covered = false;
  const annots = array.asArray().map((item) => {
    const annot = item instanceof PDFRef ? doc.context.lookup(item) : item;
    if (annot instanceof PDFDict && drawsOverContent(doc, annot)) covered = true;
    return pdfSyntax(item);
  });
  return { annots, covered };
}

function resourcesOf(doc: PDFDocument, resources: PDFDict | undefined): PreparedResources {
  if (!resources) return { entries: '', xobjects: '', markName: 'EvidencePortalMark' };
  const xobjectValue = resources.get(name('XObject'));
  const xobjects = xobjectValue instanceof PDFRef ? doc.context.lookup(xobjectValue) : xobjectValue;
  const used = new Set<string>();
  let xobjectEntries = '';
  if (xobjects instanceof PDFDict) {
    for (const key of xobjects.keys()) used.add(key.decodeText());
    xobjectEntries = entriesOf(xobjects, new Set());
  }
  let markName = 'EvidencePortalMark';
  for (let n = 2; used.has(markName); n++) markName = `EvidencePortalMark${n}`;
  return { entries: entriesOf(resources, new Set(['XObject'])), xobjects: xobjectEntries, markName };
}

function signaturesOf(doc: PDFDocument): PreparedPdf['signatures'] {
  let count = 0;
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    const dict = object instanceof PDFStream ? undefined : object;
    if (dict instanceof PDFDict && dict.has(name('ByteRange')) && dict.has(name('Contents'))) count++;
  }
  const perms = doc.catalog.lookupMaybe(name('Perms'), PDFDict);
  const docMdpSig = perms?.lookupMaybe(name('DocMDP'), PDFDict);
  const reference = docMdpSig?.lookupMaybe(name('Reference'), PDFArray);
  let docMdp: number | undefined;
  for (let i = 0; reference && i < reference.size(); i++) {
    const transform = reference.lookup(i);
    const params = transform instanceof PDFDict ? transform.lookupMaybe(name('TransformParams'), PDFDict) : undefined;
    const p = params?.lookupMaybe(name('P'), PDFNumber);
    if (p) docMdp = p.asNumber();
  }
  if (docMdpSig && docMdp === undefined) docMdp = 2;
  return { count, ...(docMdp !== undefined ? { docMdp } : {}) };
}

/**
 * The one parse of a version: walks the page tree of an already loaded document (pdf-lib's
 * parser) and keeps what per-download incremental updates need. Throws `FastPathUnsupported` with
 * a reason for structures the incremental writer does not handle; such versions are still
 * published and downloads take the full rewrite.
 */
export function preparePdf(bytes: Uint8Array, doc: PDFDocument, trailer: PdfTrailer): PreparedPdf {
  if (!trailer.root) throw new FastPathUnsupported('the trailer has no /Root reference');
  const geometries: PageGeometry[] = [];
  const geometryIndex = new Map<string, number>();
  const resources: PreparedResources[] = [];
  const resourcesIndex = new Map<PDFObject | string, number>();
  const pages: PreparedPage[] = [];
  const seen = new Set<string>();
  const skipPageKeys = new Set(['Contents', 'Resources', 'Annots']);

  doc.catalog.Pages().traverse((node, ref) => {
    if (!(node instanceof PDFPageLeaf)) return;
    const pageNumber = pages.length + 1;
    if (seen.has(ref.toString())) return;
    seen.add(ref.toString());
    const geometry = geometryOf(doc, node, pageNumber);
    const geometryKey = JSON.stringify(geometry);
    let g = geometryIndex.get(geometryKey);
    if (g === undefined) {
      g = geometries.push(geometry) - 1;
      geometryIndex.set(geometryKey, g);
    }
    // Keyed by the reference (or the direct dictionary's identity) so pages that share one
    // inherited dictionary share one description of it, and later one rewritten dictionary.
    const resourcesValue = node.getInheritableAttribute(name('Resources'));
    const resourcesKey = resourcesValue ?? 'none';
    let r = resourcesIndex.get(resourcesKey instanceof PDFRef ? resourcesKey.toString() : resourcesKey);
    if (r === undefined) {
      const dict = doc.context.lookup(resourcesValue);
      if (dict !== undefined && !(dict instanceof PDFDict)) {
        throw new FastPathUnsupported(`page ${pageNumber} /Resources is not a dictionary`);
      }
      r = resources.push(resourcesOf(doc, dict)) - 1;
      resourcesIndex.set(resourcesKey instanceof PDFRef ? resourcesKey.toString() : resourcesKey, r);
    }
    const annotations = annotationsOf(doc, node);
    pages.push({
      object: ref.objectNumber,
      generation: ref.generationNumber,
      dict: entriesOf(node, skipPageKeys),
      contents: contentRefs(doc, node, pageNumber),
      resources: r,
      geometry: g,
      ...(annotations ? { annots: annotations.annots } : {}),
      ...(annotations?.covered ? { coveredByAnnotations: true } : {}),
    });
  });
  if (pages.length === 0) throw new FastPathUnsupported('the page tree has no pages');

  const info = doc.context.lookup(trailer.info);
  const id = trailer.id instanceof PDFArray ? trailer.id.asArray().map(pdfSyntax) : undefined;
  const checkpoint = sha256Checkpoint(bytes);
  const last = bytes[bytes.byteLength - 1];
  return {
    format: preparedPdfFormat,
    size: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sha256State: checkpoint.state,
    sha256Tail: Buffer.from(checkpoint.tail).toString('base64'),
    endsWithEol: last === 0x0a || last === 0x0d,
    xref: {
      kind: trailer.kind,
      startxref: trailer.startxref,
      size: Math.max(trailer.size, doc.context.largestObjectNumber + 1),
    },
    trailer: {
      root: trailer.root.toString(),
      ...(id && id.length === 2 && id[0] && id[1] ? { id: [id[0], id[1]] as [string, string] } : {}),
    },
    infoEntries: info instanceof PDFDict ? entriesOf(info, new Set(replacedInfoKeys)) : '',
    signatures: signaturesOf(doc),
    geometries,
    resources,
    pages,
  };
}
