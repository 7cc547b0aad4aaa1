import type { Principal, RequestContext } from './principal.js';
import { roleArn, userArn } from './resources.js';

/**
 * The condition keys every request carries, from the principal and the clock: filled the same way by
 * the route gate, the use cases (through the access module) and the simulator, so a policy on
 * `aws:username` or `aws:EpochTime` means the same everywhere (docs/access-policies.md lists them).
 */
export function principalRequestContext(principal: Principal, now: Date): RequestContext {
  return {
    'aws:CurrentTime': now.toISOString(),
    'aws:EpochTime': Math.floor(now.getTime() / 1000),
    'aws:MultiFactorAuthPresent': principal.mfaPresent,
    'aws:username': principal.email,
    'aws:userid': principal.userId,
    // An assumed-role session acts as its role, as an IAM role session's aws:PrincipalArn is the role's.
    'aws:PrincipalArn': principal.role
      ? roleArn(principal.orgId, principal.role.roleId)
      : userArn(principal.orgId, principal.userId),
    'portal:PrincipalAccount': principal.accountId,
    ...Object.fromEntries(Object.entries(principal.tags).map(([key, value]) => [`aws:PrincipalTag/${key}`, value])),
  };
}
