import { hash } from 'node:crypto';
import { type SignedCheckpoint, verifyCheckpointSignature } from './checkpoint.js';
import { decodeHexDigest, genesisChain, hexDigestEquals, isHexDigest, leafHash } from './ledger-hashing.js';
import type { LedgerEntry } from './ledger-writer.js';
import { MerkleFrontier } from './merkle-tree.js';

export interface LedgerVerification {
  valid: boolean;
  /** Entries examined. */
  size: number;
  /** Chain value of the last entry examined (genesis when none). */
  head: string;
  /** The first entry that does not verify (an edit, deletion, insertion or reordering shows up here). */
  firstBadSeq?: number;
  reason?: string;
  checkpoint?: {
    size: number;
    chainHead: string;
    merkleRoot: string;
    /** `unchecked` when no public key was given: the chain was checked against the checkpoint, its origin was not. */
    signature: 'valid' | 'invalid' | 'unchecked';
  };
}

export interface VerifyOptions {
  /** The organization every entry must belong to (defaults to the first entry's). */
  orgId?: string;
  checkpoint?: SignedCheckpoint;
  /** PEM of the key checkpoints must be signed by; without it a checkpoint's signature is not checked. */
  publicKeyPem?: string;
  /** The stored head (seq and chain): entries missing after the last one show up against it. */
  head?: { seq: number; chain: string };
  /**
   * `external`: the Merkle root is computed elsewhere (the parallel leaf pass) and handed to `finish`,
   * so this verifier only follows the chain.
   */
  merkle?: 'compute' | 'external';
}

/**
 * Streaming chain verifier: feed entries in order, then `finish()`. Memory stays flat (the Merkle
 * frontier is log2(n) hashes), so a million-entry export verifies in one pass. Used by the store-backed
 * `ledger.verify`, by `verifyLedger` and by the export-file verifier.
 */
export class LedgerChainVerifier {
  private count = 0;
  private chainHex = genesisChain;
  /** chain_{n-1} || leaf_n as raw bytes, reused: one one-shot hash per entry, no allocation. */
  private readonly chainInput = Buffer.alloc(64);
  private orgId: string | undefined;
  private bad: { seq: number | undefined; reason: string } | undefined;
  private readonly frontier = new MerkleFrontier();
  private readonly computesMerkle: boolean;
  private readonly signature: 'valid' | 'invalid' | 'unchecked';

  constructor(private readonly options: VerifyOptions = {}) {
    this.orgId = options.orgId;
    this.computesMerkle = options.merkle !== 'external';
    const checkpoint = options.checkpoint;
    this.signature = !checkpoint
      ? 'unchecked'
      : options.publicKeyPem === undefined
        ? 'unchecked'
        : verifyCheckpointSignature(checkpoint, options.publicKeyPem)
          ? 'valid'
          : 'invalid';
    if (checkpoint && this.orgId !== undefined && checkpoint.org !== this.orgId) {
      this.fail(undefined, 'checkpoint belongs to another organization');
    }
  }

  get failed(): boolean {
    return this.bad !== undefined;
  }

  /** Entries verified so far. */
  get size(): number {
    return this.count;
  }

  private fail(seq: number | undefined, reason: string): void {
    this.bad ??= { seq, reason };
  }

  /** An entry object: its leaf is recomputed from JCS of its body. */
  push(entry: LedgerEntry): void {
    let computed: string;
    try {
      computed = leafHash(entry);
    } catch {
      computed = '';
    }
    this.pushHashed(entry.seq, entry.orgId, computed, entry.leaf, entry.chain);
  }

  /** An entry whose leaf the caller computed (hex). */
  pushHashed(seq: unknown, orgId: unknown, computedLeaf: string, claimedLeaf: unknown, claimedChain: unknown): void {
    if (this.bad) return;
    if (!isHexDigest(computedLeaf)) {
      this.fail(this.count + 1, 'entry is not canonical JSON');
      return;
    }
    this.pushLeaf(seq, orgId, computedLeaf, claimedLeaf, claimedChain);
  }

  /**
   * The hot path (the export verifier calls it per line with a leaf it hashed from the exact bytes).
   * Hashes stay hex strings: Node's one-shot hash returns a string several times faster than a Buffer,
   * and the claimed values are compared as the strings they are in the export.
   */
  pushLeaf(seq: unknown, orgId: unknown, leafHex: string, claimedLeaf: unknown, claimedChain: unknown): void {
    if (this.bad) return;
    const expected = this.count + 1;
    this.orgId ??= typeof orgId === 'string' ? orgId : undefined;
    if (seq !== expected) {
      this.fail(expected, `expected seq ${expected}, found ${String(seq)}`);
      return;
    }
    if (orgId !== this.orgId) {
      this.fail(expected, 'entry belongs to another organization');
      return;
    }
    if (leafHex !== claimedLeaf) {
      this.fail(expected, 'leaf does not match the entry (edited)');
      return;
    }
    const input = this.chainInput;
    input.write(leafHex, 32, 32, 'hex');
    const chain = hash('sha256', input, 'hex');
    if (chain !== claimedChain) {
      this.fail(expected, 'chain does not follow from the previous entry');
      return;
    }
    this.accept(chain);
    input.write(chain, 0, 32, 'hex');
  }

