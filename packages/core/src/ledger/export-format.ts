import { canonicalJson } from './canonical-json.js';
import { type AnyCheckpoint, parseCheckpoint } from './checkpoint.js';
import { isHexDigest } from './ledger-hashing.js';

/**
 * The JSON Lines export (docs/ledger.md), format v2:
 *   line 1   `{"checkpoints":[...],"format":"evidence-portal.ledger-export.v2","orgId":"..."}`: every
 *            signed checkpoint the portal found for the ledger (table and bucket), by size;
 *   lines    `{"entry":<the stored JCS body, verbatim>,"leaf":"<hex>"}`, one per entry in seq order;
 *   last     `{"head":{"leaf":"<hex>","seq":N}}` (or `{"head":null}`): the stored head, read after the
 *            entries, so a verifier checks the export ends where the head says.
 * Every line is JCS, so an entry's exact hashed bytes sit between a fixed prefix and suffix and a
 * verifier hashes them without re-serializing (a second verifier can parse and re-canonicalize).
 */
export const exportFormat = 'evidence-portal.ledger-export.v2';

export interface ExportHead {
  seq: number;
  /** Absent for heads written before format v2 (they held a chain value instead). */
  leaf?: string;
}

export function exportHeaderLine(orgId: string, checkpoints: readonly AnyCheckpoint[]): string {
  return canonicalJson({ checkpoints, format: exportFormat, orgId });
}

export function exportEntryLine(canonicalBody: string, leaf: string): string {
  return `{"entry":${canonicalBody},"leaf":"${leaf}"}`;
}

export function exportTrailerLine(head: ExportHead | null): string {
  return canonicalJson({ head });
}

export const entryLinePrefix = Buffer.from('{"entry":');
export const leafMemberHead = Buffer.from(',"leaf":"');
export const entryLineEnd = Buffer.from('"}');
/** Where the body starts, and the length of everything after it. */
export const bodyStart = entryLinePrefix.length;
export const suffixLength = leafMemberHead.length + 64 + entryLineEnd.length;
export const trailerPrefix = Buffer.from('{"head":');
/** `{"fault":{kind, reason, seq?}}`: the portal reports a fault of the next entry's stored item that its line cannot show. */
export const faultLinePrefix = Buffer.from('{"fault":');
/** Announcements carry no accountId, so in JCS their body starts with the action. */
export const announcementBodyPrefix = Buffer.from('{"action":"ledger:CheckpointSigned","actor":');

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(line: Buffer): unknown {
  try {
    return JSON.parse(line.toString('utf8'));
  } catch {
    return undefined;
  }
}

export type ParsedHeader = { orgId: string; checkpoints: AnyCheckpoint[] } | { error: string };

/** Line 1, strictly: exactly its three members, and well-formed checkpoints of this organization. */
export function parseExportHeader(line: Buffer): ParsedHeader {
  const value = parseJson(line);
  if (!isRecord(value) || value.format !== exportFormat) return { error: `line 1 is not an ${exportFormat} header` };
  const unknown = Object.keys(value).find((key) => !['checkpoints', 'format', 'orgId'].includes(key));
  if (unknown !== undefined) return { error: `the header has an unknown member ${JSON.stringify(unknown)}` };
  if (typeof value.orgId !== 'string' || value.orgId === '' || !Array.isArray(value.checkpoints)) {
    return { error: 'the header has no orgId or no checkpoint list' };
  }
  const checkpoints: AnyCheckpoint[] = [];
  for (const [i, item] of value.checkpoints.entries()) {
    const parsed = parseCheckpoint(item);
    if ('error' in parsed) return { error: `header checkpoint ${i + 1}: ${parsed.error}` };
    const before = checkpoints.at(-1);
    if (before && before.size >= parsed.checkpoint.size)
      return { error: 'the header checkpoints are not in size order' };
    checkpoints.push(parsed.checkpoint);
  }
  return { orgId: value.orgId, checkpoints };
}

/** The last line, strictly. */
export function parseExportTrailer(line: Buffer): { head: ExportHead | null } | { error: string } {
  const value = parseJson(line);
  if (!isRecord(value) || Object.keys(value).length !== 1 || !('head' in value)) return { error: 'malformed trailer' };
  const head = value.head;
  if (head === null) return { head: null };
  if (!isRecord(head)) return { error: 'malformed trailer' };
  const unknown = Object.keys(head).find((key) => key !== 'seq' && key !== 'leaf');
  const seqOk = typeof head.seq === 'number' && Number.isSafeInteger(head.seq) && head.seq >= 0;
  if (unknown !== undefined || !seqOk || (head.leaf !== undefined && !isHexDigest(head.leaf))) {
    return { error: 'malformed trailer' };
  }
  return { head: { seq: head.seq as number, ...(head.leaf !== undefined ? { leaf: head.leaf as string } : {}) } };
}
