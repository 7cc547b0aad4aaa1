import { NotFoundError } from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Signer } from '../ports/crypto.js';
import type { Logger } from '../ports/runtime.js';
import type { AnyCheckpoint } from './checkpoint.js';
import { type CheckpointOutcome, signCheckpoint, trustedKeysOf } from './checkpoint-signing.js';
import { createIntegrityAlerts, type IntegrityAlarm, type IntegrityAlert } from './integrity-alert.js';
import { LedgerIntegrityFaultError } from './integrity-fault.js';
import { type AppendOptions, createAppender } from './ledger-append.js';
import { auditLedger } from './ledger-audit.js';
import { exportLines } from './ledger-export-stream.js';
import { type LedgerQuery, listEntries } from './ledger-list.js';
import { createProofService } from './ledger-proof-service.js';
import type { ConsistencyProofDocument, InclusionProofDocument } from './ledger-proofs.js';
import { type LedgerHead, organizations, readEntry, readHead, servedEntries } from './ledger-reads.js';
import type { LedgerVerification } from './ledger-verification.js';
import type { LedgerEntry, LedgerWriter } from './ledger-writer.js';

export interface LedgerOptions extends Omit<AppendOptions, 'onIntegrityFault'> {
  /** Needed for checkpoints (and to check their signatures when verifying). */
  signer?: Signer;
  blobs?: BlobStore;
  logger?: Logger;
  /** The operator's alarm (the IntegrityAlert metric in AWS). */
  alarm?: IntegrityAlarm;
}

export interface Ledger extends LedgerWriter {
  head(orgId: string): Promise<LedgerHead | undefined>;
  get(orgId: string, seq: number): Promise<LedgerEntry>;
  /** Newest first, filtered; `nextCursor` continues the same listing. */
  list(orgId: string, query?: LedgerQuery): Promise<{ items: LedgerEntry[]; nextCursor?: string }>;
  /** Every entry in seq order (strongly consistent), optionally a range. */
  entries(orgId: string, range?: { fromSeq?: number; toSeq?: number }): AsyncGenerator<LedgerEntry>;
  /** Verifies the stored ledger completely (ledger-audit.ts); a failure raises an integrity alert. */
  verify(orgId: string): Promise<LedgerVerification>;
  /**
   * Signs a checkpoint when entries were added since the newest one, and answers the newest. A ledger
   * that does not verify gets none: `LedgerIntegrityFaultError` (and an integrity alert).
   */
  checkpoint(orgId: string): Promise<AnyCheckpoint | undefined>;
  /** The same, as the scheduled job sees it. */
  signCheckpoint(orgId: string): Promise<CheckpointOutcome>;
  latestCheckpoint(orgId: string): Promise<AnyCheckpoint | undefined>;
  /** Organizations that have a ledger (the scheduled checkpoint job walks them). */
  organizations(): AsyncGenerator<string>;
  /** JSON Lines export (docs/ledger.md): header with every checkpoint, one entry per line, the head last. */
  exportLines(orgId: string): AsyncGenerator<string>;
  inclusionProof(orgId: string, seq: number, size: number): Promise<{ leaf: string; proof: string[] }>;
  consistencyProof(orgId: string, oldSize: number, newSize: number): Promise<string[]>;
  /** The signed checkpoint of exactly `size` entries, if one was made. */
  checkpointAt(orgId: string, size: number): Promise<AnyCheckpoint | undefined>;
  /** Signed checkpoints, newest first. */
  listCheckpoints(
    orgId: string,
    options?: { limit?: number; cursor?: string },
  ): Promise<{ items: AnyCheckpoint[]; nextCursor?: string }>;
  /** Proves entry `seq` is in the checkpoint of `size` entries (default: the newest checkpoint). */
  inclusionProofDocument(orgId: string, seq: number, size?: number): Promise<InclusionProofDocument>;
  /** The same for every entry of a range, in seq order (the tree read once, the entries in pages). */
  inclusionProofDocuments(
    orgId: string,
    range: { fromSeq: number; toSeq: number },
    size?: number,
  ): AsyncGenerator<InclusionProofDocument>;
  /** Proves the checkpoint of `oldSize` is a prefix of the one of `newSize` (default: the newest). */
  consistencyProofDocument(orgId: string, oldSize: number, newSize?: number): Promise<ConsistencyProofDocument>;
  /** The ledger's open integrity alert, if any (health shows it to admins). */
  integrityAlert(orgId: string): Promise<IntegrityAlert | undefined>;
}

