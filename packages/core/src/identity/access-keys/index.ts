export {
  type AccessKey,
  type AccessKeyStatus,
  accessKeyIdPattern,
  maxAccessKeysPerUser,
} from './access-key-records.js';
export { type AccessKeys, createAccessKeys } from './access-keys.js';
export { type CreatedAccessKey, createAccessKeyInput, userIdField } from './create-access-key.js';
export {
  accessKeyIdField,
  deleteAccessKeyInput,
  listAccessKeysInput,
  updateAccessKeyBody,
  updateAccessKeyInput,
} from './manage-access-keys.js';
export {
  mfaDeviceArn,
  type SessionTokenInput,
  sessionDurationSeconds,
  sessionTokenInput,
  type TemporaryCredentials,
} from './session-credentials.js';
export type { SigningCredentials, SigningCredentialsService } from './signing-credentials.js';
