import { actorOf } from '../access/actor.js';
import type { PolicyStore } from '../access/policy-store.js';
import type { Principal } from '../access/principal.js';
import { roleArn } from '../access/resources.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { DirectoryDeps } from '../organization/directory-deps.js';
import { directoryKeys } from '../organization/directory-keys.js';
import { sha256Hex } from '../sha256.js';
import { sessionItemFor } from './session-lookup.js';
import { type IssuedSession, newSession, toSession } from './session-records.js';
import type { UserDirectory } from './user-directory.js';
import { toRole } from './user-records.js';

export interface AssumeRoleDeps extends DirectoryDeps {
  users: UserDirectory;
  policies: Pick<PolicyStore, 'roleGrantsOf'>;
}

/**
 * Assumes a role: a new, shorter session holding only the role's permissions. The role's trust
 * policy (named users, groups) or a live time-boxed grant must admit the caller. The role session
 * names its parent: it ends when the parent ends (sign-out, password change, expiry).
 */
export async function assumeRole(
  deps: AssumeRoleDeps,
  principal: Principal,
  currentToken: string,
  roleId: string,
): Promise<IssuedSession> {
  const currentItem = await sessionItemFor(deps, currentToken);
  const current = currentItem ? toSession(currentItem) : undefined;
  if (!current || current.sessionId !== principal.sessionId) throw new NotFoundError('No such session.');
  if (!/^role-[a-z0-9]+$/.test(roleId)) throw new NotFoundError('No such role.');
  const roleItem = await deps.store.get(directoryKeys.role(principal.orgId, roleId));
  if (!roleItem) throw new NotFoundError('No such role.');
  const role = toRole(roleItem);
  const [groups, grants] = await Promise.all([
    deps.users.groupIdsOf(principal.orgId, principal.userId),
    deps.policies.roleGrantsOf(principal.orgId, principal.userId, roleId),
  ]);
  const now = deps.clock.now();
  const granted = grants.length > 0;
  const trusted = role.trust.users.includes(principal.userId) || groups.some((g) => role.trust.groups.includes(g));
  if (!trusted && !granted) {
    await deps.ledger.append({
      orgId: principal.orgId,
      actor: actorOf(principal),
      action: 'access:Denied',
      subject: roleArn(principal.orgId, roleId),
      accountId: principal.accountId,
      details: {
        action: 'portal:AssumeRole',
        reason: "the role's trust policy does not name this user or its groups",
      },
    });
    throw new ForbiddenError("The role's trust policy does not allow you to assume it.", 'role_not_trusted');
  }
  const user = await deps.users.get(principal.orgId, principal.userId);
  const remaining = Math.floor((Date.parse(current.expiresAt) - now.getTime()) / 1000);
  const grantEnd = grants.map((g) => Date.parse(g.expiresAt)).sort((a, b) => b - a)[0];
  const grantRemaining =
    !trusted && grantEnd ? Math.floor((grantEnd - now.getTime()) / 1000) : Number.POSITIVE_INFINITY;
  const { issued, op } = newSession(deps, user, {
    mfaPresent: current.mfaPresent,
    enrolmentOnly: false,
    ttlSeconds: Math.max(1, Math.min(role.maxSessionSeconds, remaining, grantRemaining)),
    role: { roleId, name: role.name },
    epoch: typeof currentItem?.epoch === 'number' ? currentItem.epoch : 0,
    parent: { sessionId: current.sessionId, tokenHash: sha256Hex(currentToken) },
  });
  await deps.ledger.append({
    orgId: principal.orgId,
    actor: actorOf(principal),
    action: 'access:RoleAssumed',
    subject: roleArn(principal.orgId, roleId),
    accountId: principal.accountId,
    details: { roleName: role.name, sessionId: issued.session.sessionId, expiresAt: issued.session.expiresAt },
    alsoWrite: [op],
  });
  return issued;
}