/**
 * The organization ledger: a facade over its use cases, each in its own file (append and group
 * commit, reads and listing, the full audit, checkpoint signing, alerts, export, proofs).
 */
export function createLedger(options: LedgerOptions): Ledger {
  const { store, clock, signer, blobs, logger } = options;
  const alertsRef: { raise?: ReturnType<typeof createIntegrityAlerts>['raise'] } = {};
  const append = createAppender({
    ...options,
    // Appends that find the head contradicting the entries raise the alarm (no ledger entry: appends are refused).
    onIntegrityFault: (orgId, fault) => alertsRef.raise?.(orgId, [fault], 'append') ?? Promise.resolve(),
  });
  const alerts = createIntegrityAlerts({
    store,
    clock,
    ...(logger ? { logger } : {}),
    ...(options.alarm ? { alarm: options.alarm } : {}),
    append,
  });
  alertsRef.raise = alerts.raise;
  const proofs = createProofService({ store, ...(blobs ? { blobs } : {}) });

  /** A read that meets a stored item contradicting itself refuses it (503) and raises the alarm. */
  async function alarmed<T>(orgId: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof LedgerIntegrityFaultError)
        await alerts.raise(orgId, [error.fault], 'read').catch(() => undefined);
      throw error;
    }
  }

  async function sign(orgId: string): Promise<CheckpointOutcome> {
    if (!signer || !blobs) throw new Error('createLedger: checkpoints need a signer and a blob store');
    return signCheckpoint({ store, blobs, signer, clock, ...(logger ? { logger } : {}), alerts, append }, orgId);
  }

  return {
    append,
    head: (orgId) => readHead(store, orgId),
    async get(orgId, seq) {
      const entry = await alarmed(orgId, () => readEntry(store, orgId, seq));
      if (!entry) throw new NotFoundError('No such ledger entry');
      return entry;
    },
    list: (orgId, query) => alarmed(orgId, () => listEntries(store, orgId, query)),
    entries: (orgId, range) => servedEntries(store, orgId, range),
    async verify(orgId) {
      const keys = signer ? await trustedKeysOf(signer) : undefined;
      const { verification } = await auditLedger(
        { store, ...(blobs ? { blobs } : {}), ...(keys ? { keys } : {}) },
        orgId,
      );
      if (!verification.valid) {
        await alerts.raise(orgId, verification.faults, 'verify').catch((error: unknown) => {
          logger?.log('error', 'ledger integrity alert could not be raised', { orgId, error: String(error) });
        });
      }
      return verification;
    },
    signCheckpoint: sign,
    async checkpoint(orgId) {
      const outcome = await sign(orgId);
      if (outcome.status === 'refused') {
        const [fault] = outcome.verification.faults;
        throw new LedgerIntegrityFaultError(
          orgId,
          fault ?? { kind: 'checkpoint_mismatch', reason: 'the ledger does not verify' },
        );
      }
      return outcome.checkpoint;
    },
    latestCheckpoint: (orgId) => proofs.latestCheckpoint(orgId),
    organizations: () => organizations(store),
    exportLines: (orgId) => exportLines(store, blobs, orgId),
    inclusionProof: (orgId, seq, size) => proofs.inclusionProof(orgId, seq, size),
    consistencyProof: (orgId, oldSize, newSize) => proofs.consistencyProof(orgId, oldSize, newSize),
    checkpointAt: (orgId, size) => proofs.checkpointAt(orgId, size),
    listCheckpoints: (orgId, page) => proofs.listCheckpoints(orgId, page),
    inclusionProofDocument: (orgId, seq, size) => proofs.inclusionProofDocument(orgId, seq, size),
    inclusionProofDocuments: (orgId, range, size) => proofs.inclusionProofDocuments(orgId, range, size),
    consistencyProofDocument: (orgId, oldSize, newSize) => proofs.consistencyProofDocument(orgId, oldSize, newSize),
    integrityAlert: (orgId) => alerts.open(orgId),
  };
}
