export { type BootstrapResult, bootstrapDeployment } from './bootstrap.js';
export { type Actor, type DirectoryDeps, queryAll, systemActor } from './directory-deps.js';
export { directoryKeys, orgPartition, type PrincipalTarget } from './directory-keys.js';
export {
  accountArn,
  defaultGuardrail,
  type MemberAccount,
  type MembershipListener,
  newAccountId,
  type Organization,
  type OrganizationalUnit,
  OrganizationService,
  type OrganizationTreeNode,
  organizationArn,
  pathFromUnits,
} from './organization-service.js';
