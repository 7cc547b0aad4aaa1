import {
  type AnyCheckpoint,
  checkCheckpointSignature,
  isLegacyCheckpoint,
  type SignatureCheck,
  type TrustedKey,
} from './checkpoint.js';
import type { IntegrityFault } from './integrity-fault.js';

export interface CheckpointChainCheck {
  /** Checkpoints that anchor entries: signature valid (or unchecked, when no key is trusted), by size. */
  anchors: AnyCheckpoint[];
  faults: IntegrityFault[];
  /** `valid` when every signature verified, `invalid` when any did not, `unchecked` without keys. */
  signatures: SignatureCheck;
}

/**
 * Checks a ledger's checkpoints as the chain they form: every signature against the trusted keys
 * (each checkpoint names its key), and every v2 checkpoint naming exactly the checkpoint before it
 * (`previous`), so a checkpoint that was removed, or one signed over a forked history, shows. v1
 * checkpoints (before the chain existed) may only precede v2 ones.
 */
export function checkCheckpointChain(
  orgId: string,
  checkpoints: readonly AnyCheckpoint[],
  keys: readonly TrustedKey[] | undefined,
): CheckpointChainCheck {
  const faults: IntegrityFault[] = [];
  const anchors: AnyCheckpoint[] = [];
  let signatures: SignatureCheck = keys === undefined ? 'unchecked' : 'valid';
  const sorted = [...checkpoints].sort((a, b) => a.size - b.size);
  for (const checkpoint of sorted) {
    if (checkpoint.org !== orgId) {
      faults.push({
        kind: 'checkpoint_chain',
        reason: `the checkpoint of size ${checkpoint.size} belongs to another organization`,
      });
      continue;
    }
    const signature = checkCheckpointSignature(checkpoint, keys);
    if (signature === 'invalid') {
      signatures = 'invalid';
      faults.push({
        kind: 'checkpoint_forged',
        reason: `the checkpoint of size ${checkpoint.size} is not signed by a trusted key (forged, or signed by another key: ${checkpoint.keyFingerprint})`,
      });
      continue;
    }
    anchors.push(checkpoint);
  }
  const bySize = new Map(anchors.map((checkpoint) => [checkpoint.size, checkpoint]));
  anchors.forEach((checkpoint, i) => {
    const before = anchors[i - 1];
    if (isLegacyCheckpoint(checkpoint)) {
      if (before && !isLegacyCheckpoint(before)) {
        faults.push({
          kind: 'checkpoint_chain',
          reason: `the v1 checkpoint of size ${checkpoint.size} follows a v2 one`,
        });
      }
      return;
    }
    const previous = checkpoint.previous;
    if (previous === null) {
      if (before) {
        faults.push({
          kind: 'checkpoint_chain',
          reason: `the checkpoint of size ${checkpoint.size} names no previous checkpoint, but the one of size ${before.size} exists`,
        });
      }
      return;
    }
    const named = bySize.get(previous.size);
    if (!named) {
      faults.push({
        kind: 'checkpoint_missing',
        reason: `the checkpoint of size ${checkpoint.size} names the previous checkpoint of size ${previous.size}, which is missing (deleted)`,
      });
    } else if (named.merkleRoot !== previous.merkleRoot) {
      faults.push({
        kind: 'checkpoint_chain',
        reason: `the checkpoint of size ${checkpoint.size} names a previous tree of size ${previous.size} other than the signed one (a fork)`,
      });
    } else if (before && before.size !== previous.size) {
      faults.push({
        kind: 'checkpoint_chain',
        reason: `the checkpoint of size ${checkpoint.size} skips the checkpoint of size ${before.size}`,
      });
    }
  });
  return { anchors, faults, signatures };
}
