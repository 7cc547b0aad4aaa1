import type { Authorizer } from '../access/principal.js';
import type { Agreements } from '../agreements/agreements.js';
import type { Ledger } from '../ledger/ledger.js';
import type { LedgerWriter } from '../ledger/ledger-writer.js';
import type { Organization } from '../organization/organization-service.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Keyring, Signer } from '../ports/crypto.js';
import type { Clock, IdGenerator, Logger } from '../ports/runtime.js';
import type { Store } from '../ports/store.js';
import type { ReportService } from '../reports/report-service.js';
import type { ExportRetryPolicy } from './export-retry.js';

/** Where export requests wait for the worker (SQS in AWS; the local server's in-process runner). */
export interface ExportQueue {
  enqueue(job: { orgId: string; bundleId: string }): Promise<void>;
}

/** The report operations a bundle uses: the requester's standing acceptance, then one watermarked copy. */
export type EvidenceReports = Pick<
  ReportService,
  'version' | 'termsRevision' | 'standingAcceptance' | 'acceptTerms' | 'download'
>;

export interface EvidenceSettings {
  /** Exports one principal may request per window, and the window (seconds). */
  exportsPerWindow: number;
  windowSeconds: number;
  /** How long a bundle stays valid (its `expiresAt`), by default and at most. */
  defaultValidityDays: number;
  maxValidityDays: number;
  /** Lifetime of a presigned download URL (AWS stages). */
  downloadUrlTtlSeconds: number;
  /** Most ledger entries one bundle proves (the tree is read once; the manifest lists each proof). */
  maxLedgerEntries: number;
  /** Attempts and backoff of one export on transient S3/KMS/table failures. */
  exportRetry: ExportRetryPolicy;
}

export const defaultEvidenceSettings: EvidenceSettings = {
  exportsPerWindow: 5,
  windowSeconds: 3600,
  defaultValidityDays: 90,
  maxValidityDays: 366,
  downloadUrlTtlSeconds: 300,
  maxLedgerEntries: 10_000,
  exportRetry: { attempts: 4, baseDelayMs: 2_000, maxDelayMs: 20_000 },
};

/** What every evidence use case works with; built once by the composition root. */
export interface EvidenceDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  ledger: LedgerWriter & Pick<Ledger, 'latestCheckpoint' | 'inclusionProofDocuments'>;
  authorizer: Authorizer;
  blobs: BlobStore;
  signer: Signer;
  keyring: Keyring;
  queue: ExportQueue;
  agreements: Agreements;
  reports: EvidenceReports;
  organizations: {
    get(orgId: string): Promise<Organization>;
    getAccount(orgId: string, accountId: string): Promise<unknown>;
  };
  logger: Logger;
  settings: EvidenceSettings;
}
