import { ValidationError } from '../errors.js';
import { maxQueriesPerInquiry } from './inquiry-model.js';

/**
 * A questionnaire upload: CSV (a header row, then one question per row; `fileSections` names the
 * columns whose cells are questions) or plain text (one question per line; `# heading` lines start
 * sections that `fileSections` selects). Anything else — spreadsheets, PDFs, Word files, any binary —
 * is refused naming the supported types.
 */
export const supportedTypes =
  'Supported questionnaire files: CSV (UTF-8, a header row, one question per row) and plain text (UTF-8, one question per line).';

export interface Question {
  text: string;
  section?: string;
}

const fail = (message: string) =>
  new ValidationError(message, [{ path: 'inquiryContent.fileContent.content', message }]);

function decodeText(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 8);
  const starts = (...sig: number[]) => sig.every((byte, i) => head[i] === byte);
  if (starts(0x25, 0x50, 0x44, 0x46) || starts(0x50, 0x4b, 0x03, 0x04) || starts(0xd0, 0xcf, 0x11, 0xe0)) {
    throw fail(`This file is a PDF, spreadsheet or Office document. ${supportedTypes}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw fail(`This file is not UTF-8 text. ${supportedTypes}`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: binary content is what this refuses
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) throw fail(`This file holds binary content. ${supportedTypes}`);
  return text.replace(/^\uFEFF/, '');
}

/** RFC 4180 rows: quoted fields may hold commas, quotes (doubled) and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw fail('The CSV file has an unterminated quoted field.');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((cells) => cells.some((cell) => cell.trim() !== ''));
}

const questionHeaders = ['question', 'questions', 'query', 'queries', 'control question', 'requirement'];

/** CSV when the first line has several fields and every row has the header's count (or a question header). */
function looksLikeCsv(text: string): string[][] | undefined {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (!firstLine.includes(',') && !questionHeaders.includes(firstLine.trim().replace(/^"|"$/g, '').toLowerCase())) {
    return undefined;
  }
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch {
    return undefined;
  }
  const width = rows[0]?.length ?? 0;
  if (width === 1) return rows;
  return width > 1 && rows.every((cells) => cells.length === width) ? rows : undefined;
}

function fromCsv(rows: string[][], sections: readonly string[]): Question[] {
  const header = (rows[0] ?? []).map((cell) => cell.trim());
  const lower = header.map((cell) => cell.toLowerCase());
  let columns: number[];
  if (sections.length > 0) {
    const missing = sections.filter((section) => !lower.includes(section.trim().toLowerCase()));
    if (missing.length > 0) {
      throw new ValidationError(`No column ${missing.join(', ')} in the CSV header (columns: ${header.join(', ')}).`, [
        { path: 'inquiryContent.fileContent.fileSections', message: `not a column: ${missing.join(', ')}` },
      ]);
    }
    columns = sections.map((section) => lower.indexOf(section.trim().toLowerCase()));
  } else {
    const named = lower.findIndex((cell) => questionHeaders.includes(cell));
    columns = [named >= 0 ? named : 0];
  }
  return rows.slice(1).flatMap((cells) =>
    columns.flatMap((column) => {
      const text = (cells[column] ?? '').trim();
      return text ? [{ text, section: header[column] as string }] : [];
    }),
  );
}

function fromText(text: string, sections: readonly string[]): Question[] {
  const wanted = new Set(sections.map((section) => section.trim().toLowerCase()));
  const seen = new Set<string>();
  const out: Question[] = [];
  let section: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const heading = /^#+\s*(.+)$/.exec(line);
    if (heading) {
      section = (heading[1] as string).trim();
      seen.add(section.toLowerCase());
      continue;
    }
    if (wanted.size > 0 && !(section && wanted.has(section.toLowerCase()))) continue;
    out.push({ text: line, ...(section ? { section } : {}) });
  }
  const missing = [...wanted].filter((name) => !seen.has(name));
  if (missing.length > 0) {
    throw new ValidationError(`No section ${missing.join(', ')} in the file (sections start with "# heading").`, [
      { path: 'inquiryContent.fileContent.fileSections', message: `not a section: ${missing.join(', ')}` },
    ]);
  }
  return out;
}

/** The questions of a questionnaire file, in order; at least one and at most 200. */
export function questionsOf(bytes: Uint8Array, sections: readonly string[] = []): Question[] {
  const text = decodeText(bytes);
  const rows = looksLikeCsv(text);
  const questions = rows ? fromCsv(rows, sections) : fromText(text, sections);
  if (questions.length === 0) throw fail(`The file holds no questions. ${supportedTypes}`);
  if (questions.length > maxQueriesPerInquiry) {
    throw fail(`The file holds ${questions.length} questions; an inquiry takes at most ${maxQueriesPerInquiry}.`);
  }
  return questions;
}
