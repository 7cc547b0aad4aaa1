import type { BlobStore, Clock, IdGenerator, Keyring, Logger, Signer, Store } from '@evidence-portal/core';

/** Everything the HTTP layer needs, built once per runtime by a composition root. */
export interface AppDeps {
  store: Store;
  signer: Signer;
  keyring: Keyring;
  blobs: BlobStore;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  settings: {
    stage: string;
    siteOrigin: string;
    maxBodyBytes: number;
  };
}
