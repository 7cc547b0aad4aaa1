import { createHash, createPublicKey, verify } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { isHexDigest } from './ledger-hashing.js';

/** What a checkpoint attests: the org's ledger had `size` entries ending in `chainHead`, with this Merkle root. */
export interface CheckpointBody {
  org: string;
  size: number;
  chainHead: string;
  /** RFC 6962 Merkle tree hash over the leaves 1..size (hex). */
  merkleRoot: string;
  time: string;
}

/** A checkpoint with its signature: DER ECDSA P-256 over SHA-256(JCS(body)), base64. */
export interface SignedCheckpoint extends CheckpointBody {
  signature: string;
  keyId: string;
  /** Hex SHA-256 of the signing key's DER SubjectPublicKeyInfo: compare with the key you trust. */
  keyFingerprint: string;
}

export function checkpointBody(checkpoint: CheckpointBody): CheckpointBody {
  const { org, size, chainHead, merkleRoot, time } = checkpoint;
  return { org, size, chainHead, merkleRoot, time };
}

/** The digest the signing key signs (KMS DIGEST mode, ECDSA_SHA_256). */
export function checkpointDigest(checkpoint: CheckpointBody): Buffer {
  return createHash('sha256')
    .update(canonicalJson(checkpointBody(checkpoint)))
    .digest();
}

/** True only when `publicKeyPem` signed exactly this body; any malformed input is simply false. */
export function verifyCheckpointSignature(checkpoint: SignedCheckpoint, publicKeyPem: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    const data = Buffer.from(canonicalJson(checkpointBody(checkpoint)), 'utf8');
    return verify('sha256', data, { key, dsaEncoding: 'der' }, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}

/** Fingerprint as the Signer port reports it: SHA-256 of the DER SPKI. */
export function publicKeyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ format: 'der', type: 'spki' });
  return createHash('sha256').update(der).digest('hex');
}

/** Structural check of untrusted checkpoint JSON (an export file, a stored blob). */
export function parseSignedCheckpoint(value: unknown): SignedCheckpoint | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const ok =
    typeof v.org === 'string' &&
    typeof v.size === 'number' &&
    Number.isSafeInteger(v.size) &&
    v.size >= 0 &&
    isHexDigest(v.chainHead) &&
    isHexDigest(v.merkleRoot) &&
    typeof v.time === 'string' &&
    typeof v.signature === 'string' &&
    typeof v.keyId === 'string' &&
    typeof v.keyFingerprint === 'string';
  if (!ok) return undefined;
  return {
    ...checkpointBody(v as unknown as CheckpointBody),
    signature: v.signature as string,
    keyId: v.keyId as string,
    keyFingerprint: v.keyFingerprint as string,
  };
}
