import { hash } from 'node:crypto';
import type { MerkleFrontier } from './merkle-tree.js';

/**
 * The Merkle tree of a run of leaves that starts anywhere (`begin`), kept as the aligned perfect
 * subtrees that cover it (a "compact range", as in transparency-dev/merkle). A verifier that hashes
 * the second half of a ledger keeps one; the first half's `MerkleFrontier` then absorbs its subtrees
 * in order (`appendTo`), giving exactly the root of the whole tree (RFC 6962 §2.1).
 */
export class CompactRange {
  /** Subtree roots, left to right, each in its own 0x01 || left || right input buffer (left at 1..33). */
  private readonly nodes: Buffer[] = [];
  private readonly heights: number[] = [];
  private readonly starts: number[] = [];
  /** Buffers of merged nodes, reused: no allocation per leaf. */
  private readonly spare: Buffer[] = [];
  private end: number;

  constructor(readonly begin: number) {
    this.end = begin;
  }

  get size(): number {
    return this.end - this.begin;
  }

  /** The leaf at position `end`, as 64 hex characters. */
  pushHex(leafHex: string): void {
    this.hexScratch.write(leafHex, 0, 32, 'hex');
    this.pushBytes(this.hexScratch, 0);
  }

  private readonly hexScratch = Buffer.alloc(32);

  /** The leaf at position `end`, as the 32 bytes at `offset` of `bytes`. */
  pushBytes(bytes: Uint8Array, offset: number): void {
    let position = this.end;
    let height = 0;
    // Merged nodes stay latin1 strings: Node's one-shot hash returns a string several times faster than a Buffer.
    let node: string | undefined;
    for (;;) {
      const top = this.nodes.length - 1;
      // Merge with the left neighbour when together they form an aligned subtree inside the range.
      if (top < 0 || this.heights[top] !== height || this.starts[top]! % 2 ** (height + 1) !== 0) break;
      const left = this.nodes[top]!;
      if (node !== undefined) left.write(node, 33, 32, 'latin1');
      else for (let i = 0; i < 32; i++) left[33 + i] = bytes[offset + i]!;
      node = hash('sha256', left, 'binary');
      position = this.starts[top]!;
      height++;
      this.spare.push(this.nodes.pop()!);
      this.heights.pop();
      this.starts.pop();
    }
    const slot = this.spare.pop() ?? Buffer.alloc(65, 0x01);
    if (node !== undefined) slot.write(node, 1, 32, 'latin1');
    else for (let i = 0; i < 32; i++) slot[1 + i] = bytes[offset + i]!;
    this.nodes.push(slot);
    this.heights.push(height);
    this.starts.push(position);
    this.end++;
  }

  /** The subtrees so far (height and root), left to right: enough to join the tree at this size. */
  snapshot(): { height: number; node: Buffer }[] {
    return this.nodes.map((node, i) => ({ height: this.heights[i]!, node: Buffer.from(node.subarray(1, 33)) }));
  }

  /** Extends `frontier` (which must cover exactly the leaves before `begin`) by this range. */
  appendTo(frontier: MerkleFrontier, snapshot = this.snapshot()): void {
    if (frontier.size !== this.begin) throw new RangeError('the frontier does not end where the range begins');
    for (const { height, node } of snapshot) frontier.pushSubtree(height, node, 0);
  }
}
