import type { Actor, DirectoryDeps } from '../organization/directory-deps.js';
import { directoryKeys, orgPartition, skPrefixes } from '../organization/directory-keys.js';
import { queryAll } from '../ports/query-all.js';
import {
  ensureTargetExists,
  grantTtl,
  type RoleGrant,
  recordGrantExpiry,
  requireFutureExpiry,
  toRoleGrant,
} from './policy-records.js';
import { roleArn } from './resources.js';

/** A time-boxed right to assume a role, beside the role's trust policy. */
export async function grantRole(
  deps: DirectoryDeps,
  orgId: string,
  userId: string,
  roleId: string,
  expiresAt: string,
  actor: Actor,
): Promise<RoleGrant> {
  await Promise.all([
    ensureTargetExists(deps, orgId, { type: 'user', id: userId }),
    ensureTargetExists(deps, orgId, { type: 'role', id: roleId }),
  ]);
  const now = deps.clock.now();
  requireFutureExpiry(expiresAt, now);
  const grant: RoleGrant = {
    userId,
    roleId,
    grantedAt: now.toISOString(),
    expiresAt: new Date(expiresAt).toISOString(),
  };
  await deps.ledger.append({
    orgId,
    actor,
    action: 'access:GrantCreated',
    subject: roleArn(orgId, roleId),
    details: { userId, expiresAt: grant.expiresAt },
    alsoWrite: [
      {
        kind: 'put',
        item: {
          ...directoryKeys.roleGrant(orgId, userId, roleId),
          type: 'RoleGrant',
          ...grant,
          ttl: grantTtl(grant.expiresAt),
        },
      },
    ],
  });
  return grant;
}

/** Live role grants of a user (of one role, when given); ended ones are left out and their expiry recorded once. */
export async function roleGrantsOf(
  deps: DirectoryDeps,
  orgId: string,
  userId: string,
  roleId = '',
): Promise<RoleGrant[]> {
  const items = await queryAll(deps.store, orgPartition(orgId), {
    skPrefix: `${skPrefixes.roleGrant}${userId}#${roleId}`,
  });
  const now = deps.clock.now().toISOString();
  const live: RoleGrant[] = [];
  for (const grant of items.map(toRoleGrant)) {
    if (grant.expiresAt > now) live.push(grant);
    else await recordRoleGrantExpiry(deps, orgId, grant);
  }
  return live;
}

/** Only the caller whose delete lands records the expiry. */
function recordRoleGrantExpiry(deps: DirectoryDeps, orgId: string, grant: RoleGrant): Promise<void> {
  return recordGrantExpiry(
    deps,
    { orgId, subject: roleArn(orgId, grant.roleId), details: { userId: grant.userId } },
    directoryKeys.roleGrant(orgId, grant.userId, grant.roleId),
    grant.expiresAt,
  );
}
