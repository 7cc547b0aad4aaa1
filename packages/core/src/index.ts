export type * from './access/principal.js';
export * from './errors.js';
export * from './ids.js';
export type * from './ledger/ledger-writer.js';
export type * from './ports/blob-store.js';
export type * from './ports/crypto.js';
export type * from './ports/runtime.js';
export type * from './ports/store.js';
