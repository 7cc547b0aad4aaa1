import type {
  AddressAllowList,
  BlobStore,
  Clock,
  EvidenceSettings,
  ExportQueue,
  HostAddresses,
  HostResolver,
  IdGenerator,
  Keyring,
  Ledger,
  Logger,
  Mailer,
  Portal,
  Signer,
  Store,
} from '@evidence-portal/core';
import type { OriginSecrets } from './middleware/origin-verify.js';

/**
 * Everything the HTTP layer needs, built once per runtime by a composition root (`buildDeps`): the
 * adapters (health checks and the not-yet-converted notification routes read them) and every use
 * case of `Portal`, already wired. Routes call use cases; they never construct one.
 */
export interface AppDeps extends Portal {
  store: Store;
  signer: Signer;
  keyring: Keyring;
  blobs: BlobStore;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  mailer: Mailer;
  /** Where evidence export requests wait for the export job (SQS in AWS, in-process locally). */
  exportQueue: ExportQueue;
  /** Evidence export limits (tests shrink the rate limit). */
  evidenceSettings?: Partial<EvidenceSettings>;
  /** The organization ledger: `append` records every act; reads, verify, checkpoints, export. */
  ledger: Ledger;
  /** Non-public webhook targets allowed anyway (tests: 127.0.0.1). Absent: none. */
  webhookAllowList?: AddressAllowList;
  /** The origin-verify values CloudFront sends (AWS); absent, the API takes requests from anywhere (local, tests). */
  originSecrets?: OriginSecrets;
  /** The host's own addresses and the DNS resolver the webhook SSRF guard checks names with (packages/aws). */
  hostNetwork: { addresses: HostAddresses; resolver: HostResolver };
  settings: {
    stage: string;
    siteOrigin: string;
    maxBodyBytes: number;
    /** Origins the browser may send presigned uploads to (the CSP's connect-src). */
    uploadOrigins: readonly string[];
    /** Absolute lifetime of a signed-in session (default 8 hours). */
    sessionTtlSeconds?: number;
  };
}
