import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { parseSignedCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { canonicalBody, genesisChain, isHexDigest } from './ledger-hashing.js';
import { LedgerChainVerifier, type LedgerVerification } from './ledger-verify.js';
import type { LedgerEntry } from './ledger-writer.js';

/**
 * The JSON Lines export (docs/ledger.md): line 1 is a header carrying the latest checkpoint, then one
 * entry per line in seq order, each line being the JCS form of `{chain, entry, leaf}`. JCS sorts those
 * keys, so the entry's exact hashed bytes sit between a fixed prefix and a fixed suffix: a verifier can
 * hash them without re-serializing (and a second verifier can simply parse and re-canonicalize).
 */
export const exportFormat = 'evidence-portal.ledger-export.v1';

export interface ExportHeader {
  format: typeof exportFormat;
  orgId: string;
  checkpoint: SignedCheckpoint | null;
}

export function exportHeaderLine(orgId: string, checkpoint: SignedCheckpoint | undefined): string {
  return canonicalJson({ format: exportFormat, orgId, checkpoint: checkpoint ?? null });
}

export function exportEntryLine(entry: LedgerEntry): string {
  return `{"chain":"${entry.chain}","entry":${canonicalBody(entry)},"leaf":"${entry.leaf}"}`;
}

const prefixHead = Buffer.from('{"chain":"');
const prefixTail = Buffer.from('","entry":');
const suffixHead = Buffer.from(',"leaf":"');
const suffixTail = Buffer.from('"}');
const chainStart = prefixHead.length;
const bodyStart = chainStart + 64 + prefixTail.length;
const suffixLength = suffixHead.length + 64 + suffixTail.length;
const seqKey = Buffer.from('"seq":');

function matchesAt(line: Buffer, at: number, expected: Buffer): boolean {
  return line.compare(expected, 0, expected.length, at, at + expected.length) === 0;
}

/** An entry line's parts, or undefined when the line is not in the fixed layout. */
function splitEntryLine(line: Buffer) {
  if (line.length < bodyStart + suffixLength + 2) return undefined;
  const suffixStart = line.length - suffixLength;
  if (
    !matchesAt(line, 0, prefixHead) ||
    !matchesAt(line, chainStart + 64, prefixTail) ||
    !matchesAt(line, suffixStart, suffixHead) ||
    !matchesAt(line, line.length - suffixTail.length, suffixTail)
  ) {
    return undefined;
  }
  return {
    chain: line.toString('latin1', chainStart, chainStart + 64),
    body: line.subarray(bodyStart, suffixStart),
    leaf: line.toString('latin1', suffixStart + suffixHead.length, suffixStart + suffixHead.length + 64),
  };
}

/**
 * JCS puts the body's keys in order accountId?, action, actor, details, orgId, seq, subject, time. Only
 * strings follow `seq`, and a string cannot contain `"seq":` unescaped, so its last occurrence is the
 * top-level one. Anything odd falls back to a full parse.
 */
function seqOf(body: Buffer): number | undefined {
  const at = body.lastIndexOf(seqKey);
  if (at < 0) return undefined;
  let value = 0;
  let i = at + seqKey.length;
  const start = i;
  for (; i < body.length; i++) {
    const c = body[i]!;
    if (c < 0x30 || c > 0x39) break;
    value = value * 10 + (c - 0x30);
  }
  return i > start && body[i] === 0x2c ? value : undefined;
}

/** Streaming verifier of an export: feed lines (without the newline) in order, then `finish()`. */
export class ExportVerifier {
  private verifier: LedgerChainVerifier | undefined;
  private headerError: string | undefined;
  private lineNumber = 0;

  constructor(private readonly options: { publicKeyPem?: string } = {}) {}

  get failed(): boolean {
    return this.headerError !== undefined || (this.verifier?.failed ?? false);
  }

  pushLine(line: Buffer): void {
    this.lineNumber++;
    if (this.lineNumber === 1) {
      this.readHeader(line);
      return;
    }
    if (!this.verifier || this.verifier.failed || line.length === 0) return;
    const parts = splitEntryLine(line);
    const seq = parts ? seqOf(parts.body) : undefined;
    if (parts && seq !== undefined) {
      // Fast path: hash the exact bytes the ledger hashed. The org is bound by the header's checkpoint
      // and the chain; its textual check rides on the full parse below only when the layout is odd.
      const org = this.orgOf(parts.body);
      // The byte before the body is the ':' of `"entry":`; the line is done with once split, so it
      // becomes the 0x00 leaf prefix and the leaf is one hash over the line's own memory.
      line[bodyStart - 1] = 0x00;
      const leaf = hash('sha256', line.subarray(bodyStart - 1, bodyStart + parts.body.length), 'buffer');
      this.verifier.pushDigest(seq, org, leaf, parts.leaf, parts.chain);
      return;
    }
    this.pushParsed(line);
  }

  private orgOf(body: Buffer): string | undefined {
    // The org id is fixed per export; checking its bytes is cheaper than parsing the body.
    return body.includes(this.orgNeedle!) ? this.orgId : undefined;
  }

  private orgId: string | undefined;
  private orgNeedle: Buffer | undefined;

  private pushParsed(line: Buffer): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const value = parsed as { chain?: unknown; entry?: LedgerEntry; leaf?: unknown } | undefined;
    const entry = value?.entry;
    if (!entry || typeof entry !== 'object' || !isHexDigest(value.leaf) || !isHexDigest(value.chain)) {
      this.verifier!.pushHashed(undefined, undefined, '', undefined, undefined);
      return;
    }
    this.verifier!.push({ ...entry, leaf: value.leaf, chain: value.chain });
  }

  private readHeader(line: Buffer): void {
    let header: Partial<ExportHeader> | undefined;
    try {
      header = JSON.parse(line.toString('utf8')) as Partial<ExportHeader>;
    } catch {
      header = undefined;
    }
    if (!header || header.format !== exportFormat || typeof header.orgId !== 'string') {
      this.headerError = `line 1 is not an ${exportFormat} header`;
      return;
    }
    const checkpoint = header.checkpoint == null ? undefined : parseSignedCheckpoint(header.checkpoint);
    if (header.checkpoint != null && !checkpoint) {
      this.headerError = 'the header checkpoint is malformed';
      return;
    }
    this.orgId = header.orgId;
    this.orgNeedle = Buffer.from(`"orgId":${JSON.stringify(header.orgId)},"seq":`);
    this.verifier = new LedgerChainVerifier({
      orgId: header.orgId,
      ...(checkpoint ? { checkpoint } : {}),
      ...(this.options.publicKeyPem !== undefined ? { publicKeyPem: this.options.publicKeyPem } : {}),
    });
  }

  finish(): LedgerVerification & { orgId?: string } {
    if (this.headerError !== undefined || !this.verifier) {
      return {
        valid: false,
        size: 0,
        head: genesisChain,
        reason: this.headerError ?? 'empty export',
      };
    }
    return { ...this.verifier.finish(), ...(this.orgId !== undefined ? { orgId: this.orgId } : {}) };
  }
}

/** Splits a byte stream into lines without decoding it (the verifier hashes bytes, not strings). */
type Chunks = AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>;

export async function* byteLines(chunks: Chunks): AsyncGenerator<Buffer> {
  let rest: Buffer | undefined;
  for await (const chunk of chunks) {
    const buffer =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'utf8')
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const data = rest && rest.length > 0 ? Buffer.concat([rest, buffer]) : buffer;
    let start = 0;
    for (let end = data.indexOf(0x0a, start); end >= 0; end = data.indexOf(0x0a, start)) {
      yield data.subarray(start, end > start && data[end - 1] === 0x0d ? end - 1 : end);
      start = end + 1;
    }
    rest = data.subarray(start);
  }
  if (rest && rest.length > 0) yield rest;
}

/** Verifies an export given as a byte stream (a file, an HTTP body). Buffers passed in are consumed: the verifier writes into them. */
export async function verifyExport(
  chunks: Chunks,
  options: { publicKeyPem?: string } = {},
): Promise<LedgerVerification & { orgId?: string }> {
  const verifier = new ExportVerifier(options);
  for await (const line of byteLines(chunks)) {
    verifier.pushLine(line);
    if (verifier.failed) break;
  }
  return verifier.finish();
}
