import type { Authorizer } from '../access/principal.js';
import type { LedgerWriter } from '../ledger/ledger-writer.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock, IdGenerator } from '../ports/runtime.js';
import type { Store } from '../ports/store.js';
import type { Report } from '../reports/report-model.js';

/** What every compliance-inquiry use case works with; built once by the composition root. */
export interface InquiryDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  ledger: LedgerWriter;
  authorizer: Authorizer;
  /** Exported PDFs are put here and handed out behind a short-lived URL. */
  blobs: BlobStore;
  /** The whole report catalog (the retrieval filters it to what the caller may read). */
  catalog: () => Promise<readonly Report[]>;
  /** Whether an organization is the portal operator (holds an operator publisher grant). */
  isOperator: (orgId: string) => Promise<boolean>;
  /** Lifetime of an export's download URL. */
  exportUrlTtlSeconds?: number;
}

export const nowOf = (deps: Pick<InquiryDeps, 'clock'>) => deps.clock.now().toISOString();
export const maxWriteAttempts = 6;
