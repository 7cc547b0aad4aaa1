import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { isHexDigest } from './ledger-hashing.js';

export const checkpointFormat = 'evidence-portal.ledger-checkpoint.v2';

/** A checkpoint named by what it attests: the tree of `size` leaves has this root. */
export interface CheckpointReference {
  size: number;
  merkleRoot: string;
}

/**
 * What a checkpoint attests, all of it signed: the org's ledger had `size` entries whose RFC 6962
 * Merkle root is `merkleRoot`, it extends the checkpoint before it (`previous`, null for the first),
 * and this key signed it. Checkpoints thus form their own chain, each signed only after the one it
 * names verified (docs/ledger.md).
 */
export interface CheckpointBody {
  format: typeof checkpointFormat;
  org: string;
  size: number;
  merkleRoot: string;
  time: string;
  previous: CheckpointReference | null;
  /** The KMS key that signed, and the hex SHA-256 of its DER SubjectPublicKeyInfo. */
  keyId: string;
  keyFingerprint: string;
}

/** A checkpoint with its signature: base64 DER ECDSA P-256 over SHA-256(JCS(body)). */
export interface SignedCheckpoint extends CheckpointBody {
  signature: string;
}

/**
 * Format v1 (ledgers written before checkpoints were chained): the body `{org, size, chainHead,
 * merkleRoot, time}` is signed; `keyId`/`keyFingerprint` are unsigned hints. Still verified, so old
 * ledgers keep their anchors; a v2 checkpoint names the newest v1 one as its `previous`.
 */
export interface LegacyCheckpoint {
  org: string;
  size: number;
  chainHead: string;
  merkleRoot: string;
  time: string;
  signature: string;
  keyId: string;
  keyFingerprint: string;
}

export type AnyCheckpoint = SignedCheckpoint | LegacyCheckpoint;

export function isLegacyCheckpoint(checkpoint: AnyCheckpoint): checkpoint is LegacyCheckpoint {
  return !('format' in checkpoint);
}

/** The exact JCS bytes a checkpoint's signature covers. */
export function signedCheckpointBytes(checkpoint: AnyCheckpoint | CheckpointBody): string {
  if (!('format' in checkpoint)) {
    const { org, size, chainHead, merkleRoot, time } = checkpoint;
    return canonicalJson({ org, size, chainHead, merkleRoot, time });
  }
  const { format, org, size, merkleRoot, time, previous, keyId, keyFingerprint } = checkpoint;
  return canonicalJson({ format, org, size, merkleRoot, time, previous, keyId, keyFingerprint });
}

/** The digest the signing key signs (KMS DIGEST mode, ECDSA_SHA_256). */
export function checkpointDigest(body: CheckpointBody): Buffer {
  return createHash('sha256').update(signedCheckpointBytes(body)).digest();
}

/** A public key a verifier trusts, as `GET /api/keys/signing` lists them. */
export interface TrustedKey {
  pem: string;
  /** Hex SHA-256 of the DER SubjectPublicKeyInfo. */
  fingerprint: string;
}

/** Fingerprint as the Signer port reports it: SHA-256 of the DER SPKI. */
export function publicKeyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ format: 'der', type: 'spki' });
  return createHash('sha256').update(der).digest('hex');
}

export function trustedKey(publicKeyPem: string): TrustedKey {
  return { pem: publicKeyPem, fingerprint: publicKeyFingerprint(publicKeyPem) };
}

export type SignatureCheck = 'valid' | 'invalid' | 'unchecked';

const keyObjects = new Map<string, KeyObject>();
function keyObject(pem: string): KeyObject {
  let key = keyObjects.get(pem);
  if (!key) {
    key = createPublicKey(pem);
    keyObjects.set(pem, key);
  }
  return key;
}

/**
 * Checks the signature with the trusted key the checkpoint names (by fingerprint): after a key
 * rotation old checkpoints verify with the retired key they name. No keys given: `unchecked`. A
 * checkpoint naming a key outside the trusted set is `invalid`, whatever it carries.
 */
