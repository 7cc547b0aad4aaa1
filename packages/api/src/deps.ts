import type { Authorizer, BlobStore, Clock, IdGenerator, Keyring, Logger, Signer, Store } from '@evidence-portal/core';

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
  settings: {
    stage: string;
    siteOrigin: string;
    maxBodyBytes: number;
  };
}
