import { canonicalJson } from './canonical-json.js';
import {
  type AnyCheckpoint,
  checkCheckpointSignature,
  parseCheckpoint,
  type SignatureCheck,
  type TrustedKey,
} from './checkpoint.js';
import { type LedgerEntryBody, parseEntryBody } from './entry-body.js';
import { isHexDigest, leafHashOfCanonical } from './ledger-hashing.js';
import { verifyConsistency, verifyInclusion } from './merkle-proofs.js';

/**
 * Self-contained proof documents (docs/ledger.md): each carries the signed checkpoint(s) it proves
 * against, so an auditor verifies it offline with the portal's public key alone. They carry only
 * hashed content (the entry body, signed checkpoints, tree hashes); the verifier recomputes the leaf
 * and rejects any member it does not know.
 */
export const inclusionProofFormat = 'evidence-portal.ledger-inclusion-proof.v2';
export const consistencyProofFormat = 'evidence-portal.ledger-consistency-proof.v2';

/** "This entry is leaf `seq` of the tree the checkpoint signed." */
export interface InclusionProofDocument {
  format: typeof inclusionProofFormat;
  /** The entry body exactly as hashed (its JCS form is the leaf's input). */
  entry: LedgerEntryBody;
  checkpoint: AnyCheckpoint;
  /** RFC 6962 audit path for leaf index `entry.seq - 1` in the tree of `checkpoint.size` leaves. */
  proof: string[];
}

/** "The older checkpoint's tree is a prefix of the newer one's": nothing before it was rewritten. */
export interface ConsistencyProofDocument {
  format: typeof consistencyProofFormat;
  oldCheckpoint: AnyCheckpoint;
  newCheckpoint: AnyCheckpoint;
  proof: string[];
}

export interface ProofVerification {
  valid: boolean;
  kind: 'inclusion' | 'consistency' | 'unknown';
  reason?: string;
  /** `unchecked` when no public key was given: the proof holds against the checkpoint, whose origin was not checked. */
  signatures: SignatureCheck;
}

const isPath = (value: unknown): value is string[] => Array.isArray(value) && value.every(isHexDigest);

function unknownMember(doc: Record<string, unknown>, members: readonly string[]): string | undefined {
  return Object.keys(doc).find((key) => !members.includes(key));
}

function signaturesOf(checkpoints: AnyCheckpoint[], keys: readonly TrustedKey[] | undefined): SignatureCheck {
  if (keys === undefined) return 'unchecked';
  return checkpoints.every((checkpoint) => checkCheckpointSignature(checkpoint, keys) === 'valid')
    ? 'valid'
    : 'invalid';
}

function verifyInclusionDocument(
  doc: Record<string, unknown>,
  keys: readonly TrustedKey[] | undefined,
): ProofVerification {
  const fail = (reason: string, signatures: SignatureCheck = 'unchecked'): ProofVerification => ({
    valid: false,
    kind: 'inclusion',
    reason,
    signatures,
  });
  const unknown = unknownMember(doc, ['format', 'entry', 'checkpoint', 'proof']);
  if (unknown !== undefined) return fail(`the document has an unknown member ${JSON.stringify(unknown)}`);
  const checkpoint = parseCheckpoint(doc.checkpoint);
  if ('error' in checkpoint) return fail(checkpoint.error);
  const entry = parseEntryBody(doc.entry);
  if ('error' in entry) return fail(entry.error);
  if (!isPath(doc.proof)) return fail('malformed proof path');
  const signatures = signaturesOf([checkpoint.checkpoint], keys);
  if (signatures === 'invalid')
    return fail('checkpoint signature invalid (forged, or signed by another key)', signatures);
  let leaf: string;
  try {
    leaf = leafHashOfCanonical(canonicalJson(entry.body));
  } catch {
    return fail('the entry has no canonical form', signatures);
  }
  const { org, size, merkleRoot } = checkpoint.checkpoint;
  if (entry.body.orgId !== org)
    return fail('the entry and the checkpoint belong to different organizations', signatures);
  if (!verifyInclusion(leaf, entry.body.seq - 1, size, doc.proof, merkleRoot)) {
    return fail(
      `entry ${entry.body.seq} is not in the tree the checkpoint signed (edited, moved or not included)`,
      signatures,
    );
  }
  return { valid: true, kind: 'inclusion', signatures };
}

function verifyConsistencyDocument(
  doc: Record<string, unknown>,
  keys: readonly TrustedKey[] | undefined,
): ProofVerification {
  const fail = (reason: string, signatures: SignatureCheck = 'unchecked'): ProofVerification => ({
    valid: false,
    kind: 'consistency',
    reason,
    signatures,
  });
  const unknown = unknownMember(doc, ['format', 'oldCheckpoint', 'newCheckpoint', 'proof']);
  if (unknown !== undefined) return fail(`the document has an unknown member ${JSON.stringify(unknown)}`);
  const older = parseCheckpoint(doc.oldCheckpoint);
  const newer = parseCheckpoint(doc.newCheckpoint);
  if ('error' in older) return fail(`old checkpoint: ${older.error}`);
  if ('error' in newer) return fail(`new checkpoint: ${newer.error}`);
  if (!isPath(doc.proof)) return fail('malformed proof path');
  const [a, b] = [older.checkpoint, newer.checkpoint];
  const signatures = signaturesOf([a, b], keys);
  if (signatures === 'invalid')
    return fail('a checkpoint signature is invalid (forged, or signed by another key)', signatures);
  if (a.org !== b.org) return fail('the checkpoints belong to different organizations', signatures);
  if (!verifyConsistency(a.size, b.size, a.merkleRoot, b.merkleRoot, doc.proof)) {
    return fail(
      `the tree of ${a.size} entries is not a prefix of the tree of ${b.size} (history rewritten)`,
      signatures,
    );
  }
  return { valid: true, kind: 'consistency', signatures };
}

/** Verifies an inclusion or consistency proof document (untrusted JSON) offline. */
export function verifyProofDocument(value: unknown, options: { keys?: readonly TrustedKey[] } = {}): ProofVerification {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { valid: false, kind: 'unknown', reason: 'not a proof document', signatures: 'unchecked' };
  }
  const doc = value as Record<string, unknown>;
  if (doc.format === inclusionProofFormat) return verifyInclusionDocument(doc, options.keys);
  if (doc.format === consistencyProofFormat) return verifyConsistencyDocument(doc, options.keys);
  return { valid: false, kind: 'unknown', reason: 'unknown proof format', signatures: 'unchecked' };
}
