import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { parseSignedCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import {
  canonicalBody,
  decodeHexDigest,
  genesisChain,
  hexDigestEquals,
  isHexDigest,
  leafHash,
} from './ledger-hashing.js';
import { LedgerChainVerifier, type LedgerVerification } from './ledger-verify.js';
import type { LedgerEntry } from './ledger-writer.js';
import { MerkleFrontier } from './merkle-tree.js';

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

// A byte loop: for these few bytes it is cheaper than a call into Buffer.compare.
function matchesAt(line: Uint8Array, at: number, expected: Uint8Array): boolean {
  for (let i = 0; i < expected.length; i++) if (line[at + i] !== expected[i]) return false;
  return true;
}

type Chunks = AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>;

function asBuffer(chunk: Buffer | Uint8Array | string): Buffer {
  return typeof chunk === 'string'
    ? Buffer.from(chunk, 'utf8')
    : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Splits a byte stream into lines without decoding it (the verifier hashes bytes, not strings), one
 * chunk at a time and synchronously: no promise per line. A '\r' before a '\n' is dropped.
 */
export class LineSplitter {
  private rest: Buffer | undefined;

  push(chunk: Buffer | Uint8Array | string, onLine: (line: Buffer) => void): void {
    const buffer = asBuffer(chunk);
    const data = this.rest && this.rest.length > 0 ? Buffer.concat([this.rest, buffer]) : buffer;
    let start = 0;
    for (let end = data.indexOf(0x0a, start); end >= 0; end = data.indexOf(0x0a, start)) {
      onLine(data.subarray(start, end > start && data[end - 1] === 0x0d ? end - 1 : end));
      start = end + 1;
    }
    this.rest = data.subarray(start);
  }

  /** The last line, when the stream does not end with a newline. */
  end(onLine: (line: Buffer) => void): void {
    if (this.rest && this.rest.length > 0) onLine(this.rest);
    this.rest = undefined;
  }
}

type ParsedHeader = { orgId: string; checkpoint: SignedCheckpoint | undefined } | { error: string };

function parseHeaderLine(line: Buffer): ParsedHeader {
  let header: Partial<ExportHeader> | undefined;
  try {
    header = JSON.parse(line.toString('utf8')) as Partial<ExportHeader>;
  } catch {
    header = undefined;
  }
  if (!header || header.format !== exportFormat || typeof header.orgId !== 'string') {
    return { error: `line 1 is not an ${exportFormat} header` };
  }
  const checkpoint = header.checkpoint == null ? undefined : parseSignedCheckpoint(header.checkpoint);
  if (header.checkpoint != null && !checkpoint) return { error: 'the header checkpoint is malformed' };
  return { orgId: header.orgId, checkpoint };
}

/**
 * Reads one entry line. A line in the fixed layout is split without parsing (`fast`): its claimed leaf
 * and chain stay in the line as hex bytes at `leafAt` and `chainStart`, and the leaf is hashed from
 * the exact bytes the ledger hashed. Anything else is parsed and re-canonicalized (`parsed`), which
 * reports precisely what is wrong. Fields are reused, so the hot path allocates nothing per line.
 */
class EntryLineReader {
  kind: 'fast' | 'parsed' = 'fast';
  seq = 0;
  leafAt = 0;
  /** The leaf computed from the entry (hex), '' when the entry cannot be hashed; unset without `hashLeaves`. */
  leaf = '';
  /** The parsed path's entry, with its claimed leaf and chain (undefined when the line is not an entry). */
  parsed: LedgerEntry | undefined;
  /** `"orgId":<this export's org>,` as bytes. */
  private readonly orgField: Buffer;

  constructor(
    exportOrgId: string,
    private readonly hashLeaves: boolean,
  ) {
    this.orgField = Buffer.from(`"orgId":${canonicalJson(exportOrgId)},`);
  }

  read(line: Buffer): void {
    const suffixStart = line.length - suffixLength;
    if (
      line.length >= bodyStart + suffixLength + 2 &&
      matchesAt(line, 0, prefixHead) &&
      matchesAt(line, chainStart + 64, prefixTail) &&
      matchesAt(line, suffixStart, suffixHead) &&
      matchesAt(line, line.length - suffixTail.length, suffixTail) &&
      this.readSeq(line, bodyStart, suffixStart)
    ) {
      this.kind = 'fast';
      this.leafAt = suffixStart + suffixHead.length;
      if (this.hashLeaves) {
        // The byte before the body is the ':' of `"entry":`; the line is done with once split, so it
        // becomes the 0x00 leaf prefix and the leaf is one hash over the line's own memory.
        line[bodyStart - 1] = 0x00;
        this.leaf = hash('sha256', line.subarray(bodyStart - 1, suffixStart), 'hex');
      }
      return;
    }
    this.kind = 'parsed';
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
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const value = parsed as { chain?: unknown; entry?: LedgerEntry; leaf?: unknown } | undefined;
    const entry = value?.entry;
    if (!entry || typeof entry !== 'object' || !isHexDigest(value.leaf) || !isHexDigest(value.chain)) {
      this.parsed = undefined;
      this.leaf = '';
      return;
    }
    this.parsed = { ...entry, leaf: value.leaf, chain: value.chain };
    if (this.hashLeaves) {
      try {
        this.leaf = leafHash(entry);
      } catch {
        this.leaf = '';
      }
    }
  }
}

export interface ExportVerifierOptions {
  publicKeyPem?: string;
  /**
   * `claimed`: the chain is followed from each line's claimed leaf without hashing the entry; a
   * parallel `ExportLeafVerifier` must prove the claimed leaves and supply the Merkle root to `finish`.
   */
  leaves?: 'hash' | 'claimed';
}

/** Streaming verifier of an export: feed lines (without the newline) in order, then `finish()`. */
export class ExportVerifier {
  private verifier: LedgerChainVerifier | undefined;
  private reader: EntryLineReader | undefined;
  private headerError: string | undefined;
  private orgId: string | undefined;
  private lineNumber = 0;
  private readonly claimed: boolean;

  constructor(private readonly options: ExportVerifierOptions = {}) {
    this.claimed = options.leaves === 'claimed';
  }

  get failed(): boolean {
    return this.headerError !== undefined || (this.verifier?.failed ?? false);
  }

  /** Entries verified so far. */
  get size(): number {
    return this.verifier?.size ?? 0;
  }

  /** Lines are consumed: the hashing path writes into them. */
  pushLine(line: Buffer): void {
    this.lineNumber++;
    if (this.lineNumber === 1) {
      this.readHeader(line);
      return;
    }
    const verifier = this.verifier;
    const reader = this.reader;
    if (!verifier || !reader || verifier.failed || line.length === 0) return;
    reader.read(line);
    if (reader.kind === 'fast') {
      verifier.pushExportLine(reader.seq, this.claimed ? undefined : reader.leaf, line, reader.leafAt, chainStart);
      return;
    }
    const entry = reader.parsed;
    if (!entry) verifier.pushHashed(undefined, undefined, '', undefined, undefined);
    // With claimed leaves the chain runs from the entry's own leaf; the leaf pass proves it.
    else verifier.pushHashed(entry.seq, entry.orgId, this.claimed ? entry.leaf : reader.leaf, entry.leaf, entry.chain);
  }

  private readHeader(line: Buffer): void {
    const header = parseHeaderLine(line);
    if ('error' in header) {
      this.headerError = header.error;
      return;
    }
    this.orgId = header.orgId;
    this.reader = new EntryLineReader(header.orgId, !this.claimed);
    this.verifier = new LedgerChainVerifier({
      orgId: header.orgId,
      ...(header.checkpoint ? { checkpoint: header.checkpoint } : {}),
      ...(this.options.publicKeyPem !== undefined ? { publicKeyPem: this.options.publicKeyPem } : {}),
      ...(this.claimed ? { merkle: 'external' as const } : {}),
    });
  }

  /** `merkleRoot`: with `leaves: 'claimed'`, the root the leaf pass computed. */
  finish(merkleRoot?: string): LedgerVerification & { orgId?: string } {
    if (this.headerError !== undefined || !this.verifier) {
      return {
        valid: false,
        size: 0,
        head: genesisChain,
        reason: this.headerError ?? 'empty export',
      };
    }
    return { ...this.verifier.finish(merkleRoot), ...(this.orgId !== undefined ? { orgId: this.orgId } : {}) };
  }
}

export interface LeafPassResult {
  /** Entry lines seen. */
  entries: number;
  /** Every entry line's claimed leaf equals the hash of its entry. */
  leavesMatch: boolean;
  /** Root of the first `checkpoint.size` leaves, when the header carries a checkpoint. */
  merkleRoot?: string;
}

/**
 * The other half of a parallel export verification (run in a worker beside `ExportVerifier` with
 * `leaves: 'claimed'`): hashes every entry, compares it with the claimed leaf and builds the Merkle
 * tree. It stops at the first mismatch: the caller then re-runs the sequential verifier, which names
 * the first bad seq and why.
 */
export class ExportLeafVerifier {
  private reader: EntryLineReader | undefined;
  private checkpointSize: number | undefined;
  private readonly frontier = new MerkleFrontier();
  private readonly leafBytes = Buffer.alloc(32);
  private readonly lines = new LineSplitter();
  private readonly onLine = (line: Buffer) => this.pushLine(line);
  private entries = 0;
  private leavesMatch = true;
  private lineNumber = 0;

  /** Raw chunks of the export in order (lines may span chunks); they are consumed. */
  pushChunk(chunk: Uint8Array): void {
    if (this.leavesMatch) this.lines.push(chunk, this.onLine);
  }

  private pushLine(line: Buffer): void {
    this.lineNumber++;
    if (this.lineNumber === 1) {
      const header = parseHeaderLine(line);
      if ('error' in header) this.leavesMatch = false;
      else {
        this.reader = new EntryLineReader(header.orgId, true);
        this.checkpointSize = header.checkpoint?.size;
      }
      return;
    }
    const reader = this.reader;
    if (!reader || !this.leavesMatch || line.length === 0) return;
    reader.read(line);
    this.entries++;
    const matches =
      reader.kind === 'fast'
        ? hexDigestEquals(reader.leaf, line, reader.leafAt)
        : reader.leaf !== '' && reader.leaf === reader.parsed?.leaf;
    if (!matches) {
      this.leavesMatch = false;
      return;
    }
    if (this.checkpointSize !== undefined && this.entries <= this.checkpointSize) {
      // The claimed hex equals the computed leaf: decode it in place rather than through Buffer's codec.
      if (reader.kind === 'fast') decodeHexDigest(line, reader.leafAt, this.leafBytes, 0);
      else this.leafBytes.write(reader.leaf, 0, 32, 'hex');
      this.frontier.pushBytes(this.leafBytes, 0);
    }
  }

  finish(): LeafPassResult {
    this.lines.end(this.onLine);
    const result: LeafPassResult = { entries: this.entries, leavesMatch: this.leavesMatch };
    if (this.checkpointSize !== undefined && this.frontier.size === this.checkpointSize) {
      result.merkleRoot = this.frontier.root();
    }
    return result;
  }
}

/** Verifies an export given as a byte stream (a file, an HTTP body). Buffers passed in are consumed: the verifier writes into them. */
export async function verifyExport(
  chunks: Chunks,
  options: { publicKeyPem?: string } = {},
): Promise<LedgerVerification & { orgId?: string }> {
  const verifier = new ExportVerifier(options);
  const lines = new LineSplitter();
  const onLine = (line: Buffer) => verifier.pushLine(line);
  for await (const chunk of chunks) {
    lines.push(chunk, onLine);
    if (verifier.failed) break;
  }
  if (!verifier.failed) lines.end(onLine);
  return verifier.finish();
}

/** Runs an `ExportLeafVerifier` somewhere else (a worker thread) and is fed the same chunks. */
export interface LeafPass {
  /** Resolves when the pass can take more (backpressure); the chunk is copied before it resolves. */
  push(chunk: Uint8Array): Promise<void>;
  finish(): Promise<LeafPassResult>;
  abort(): void;
}

/**
 * Verifies an export on two cores: this thread checks seqs, org and the chain from the claimed leaves,
 * while `leafPass` hashes every entry to prove those leaves and computes the Merkle root. Same verdict as
 * `verifyExport`: when either half finds anything wrong, the export is verified again sequentially
 * (`open` is called a second time) so the report names the first bad seq and its reason.
 */
export async function verifyExportInParallel(
  open: () => Chunks,
  leafPass: LeafPass,
  options: { publicKeyPem?: string } = {},
): Promise<LedgerVerification & { orgId?: string }> {
  const verifier = new ExportVerifier({ ...options, leaves: 'claimed' });
  const lines = new LineSplitter();
  const onLine = (line: Buffer) => verifier.pushLine(line);
  let passResult: LeafPassResult | undefined;
  // A leaf pass that breaks (a worker that cannot start, say) costs speed, not the verdict.
  let passBroken = false;
  const guarded = async <T>(step: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await step();
    } catch {
      passBroken = true;
      return undefined;
    }
  };
  try {
    for await (const chunk of open()) {
      const bytes = asBuffer(chunk);
      await guarded(() => leafPass.push(bytes));
      if (passBroken) break;
      lines.push(bytes, onLine);
      if (verifier.failed) break;
    }
    if (!verifier.failed && !passBroken) {
      lines.end(onLine);
      passResult = await guarded(() => leafPass.finish());
    }
  } finally {
    if (!passResult) leafPass.abort();
  }
  if (verifier.failed || passResult?.leavesMatch !== true || passResult.entries !== verifier.size) {
    return verifyExport(open(), options);
  }
  const result = verifier.finish(passResult.merkleRoot);
  return result.valid ? result : verifyExport(open(), options);
}
