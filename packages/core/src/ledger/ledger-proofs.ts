import { parseSignedCheckpoint, type SignedCheckpoint, verifyCheckpointSignature } from './checkpoint.js';
import { isHexDigest, leafHash } from './ledger-hashing.js';
import type { LedgerEntry } from './ledger-writer.js';
import { verifyConsistency, verifyInclusion } from './merkle-tree.js';

/**
 * Self-contained proof documents (docs/ledger.md): each carries the signed checkpoint(s) it proves
 * against, so an auditor verifies it offline with the portal's public key alone.
 */
export const inclusionProofFormat = 'evidence-portal.ledger-inclusion-proof.v1';
export const consistencyProofFormat = 'evidence-portal.ledger-consistency-proof.v1';

/** "This entry is leaf `seq` of the tree the checkpoint signed." */
export interface InclusionProofDocument {
  format: typeof inclusionProofFormat;
  entry: LedgerEntry;
  checkpoint: SignedCheckpoint;
  /** RFC 6962 audit path for leaf index `entry.seq - 1` in the tree of `checkpoint.size` leaves. */
  proof: string[];
}

/** "The older checkpoint's tree is a prefix of the newer one's": nothing before it was rewritten. */
export interface ConsistencyProofDocument {
  format: typeof consistencyProofFormat;
  oldCheckpoint: SignedCheckpoint;
  newCheckpoint: SignedCheckpoint;
  proof: string[];
}

export type SignatureCheck = 'valid' | 'invalid' | 'unchecked';

export interface ProofVerification {
  valid: boolean;
  kind: 'inclusion' | 'consistency' | 'unknown';
  reason?: string;
  /** `unchecked` when no public key was given: the proof holds against the checkpoint, whose origin was not checked. */
  signatures: SignatureCheck;
}

function signatureOf(checkpoints: SignedCheckpoint[], publicKeyPem: string | undefined): SignatureCheck {
  if (publicKeyPem === undefined) return 'unchecked';
  return checkpoints.every((checkpoint) => verifyCheckpointSignature(checkpoint, publicKeyPem)) ? 'valid' : 'invalid';
}

const isPath = (value: unknown): value is string[] => Array.isArray(value) && value.every(isHexDigest);

function verifyInclusionDocument(doc: Record<string, unknown>, publicKeyPem: string | undefined): ProofVerification {
  const checkpoint = parseSignedCheckpoint(doc.checkpoint);
  const entry = doc.entry as LedgerEntry | undefined;
  const fail = (reason: string, signatures: SignatureCheck = 'unchecked'): ProofVerification => ({
    valid: false,
    kind: 'inclusion',
    reason,
    signatures,
  });
  if (!checkpoint || !entry || typeof entry !== 'object' || !isPath(doc.proof)) return fail('malformed proof document');
  const signatures = signatureOf([checkpoint], publicKeyPem);
  if (signatures === 'invalid')
    return fail('checkpoint signature invalid (forged, or signed by another key)', signatures);
  let computed: string;
  try {
    computed = leafHash(entry);
  } catch {
    return fail('the entry cannot be hashed', signatures);
  }
  if (computed !== entry.leaf) return fail('the entry does not match its leaf (edited)', signatures);
  if (entry.orgId !== checkpoint.org)
    return fail('the entry and the checkpoint belong to different organizations', signatures);
  if (
    !Number.isSafeInteger(entry.seq) ||
    !verifyInclusion(computed, entry.seq - 1, checkpoint.size, doc.proof, checkpoint.merkleRoot)
  ) {
    return fail(`entry ${String(entry.seq)} is not in the tree the checkpoint signed`, signatures);
  }
  return { valid: true, kind: 'inclusion', signatures };
}

function verifyConsistencyDocument(doc: Record<string, unknown>, publicKeyPem: string | undefined): ProofVerification {
  const older = parseSignedCheckpoint(doc.oldCheckpoint);
  const newer = parseSignedCheckpoint(doc.newCheckpoint);
  const fail = (reason: string, signatures: SignatureCheck = 'unchecked'): ProofVerification => ({
    valid: false,
    kind: 'consistency',
    reason,
    signatures,
  });
  if (!older || !newer || !isPath(doc.proof)) return fail('malformed proof document');
  const signatures = signatureOf([older, newer], publicKeyPem);
  if (signatures === 'invalid')
    return fail('a checkpoint signature is invalid (forged, or signed by another key)', signatures);
  if (older.org !== newer.org) return fail('the checkpoints belong to different organizations', signatures);
  if (!verifyConsistency(older.size, newer.size, older.merkleRoot, newer.merkleRoot, doc.proof)) {
    return fail(
      `the tree of ${older.size} entries is not a prefix of the tree of ${newer.size} (history rewritten)`,
      signatures,
    );
  }
  return { valid: true, kind: 'consistency', signatures };
}

/** Verifies an inclusion or consistency proof document (untrusted JSON) offline. */
export function verifyProofDocument(value: unknown, options: { publicKeyPem?: string } = {}): ProofVerification {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { valid: false, kind: 'unknown', reason: 'not a proof document', signatures: 'unchecked' };
  }
  const doc = value as Record<string, unknown>;
  if (doc.format === inclusionProofFormat) return verifyInclusionDocument(doc, options.publicKeyPem);
  if (doc.format === consistencyProofFormat) return verifyConsistencyDocument(doc, options.publicKeyPem);
  return { valid: false, kind: 'unknown', reason: 'unknown proof format', signatures: 'unchecked' };
}
