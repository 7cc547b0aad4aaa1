import {
  announcementFault,
  type ExportAnchors,
  type ExportVerifyOptions,
  exportAnchors,
  reportedFault,
  trailerFault,
} from './export-checks.js';
import { type ExportHead, parseExportHeader, parseExportTrailer } from './export-format.js';
import { ExportLineReader } from './export-line-reader.js';
import type { RangeRequest, RangeResult } from './export-range.js';
import type { IntegrityFault } from './integrity-fault.js';
import { LeafSequence } from './leaf-sequence.js';
import { hexDigestEquals } from './ledger-hashing.js';
import { type LedgerVerification, verdict } from './ledger-verification.js';

export type { ExportVerifyOptions };
export type ExportVerification = LedgerVerification & { orgId?: string };

/** Streaming verifier of an export: feed the lines (without the newline) in order, then `finish()`. */
export class ExportVerifier {
  private setup: ExportAnchors | undefined;
  private sequence: LeafSequence | undefined;
  private reader: ExportLineReader | undefined;
  private headerError: string | undefined;
  private lines = 0;
  private trailer: { head: ExportHead | null } | { error: string } | undefined;
  private afterTrailer = false;
  private lastLeaf = '';
  private readonly extraFaults: IntegrityFault[] = [];
  private strictAfter = 0;

  constructor(private readonly options: ExportVerifyOptions = {}) {}

  get failed(): boolean {
    return this.headerError !== undefined || this.sequence?.fault !== undefined || this.afterTrailer;
  }

  get size(): number {
    return this.sequence?.size ?? 0;
  }

  /** Lines are consumed: the hashing path writes into them. */
  pushLine(line: Buffer): void {
    this.lines++;
    if (this.lines === 1) {
      const header = parseExportHeader(line);
      if ('error' in header) this.headerError = header.error;
      else {
        this.setup = exportAnchors(header, this.options);
        this.sequence = new LeafSequence(this.setup.anchors);
        this.reader = new ExportLineReader(header.orgId);
        this.strictAfter = this.setup.anchors.at(-1)?.size ?? 0;
      }
      return;
    }
    const { sequence, reader, setup } = this;
    if (!sequence || !reader || !setup || this.failed || line.length === 0) return;
    if (this.trailer) {
      this.afterTrailer = true;
      return;
    }
    reader.read(line, sequence.size + 1 > this.strictAfter);
    if (reader.kind === 'trailer') {
      this.trailer = parseExportTrailer(line);
      return;
    }
    if (reader.kind === 'fault') {
      sequence.fail(reportedFault(line, sequence.size + 1));
      return;
    }
    if (reader.kind === 'bad') {
      const at = sequence.size + 1;
      if (sequence.expect(reader.seq || at)) {
        sequence.fail({ kind: 'entry_malformed', seq: at, reason: `entry ${at}: ${reader.problem}` });
      }
      return;
    }
    if (!sequence.expect(reader.seq)) return;
    const claimedMatches =
      reader.kind === 'fast' ? hexDigestEquals(reader.leaf, line, reader.leafAt) : reader.leaf === reader.claimedLeaf;
    if (!claimedMatches) {
      sequence.fail({
        kind: 'entry_edited',
        seq: reader.seq,
        reason: `entry ${reader.seq}: the entry does not hash to its leaf (edited)`,
      });
      return;
    }
    // The claimed leaf equals the computed one: the tree takes the computed hex.
    sequence.pushHex(reader.leaf);
    this.lastLeaf = reader.leaf;
    if (reader.announcement) {
      const fault = announcementFault(setup.known, reader.body, reader.seq);
      if (fault) this.extraFaults.push(fault);
    }
  }

  /** What the second half of a parallel verification needs from this (first) half. */
  rangeRequest(split: number): RangeRequest | undefined {
    if (!this.setup) return undefined;
    return {
      orgId: this.setup.orgId,
      split,
      anchorSizes: this.setup.anchors.map((anchor) => anchor.size),
      strictAfter: this.strictAfter,
    };
  }

  /** Joins the second half's result; false when it does not continue this half exactly. */
  join(range: RangeResult): boolean {
    const { sequence, setup } = this;
    if (!sequence || !setup || this.failed || !range.clean) return false;
    if (this.trailer) return range.count === 0 && range.trailer === undefined;
    if (range.count > 0 && range.firstSeq !== sequence.size + 1) return false;
    const snapshots = new Map(range.snapshots);
    sequence.join(range.count, range.final, (size) => snapshots.get(size));
    if (sequence.fault) return false;
    if (range.count > 0) this.lastLeaf = range.lastLeaf;
    for (const { seq, body } of range.announcements) {
      const fault = announcementFault(setup.known, body, seq);
      if (fault) this.extraFaults.push(fault);
    }
    if (range.trailer) this.trailer = range.trailer;
    return true;
  }

  finish(): ExportVerification {
    const { setup, sequence } = this;
    if (this.headerError !== undefined || !setup || !sequence) {
      const reason = this.headerError ?? 'empty export';
      return {
        ...verdict({
          size: 0,
          merkleRoot: '',
          faults: [{ kind: 'export_malformed', reason }],
          anchors: [],
          signatures: 'unchecked',
        }),
      };
    }
    sequence.finish();
    const faults: IntegrityFault[] = sequence.faults;
    if (!sequence.fault) {
      if (this.afterTrailer) faults.push({ kind: 'export_malformed', reason: 'lines follow the trailer' });
      else if (!this.trailer)
        faults.push({
          kind: 'export_malformed',
          seq: sequence.size + 1,
          reason: 'the export has no trailer (cut short)',
        });
      else if ('error' in this.trailer)
        faults.push({ kind: 'export_malformed', reason: `the trailer is malformed: ${this.trailer.error}` });
      else {
        const fault = trailerFault(this.trailer.head, sequence.size, this.lastLeaf);
        if (fault) faults.push(fault);
      }
    }
    faults.push(...this.extraFaults, ...setup.faults);
    if (this.options.keys && !this.options.allowUnanchored && setup.anchors.length === 0 && sequence.size > 0) {
      faults.push({
        kind: 'unanchored',
        reason:
          'no checkpoint signed by a trusted key anchors these entries (pass --allow-unanchored to check them against each other only)',
      });
    }
    return {
      ...verdict({
        size: sequence.size,
        merkleRoot: sequence.frontier.root(),
        faults,
        anchors: setup.anchors,
        signatures: setup.signatures,
        ...(setup.held > 0 ? { held: setup.held } : {}),
      }),
      orgId: setup.orgId,
    };
  }
}
