export { JavaMissingError, startDynamoDbLocal } from './dynamodb-local.js';
export { freePort } from './free-port.js';
export { startKmsServer } from './kms/kms-server.js';
export type { LocalStack, LocalStackOptions } from './local-stack.js';
export { startLocalStack } from './local-stack.js';
export type { LocalStackInfo } from './local-stack-info.js';
export { startS3Local } from './s3-local.js';
