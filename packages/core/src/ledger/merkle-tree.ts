import { createHash, hash } from 'node:crypto';

/**
 * RFC 6962 §2.1 Merkle tree hashing (as restated in RFC 9162 §2.1) over ledger leaves. The ledger's
 * `leaf` values already are RFC 6962 leaf hashes (SHA-256(0x00 || data)), so they enter the tree as is;
 * interior nodes are SHA-256(0x01 || left || right); the empty tree hashes to SHA-256("").
 * Hashes are hex strings at this module's edge and Buffers inside.
 */

// One reusable 0x01 || left || right buffer: a single one-shot hash per node, no allocation per input.
const nodeInput = Buffer.alloc(65, 0x01);

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  left.copy(nodeInput, 1);
  right.copy(nodeInput, 33);
  return hash('sha256', nodeInput, 'buffer');
}

export const emptyTreeRoot = createHash('sha256').digest('hex');

/** Largest power of two strictly below n (n >= 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/**
 * The perfect subtrees covering the leaves so far (at most log2(n)+1 hashes): enough to extend the tree
 * and compute its root without re-reading old leaves, so checkpoints read only new entries.
 *
 * Level L holds a subtree of 2^L leaves exactly when bit L of the size is set. Each level keeps its
 * node inside its own 0x01 || left || right input buffer, so merging with a right sibling is one write
 * and one hash, with no allocation. Hashes come back as latin1 strings: Node's one-shot hash returns a
 * string several times faster than a Buffer (measured), and writing one back costs ~0.1 us.
 */
export class MerkleFrontier {
  private readonly levels: Buffer[] = [];
  private count = 0;

  static from(state: { size: number; nodes: readonly string[] }): MerkleFrontier {
    const frontier = new MerkleFrontier();
    const heights: number[] = [];
    for (let bit = 52; bit >= 0; bit--) if (Math.floor(state.size / 2 ** bit) % 2 === 1) heights.push(bit);
    if (heights.length !== state.nodes.length) throw new RangeError('frontier does not match its size');
    heights.forEach((height, i) => {
      frontier.level(height).write(state.nodes[i]!, 1, 32, 'hex');
    });
    frontier.count = state.size;
    return frontier;
  }

  get size(): number {
    return this.count;
  }

  private level(height: number): Buffer {
    while (this.levels.length <= height) this.levels.push(Buffer.alloc(65, 0x01));
    return this.levels[height]!;
  }

  private hasNode(height: number): boolean {
    return height < 31 ? ((this.count >>> height) & 1) === 1 : Math.floor(this.count / 2 ** height) % 2 === 1;
  }

  push(leafHex: string): void {
    this.pushHex(leafHex);
  }

  /** A leaf as the 32 raw bytes at `offset` of `bytes` (the export verifier's hot path). */
  pushBytes(bytes: Uint8Array, offset: number): void {
    this.pushNode(0, bytes, offset);
  }

  /** A leaf as 64 hex characters, written straight into the tree's own input buffer (native decode). */
  pushHex(leafHex: string): void {
    const start = this.level(0);
    if (!this.hasNode(0)) {
      start.write(leafHex, 1, 32, 'hex');
      this.count++;
      return;
    }
    start.write(leafHex, 33, 32, 'hex');
    let node = hash('sha256', start, 'binary');
    let level = 1;
    for (; this.hasNode(level); level++) {
      const input = this.levels[level]!;
      input.write(node, 33, 32, 'latin1');
      node = hash('sha256', input, 'binary');
    }
    this.level(level).write(node, 1, 32, 'latin1');
    this.count++;
  }

  /**
   * A whole perfect subtree of 2^height leaves, given by its root: the same as pushing its leaves, when
   * the tree so far is a multiple of 2^height (so the subtree is aligned). Lets two verifiers each
   * hash half of a ledger and join their trees.
   */
  pushSubtree(height: number, bytes: Uint8Array, offset: number): void {
    if (!Number.isInteger(height) || height < 0 || this.count % 2 ** height !== 0) {
      throw new RangeError('subtree is not aligned with the tree so far');
    }
    this.pushNode(height, bytes, offset);
  }

  private pushNode(height: number, bytes: Uint8Array, offset: number): void {
    const start = this.level(height);
    if (!this.hasNode(height)) {
      for (let i = 0; i < 32; i++) start[1 + i] = bytes[offset + i]!;
    } else {
      for (let i = 0; i < 32; i++) start[33 + i] = bytes[offset + i]!;
      let node = hash('sha256', start, 'binary');
      let level = height + 1;
      for (; this.hasNode(level); level++) {
        const input = this.levels[level]!;
        input.write(node, 33, 32, 'latin1');
        node = hash('sha256', input, 'binary');
      }
      this.level(level).write(node, 1, 32, 'latin1');
    }
    this.count += 2 ** height;
  }

  clone(): MerkleFrontier {
    const copy = new MerkleFrontier();
    for (const level of this.levels) copy.levels.push(Buffer.from(level));
    copy.count = this.count;
    return copy;
  }

  /** MTH of all leaves pushed: the subtrees folded right to left (RFC 6962's unbalanced split). */
  root(): string {
    if (this.count === 0) return emptyTreeRoot;
    let node: string | undefined;
    for (let height = 0; height < this.levels.length; height++) {
      if (!this.hasNode(height)) continue;
      const input = this.levels[height]!;
      if (node === undefined) {
        node = input.toString('latin1', 1, 33);
      } else {
        // A scratch copy: the level's own right half may be needed by a later push.
        const scratch = Buffer.from(input);
        scratch.write(node, 33, 32, 'latin1');
        node = hash('sha256', scratch, 'binary');
      }
    }
    return Buffer.from(node!, 'latin1').toString('hex');
  }

  state(): { size: number; nodes: string[] } {
    const nodes: string[] = [];
    for (let height = this.levels.length - 1; height >= 0; height--) {
      if (this.hasNode(height)) nodes.push(this.levels[height]!.toString('hex', 1, 33));
    }
    return { size: this.count, nodes };
  }
}

export function merkleRoot(leaves: readonly string[]): string {
  const frontier = new MerkleFrontier();
  for (const leaf of leaves) frontier.push(leaf);
  return frontier.root();
}
