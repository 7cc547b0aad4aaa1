export { publicKeyFingerprint, type TrustedKey, trustedKey } from '../ledger/checkpoint.js';
export * from './bundle-format.js';
export * from './bundle-verifier.js';
export * from './bundle-writer.js';
export * from './dsse.js';
export * from './statement-schema.js';
export * from './verify-guide.js';
