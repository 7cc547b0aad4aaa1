import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { canonicalBody, entryFromCanonical, parseEntryBody } from './entry-body.js';
import {
  announcementBodyPrefix,
  bodyStart,
  entryLineEnd,
  entryLinePrefix,
  faultLinePrefix,
  leafMemberHead,
  suffixLength,
  trailerPrefix,
} from './export-format.js';
import { isHexDigest, leafHashOfCanonical } from './ledger-hashing.js';

const seqKey = Buffer.from('"seq":');

// A byte loop: for these few bytes it is cheaper than a call into Buffer.compare.
function matchesAt(line: Uint8Array, at: number, expected: Uint8Array): boolean {
  for (let i = 0; i < expected.length; i++) if (line[at + i] !== expected[i]) return false;
  return true;
}

type Chunk = Buffer | Uint8Array | string;

export function asBuffer(chunk: Chunk): Buffer {
  return typeof chunk === 'string'
    ? Buffer.from(chunk, 'utf8')
    : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Splits a byte stream into lines without decoding it (the verifier hashes bytes, not strings), one
 * chunk at a time and synchronously: no promise per line. A '\r' before a '\n' is dropped.
 * `offset` is the byte position (in the stream) where the next line starts.
 */
export class LineSplitter {
  private rest: Buffer | undefined;
  offset = 0;

  push(chunk: Chunk, onLine: (line: Buffer, start: number) => boolean | undefined): boolean {
    let data = asBuffer(chunk);
    let start = 0;
    if (this.rest && this.rest.length > 0) {
      // Only the line that spans two chunks is copied; the rest of the chunk is split in place.
      const first = data.indexOf(0x0a);
      if (first < 0) {
        this.rest = Buffer.concat([this.rest, data]);
        return true;
      }
      const joined = Buffer.concat([this.rest, data.subarray(0, first + 1)]);
      this.rest = undefined;
      if (!this.emit(joined, 0, joined.length - 1, onLine)) return false;
      start = first + 1;
    }
    for (let end = data.indexOf(0x0a, start); end >= 0; end = data.indexOf(0x0a, start)) {
      if (!this.emit(data, start, end, onLine)) return false;
      start = end + 1;
    }
    // Kept as a view: the next chunk copies it once, with the start of its own first line.
    data = data.subarray(start);
    this.rest = data.length > 0 ? data : undefined;
    return true;
  }

  /** The line at [start, end) of `data` (end is its '\n'). */
  private emit(data: Buffer, start: number, end: number, onLine: (line: Buffer, start: number) => boolean | undefined) {
    const lineStart = this.offset;
    this.offset += end + 1 - start;
    if (onLine(data.subarray(start, end > start && data[end - 1] === 0x0d ? end - 1 : end), lineStart) === false) {
      this.rest = undefined;
      return false;
    }
    return true;
  }

  /** The last line, when the stream does not end with a newline. */
  end(onLine: (line: Buffer, start: number) => boolean | undefined): void {
    if (this.rest && this.rest.length > 0) onLine(this.rest, this.offset);
    this.rest = undefined;
  }
}

/**
 * Reads one line after the header. An entry line in the fixed layout is split without parsing
 * (`fast`): its claimed leaf stays in the line as hex bytes at `leafAt`, and the leaf is hashed from
 * the exact bytes the ledger hashed. Any other entry line is parsed and re-canonicalized (`parsed`),
 * which still verifies a line re-serialized without changing its meaning. Fields are reused, so the
 * hot path allocates nothing per line.
 */
export class ExportLineReader {
  kind: 'fast' | 'parsed' | 'trailer' | 'fault' | 'bad' = 'fast';
  seq = 0;
  /** The leaf computed from the entry's bytes (hex). */
  leaf = '';
  /** Where the claimed leaf's 64 hex bytes start (fast lines). */
  leafAt = 0;
  /** The claimed leaf (parsed lines). */
  claimedLeaf = '';
  /** The body as text, for lines that are checked strictly or are announcements. */
  body = '';
  announcement = false;
  /** Why a `bad` line is bad. */
  problem = '';
  private readonly orgField: Buffer;

  constructor(readonly orgId: string) {
    this.orgField = Buffer.from(`"orgId":${canonicalJson(orgId)},`);
  }

  /** `strict`: the body must also be a canonical, well-formed entry (checked by parsing it). */
  read(line: Buffer, strict: boolean): void {
    const suffixStart = line.length - suffixLength;
    this.announcement = false;
    this.seq = 0;
    if (
      line.length >= bodyStart + suffixLength + 2 &&
      matchesAt(line, 0, entryLinePrefix) &&
      matchesAt(line, suffixStart, leafMemberHead) &&
      matchesAt(line, line.length - entryLineEnd.length, entryLineEnd) &&
      this.readSeq(line, bodyStart, suffixStart)
    ) {
      this.kind = 'fast';
      this.leafAt = suffixStart + leafMemberHead.length;
      this.announcement = matchesAt(line, bodyStart, announcementBodyPrefix);
      if (strict || this.announcement) {
        this.body = line.toString('utf8', bodyStart, suffixStart);
        if (strict) {
          const checked = entryFromCanonical(this.body);
          if ('error' in checked) {
            this.kind = 'bad';
            this.problem = checked.error;
            return;
          }
        }
      }
      // The byte before the body is the ':' of `"entry":`; the line is done with once split, so it
      // becomes the 0x00 leaf prefix and the leaf is one hash over the line's own memory.
      line[bodyStart - 1] = 0x00;
      this.leaf = hash('sha256', line.subarray(bodyStart - 1, suffixStart), 'hex');
      return;
    }
    if (matchesAt(line, 0, trailerPrefix)) {
      this.kind = 'trailer';
      return;
    }
    if (matchesAt(line, 0, faultLinePrefix)) {
      this.kind = 'fault';
      return;
    }
    this.readParsed(line);
  }

  /**
   * The top-level seq of the body at [start, end), into `seq`. JCS puts the body's keys in order
   * accountId?, action, actor, details, orgId, seq, subject, time: only strings follow `seq`, and a
   * string cannot contain `"seq":` unescaped, so its last occurrence is the top-level one, and what
   * precedes it must be this export's `"orgId":"...",` (an object value would end in `}`).
   */
  private readSeq(line: Buffer, start: number, end: number): boolean {
    const at = line.lastIndexOf(seqKey, end - 1);
    const org = this.orgField;
    if (at - org.length < start) return false;
    if (!matchesAt(line, at - org.length, org)) return false;
    let value = 0;
    let i = at + seqKey.length;
    const digits = i;
    for (; i < end; i++) {
      const c = line[i]!;
      if (c < 0x30 || c > 0x39) break;
      value = value * 10 + (c - 0x30);
    }
    if (i === digits || i - digits > 15 || line[i] !== 0x2c || (line[digits] === 0x30 && i - digits > 1)) return false;
    this.seq = value;
    return true;
  }

  private readParsed(line: Buffer): void {
    this.kind = 'bad';
    let value: unknown;
    try {
      value = JSON.parse(line.toString('utf8'));
    } catch {
      this.problem = 'the line is not JSON';
      return;
    }
    const record = value as { entry?: unknown; leaf?: unknown } | null;
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      this.problem = 'the line is not an entry';
      return;
    }
    const unknown = Object.keys(record).find((key) => key !== 'entry' && key !== 'leaf');
    if (unknown !== undefined || !isHexDigest(record.leaf)) {
      this.problem =
        unknown !== undefined ? `the line has an unknown member ${JSON.stringify(unknown)}` : 'the line has no leaf';
      return;
    }
    const checked = parseEntryBody(record.entry);
    if ('error' in checked) {
      this.problem = checked.error;
      return;
    }
    if (checked.body.orgId !== this.orgId) {
      this.problem = 'the entry belongs to another organization';
      this.seq = checked.body.seq;
      return;
    }
    try {
      this.body = canonicalBody(checked.body);
    } catch (error) {
      this.problem = `the entry has no canonical form (${error instanceof Error ? error.message : 'not JSON'})`;
      return;
    }
    this.kind = 'parsed';
    this.seq = checked.body.seq;
    this.claimedLeaf = record.leaf;
    this.leaf = leafHashOfCanonical(this.body);
    this.announcement = checked.body.action === 'ledger:CheckpointSigned' && checked.body.accountId === undefined;
  }
}
