import { ledgerArn } from '../access/resources.js';
import { ConditionFailedError } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Signer } from '../ports/crypto.js';
import type { Clock, Logger } from '../ports/runtime.js';
import type { ItemValue, Store, WriteOp } from '../ports/store.js';
import {
  type AnyCheckpoint,
  type CheckpointBody,
  checkpointDigest,
  checkpointFormat,
  parseCheckpoint,
  type SignedCheckpoint,
  type TrustedKey,
} from './checkpoint.js';
import { checkpointItem, putCheckpointBlob } from './checkpoint-store.js';
import type { IntegrityAlerts } from './integrity-alert.js';
import { auditLedger, checkpointAnnouncementAction, type LedgerAudit } from './ledger-audit.js';
import { ledgerKeys } from './ledger-keys.js';
import type { LedgerVerification } from './ledger-verification.js';
import type { LedgerAppendInput, LedgerEntry } from './ledger-writer.js';
import { consistencyProof, verifyConsistency } from './merkle-proofs.js';

export interface CheckpointSigningDeps {
  store: Store;
  blobs: BlobStore;
  signer: Signer;
  clock: Clock;
  logger?: Logger;
  alerts: IntegrityAlerts;
  append: (input: LedgerAppendInput) => Promise<LedgerEntry>;
}

export type CheckpointOutcome =
  | { status: 'signed'; checkpoint: SignedCheckpoint }
  /** Nothing new since the newest checkpoint (its own announcement aside). */
  | { status: 'unchanged'; checkpoint?: AnyCheckpoint }
  /** The ledger did not verify: nothing was signed, and an integrity alert was raised. */
  | { status: 'refused'; verification: LedgerVerification };

export async function trustedKeysOf(signer: Signer): Promise<TrustedKey[]> {
  return (await signer.verificationKeys()).map(({ pem, fingerprint }) => ({ pem, fingerprint }));
}

const announcementToken = (size: number) => `checkpoint-${size}`;

/** Has anything but the newest checkpoint's own announcement been appended since it? */
function grew(audit: LedgerAudit): boolean {
  const size = audit.verification.size;
  const newest = audit.anchors.at(-1);
  if (!newest) return size > 0;
  if (size <= newest.size) return false;
  return size > newest.size + 1 || audit.announced.get(newest.size) !== size;
}

/**
 * Signs the next checkpoint of one ledger, only over a ledger that verifies completely (an audit of
 * every entry and every checkpoint found, ledger-audit.ts): the previous checkpoint's signature has
 * verified, a consistency proof from it to the new tree verifies, and every entry verifies. The signed
 * body names the previous checkpoint. A ledger that does not verify gets no checkpoint and raises an
 * integrity alert; signing over it would launder the damage.
 *
 * Writes: the object in the checkpoints bucket first, then one append that records the
 * `ledger:CheckpointSigned` announcement (subscribers get it as a notification / webhook) and puts
 * the table item in the same transaction. A run that stops between the two is completed by the next.
 */
export async function signCheckpoint(deps: CheckpointSigningDeps, orgId: string): Promise<CheckpointOutcome> {
  const keys = await trustedKeysOf(deps.signer);
  const audit = await auditLedger({ store: deps.store, blobs: deps.blobs, keys }, orgId, { keepLeaves: true });
  const { verification } = audit;
  if (!verification.valid) {
    await deps.alerts.raise(orgId, verification.faults, 'checkpoint');
    return { status: 'refused', verification };
  }
  await deps.alerts.resolve(orgId);
  if (audit.unfinished) return { status: 'signed', checkpoint: await announce(deps, audit.unfinished, audit) };
  const newest = audit.anchors.at(-1);
  if (!grew(audit)) return { status: 'unchanged', ...(newest ? { checkpoint: newest } : {}) };

  const size = verification.size;
  const leaves = audit.leaves!;
  const root = verification.merkleRoot;
  if (newest) {
    const proof = consistencyProof(leaves, newest.size);
    if (!verifyConsistency(newest.size, size, newest.merkleRoot, root, proof)) {
      const fault = {
        kind: 'checkpoint_mismatch' as const,
        reason: `the tree of ${size} entries is not consistent with the signed checkpoint of size ${newest.size}`,
      };
      await deps.alerts.raise(orgId, [fault], 'checkpoint');
      return {
        status: 'refused',
        verification: { ...verification, valid: false, faults: [fault], reason: fault.reason },
      };
    }
  }
  const publicKey = await deps.signer.publicKey();
  const body: CheckpointBody = {
    format: checkpointFormat,
    org: orgId,
    size,
    merkleRoot: root,
    time: deps.clock.now().toISOString(),
    previous: newest ? { size: newest.size, merkleRoot: newest.merkleRoot } : null,
    keyId: publicKey.keyId,
    keyFingerprint: publicKey.fingerprint,
  };
  const signature = await deps.signer.signDigest(checkpointDigest(body));
  const signed: SignedCheckpoint = { ...body, signature: Buffer.from(signature).toString('base64') };
  await putCheckpointBlob(deps.blobs, signed);
  return { status: 'signed', checkpoint: await announce(deps, signed, audit) };
}

/**
 * The announcement entry and the table item, in one transaction. Its details carry the signed
 * checkpoint and the consistency proof from the previous one, so a witness holding the previous
 * checkpoint can check the new one with nothing else. A concurrent signer of the same size wins with
 * its own (equally genuine) checkpoint, which is returned instead.
 */
async function announce(deps: CheckpointSigningDeps, checkpoint: SignedCheckpoint, audit: LedgerAudit) {
  const orgId = checkpoint.org;
  const legacyPointer = await deps.store.get(ledgerKeys.legacyLatestCheckpoint(orgId), { consistent: true });
  const alsoWrite: WriteOp[] = [{ kind: 'put', item: checkpointItem(checkpoint), condition: { kind: 'notExists' } }];
  // Migration: the mutable pointer of checkpoint format v1 goes with the first v2 checkpoint.
  if (legacyPointer) alsoWrite.push({ kind: 'delete', key: ledgerKeys.legacyLatestCheckpoint(orgId) });
  const previous = checkpoint.previous;
  const details: Record<string, ItemValue> = {
    checkpoint: checkpoint as unknown as ItemValue,
    ...(previous && audit.leaves && previous.size <= audit.leaves.length
      ? {
          consistency: {
            fromSize: previous.size,
            proof: consistencyProof(audit.leaves.prefix(checkpoint.size), previous.size),
          },
        }
      : {}),
  };
  try {
    const entry = await deps.append({
      orgId,
      actor: { type: 'system', id: 'ledger-checkpoint' },
      action: checkpointAnnouncementAction,
      subject: ledgerArn(orgId),
      details,
      requestToken: announcementToken(checkpoint.size),
      alsoWrite,
    });
    const recorded = parseCheckpoint(entry.details.checkpoint);
    if ('error' in recorded || 'chainHead' in recorded.checkpoint) return checkpoint;
    if (recorded.checkpoint.signature === checkpoint.signature) {
      deps.logger?.log('info', 'ledger checkpoint signed', { orgId, size: checkpoint.size });
    }
    return recorded.checkpoint;
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
    const item = await deps.store.get(ledgerKeys.checkpoint(orgId, checkpoint.size), { consistent: true });
    const stored = item ? parseCheckpoint(JSON.parse(String(item.checkpoint))) : undefined;
    if (!stored || 'error' in stored || 'chainHead' in stored.checkpoint) throw error;
    return stored.checkpoint;
  }
}
