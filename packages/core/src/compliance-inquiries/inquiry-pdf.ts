import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import type { Inquiry, InquiryQuery } from './inquiry-model.js';

/**
 * The export document of an inquiry (pdf-lib, standard fonts): its name, who exported it and when,
 * then each chosen query with its answer, how it was answered, and (optionally) its citations.
 * Loaded with `import()` by the export use case only, so the API's cold start does not pay for it.
 */
export interface InquiryPdfInput {
  inquiry: Inquiry;
  queries: InquiryQuery[];
  includeCitations: boolean;
  exportedBy: string;
  exportedAt: string;
  exportId: string;
  /** Where each cited report is found (the caller's console link or ARN). */
  linkOf: (reportId: string) => string;
}

const margin = 56;
const pageSize: [number, number] = [595.28, 841.89];

/** Characters the standard font cannot encode become `?` (a PDF must never fail over an odd glyph). */
function encodable(font: PDFFont, text: string): string {
  let out = '';
  for (const ch of text.replace(/[\t\r\n]+/g, ' ')) {
    try {
      font.encodeText(ch);
      out += ch;
    } catch {
      out += '?';
    }
  }
  return out;
}

function wrap(font: PDFFont, size: number, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of encodable(font, text).split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width || !line) line = candidate;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export async function inquiryPdf(input: InquiryPdfInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const at = new Date(input.exportedAt);
  doc.setTitle(`Compliance inquiry: ${input.inquiry.name}`);
  doc.setSubject(input.inquiry.id);
  doc.setProducer('evidence-portal');
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const width = pageSize[0] - 2 * margin;
  let page: PDFPage = doc.addPage(pageSize);
  let y = pageSize[1] - margin;
  const write = (text: string, font: PDFFont, size: number, color = rgb(0, 0, 0), indent = 0) => {
    for (const line of wrap(font, size, text, width - indent)) {
      if (y < margin + size) {
        page = doc.addPage(pageSize);
        y = pageSize[1] - margin;
      }
      page.drawText(line, { x: margin + indent, y, size, font, color });
      y -= size * 1.35;
    }
  };
  const grey = rgb(0.35, 0.35, 0.35);
  write(`Compliance inquiry: ${input.inquiry.name}`, bold, 16);
  write(`${input.inquiry.id} - ${input.inquiry.status} - ${input.inquiry.statusMessage}`, regular, 9, grey);
  write(
    `Exported by ${input.exportedBy} at ${input.exportedAt} (export ${input.exportId}). Automatic answers are retrieval ` +
      'over the published report catalog, not generated text; answers marked "human review" were written by the portal operator.',
    regular,
    9,
    grey,
  );
  y -= 8;
  for (const query of input.queries) {
    y -= 6;
    write(`Q${query.queryIdentifier}${query.section ? ` (${query.section})` : ''}: ${query.query}`, bold, 11);
    const how =
      query.reviewType === 'HUMAN' ? 'human review' : query.response ? 'automatic retrieval' : query.statusMessage;
    write(query.response ?? query.statusMessage, regular, 10, rgb(0, 0, 0), 12);
    write(`Answered by ${how}; revision ${query.updatedResponseVersions.length}.`, regular, 8, grey, 12);
    if (input.includeCitations) {
      for (const citation of query.citations) {
        write(
          `[${citation.sourceLabel}] ${citation.sourceContent} - ${input.linkOf(citation.reportId)}`,
          regular,
          8,
          grey,
          24,
        );
      }
    }
  }
  return doc.save({ useObjectStreams: false });
}
