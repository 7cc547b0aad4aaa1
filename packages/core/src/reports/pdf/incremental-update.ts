import { createHash } from 'node:crypto';
import { PDFHexString, PDFString } from 'pdf-lib';
import { assertWinAnsi, type OverlayPart, type OverlayText, overlayContent } from './overlay-content.js';
import { FastPathUnsupported, type PreparedPdf, preparedPdfFormat } from './prepared-pdf.js';
import { sha256Resume } from './resumable-sha256.js';
import { runs, UpdateWriter, type XrefEntry } from './update-writer.js';

/** Who a copy is for, as printed on it (the same stamp the full rewrite takes). */
export interface CopyStamp {
  email: string;
  displayName: string;
  accountId: string;
  time: Date;
  downloadId: string;
  termsRevision: string;
}

export interface IncrementalCopy {
  /** Appended after the untouched original bytes. */
  update: Buffer;
  /** Size and SHA-256 of the whole copy (original + update). */
  size: number;
  sha256: string;
}

const markOpacity = 0.18;
const stripOpacity = 0.7;

export function utcStamp(time: Date): string {
  return `${time.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** The printed lines; control characters become spaces. */
export function overlayText(stamp: CopyStamp): OverlayText {
  const clean = (text: string) =>
    Array.from(text, (char) => {
      const code = char.codePointAt(0) ?? 0;
      return code < 0x20 || (code >= 0x7f && code < 0xa0) ? ' ' : char;
    }).join('');
  return {
    mark: clean(`${stamp.email} · ${stamp.accountId}`),
    footer: clean(
      `Licensed to ${stamp.email} · account ${stamp.accountId} · ${utcStamp(stamp.time)} · download ${stamp.downloadId} · terms ${stamp.termsRevision}`,
    ),
  };
}

/**
 * The part of an update that is the same for every copy of a version: the rewritten pages, their
 * resource dictionaries and annotations, the font, graphics states and invocation streams. Built
 * once per prepared description and kept; a copy adds only its overlay forms (the text), its Info
 * dictionary and the cross-reference section.
 */
interface UpdatePlan {
  chunk: Buffer;
  entries: Map<number, XrefEntry>;
  forms: Array<{ ref: number; geometry: number; part: OverlayPart }>;
  fontRef: number;
  markGsRef: number;
  stripGsRef: number;
  next: number;
}

const plans = new WeakMap<PreparedPdf, UpdatePlan>();

function planUpdate(prepared: PreparedPdf): UpdatePlan {
  const cached = plans.get(prepared);
  if (cached) return cached;
  const out = new UpdateWriter(prepared.size, { pack: prepared.xref.kind === 'stream' });
  if (!prepared.endsWithEol) out.raw('\n');
  let next = prepared.xref.size;
  const fontRef = next++;
  const markGsRef = next++;
  const stripGsRef = next++;
  const openRef = next++;
  out.object(fontRef, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  out.object(markGsRef, `<< /Type /ExtGState /ca ${markOpacity} /CA ${markOpacity} >>`);
  out.object(stripGsRef, `<< /Type /ExtGState /ca ${stripOpacity} >>`);
  // Saves the graphics state before the original content, so whatever it leaves set (a flipped
  // matrix, a clip, a colour) is undone before the overlay draws.
  out.stream(openRef, '', 'q\n');

  const forms = new Map<string, number>();
  const formSlots: UpdatePlan['forms'] = [];
  const form = (geometry: number, part: OverlayPart): number => {
    const key = `${geometry}:${part}`;
    let ref = forms.get(key);
    if (ref === undefined) {
      if (!prepared.geometries[geometry]) throw new FastPathUnsupported(`no geometry ${geometry} in the description`);
      ref = next++;
      forms.set(key, ref);
      formSlots.push({ ref, geometry, part });
    }
    return ref;
  };
  const invocations = new Map<string, number>();
  const invocation = (markName: string): number => {
    let ref = invocations.get(markName);
    if (ref === undefined) {
      ref = next++;
      out.stream(ref, '', `Q q /${markName} Do Q\n`);
      invocations.set(markName, ref);
    }
    return ref;
  };
  // One rewritten dictionary per (original dictionary, overlay form): pages that shared an
  // inherited dictionary share its successor, so the copy grows with distinct dictionaries, not pages.
  const dictionaries = new Map<string, number>();
  const resourcesFor = (index: number, formRef: number): { ref: number; markName: string } => {
    const resources = prepared.resources[index];
    if (!resources) throw new FastPathUnsupported(`no resources ${index} in the description`);
    const key = `${index}:${formRef}`;
    let ref = dictionaries.get(key);
    if (ref === undefined) {
      ref = next++;
      out.object(
        ref,
        `<<${resources.entries} /XObject <<${resources.xobjects} /${resources.markName} ${formRef} 0 R>>>>`,
      );
      dictionaries.set(key, ref);
    }
    return { ref, markName: resources.markName };
  };

  for (const page of prepared.pages) {
    const covered = page.coveredByAnnotations === true;
    const contentForm = form(page.geometry, covered ? 'footer' : 'all');
    const resources = resourcesFor(page.resources, contentForm);
    const contents = [`${openRef} 0 R`, ...page.contents, `${invocation(resources.markName)} 0 R`];
    const annots = [...(page.annots ?? [])];
    if (covered) {
      // Annotations draw above page content in array order: the mark rides on the last one.
      const box = prepared.geometries[page.geometry]?.box.join(' ');
      const annotRef = next++;
      out.object(
        annotRef,
        `<</Type /Annot /Subtype /Watermark /Rect [${box}] /F 4 /P ${page.object} ${page.generation} R /AP <</N ${form(page.geometry, 'mark')} 0 R>>>>`,
      );
      annots.push(`${annotRef} 0 R`);
    }
    out.object(
      page.object,
      `<<${page.dict} /Contents [${contents.join(' ')}] /Resources ${resources.ref} 0 R${annots.length ? ` /Annots [${annots.join(' ')}]` : ''}>>`,
      page.generation,
    );
  }
  out.flushPacked(next++);
  const plan: UpdatePlan = {
    chunk: out.bytes(),
    entries: out.entries,
    forms: formSlots,
    fontRef,
    markGsRef,
    stripGsRef,
    next,
  };
  plans.set(prepared, plan);
  return plan;
}

/**
 * The incremental update that stamps a copy: appended to the untouched original, it redefines
 * each page object (same number and generation) with /Contents `[q, original..., overlay]` and a
 * /Resources of its own that lists the original entries plus one overlay XObject, adds the overlay
 * forms (Helvetica and two ExtGStates as their own resources), a Watermark annotation on pages whose
 * widgets would cover the mark, a new Info dictionary, and a new cross-reference section of the
 * original's kind chained with /Prev. No parse: everything comes from the prepared description.
 */
export function incrementalCopy(prepared: PreparedPdf, stamp: CopyStamp): IncrementalCopy {
  if (prepared.format !== preparedPdfFormat) throw new FastPathUnsupported(`unknown description ${prepared.format}`);
  const text = overlayText(stamp);
  assertWinAnsi(text.footer);
  const plan = planUpdate(prepared);
  const out = new UpdateWriter(prepared.size + plan.chunk.length, { pack: false });
  let next = plan.next;
  const formResources = `/Resources <</Font <</F ${plan.fontRef} 0 R>> /ExtGState <</Mark ${plan.markGsRef} 0 R /Strip ${plan.stripGsRef} 0 R>>>>`;
  for (const slot of plan.forms) {
    const geometry = prepared.geometries[slot.geometry];
    if (!geometry) throw new FastPathUnsupported(`no geometry ${slot.geometry} in the description`);
    out.stream(
      slot.ref,
      `/Type /XObject /Subtype /Form /BBox [${geometry.box.join(' ')}] ${formResources}`,
      overlayContent(geometry, text, slot.part),
    );
  }

  const infoRef = next++;
  const when = utcStamp(stamp.time);
  const info = [
    prepared.infoEntries,
    `/Subject ${PDFHexString.fromText(`Download ${stamp.downloadId} for ${stamp.email} (${stamp.accountId}), ${when}`).toString()}`,
    `/Keywords ${PDFHexString.fromText(`download:${stamp.downloadId} account:${stamp.accountId} terms:${stamp.termsRevision}`).toString()}`,
    `/ModDate ${PDFString.fromDate(stamp.time).toString()}`,
    `/PortalDownloadId ${PDFHexString.fromText(stamp.downloadId).toString()}`,
    `/PortalRecipient ${PDFHexString.fromText(`${stamp.displayName} <${stamp.email}>`).toString()}`,
  ];
  out.object(infoRef, `<<${info.filter(Boolean).join(' ')}>>`);

  // The first ID names the document and stays; the second names this revision.
  const revisionId = `<${createHash('sha256').update(stamp.downloadId).digest('hex').slice(0, 32)}>`;
  const id = `[${prepared.trailer.id?.[0] ?? revisionId} ${revisionId}]`;
  const trailerEntries = `/Root ${prepared.trailer.root} /Info ${infoRef} 0 R /ID ${id} /Prev ${prepared.xref.startxref}`;
  const entries = new Map<number, XrefEntry>([...plan.entries, ...out.entries]);

  const startxref = out.position;
  if (prepared.xref.kind === 'stream') {
    const xrefRef = next++;
    entries.set(xrefRef, { offset: startxref, generation: 0 });
    const numbers = [...entries.keys()].sort((a, b) => a - b);
    const rows = Buffer.alloc(numbers.length * 7);
    numbers.forEach((n, row) => {
      const entry = entries.get(n) ?? { offset: 0, generation: 0 };
      const at = row * 7;
      if ('stream' in entry) {
        rows.writeUInt8(2, at);
        rows.writeUInt32BE(entry.stream, at + 1);
        rows.writeUInt16BE(entry.index, at + 5);
      } else {
        rows.writeUInt8(1, at);
        rows.writeUInt32BE(entry.offset, at + 1);
        rows.writeUInt16BE(entry.generation, at + 5);
      }
    });
    const index = runs(numbers).flat().join(' ');
    out.raw(
      `${xrefRef} 0 obj\n<< /Type /XRef /Size ${next} /Index [${index}] /W [1 4 2] ${trailerEntries} /Length ${rows.length} >>\nstream\n`,
    );
    out.raw(rows);
    out.raw('\nendstream\nendobj\n');
  } else {
    const numbers = [...entries.keys()].sort((a, b) => a - b);
    const lines: string[] = ['xref'];
    for (const [first, count] of runs(numbers)) {
      lines.push(`${first} ${count}`);
      for (let n = first; n < first + count; n++) {
        const entry = entries.get(n);
        if (!entry || 'stream' in entry) throw new Error('an xref table cannot point into an object stream');
        lines.push(`${String(entry.offset).padStart(10, '0')} ${String(entry.generation).padStart(5, '0')} n `);
      }
    }
    out.raw(`${lines.join('\n')}\ntrailer\n<< /Size ${next} ${trailerEntries} >>\n`);
  }
  out.raw(`startxref\n${startxref}\n%%EOF\n`);
  const update = Buffer.concat([plan.chunk, out.bytes()]);
  return {
    update,
    size: prepared.size + update.length,
    sha256: sha256Resume(prepared.sha256State, Buffer.from(prepared.sha256Tail, 'base64'), update),
  };
}
