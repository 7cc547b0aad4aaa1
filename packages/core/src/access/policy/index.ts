/**
 * The IAM-style policy language and evaluator: pure, no I/O. `authorize` (which loads a principal's
 * policies and guardrails) is built on `evaluatePolicies`. Reference: docs/access-policies.md.
 */

export { conditionBounds } from './condition-bounds.js';
export type { ConditionKeyDefinition, ConditionKeyType } from './condition-keys.js';
export { conditionKeyCatalog } from './condition-keys.js';
export { conditionOperatorNames } from './condition-operators.js';
export { evaluatePolicies, type PolicyEvaluationInput } from './evaluate-policies.js';
export {
  type ManagedPolicyName,
  managedPolicies,
  managedPolicyDescriptions,
  managedPolicyNames,
} from './managed-policies.js';
export type {
  ConditionBlock,
  ConditionValue,
  NamedPolicy,
  PolicyDocument,
  PolicyStatement,
} from './policy-document.js';
export { type AccessLevel, type PortalActionDefinition, portalActionCatalog, portalActions } from './portal-actions.js';
export {
  formatPortalArn,
  type PortalArn,
  type PortalResourceType,
  parsePortalArn,
  portalResourceTypes,
} from './portal-arn.js';
export { type PolicyValidationResult, policyLimits, validatePolicyDocument } from './validate-policy-document.js';
export { wildcardMatch } from './wildcard-match.js';
