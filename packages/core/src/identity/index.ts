export * from './access-keys/index.js';
export { type AccountMailDeps, accountMail } from './account-mail.js';
export {
  type AttemptBudgets,
  attemptBudgets,
  type BudgetKind,
  type BudgetLimit,
  defaultBudgetLimits,
} from './attempt-budget.js';
export { loggingMailer, type Mailer, redactTokens } from './mailer.js';
export { decoyHash, hashPassword, type PasswordHash, verifyPassword } from './password-hashing.js';
export { checkPassword, minimumPasswordLength } from './password-rules.js';
export {
  defaultSessionSettings,
  type IssuedSession,
  type Session,
  type SessionDeps,
  SessionService,
  type SessionSettings,
} from './session-service.js';
export type { SignInInput } from './sign-in.js';
export { type SignInRefusal, SignInRefusedError, signInRefusals } from './sign-in-refused.js';
export { matchTotpStep, newTotpSecret, totpCode, totpUri } from './totp.js';
export {
  type Group,
  type NewUserInput,
  normalizeEmail,
  type Role,
  type User,
  UserDirectory,
  type UserDirectoryDeps,
  type UserStatus,
} from './user-directory.js';
export { reservedMapKeys, tagKeyField, userTagsField } from './user-tags.js';
