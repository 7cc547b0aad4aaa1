import type { Authorizer } from '../access/principal.js';
import type { LedgerWriter } from '../ledger/ledger-writer.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock, IdGenerator } from '../ports/runtime.js';
import type { Store } from '../ports/store.js';
import type { MembershipHistory } from './membership-history.js';

/** What every agreements use case works with; built once by the composition root. */
export interface AgreementDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  ledger: LedgerWriter;
  membership: MembershipHistory;
  /** The one authorization question each use case asks for the resource it touches. */
  authorizer: Authorizer;
  /** Uploaded PDF revisions are read back to check their sha256. */
  blobs: BlobStore;
}

/** Writes keep one active acceptance per target with optimistic conditions; this many tries, then 409. */
export const maxWriteAttempts = 8;

export const nowOf = (deps: Pick<AgreementDeps, 'clock'>) => deps.clock.now().toISOString();
