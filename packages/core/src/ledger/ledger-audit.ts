import type { BlobStore } from '../ports/blob-store.js';
import type { Item, Store } from '../ports/store.js';
import { type AnyCheckpoint, parseCheckpoint, type SignedCheckpoint, type TrustedKey } from './checkpoint.js';
import { checkCheckpointChain } from './checkpoint-chain.js';
import { collectCheckpoints } from './checkpoint-store.js';
import { readEntryItem } from './entry-record.js';
import { headSizeFault, type IntegrityFault } from './integrity-fault.js';
import { LeafSequence } from './leaf-sequence.js';
import { chainHash, genesisChain } from './ledger-hashing.js';
import { ledgerKeys } from './ledger-keys.js';
import { entryItems, type LedgerHead, readHead } from './ledger-reads.js';
import { type LedgerVerification, verdict } from './ledger-verification.js';
import type { LedgerEntry } from './ledger-writer.js';
import { PackedLeaves } from './merkle-proofs.js';
import type { MerkleFrontier } from './merkle-tree.js';

export const checkpointAnnouncementAction = 'ledger:CheckpointSigned';

export interface AuditDeps {
  store: Store;
  blobs?: BlobStore;
  /** The keys checkpoints must be signed by; undefined: signatures are not checked. */
  keys?: readonly TrustedKey[];
}

/** A full verification of a stored ledger, and what signing the next checkpoint needs from it. */
export interface LedgerAudit {
  verification: LedgerVerification;
  head: LedgerHead | undefined;
  /** Checkpoints that anchor the entries, by size. */
  anchors: AnyCheckpoint[];
  /** Checkpoint size -> the seq of its `ledger:CheckpointSigned` announcement. */
  announced: Map<number, number>;
  /**
   * The newest checkpoint when it is in the bucket only and was never announced: a signing that stopped
   * between its two writes (the job completes it). Anything else missing from the table is a fault.
   */
  unfinished?: SignedCheckpoint;
  lastEntry?: LedgerEntry;
  frontier: MerkleFrontier;
  /** Every leaf, when asked for (the next checkpoint's consistency proof). */
  leaves?: PackedLeaves;
}

/** The checkpoint an announcement entry carries, or why it carries none. */
function announcedCheckpoint(entry: LedgerEntry): AnyCheckpoint | string {
  const parsed = parseCheckpoint(entry.details.checkpoint);
  return 'error' in parsed ? parsed.error : parsed.checkpoint;
}

/**
 * Verifies a stored ledger completely: every entry item strictly (body, leaf, index attributes,
 * legacy chain values), the seq sequence, the head, every checkpoint found in the table and the
 * bucket (cross-checked, signatures, their own chain) and every announcement entry, and the Merkle
 * root at each checkpoint's size. Entries appended while it runs are followed up to the head.
 */
