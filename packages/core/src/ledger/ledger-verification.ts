import type { AnyCheckpoint, SignatureCheck } from './checkpoint.js';
import type { IntegrityFault } from './integrity-fault.js';

/** The verdict every verifier gives (the API, the CLI, the checkpoint job), in one shape. */
export interface LedgerVerification {
  valid: boolean;
  /** Entries examined. */
  size: number;
  /** RFC 6962 Merkle root of the entries examined. */
  merkleRoot: string;
  /** The first entry that does not verify, where a check can name one. */
  firstBadSeq?: number;
  /** The first fault's reason. */
  reason?: string;
  faults: IntegrityFault[];
  /** A signed checkpoint anchors the entries (without a trusted key: a checkpoint whose origin was not checked). */
  anchored: boolean;
  checkpoints: {
    count: number;
    /** `unchecked` when no trusted key was given: the entries were checked against them, their origin was not. */
    signatures: SignatureCheck;
    newest?: { size: number; merkleRoot: string; time: string; keyFingerprint: string };
    /** Checkpoints a witness held (`evidence ledger verify --checkpoint`), checked against the entries. */
    held?: number;
  };
}

export function verdict(parts: {
  size: number;
  merkleRoot: string;
  faults: readonly IntegrityFault[];
  anchors: readonly AnyCheckpoint[];
  signatures: SignatureCheck;
  held?: number;
}): LedgerVerification {
  const faults = [...parts.faults];
  const newest = parts.anchors.at(-1);
  const seqs = faults.flatMap((fault) => (fault.seq !== undefined ? [fault.seq] : []));
  const result: LedgerVerification = {
    valid: faults.length === 0,
    size: parts.size,
    merkleRoot: parts.merkleRoot,
    faults,
    anchored: parts.anchors.length > 0,
    checkpoints: {
      count: parts.anchors.length,
      signatures: parts.signatures,
      ...(newest
        ? {
            newest: {
              size: newest.size,
              merkleRoot: newest.merkleRoot,
              time: newest.time,
              keyFingerprint: newest.keyFingerprint,
            },
          }
        : {}),
      ...(parts.held !== undefined ? { held: parts.held } : {}),
    },
  };
  // A seq is only "the first bad" one when no range found by a checkpoint starts before it.
  const first = seqs.length > 0 ? Math.min(...seqs) : undefined;
  const rangeStart = Math.min(...faults.flatMap((fault) => (fault.fromSeq !== undefined ? [fault.fromSeq] : [])));
  if (first !== undefined && !(rangeStart < first)) result.firstBadSeq = first;
  if (faults[0]) result.reason = faults[0].reason;
  return result;
}
