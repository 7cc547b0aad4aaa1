import type {
  AddressAllowList,
  AgreementService,
  Authorizer,
  BlobStore,
  Clock,
  IdGenerator,
  Keyring,
  Ledger,
  Logger,
  ReportService,
  Signer,
  Store,
} from '@evidence-portal/core';

/** Everything the HTTP layer needs, built once per runtime by a composition root. */
export interface AppDeps {
  store: Store;
  signer: Signer;
  keyring: Keyring;
  blobs: BlobStore;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** The one authorization question (access module). */
  authorizer: Authorizer;
  /** The organization ledger: `append` records every act; reads, verify, checkpoints, export. */
  ledger: Ledger;
  /** Agreements: catalog, acceptances, terminations, coverage (agreements module). */
  agreements: AgreementService;
  /** Reports: catalog, terms and term tokens, watermarked downloads, publishing (reports module). */
  reports: ReportService;
  /** Non-public webhook targets allowed anyway (tests: 127.0.0.1). Absent: none. */
  webhookAllowList?: AddressAllowList;
  settings: {
    stage: string;
    siteOrigin: string;
    maxBodyBytes: number;
    /** Origins the browser may PUT presigned uploads to, added to the CSP's connect-src (local S3). */
    uploadOrigins?: readonly string[];
    /** Absolute lifetime of a signed-in session (default 8 hours). */
    sessionTtlSeconds?: number;
  };
}
