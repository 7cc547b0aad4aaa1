import { actorOf } from '../access/actor.js';
import type { Authorizer, Principal } from '../access/principal.js';
import type { LedgerActor, LedgerWriter } from '../ledger/ledger-writer.js';
import { systemActor } from '../organization/directory-deps.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock, IdGenerator, Logger } from '../ports/runtime.js';
import type { Store } from '../ports/store.js';
import { PublisherGrants } from './publisher-grants.js';
import { ReportCatalog } from './report-catalog.js';
import { ReportCopies } from './report-copy.js';
import { inProcessPdfWork, type ReportPdfWork } from './report-pdf-work.js';

export interface ReportServiceDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  blobs: BlobStore;
  ledger: LedgerWriter;
  /** Largest report file publishing accepts. */
  maxReportBytes?: number;
  termTokenTtlSeconds?: number;
  uploadUrlTtlSeconds?: number;
  downloadUrlTtlSeconds?: number;
  /** Font for the full-rewrite watermark; the bundled DejaVu Sans when absent. */
  watermarkFont?: Uint8Array;
  /** Where publish-time parsing and full rewrites run; this thread when absent. */
  pdfWork?: ReportPdfWork;
  logger?: Logger;
  /** The access module: the caller-scoped use cases ask it about each report. Without it they refuse. */
  authorizer?: Authorizer;
}

/** Who asks: a signed-in principal, or the system (seeding, jobs) acting for a publisher org. */
export type ReportActor = Pick<Principal, 'orgId' | 'accountId' | 'userId' | 'email'> & {
  role?: Principal['role'];
  /** A job acting for the publisher org (e.g. upload validation): recorded as a system actor. */
  system?: boolean;
};

const defaults = {
  maxReportBytes: 100 * 1024 * 1024,
  termTokenTtlSeconds: 15 * 60,
  uploadUrlTtlSeconds: 15 * 60,
  downloadUrlTtlSeconds: 60,
};

/** What every reports use case works with: the ports, the settings resolved, the module's shared parts. */
export interface ReportDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  blobs: BlobStore;
  ledger: LedgerWriter;
  logger?: Logger;
  settings: typeof defaults;
  pdfWork: ReportPdfWork;
  catalog: ReportCatalog;
  copies: ReportCopies;
  /** Publisher grants, managed by the operator organization. */
  publishers: PublisherGrants;
  authorizer: Authorizer;
}

/** Fails closed where no authorizer was composed (unit tests of publishing). */
const refuseAll: Authorizer = {
  authorize: async () => ({
    decision: 'ImplicitDeny',
    reason: 'no authorizer is composed for the reports module',
    matchedStatements: [],
  }),
};

/** Built once, by composition (through `ReportService`). */
export function reportDeps(deps: ReportServiceDeps): ReportDeps {
  const settings = {
    maxReportBytes: deps.maxReportBytes ?? defaults.maxReportBytes,
    termTokenTtlSeconds: deps.termTokenTtlSeconds ?? defaults.termTokenTtlSeconds,
    uploadUrlTtlSeconds: deps.uploadUrlTtlSeconds ?? defaults.uploadUrlTtlSeconds,
    downloadUrlTtlSeconds: deps.downloadUrlTtlSeconds ?? defaults.downloadUrlTtlSeconds,
  };
  const pdfWork = deps.pdfWork ?? inProcessPdfWork;
  return {
    store: deps.store,
    clock: deps.clock,
    ids: deps.ids,
    blobs: deps.blobs,
    ledger: deps.ledger,
    ...(deps.logger ? { logger: deps.logger } : {}),
    settings,
    pdfWork,
    catalog: new ReportCatalog(deps.store, deps.ids),
    copies: new ReportCopies({
      blobs: deps.blobs,
      pdfWork,
      maxReportBytes: settings.maxReportBytes,
      ...(deps.logger ? { logger: deps.logger } : {}),
      ...(deps.watermarkFont ? { watermarkFont: deps.watermarkFont } : {}),
    }),
    publishers: new PublisherGrants({ store: deps.store, ledger: deps.ledger }),
    authorizer: deps.authorizer ?? refuseAll,
  };
}

/** Publishing writes retry this often when a concurrent publish of another report moved the catalog. */
export const maxWriteAttempts = 6;

export function reportActorOf(actor: ReportActor): LedgerActor {
  return actor.system ? systemActor(actor.userId) : actorOf(actor);
}