export async function auditLedger(
  deps: AuditDeps,
  orgId: string,
  options: { keepLeaves?: boolean } = {},
): Promise<LedgerAudit> {
  const collected = await collectCheckpoints(deps.store, deps.blobs, orgId);
  const chain = checkCheckpointChain(orgId, collected.checkpoints, deps.keys);
  const checkpointFaults: IntegrityFault[] = [...collected.faults, ...chain.faults];
  const anchors = chain.anchors;
  const known = new Map(collected.checkpoints.map((checkpoint) => [checkpoint.size, checkpoint]));
  const sequence = new LeafSequence(anchors);
  const leaves = options.keepLeaves ? new PackedLeaves() : undefined;
  const announced = new Map<number, number>();
  let legacyChain = genesisChain;
  let legacyPrefix = true;
  let lastEntry: LedgerEntry | undefined;

  const take = (item: Item): boolean => {
    if (!sequence.expect(ledgerKeys.seqOfEntryKey(item.sk))) return false;
    const read = readEntryItem(orgId, item);
    if (!read.ok) {
      sequence.fail(read.fault);
      return false;
    }
    const { entry } = read;
    if (read.legacyChain !== undefined) {
      legacyChain = chainHash(legacyChain, entry.leaf);
      if (!legacyPrefix || read.legacyChain !== legacyChain) {
        sequence.fail({
          kind: 'legacy_chain',
          seq: entry.seq,
          reason: `entry ${entry.seq}: its legacy chain value does not follow from the entries before it`,
        });
        return false;
      }
    } else legacyPrefix = false;
    sequence.pushHex(entry.leaf);
    leaves?.push(entry.leaf);
    lastEntry = entry;
    if (entry.action === checkpointAnnouncementAction && entry.actor.type === 'system') {
      const checkpoint = announcedCheckpoint(entry);
      const stored = typeof checkpoint === 'string' ? undefined : known.get(checkpoint.size);
      if (typeof checkpoint === 'string') {
        checkpointFaults.push({
          kind: 'checkpoint_malformed',
          seq: entry.seq,
          reason: `entry ${entry.seq}: ${checkpoint}`,
        });
      } else if (!stored) {
        checkpointFaults.push({
          kind: 'checkpoint_missing',
          reason: `the checkpoint of size ${checkpoint.size} announced at seq ${entry.seq} is missing from the table and the bucket (deleted)`,
        });
      } else if (stored.merkleRoot !== checkpoint.merkleRoot) {
        checkpointFaults.push({
          kind: 'checkpoint_chain',
          reason: `the checkpoint of size ${checkpoint.size} announced at seq ${entry.seq} differs from the stored one (replaced)`,
        });
      } else announced.set(checkpoint.size, entry.seq);
    }
    return true;
  };

  /** Takes items until one fails; false when one did. */
  const takeAll = async (items: AsyncIterable<Item>): Promise<boolean> => {
    for await (const item of items) if (!take(item)) return false;
    return true;
  };
  let going = await takeAll(entryItems(deps.store, orgId));
  let head = await readHead(deps.store, orgId);
  if (going && head && head.seq > sequence.size) {
    // Appended while this ran (or the head is ahead of the entries: the check below says so).
    going = await takeAll(entryItems(deps.store, orgId, { fromSeq: sequence.size + 1, toSeq: head.seq }));
    head = await readHead(deps.store, orgId);
  }
  sequence.finish();
  const headFault = going && !sequence.fault ? checkHead(head, sequence.size, lastEntry, legacyChain) : undefined;

  const newest = anchors.at(-1);
  let unfinished: SignedCheckpoint | undefined;
  for (const size of collected.bucketOnly) {
    const checkpoint = known.get(size)!;
    if (checkpoint === newest && !announced.has(size) && !('chainHead' in checkpoint)) unfinished = checkpoint;
    else {
      checkpointFaults.push({
        kind: 'checkpoint_missing',
        reason: `the checkpoint of size ${size} is in the bucket but was deleted from the table`,
      });
    }
  }
  const faults = [...sequence.faults, ...(headFault ? [headFault] : []), ...checkpointFaults];
  return {
    verification: verdict({
      size: sequence.size,
      merkleRoot: sequence.frontier.root(),
      faults,
      anchors,
      signatures: chain.signatures,
    }),
    head,
    anchors,
    announced,
    ...(unfinished ? { unfinished } : {}),
    ...(lastEntry ? { lastEntry } : {}),
    frontier: sequence.frontier,
    ...(leaves ? { leaves } : {}),
  };
}

/** The head must name the last entry exactly: a rolled-back, lost or stale head is a fault. */
function checkHead(
  head: LedgerHead | undefined,
  size: number,
  last: LedgerEntry | undefined,
  legacyChain: string,
): IntegrityFault | undefined {
  if (!head) {
    return size === 0
      ? undefined
      : { kind: 'head_mismatch', seq: 1, reason: 'the ledger has entries but no head (the head was deleted)' };
  }
  if (head.seq < 0) return { kind: 'head_mismatch', seq: 1, reason: 'the head is malformed' };
  const misplaced = headSizeFault(head.seq, size, 'the entries end');
  if (misplaced || size === 0) return misplaced;
  const matches = head.leaf !== undefined ? head.leaf === last?.leaf : head.legacyChain === legacyChain;
  return matches
    ? undefined
    : { kind: 'head_mismatch', seq: size, reason: `the head does not name entry ${size} (head or entry changed)` };
}
