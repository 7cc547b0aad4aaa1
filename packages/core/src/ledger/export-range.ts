import { type ExportHead, parseExportTrailer } from './export-format.js';
import { ExportLineReader, LineSplitter } from './export-line-reader.js';
import type { RangeNode } from './leaf-sequence.js';
import { hexDigestEquals } from './ledger-hashing.js';
import { CompactRange } from './merkle-compact-range.js';

/** What the second half of a parallel verification is asked to do. */
export interface RangeRequest {
  orgId: string;
  /** Byte offset: the range is the lines that start at or after it. */
  split: number;
  /** Checkpoint sizes whose roots the first half will check (the range keeps its subtrees there). */
  anchorSizes: readonly number[];
  /** Entries past this seq are checked strictly (parsed): no signed checkpoint covers them. */
  strictAfter: number;
}

/** Plain data (it crosses threads). `clean` false: something is off, the caller re-verifies sequentially. */
export interface RangeResult {
  clean: boolean;
  firstSeq?: number;
  count: number;
  lastLeaf: string;
  final: RangeNode[];
  snapshots: Array<[number, RangeNode[]]>;
  trailer?: { head: ExportHead | null };
  announcements: Array<{ seq: number; body: string }>;
}

/** Runs an `ExportRangeVerifier` somewhere else (a worker thread that reads the file itself). */
export interface RangePass {
  run(request: RangeRequest): Promise<RangeResult>;
  abort(): void;
}

const toNodes = (range: CompactRange): RangeNode[] =>
  range.snapshot().map(({ height, node }) => ({ height, node: node.toString('hex') }));

/**
 * The second half of a parallel export verification: fed the file's bytes from `split - 1` on, it
 * skips the line in progress, then checks each entry line's seq run, its leaf (hashed from the exact
 * bytes) and, past `strictAfter`, its body strictly; it builds the Merkle subtrees of its leaves and
 * reads the trailer. It stops at the first thing wrong: the caller then verifies the file sequentially,
 * which names the fault.
 */
export class ExportRangeVerifier {
  private readonly lines = new LineSplitter();
  private readonly reader: ExportLineReader;
  private readonly anchorSizes: Set<number>;
  private range: CompactRange | undefined;
  private skipped = false;
  private stopped = false;
  private firstSeq: number | undefined;
  private next = 0;
  private lastLeaf = '';
  private trailer: { head: ExportHead | null } | undefined;
  private readonly snapshots: Array<[number, RangeNode[]]> = [];
  private readonly announcements: Array<{ seq: number; body: string }> = [];
  private readonly onLine = (line: Buffer) => this.pushLine(line);

  constructor(private readonly request: RangeRequest) {
    this.reader = new ExportLineReader(request.orgId);
    this.anchorSizes = new Set(request.anchorSizes);
  }

  /** Chunks from offset `split - 1` of the file, in order; false once it has stopped. */
  pushChunk(chunk: Uint8Array): boolean {
    if (!this.stopped) this.lines.push(chunk, this.onLine);
    return !this.stopped;
  }

  private stop(): false {
    this.stopped = true;
    return false;
  }

  private pushLine(line: Buffer): boolean {
    if (this.stopped) return false;
    if (!this.skipped) {
      // The bytes up to the first newline belong to a line that starts before `split`.
      this.skipped = true;
      return true;
    }
    if (line.length === 0) return true;
    if (this.trailer) return this.stop();
    const reader = this.reader;
    reader.read(line, this.firstSeq === undefined || this.next > this.request.strictAfter);
    if (reader.kind === 'trailer') {
      const parsed = parseExportTrailer(line);
      if ('error' in parsed) return this.stop();
      this.trailer = parsed;
      return true;
    }
    if (reader.kind === 'bad' || reader.kind === 'fault') return this.stop();
    if (this.firstSeq === undefined) {
      if (reader.seq < 1) return this.stop();
      this.firstSeq = reader.seq;
      this.next = reader.seq;
      this.range = new CompactRange(reader.seq - 1);
    }
    const claimed =
      reader.kind === 'fast' ? hexDigestEquals(reader.leaf, line, reader.leafAt) : reader.leaf === reader.claimedLeaf;
    if (reader.seq !== this.next || !claimed) return this.stop();
    const range = this.range!;
    range.pushHex(reader.leaf);
    if (this.anchorSizes.has(reader.seq)) this.snapshots.push([reader.seq, toNodes(range)]);
    if (reader.announcement) this.announcements.push({ seq: reader.seq, body: reader.body });
    this.lastLeaf = reader.leaf;
    this.next++;
    return true;
  }

  finish(): RangeResult {
    if (!this.stopped) this.lines.end(this.onLine);
    return {
      clean: !this.stopped,
      ...(this.firstSeq !== undefined ? { firstSeq: this.firstSeq } : {}),
      count: this.range?.size ?? 0,
      lastLeaf: this.lastLeaf,
      final: this.range ? toNodes(this.range) : [],
      snapshots: this.snapshots,
      ...(this.trailer ? { trailer: this.trailer } : {}),
      announcements: this.announcements,
    };
  }
}
