export { AccessService, type AnalyzedPrincipal, principalForUser } from './access-service.js';
export { type CredentialReportRow, credentialReport } from './credential-report.js';
export { managedPolicyDocument } from './managed-policy-catalog.js';
export {
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
  policyArn,
  type RoleGrant,
} from './policy-store.js';
