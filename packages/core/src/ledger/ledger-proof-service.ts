import { buffer } from 'node:stream/consumers';
import { IntegrityError, NotFoundError } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Store } from '../ports/store.js';
import { type AnyCheckpoint, parseCheckpoint } from './checkpoint.js';
import { collectCheckpoints } from './checkpoint-store.js';
import { entryBody } from './entry-body.js';
import { ledgerKeys, maxSeq } from './ledger-keys.js';
import { invalid, listLimit } from './ledger-list.js';
import {
  type ConsistencyProofDocument,
  consistencyProofFormat,
  type InclusionProofDocument,
  inclusionProofFormat,
} from './ledger-proofs.js';
import { readEntry, readHead, servedEntries } from './ledger-reads.js';
import { consistencyProof, inclusionProof, inclusionProver, PackedLeaves } from './merkle-proofs.js';

/** Reading checkpoints and building proof documents against them, over the Store and BlobStore ports. */
export function createProofService(deps: { store: Store; blobs?: BlobStore }) {
  const { store, blobs } = deps;

  function parseStored(text: unknown): AnyCheckpoint {
    const parsed = parseCheckpoint(JSON.parse(String(text)));
    if ('error' in parsed) throw new IntegrityError(`Stored checkpoint is malformed: ${parsed.error}`);
    return parsed.checkpoint;
  }

  /** The newest checkpoint the table or the bucket holds (never a mutable pointer). */
  async function latestCheckpoint(orgId: string): Promise<AnyCheckpoint | undefined> {
    return (await collectCheckpoints(store, blobs, orgId)).checkpoints.at(-1);
  }

  /** The signed checkpoint of exactly `size` entries, if one was made (table first, then the bucket). */
  async function checkpointAt(orgId: string, size: number): Promise<AnyCheckpoint | undefined> {
    if (!Number.isSafeInteger(size) || size < 1 || size > maxSeq) return undefined;
    const item = await store.get(ledgerKeys.checkpoint(orgId, size), { consistent: true });
    if (item) return parseStored(item.checkpoint);
    if (!blobs) return undefined;
    const key = ledgerKeys.checkpointBlob(orgId, size);
    if (!(await blobs.head('checkpoints', key))) return undefined;
    return parseStored((await buffer((await blobs.get('checkpoints', key)).body)).toString('utf8'));
  }

  /** Signed checkpoints, newest first. */
  async function listCheckpoints(orgId: string, options: { limit?: number; cursor?: string } = {}) {
    const limit = listLimit(options.limit);
    const page = await store.query(ledgerKeys.partition(orgId), {
      skBetween: [ledgerKeys.checkpoint(orgId, 0).sk, ledgerKeys.checkpoint(orgId, maxSeq).sk],
      descending: true,
      consistent: true,
      limit,
      ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
    });
    const items = page.items.map((item) => parseStored(item.checkpoint));
    return { items, ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}) };
  }

  async function leavesUpTo(orgId: string, size: number): Promise<PackedLeaves> {
    const head = await readHead(store, orgId);
    if (!Number.isInteger(size) || size < 1 || size > (head?.seq ?? 0)) throw invalid('size', 'beyond the ledger');
    const leaves = new PackedLeaves();
    for await (const entry of servedEntries(store, orgId, { toSeq: size })) leaves.push(entry.leaf);
    if (leaves.length !== size) throw new IntegrityError(`Ledger of ${orgId} is missing entries before seq ${size}`);
    return leaves;
  }

  /** A proof is only useful against a signed root: the size must be one a checkpoint was made at. */
  async function signedCheckpoint(orgId: string, size: number | undefined): Promise<AnyCheckpoint> {
    if (size === undefined) {
      const latest = await latestCheckpoint(orgId);
      if (!latest) throw new NotFoundError('No checkpoint has been signed for this ledger yet.');
      return latest;
    }
    const checkpoint = await checkpointAt(orgId, size);
    if (!checkpoint) {
      throw new NotFoundError(`No checkpoint was signed at size ${size}; list them at /api/ledger/checkpoints.`);
    }
    return checkpoint;
  }

  /** Proves entry `seq` is in the checkpoint of `size` entries (default: the newest checkpoint). */
  async function inclusionProofDocument(orgId: string, seq: number, size?: number): Promise<InclusionProofDocument> {
    const checkpoint = await signedCheckpoint(orgId, size);
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > checkpoint.size) {
      throw invalid('seq', `must be from 1 to ${checkpoint.size}, the entries the checkpoint covers`);
    }
    const leaves = await leavesUpTo(orgId, checkpoint.size);
    const entry = await readEntry(store, orgId, seq);
    if (!entry) throw new IntegrityError(`Ledger entry ${seq} is missing`);
    return {
      format: inclusionProofFormat,
      entry: entryBody(entry),
      checkpoint,
      proof: inclusionProof(leaves, seq - 1),
    };
  }

  /**
   * The inclusion proof documents of every entry of a range, in seq order, against one checkpoint: the
   * tree is read once and the entries a page at a time, so a range of thousands costs one pass.
   */
  async function* inclusionProofDocuments(
    orgId: string,
    range: { fromSeq: number; toSeq: number },
    size?: number,
  ): AsyncGenerator<InclusionProofDocument> {
    const checkpoint = await signedCheckpoint(orgId, size);
    const { fromSeq, toSeq } = range;
    if (!Number.isSafeInteger(fromSeq) || !Number.isSafeInteger(toSeq) || fromSeq < 1 || toSeq > checkpoint.size) {
      throw invalid('seq', `must be from 1 to ${checkpoint.size}, the entries the checkpoint covers`);
    }
    const prove = inclusionProver(await leavesUpTo(orgId, checkpoint.size));
    let expected = fromSeq;
    for await (const entry of servedEntries(store, orgId, { fromSeq, toSeq })) {
      if (entry.seq !== expected) throw new IntegrityError(`Ledger entry ${expected} is missing`);
      yield { format: inclusionProofFormat, entry: entryBody(entry), checkpoint, proof: prove(entry.seq - 1) };
      expected++;
    }
    if (expected <= toSeq) throw new IntegrityError(`Ledger entry ${expected} is missing`);
  }

  /** Proves the checkpoint of `oldSize` is a prefix of the one of `newSize` (default: the newest). */
  async function consistencyProofDocument(
    orgId: string,
    oldSize: number,
    newSize?: number,
  ): Promise<ConsistencyProofDocument> {
    const newCheckpoint = await signedCheckpoint(orgId, newSize);
    if (!Number.isSafeInteger(oldSize) || oldSize < 1 || oldSize > newCheckpoint.size) {
      throw invalid('from', `must be from 1 to ${newCheckpoint.size}`);
    }
    const oldCheckpoint = await signedCheckpoint(orgId, oldSize);
    const leaves = await leavesUpTo(orgId, newCheckpoint.size);
    return { format: consistencyProofFormat, oldCheckpoint, newCheckpoint, proof: consistencyProof(leaves, oldSize) };
  }

  return {
    latestCheckpoint,
    checkpointAt,
    listCheckpoints,
    inclusionProofDocument,
    inclusionProofDocuments,
    consistencyProofDocument,
    async inclusionProof(orgId: string, seq: number, size: number) {
      const leaves = await leavesUpTo(orgId, size);
      if (!Number.isInteger(seq) || seq < 1 || seq > size) throw invalid('seq', 'outside the tree');
      return { leaf: leaves.at(seq - 1).toString('hex'), proof: inclusionProof(leaves, seq - 1) };
    },
    async consistencyProof(orgId: string, oldSize: number, newSize: number) {
      const leaves = await leavesUpTo(orgId, newSize);
      if (!Number.isInteger(oldSize) || oldSize < 0 || oldSize > newSize) throw invalid('oldSize', 'outside the tree');
      return consistencyProof(leaves, oldSize);
    },
  };
}
