export { type AccessDeps, AccessService, type AnalyzedPrincipal, principalForUser } from './access-service.js';
export { accessStampOf, changesAccessData, isAccessData, noteAccessChange } from './access-stamp.js';
export { actorOf, userActor } from './actor.js';
export {
  actorOfCaller,
  type Caller,
  orgOf,
  type PrincipalCaller,
  principalCaller,
  type RequestOrigin,
  type SystemCaller,
  systemCaller,
} from './caller.js';
export { type CredentialReportRow, credentialReport } from './credential-report.js';
export { allowedPairs, type GrantCheckDeps, requireMayGrant } from './grant-checks.js';
export { managedPolicyDocument } from './managed-policy-catalog.js';
export {
  conditionBounds,
  evaluatePolicies,
  managedPolicies,
  managedPolicyDescriptions,
  managedPolicyNames,
  type NamedPolicy,
  type PolicyDocument,
  portalActions,
  validatePolicyDocument,
} from './policy/index.js';
export {
  type CustomerPolicy,
  type GuardrailAttachment,
  type PolicyAttachment,
  PolicyStore,
  type RoleGrant,
} from './policy-store.js';
export { principalRequestContext } from './request-context.js';
export { requireAllowed } from './require-allowed.js';
export * from './resources.js';
