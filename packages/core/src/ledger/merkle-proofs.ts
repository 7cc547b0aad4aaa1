import { emptyTreeRoot, isPowerOfTwo, nodeHash, splitPoint } from './merkle-tree.js';

/**
 * RFC 6962 §2.1.1-2.1.2 proofs over ledger leaves (as restated in RFC 9162 §2.1.3-2.1.4): building
 * audit paths and consistency proofs from the leaves, and verifying them against signed roots.
 */
/** Leaves as proofs read them: hex strings, or a `PackedLeaves` buffer (32 bytes each, no object per leaf). */
export type LeafList = readonly string[] | PackedLeaves;

interface LeafAccess {
  length: number;
  at(index: number): Buffer;
}

function access(leaves: LeafList): LeafAccess {
  if (leaves instanceof PackedLeaves) return leaves;
  return { length: leaves.length, at: (index) => Buffer.from(leaves[index]!, 'hex') };
}

/** Leaves in one growing buffer: a million leaves are 32 MB, not a million strings. */
export class PackedLeaves {
  private bytes = Buffer.alloc(32 * 1024);
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(leafHex: string): void {
    if ((this.count + 1) * 32 > this.bytes.length) {
      const grown = Buffer.alloc(this.bytes.length * 2);
      this.bytes.copy(grown);
      this.bytes = grown;
    }
    this.bytes.write(leafHex, this.count * 32, 32, 'hex');
    this.count++;
  }

  at(index: number): Buffer {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) throw new RangeError('leaf index out of range');
    return this.bytes.subarray(index * 32, index * 32 + 32);
  }

  /** The first `count` leaves, sharing this buffer (read it, do not push to it). */
  prefix(count: number): PackedLeaves {
    const view = new PackedLeaves();
    view.bytes = this.bytes;
    view.count = Math.max(0, Math.min(count, this.count));
    return view;
  }
}

function subtreeHash(leaves: LeafAccess, start: number, end: number): Buffer {
  const n = end - start;
  if (n === 1) return leaves.at(start);
  const k = splitPoint(n);
  return nodeHash(subtreeHash(leaves, start, start + k), subtreeHash(leaves, start + k, end));
}

/** RFC 6962 §2.1.1 PATH(m, D[n]): audit path for leaf `index` in the tree of `leaves`. */
export function inclusionProof(leaves: LeafList, index: number): string[] {
  const buffers = access(leaves);
  return auditPath(buffers.length, index, (start, end) => subtreeHash(buffers, start, end));
}

/** Subtrees at least this large are hashed once by an `inclusionProver` and kept (at most 2n/64 of them). */
const memoMinLeaves = 64;

/**
 * Audit paths of many leaves of one tree (a bundle proving thousands of entries): each proof alone
 * hashes the whole tree, so the prover keeps every subtree of 64 leaves or more it has hashed, and k
 * proofs of a tree of n leaves cost about n + 64k hashes instead of k x n.
 */
export function inclusionProver(leaves: LeafList): (index: number) => string[] {
  const buffers = access(leaves);
  const memo = new Map<string, Buffer>();
  const hash = (start: number, end: number): Buffer => {
    if (end - start < memoMinLeaves) return subtreeHash(buffers, start, end);
    const key = `${start}:${end}`;
    let value = memo.get(key);
    if (!value) {
      const k = splitPoint(end - start);
      value = nodeHash(hash(start, start + k), hash(start + k, end));
      memo.set(key, value);
    }
    return value;
  };
  return (index) => auditPath(buffers.length, index, hash);
}

function auditPath(size: number, index: number, hash: (start: number, end: number) => Buffer): string[] {
  if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError('leaf index out of range');
  const path: Buffer[] = [];
  const walk = (m: number, start: number, end: number): void => {
    const n = end - start;
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      walk(m, start, start + k);
      path.push(hash(start + k, end));
    } else {
      walk(m - k, start + k, end);
      path.push(hash(start, start + k));
    }
  };
  walk(index, 0, size);
  return path.map((value) => value.toString('hex'));
}

/** RFC 6962 §2.1.2 PROOF(m, D[n]): proves the first `oldSize` leaves' tree is a prefix of the whole. */
export function consistencyProof(leaves: LeafList, oldSize: number): string[] {
  if (!Number.isInteger(oldSize) || oldSize < 0 || oldSize > leaves.length) throw new RangeError('size out of range');
  if (oldSize === 0 || oldSize === leaves.length) return [];
  const buffers = access(leaves);
  const proof: Buffer[] = [];
  const sub = (m: number, start: number, end: number, complete: boolean): void => {
    const n = end - start;
    if (m === n) {
      if (!complete) proof.push(subtreeHash(buffers, start, end));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      sub(m, start, start + k, complete);
      proof.push(subtreeHash(buffers, start + k, end));
    } else {
      sub(m - k, start + k, end, false);
      proof.push(subtreeHash(buffers, start, start + k));
    }
  };
  sub(oldSize, 0, buffers.length, true);
  return proof.map((hash) => hash.toString('hex'));
}

const isHex = (value: string) => /^[0-9a-f]{64}$/.test(value);

/** RFC 9162 §2.1.3.2: does `proof` place `leaf` at `index` in the tree of `size` with `root`? */
export function verifyInclusion(leaf: string, index: number, size: number, proof: readonly string[], root: string) {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  if (!isHex(leaf) || !isHex(root) || !proof.every(isHex)) return false;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf, 'hex');
  for (const p of proof) {
    if (sn === 0) return false;
    const sibling = Buffer.from(p, 'hex');
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(sibling, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.toString('hex') === root;
}

/** RFC 9162 §2.1.4.2: is the tree (oldSize, oldRoot) a prefix of (newSize, newRoot)? */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: string,
  newRoot: string,
  proof: readonly string[],
): boolean {
  if (!Number.isInteger(oldSize) || !Number.isInteger(newSize) || oldSize < 0 || oldSize > newSize) return false;
  if (!isHex(oldRoot) || !isHex(newRoot) || !proof.every(isHex)) return false;
  if (oldSize === newSize) return proof.length === 0 && oldRoot === newRoot;
  if (oldSize === 0) return proof.length === 0 && oldRoot === emptyTreeRoot;
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : [...proof];
  if (path.length === 0) return false;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = Buffer.from(path[0]!, 'hex');
  let sr: Buffer = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    const hash = Buffer.from(c, 'hex');
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(hash, fr);
      sr = nodeHash(hash, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, hash);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.toString('hex') === oldRoot && sr.toString('hex') === newRoot && sn === 0;
}