export function checkCheckpointSignature(
  checkpoint: AnyCheckpoint,
  keys: readonly TrustedKey[] | undefined,
): SignatureCheck {
  if (keys === undefined) return 'unchecked';
  const key = keys.find((candidate) => candidate.fingerprint === checkpoint.keyFingerprint);
  if (!key) return 'invalid';
  try {
    const data = Buffer.from(signedCheckpointBytes(checkpoint), 'utf8');
    const signature = Buffer.from(checkpoint.signature, 'base64');
    return verify('sha256', data, { key: keyObject(key.pem), dsaEncoding: 'der' }, signature) ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}

/** True only when `publicKeyPem` signed exactly this checkpoint; any malformed input is simply false. */
export function verifyCheckpointSignature(checkpoint: AnyCheckpoint, publicKeyPem: string): boolean {
  try {
    return checkCheckpointSignature(checkpoint, [trustedKey(publicKeyPem)]) === 'valid';
  } catch {
    return false;
  }
}

const base64 = /^[A-Za-z0-9+/]+={0,2}$/;
const v2Members = ['format', 'org', 'size', 'merkleRoot', 'time', 'previous', 'keyId', 'keyFingerprint', 'signature'];
const v1Members = ['org', 'size', 'chainHead', 'merkleRoot', 'time', 'signature', 'keyId', 'keyFingerprint'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isSize = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function exactMembers(value: Record<string, unknown>, members: readonly string[]): string | undefined {
  const unknown = Object.keys(value).find((key) => !members.includes(key));
  if (unknown !== undefined) return `an unknown member ${JSON.stringify(unknown)}`;
  const missing = members.find((key) => !(key in value));
  return missing !== undefined ? `no member "${missing}"` : undefined;
}

/** Strict structural reading of untrusted checkpoint JSON (an export, a stored item, a held file). */
export function parseCheckpoint(value: unknown): { checkpoint: AnyCheckpoint } | { error: string } {
  if (!isRecord(value)) return { error: 'the checkpoint is not a JSON object' };
  const members = 'format' in value ? v2Members : v1Members;
  if ('format' in value && value.format !== checkpointFormat) return { error: 'unknown checkpoint format' };
  const problem = exactMembers(value, members);
  if (problem) return { error: `the checkpoint has ${problem}` };
  const v = value;
  const common =
    typeof v.org === 'string' &&
    v.org !== '' &&
    isSize(v.size) &&
    isHexDigest(v.merkleRoot) &&
    typeof v.time === 'string' &&
    typeof v.signature === 'string' &&
    base64.test(v.signature) &&
    typeof v.keyId === 'string' &&
    typeof v.keyFingerprint === 'string';
  if (!common) return { error: 'the checkpoint has a member of the wrong type' };
  if (!('format' in value)) {
    if (!isHexDigest(v.chainHead)) return { error: 'the checkpoint has a member of the wrong type' };
    return { checkpoint: value as unknown as LegacyCheckpoint };
  }
  const previous = v.previous;
  if (previous !== null) {
    if (!isRecord(previous)) return { error: 'the checkpoint names a malformed previous checkpoint' };
    const previousProblem = exactMembers(previous, ['size', 'merkleRoot']);
    if (previousProblem) return { error: `the previous checkpoint named has ${previousProblem}` };
    if (!isSize(previous.size) || !isHexDigest(previous.merkleRoot) || previous.size >= (v.size as number)) {
      return { error: 'the checkpoint names a malformed previous checkpoint' };
    }
  }
  return { checkpoint: value as unknown as SignedCheckpoint };
}

/** Same-size checkpoints are the same tree exactly when they agree on what they attest. */
export function sameTree(
  a: CheckpointReference & { org?: string },
  b: CheckpointReference & { org?: string },
): boolean {
  return a.size === b.size && a.merkleRoot === b.merkleRoot && a.org === b.org;
}
