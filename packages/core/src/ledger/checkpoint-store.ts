import { buffer } from 'node:stream/consumers';
import type { BlobStore } from '../ports/blob-store.js';
import type { Item, Store } from '../ports/store.js';
import { type AnyCheckpoint, parseCheckpoint, type SignedCheckpoint, sameTree } from './checkpoint.js';
import type { IntegrityFault } from './integrity-fault.js';
import { ledgerKeys, maxSeq } from './ledger-keys.js';

/**
 * Every signed checkpoint of a ledger lives twice: as a table item `CHECKPOINT#<size>` (written in
 * the same transaction as its `ledger:CheckpointSigned` announcement entry) and as an object
 * `<org>/<size>.json` in the checkpoints bucket (Object Lock in AWS; written first). Verification
 * reads both and cross-checks them, so deleting or replacing one copy is itself detected, and a
 * copy that survives still anchors the entries.
 */
export interface CollectedCheckpoints {
  /** Every distinct checkpoint found, by size ascending (unverified: signatures are checked by the caller). */
  checkpoints: AnyCheckpoint[];
  faults: IntegrityFault[];
  /** Sizes found only in the bucket (their table item is missing). */
  bucketOnly: Set<number>;
}

const pageSize = 200;

export function checkpointItem(checkpoint: SignedCheckpoint): Item {
  return { ...ledgerKeys.checkpoint(checkpoint.org, checkpoint.size), checkpoint: JSON.stringify(checkpoint) };
}

export async function putCheckpointBlob(blobs: BlobStore, checkpoint: SignedCheckpoint): Promise<void> {
  await blobs.put(
    'checkpoints',
    ledgerKeys.checkpointBlob(checkpoint.org, checkpoint.size),
    checkpointBytes(checkpoint),
    {
      contentType: 'application/json',
    },
  );
}

function checkpointBytes(checkpoint: AnyCheckpoint): Buffer {
  return Buffer.from(JSON.stringify(checkpoint), 'utf8');
}

function parseStored(text: unknown): AnyCheckpoint | string {
  let value: unknown;
  try {
    value = JSON.parse(String(text));
  } catch {
    return 'not JSON';
  }
  const parsed = parseCheckpoint(value);
  return 'error' in parsed ? parsed.error : parsed.checkpoint;
}

/** The table's checkpoint items, each checked against the size its key names. */
async function tableCheckpoints(store: Store, orgId: string, faults: IntegrityFault[]) {
  const found = new Map<number, AnyCheckpoint>();
  let cursor: string | undefined;
  do {
    const page = await store.query(ledgerKeys.partition(orgId), {
      skBetween: [ledgerKeys.checkpoint(orgId, 0).sk, ledgerKeys.checkpoint(orgId, maxSeq).sk],
      consistent: true,
      limit: pageSize,
      ...(cursor !== undefined ? { cursor } : {}),
    });
    for (const item of page.items) {
      const size = ledgerKeys.seqOfCheckpointKey(item.sk);
      const checkpoint = parseStored(item.checkpoint);
      if (typeof checkpoint === 'string') {
        faults.push({ kind: 'checkpoint_malformed', reason: `the stored checkpoint of size ${size}: ${checkpoint}` });
      } else if (checkpoint.size !== size || checkpoint.org !== orgId) {
        faults.push({
          kind: 'checkpoint_rollback',
          reason: `the item for the checkpoint of size ${size} holds the checkpoint of size ${checkpoint.size} of ${checkpoint.org} (replaced)`,
        });
      } else found.set(size, checkpoint);
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return found;
}

async function bucketSizes(blobs: BlobStore, orgId: string): Promise<Set<number>> {
  const sizes = new Set<number>();
  for await (const key of blobs.list('checkpoints', ledgerKeys.checkpointBlobPrefix(orgId))) {
    const size = ledgerKeys.sizeOfCheckpointBlob(orgId, key);
    if (Number.isSafeInteger(size)) sizes.add(size);
  }
  return sizes;
}

async function bucketCheckpoint(blobs: BlobStore, orgId: string, size: number): Promise<AnyCheckpoint | string> {
  const blob = await blobs.get('checkpoints', ledgerKeys.checkpointBlob(orgId, size));
  return parseStored((await buffer(blob.body)).toString('utf8'));
}

/**
 * Collects every checkpoint the table and the bucket hold and cross-checks them: a size in one and
 * not the other, an item replaced by another checkpoint, or a legacy "latest" pointer that no longer
 * names the newest checkpoint are faults. (Both copies of one size are signed by the portal, which
 * never signs two trees of one size, so their contents need no byte comparison.) Objects present only in the bucket are read and
 * returned too, so they keep anchoring the entries.
 */
export async function collectCheckpoints(
  store: Store,
  blobs: BlobStore | undefined,
  orgId: string,
): Promise<CollectedCheckpoints> {
  const faults: IntegrityFault[] = [];
  const [table, bucket, legacyLatest] = await Promise.all([
    tableCheckpoints(store, orgId, faults),
    blobs ? bucketSizes(blobs, orgId) : Promise.resolve(undefined),
    store.get(ledgerKeys.legacyLatestCheckpoint(orgId), { consistent: true }),
  ]);
  const all = new Map(table);
  const bucketOnly = new Set<number>();
  if (blobs && bucket) {
    for (const size of table.keys()) {
      if (!bucket.has(size)) {
        faults.push({
          kind: 'checkpoint_missing',
          reason: `the checkpoint of size ${size} is missing from the checkpoints bucket (deleted)`,
        });
      }
    }
    for (const size of bucket) {
      if (table.has(size)) continue;
      const checkpoint = await bucketCheckpoint(blobs, orgId, size);
      if (typeof checkpoint === 'string' || checkpoint.size !== size || checkpoint.org !== orgId) {
        faults.push({
          kind: 'checkpoint_malformed',
          reason: `the bucket object of the checkpoint of size ${size} is malformed`,
        });
        continue;
      }
      bucketOnly.add(size);
      all.set(size, checkpoint);
    }
  }
  const checkpoints = [...all.values()].sort((a, b) => a.size - b.size);
  if (legacyLatest) {
    const latest = parseStored(legacyLatest.checkpoint);
    const newest = checkpoints.at(-1);
    if (typeof latest === 'string' || !newest || !sameTree(latest, newest)) {
      faults.push({
        kind: 'checkpoint_rollback',
        reason: 'the legacy latest-checkpoint pointer does not name the newest checkpoint (rolled back)',
      });
    }
  }
  return { checkpoints, faults, bucketOnly };
}
