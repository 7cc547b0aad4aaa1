import type {
  AnyCheckpoint,
  ConsistencyProofDocument,
  InclusionProofDocument,
  IntegrityFault,
  LedgerEntry,
  LedgerVerification,
} from '@evidence-portal/core';
import { z } from '@hono/zod-openapi';

/**
 * The ledger's response schemas and presenters: every response is built from an explicit list of
 * fields (a stored entry never passes through as it is), so nothing outside the hashed schema can
 * reach a client.
 */
const ActorSchema = z.object({
  type: z.enum(['user', 'role-session', 'system', 'anonymous']),
  id: z.string(),
  email: z.string().optional(),
  accountId: z.string().optional(),
});

const entryBodyShape = {
  orgId: z.string(),
  seq: z.number().int(),
  time: z.string(),
  actor: ActorSchema,
  action: z.string(),
  subject: z.string(),
  accountId: z.string().optional(),
  details: z.record(z.string(), z.unknown()),
};

export const EntrySchema = z
  .object({
    ...entryBodyShape,
    leaf: z.string().openapi({ description: 'hex SHA-256(0x00 || the stored JCS body): its RFC 6962 leaf hash' }),
  })
  .openapi('LedgerEntry');

const EntryBodySchema = z.object(entryBodyShape).openapi('LedgerEntryBody');

const CheckpointV2Schema = z
  .object({
    format: z.literal('evidence-portal.ledger-checkpoint.v2'),
    org: z.string(),
    size: z.number().int(),
    merkleRoot: z.string().openapi({ description: 'RFC 6962 Merkle tree hash over leaves 1..size' }),
    time: z.string(),
    previous: z
      .object({ size: z.number().int(), merkleRoot: z.string() })
      .nullable()
      .openapi({ description: 'The checkpoint this one extends (null for the first)' }),
    keyId: z.string(),
    keyFingerprint: z.string().openapi({ description: 'hex SHA-256 of the signing key DER SubjectPublicKeyInfo' }),
    signature: z.string().openapi({ description: 'base64 DER ECDSA P-256 over SHA-256(JCS of every member above)' }),
  })
  .openapi('LedgerCheckpoint');

const CheckpointV1Schema = z
  .object({
    org: z.string(),
    size: z.number().int(),
    chainHead: z.string(),
    merkleRoot: z.string(),
    time: z.string(),
    signature: z.string(),
    keyId: z.string(),
    keyFingerprint: z.string(),
  })
  .openapi('LedgerCheckpointV1', { description: 'A checkpoint signed before checkpoints were chained (format v1)' });

export const CheckpointSchema = z.union([CheckpointV2Schema, CheckpointV1Schema]);

const FaultSchema = z
  .object({
    kind: z.string().openapi({ description: 'A stable fault name (docs/ledger.md)' }),
    reason: z.string(),
    seq: z.number().int().optional(),
    fromSeq: z.number().int().optional(),
    toSeq: z.number().int().optional(),
  })
  .openapi('LedgerIntegrityFault');

export const VerificationSchema = z
  .object({
    valid: z.boolean(),
    size: z.number().int(),
    merkleRoot: z.string(),
    firstBadSeq: z.number().int().optional(),
    reason: z.string().optional(),
    faults: z.array(FaultSchema),
    anchored: z.boolean(),
    checkpoints: z.object({
      count: z.number().int(),
      signatures: z.enum(['valid', 'invalid', 'unchecked']),
      newest: z
        .object({ size: z.number().int(), merkleRoot: z.string(), time: z.string(), keyFingerprint: z.string() })
        .optional(),
    }),
  })
  .openapi('LedgerVerification');

export const InclusionProofSchema = z
  .object({
    format: z.literal('evidence-portal.ledger-inclusion-proof.v2'),
    entry: EntryBodySchema,
    checkpoint: CheckpointSchema,
    proof: z.array(z.string()).openapi({ description: 'RFC 6962 audit path for leaf index seq-1' }),
  })
  .openapi('LedgerInclusionProof');

export const ConsistencyProofSchema = z
  .object({
    format: z.literal('evidence-portal.ledger-consistency-proof.v2'),
    oldCheckpoint: CheckpointSchema,
    newCheckpoint: CheckpointSchema,
    proof: z.array(z.string()).openapi({ description: 'RFC 6962 consistency proof' }),
  })
  .openapi('LedgerConsistencyProof');

type Body = Omit<LedgerEntry, 'leaf'>;

function presentBody(entry: Body): Body {
  const { type, id, email, accountId } = entry.actor;
  return {
    orgId: entry.orgId,
    seq: entry.seq,
    time: entry.time,
    actor: { type, id, ...(email !== undefined ? { email } : {}), ...(accountId !== undefined ? { accountId } : {}) },
    action: entry.action,
    subject: entry.subject,
    ...(entry.accountId !== undefined ? { accountId: entry.accountId } : {}),
    details: entry.details,
  };
}

export function presentEntry(entry: LedgerEntry): LedgerEntry {
  return { ...presentBody(entry), leaf: entry.leaf };
}

/** A checkpoint's members exactly: every one is signed (v2), so none can be dropped or added. */
export function presentCheckpoint(checkpoint: AnyCheckpoint): AnyCheckpoint {
  if (!('format' in checkpoint)) {
    const { org, size, chainHead, merkleRoot, time, signature, keyId, keyFingerprint } = checkpoint;
    return { org, size, chainHead, merkleRoot, time, signature, keyId, keyFingerprint };
  }
  const { format, org, size, merkleRoot, time, previous, keyId, keyFingerprint, signature } = checkpoint;
  return { format, org, size, merkleRoot, time, previous, keyId, keyFingerprint, signature };
}

function presentFault(fault: IntegrityFault): IntegrityFault {
  const { kind, reason, seq, fromSeq, toSeq } = fault;
  return {
    kind,
    reason,
    ...(seq !== undefined ? { seq } : {}),
    ...(fromSeq !== undefined ? { fromSeq } : {}),
    ...(toSeq !== undefined ? { toSeq } : {}),
  };
}

export function presentVerification(result: LedgerVerification) {
  const { newest } = result.checkpoints;
  return {
    valid: result.valid,
    size: result.size,
    merkleRoot: result.merkleRoot,
    ...(result.firstBadSeq !== undefined ? { firstBadSeq: result.firstBadSeq } : {}),
    ...(result.reason !== undefined ? { reason: result.reason } : {}),
    faults: result.faults.map(presentFault),
    anchored: result.anchored,
    checkpoints: {
      count: result.checkpoints.count,
      signatures: result.checkpoints.signatures,
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
    },
  };
}

export function presentInclusionProof(doc: InclusionProofDocument): InclusionProofDocument {
  return {
    format: doc.format,
    entry: presentBody(doc.entry),
    checkpoint: presentCheckpoint(doc.checkpoint),
    proof: [...doc.proof],
  };
}

export function presentConsistencyProof(doc: ConsistencyProofDocument): ConsistencyProofDocument {
  return {
    format: doc.format,
    oldCheckpoint: presentCheckpoint(doc.oldCheckpoint),
    newCheckpoint: presentCheckpoint(doc.newCheckpoint),
    proof: [...doc.proof],
  };
}
