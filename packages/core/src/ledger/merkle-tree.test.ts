import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactRange } from './merkle-compact-range.js';
import {
  consistencyProof,
  inclusionProof,
  inclusionProver,
  PackedLeaves,
  verifyConsistency,
  verifyInclusion,
} from './merkle-proofs.js';
import { emptyTreeRoot, MerkleFrontier, merkleRoot } from './merkle-tree.js';

/** Brute-force reference: MTH exactly as RFC 6962 §2.1 defines it, recursively over hex strings. */
function referenceRoot(leaves: string[]): string {
  if (leaves.length === 0) return createHash('sha256').digest('hex');
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return createHash('sha256')
    .update(Buffer.from([1]))
    .update(Buffer.from(referenceRoot(leaves.slice(0, k)), 'hex'))
    .update(Buffer.from(referenceRoot(leaves.slice(k)), 'hex'))
    .digest('hex');
}

const leafOf = (n: number) =>
  createHash('sha256')
    .update(Buffer.from([0]))
    .update(`leaf-${n}`)
    .digest('hex');
const leavesArb = fc.integer({ min: 1, max: 70 }).map((n) => Array.from({ length: n }, (_, i) => leafOf(i)));
const flip = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);

describe('RFC 6962 Merkle tree', () => {
  it('hashes the empty tree as SHA-256 of nothing', () => {
    expect(merkleRoot([])).toBe(emptyTreeRoot);
    expect(emptyTreeRoot).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('computes the same root as the recursive definition, and the frontier survives a round trip', () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), (leaves, cut) => {
        expect(merkleRoot(leaves)).toBe(referenceRoot(leaves));
        const split = cut % (leaves.length + 1);
        const frontier = new MerkleFrontier();
        for (const leaf of leaves.slice(0, split)) frontier.push(leaf);
        const resumed = MerkleFrontier.from(frontier.state());
        for (const leaf of leaves.slice(split)) resumed.push(leaf);
        expect(resumed.root()).toBe(referenceRoot(leaves));
      }),
    );
  });

  it('joins a compact range that starts anywhere onto the frontier before it: the root of the whole tree', () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), fc.nat(), (leaves, cut, snap) => {
        const begin = cut % (leaves.length + 1);
        const frontier = new MerkleFrontier();
        for (const leaf of leaves.slice(0, begin)) frontier.push(leaf);
        const range = new CompactRange(begin);
        const at = begin + (snap % (leaves.length - begin + 1));
        let snapshot = range.snapshot();
        leaves.slice(begin).forEach((leaf, i) => {
          range.pushBytes(Buffer.from(leaf, 'hex'), 0);
          if (begin + i + 1 === at) snapshot = range.snapshot();
        });
        if (at === begin) snapshot = [];
        const prefix = frontier.clone();
        range.appendTo(frontier);
        expect(frontier.root()).toBe(referenceRoot(leaves));
        range.appendTo(prefix, snapshot);
        expect(prefix.root()).toBe(referenceRoot(leaves.slice(0, at)));
      }),
    );
  });

  it('proves inclusion of every leaf, and refuses a wrong leaf, index, size or path', () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), (leaves, pick) => {
        const index = pick % leaves.length;
        const root = referenceRoot(leaves);
        const proof = inclusionProof(leaves, index);
        expect(verifyInclusion(leaves[index]!, index, leaves.length, proof, root)).toBe(true);
        expect(verifyInclusion(flip(leaves[index]!), index, leaves.length, proof, root)).toBe(false);
        expect(verifyInclusion(leaves[index]!, index, leaves.length, proof, flip(root))).toBe(false);
        if (leaves.length > 1) {
          expect(verifyInclusion(leaves[index]!, (index + 1) % leaves.length, leaves.length, proof, root)).toBe(false);
          const tampered = [...proof];
          tampered[0] = flip(tampered[0]!);
          expect(verifyInclusion(leaves[index]!, index, leaves.length, tampered, root)).toBe(false);
          expect(verifyInclusion(leaves[index]!, index, leaves.length, proof.slice(1), root)).toBe(false);
        }
      }),
    );
  });

  it('the batch prover (kept subtrees of 64+ leaves) gives every leaf the same audit path as one proof alone', () => {
    // Sizes around the kept-subtree threshold and past a few of its multiples.
    for (const n of [1, 2, 63, 64, 65, 127, 128, 129, 200, 333]) {
      const leaves = new PackedLeaves();
      for (let i = 0; i < n; i++) leaves.push(leafOf(i));
      const prove = inclusionProver(leaves);
      // Out of order and twice: what is kept does not depend on which proofs came first.
      const order = Array.from({ length: n }, (_, i) => (i * 7919) % n).filter((_, i) => n <= 130 || i % 7 === 0);
      for (const index of [...order, ...order.slice(0, 5)]) {
        expect(prove(index), `leaf ${index} of ${n}`).toEqual(inclusionProof(leaves, index));
      }
    }
  });

  it('proves consistency between any two sizes, and refuses a rewritten prefix', () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), fc.nat(), (leaves, pick, victim) => {
        const oldSize = pick % (leaves.length + 1);
        const oldRoot = referenceRoot(leaves.slice(0, oldSize));
        const newRoot = referenceRoot(leaves);
        const proof = consistencyProof(leaves, oldSize);
        expect(verifyConsistency(oldSize, leaves.length, oldRoot, newRoot, proof)).toBe(true);
        if (oldSize > 0 && oldSize < leaves.length) {
          // The new tree rewrote one of the old leaves: its root no longer extends the old one.
          const rewritten = [...leaves];
          const at = victim % oldSize;
          rewritten[at] = flip(rewritten[at]!);
          const forgedRoot = referenceRoot(rewritten);
          expect(
            verifyConsistency(oldSize, leaves.length, oldRoot, forgedRoot, consistencyProof(rewritten, oldSize)),
          ).toBe(false);
          expect(verifyConsistency(oldSize, leaves.length, flip(oldRoot), newRoot, proof)).toBe(false);
        }
      }),
    );
  });
});