  /**
   * The export verifier's hot path: the claimed leaf and chain are the 64 hex bytes at `leafAt` and
   * `chainAt` of `line`, compared and decoded in place. `computedLeaf` is the entry's hash (hex), or
   * undefined when a parallel leaf pass proves the claimed leaves instead.
   */
  pushExportLine(seq: number, computedLeaf: string | undefined, line: Buffer, leafAt: number, chainAt: number): void {
    if (this.bad) return;
    const expected = this.count + 1;
    if (seq !== expected) {
      this.fail(expected, `expected seq ${expected}, found ${seq}`);
      return;
    }
    const input = this.chainInput;
    if (
      (computedLeaf !== undefined && !hexDigestEquals(computedLeaf, line, leafAt)) ||
      !decodeHexDigest(line, leafAt, input, 32)
    ) {
      this.fail(expected, 'leaf does not match the entry (edited)');
      return;
    }
    const chain = hash('sha256', input, 'hex');
    if (!hexDigestEquals(chain, line, chainAt)) {
      this.fail(expected, 'chain does not follow from the previous entry');
      return;
    }
    this.accept(chain);
    // The claimed chain equals the computed one: its bytes are the next entry's chain input.
    decodeHexDigest(line, chainAt, input, 0);
  }

  /** The next entry verified: its leaf is in `chainInput[32..64]`, `chain` its chain value. */
  private accept(chain: string): void {
    const seq = ++this.count;
    this.chainHex = chain;
    const checkpoint = this.options.checkpoint;
    if (checkpoint && seq <= checkpoint.size) {
      if (this.computesMerkle) this.frontier.pushBytes(this.chainInput, 32);
      if (seq === checkpoint.size) this.checkAgainstCheckpoint(checkpoint);
    }
  }

  private get chain(): string {
    return this.chainHex;
  }

  private checkAgainstCheckpoint(checkpoint: SignedCheckpoint): void {
    if (this.chain !== checkpoint.chainHead) {
      // The entries were rewritten with a recomputed chain: which one is unknowable from the chain alone.
      this.fail(undefined, 'chain head differs from the signed checkpoint (entries rewritten)');
    } else if (this.computesMerkle && this.frontier.root() !== checkpoint.merkleRoot) {
      this.fail(undefined, 'Merkle root differs from the signed checkpoint');
    }
  }

  /** `externalMerkleRoot`: with `merkle: 'external'`, the root of the checkpoint's first `size` leaves. */
  finish(externalMerkleRoot?: string): LedgerVerification {
    const checkpoint = this.options.checkpoint;
    if (!this.bad && checkpoint) {
      const external = !this.computesMerkle;
      if (this.signature === 'invalid') {
        this.fail(undefined, 'checkpoint signature invalid (forged, or signed by another key)');
      } else if (checkpoint.size > this.count) {
        this.fail(this.count + 1, `checkpoint covers ${checkpoint.size} entries, found ${this.count}`);
      } else if (
        external
          ? externalMerkleRoot !== checkpoint.merkleRoot
          : checkpoint.size === 0 && checkpoint.merkleRoot !== this.frontier.root()
      ) {
        this.fail(undefined, 'Merkle root differs from the signed checkpoint');
      }
    }
    const head = this.options.head;
    if (!this.bad && head) {
      if (head.seq > this.count) this.fail(this.count + 1, `head is at seq ${head.seq}, entries end at ${this.count}`);
      else if (head.seq < this.count) this.fail(head.seq + 1, `entries continue past the head (seq ${head.seq})`);
      else if (head.chain !== this.chain) this.fail(Math.max(1, this.count), 'head chain differs from the last entry');
    }
    const result: LedgerVerification = { valid: !this.bad, size: this.count, head: this.chain };
    if (this.bad) {
      if (this.bad.seq !== undefined) result.firstBadSeq = this.bad.seq;
      result.reason = this.bad.reason;
    }
    if (checkpoint) {
      result.checkpoint = {
        size: checkpoint.size,
        chainHead: checkpoint.chainHead,
        merkleRoot: checkpoint.merkleRoot,
        signature: this.signature,
      };
    }
    return result;
  }
}

/** Verifies a whole ledger given as entries in seq order. */
export function verifyLedger(entries: Iterable<LedgerEntry>, options: VerifyOptions = {}): LedgerVerification {
  const verifier = new LedgerChainVerifier(options);
  for (const entry of entries) {
    verifier.push(entry);
    if (verifier.failed) break;
  }
  return verifier.finish();
}
