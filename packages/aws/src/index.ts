export * from './aws-errors.js';
export * from './clients.js';
export * from './dynamo-store.js';
export * from './kms-keyring.js';
export * from './kms-signer.js';
export * from './provision.js';
export * from './s3-blob-store.js';
export * from './table-schema.js';
