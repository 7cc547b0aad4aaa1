import type { CheckpointReference } from './checkpoint.js';
import type { IntegrityFault } from './integrity-fault.js';
import { emptyTreeRoot, MerkleFrontier } from './merkle-tree.js';

/** A perfect subtree by height and root (hex): how a compact range travels between threads. */
export interface RangeNode {
  height: number;
  node: string;
}

/**
 * The streaming core every verifier shares (the store audit, the export verifiers, the checkpoint
 * job): leaves arrive in seq order; seqs must run 1, 2, 3, ...; the Merkle tree grows in a frontier
 * of log2(n) hashes, and at each anchor's size (a signed checkpoint's, or one a witness holds) its
 * root must be the anchor's. Memory stays flat, so a million entries verify in one pass.
 */
export class LeafSequence {
  readonly frontier = new MerkleFrontier();
  private anchorIndex = 0;
  /** The largest anchor whose root matched: a rewrite caught later lies after it. */
  private lastGoodAnchor = 0;
  private firstFault: IntegrityFault | undefined;
  /** The first anchor whose root did not match: the sequence itself goes on (later faults still show). */
  private anchorFault: IntegrityFault | undefined;

  /** `anchors`: sorted by size, one per size. */
  constructor(private readonly anchors: readonly CheckpointReference[]) {
    while (this.anchors[this.anchorIndex]?.size === 0) this.checkAnchor(this.anchors[this.anchorIndex++]!);
  }

  get size(): number {
    return this.frontier.size;
  }

  /** The fault that stopped the sequence (an entry out of place, missing, edited...). */
  get fault(): IntegrityFault | undefined {
    return this.firstFault;
  }

  /** Every fault found: the stopping one and the first anchor mismatch. */
  get faults(): IntegrityFault[] {
    return [this.firstFault, this.anchorFault].filter((fault): fault is IntegrityFault => fault !== undefined);
  }

  fail(fault: IntegrityFault): void {
    this.firstFault ??= fault;
  }

  /** Is `seq` the next one? Otherwise records where the sequence breaks. */
  expect(seq: number): boolean {
    if (this.firstFault) return false;
    const next = this.frontier.size + 1;
    if (seq === next) return true;
    this.fail(
      seq > next
        ? { kind: 'entry_missing', seq: next, reason: `entry ${next} is missing (the next one is ${seq})` }
        : {
            kind: 'entry_misplaced',
            seq: next,
            reason: `expected entry ${next}, found entry ${seq} (moved or duplicated)`,
          },
    );
    return false;
  }

  /** The next leaf, as the 32 bytes at `offset` of `bytes`. */
  pushBytes(bytes: Uint8Array, offset: number): void {
    this.frontier.pushBytes(bytes, offset);
    this.afterPush();
  }

  private afterPush(): void {
    const anchor = this.anchors[this.anchorIndex];
    if (anchor !== undefined && anchor.size === this.frontier.size) {
      this.anchorIndex++;
      this.checkAnchor(anchor);
    }
  }

  /** The next leaf as hex (the verifiers' hot path: decoded natively into the tree). */
  pushHex(leafHex: string): void {
    this.frontier.pushHex(leafHex);
    this.afterPush();
  }

  /** Anchors at sizes the caller reaches by other means (the parallel verifier joins trees). */
  checkAnchor(anchor: CheckpointReference, root = anchor.size === 0 ? emptyTreeRoot : this.frontier.root()): void {
    if (root === anchor.merkleRoot) {
      this.lastGoodAnchor = Math.max(this.lastGoodAnchor, anchor.size);
      return;
    }
    this.anchorFault ??= {
      kind: 'checkpoint_mismatch',
      reason:
        `entries 1..${anchor.size} do not hash to the Merkle root of the signed checkpoint of size ${anchor.size}: ` +
        `history was rewritten between seq ${this.lastGoodAnchor + 1} and ${anchor.size}`,
      fromSeq: this.lastGoodAnchor + 1,
      toSeq: anchor.size,
    };
  }

  /**
   * Joins `count` leaves hashed elsewhere (the second half of a parallel export verification), given
   * as the aligned subtrees covering them: `final` for all of them, `snapshotAt(size)` for the prefix
   * ending at each anchor's size among them.
   */
  join(
    count: number,
    final: readonly RangeNode[],
    snapshotAt: (size: number) => readonly RangeNode[] | undefined,
  ): void {
    const end = this.frontier.size + count;
    for (
      let anchor = this.anchors[this.anchorIndex];
      anchor && anchor.size <= end;
      anchor = this.anchors[this.anchorIndex]
    ) {
      this.anchorIndex++;
      const nodes = snapshotAt(anchor.size);
      const tree = this.frontier.clone();
      for (const { height, node } of nodes ?? []) tree.pushSubtree(height, Buffer.from(node, 'hex'), 0);
      this.checkAnchor(anchor, nodes && tree.size === anchor.size ? tree.root() : '');
    }
    for (const { height, node } of final) this.frontier.pushSubtree(height, Buffer.from(node, 'hex'), 0);
  }

  /** Anchors beyond the last entry mean entries were removed from the end. */
  finish(): void {
    const beyond = this.anchors.find((anchor) => anchor.size > this.frontier.size);
    if (beyond && !this.firstFault && !this.anchorFault) {
      this.fail({
        kind: 'entries_truncated',
        seq: this.frontier.size + 1,
        reason: `a signed checkpoint covers ${beyond.size} entries, but there are ${this.frontier.size} (entries removed)`,
      });
    }
  }
}
