export { queryAll } from '../ports/query-all.js';
export { type BootstrapResult, bootstrapDeployment } from './bootstrap.js';
export { type Actor, type DirectoryDeps, systemActor } from './directory-deps.js';
export { directoryKeys, orgPartition, type PrincipalTarget } from './directory-keys.js';
export { type OnboardOrganizationInput, onboardOrganizationInput } from './onboard-organization.js';
export {
  defaultGuardrail,
  type MemberAccount,
  type MembershipListener,
  newAccountId,
  type Organization,
  type OrganizationalUnit,
  OrganizationService,
  type OrganizationTreeNode,
  pathFromUnits,
} from './organization-service.js';
