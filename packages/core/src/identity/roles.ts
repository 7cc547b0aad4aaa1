import { roleArn } from '../access/resources.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { type Actor, type DirectoryDeps, newPrefixedId } from '../organization/directory-deps.js';
import { directoryKeys, orgPartition, skPrefixes } from '../organization/directory-keys.js';
import { queryAll } from '../ports/query-all.js';
import { listGroups } from './groups.js';
import { listUsers } from './user-lookup.js';
import { type Role, toRole } from './user-records.js';

/** Roles: a trust policy names who may assume them; an assumed session holds only the role's policies. */
export async function createRole(
  deps: DirectoryDeps,
  orgId: string,
  input: {
    name: string;
    description?: string;
    trust: { users?: string[]; groups?: string[] };
    maxSessionSeconds?: number;
    roleId?: string;
  },
  actor: Actor,
): Promise<Role> {
  const name = input.name.trim();
  const errors = [];
  if (!/^[A-Za-z0-9+=,.@_-]{1,64}$/.test(name)) {
    errors.push({ path: 'name', message: 'must be 1 to 64 letters, digits or +=,.@_-' });
  }
  const users = input.trust.users ?? [];
  const groups = input.trust.groups ?? [];
  const [knownUsers, knownGroups] = await Promise.all([listUsers(deps, orgId), listGroups(deps, orgId)]);
  users.forEach((id, i) => {
    if (!knownUsers.some((u) => u.userId === id)) errors.push({ path: `trust.users.${i}`, message: 'no such user' });
  });
  groups.forEach((id, i) => {
    if (!knownGroups.some((g) => g.groupId === id))
      errors.push({ path: `trust.groups.${i}`, message: 'no such group' });
  });
  if (errors.length > 0) throw new ValidationError('The role is invalid.', errors);
  const role: Role = {
    roleId: input.roleId ?? newPrefixedId(deps.ids, 'role'),
    name,
    description: input.description ?? '',
    trust: { users, groups },
    maxSessionSeconds: input.maxSessionSeconds ?? 3600,
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.ledger.append({
    orgId,
    actor,
    action: 'access:RoleCreated',
    subject: roleArn(orgId, role.roleId),
    details: { name: role.name, trustedUsers: users, trustedGroups: groups },
    alsoWrite: [
      {
        kind: 'put',
        item: { ...directoryKeys.role(orgId, role.roleId), type: 'Role', ...role },
        condition: { kind: 'notExists' },
      },
    ],
  });
  return role;
}

export async function getRole(deps: DirectoryDeps, orgId: string, roleId: string): Promise<Role> {
  if (!/^role-[a-z0-9]+$/.test(roleId)) throw new NotFoundError('No such role.');
  const item = await deps.store.get(directoryKeys.role(orgId, roleId));
  if (!item) throw new NotFoundError('No such role.');
  return toRole(item);
}

export async function listRoles(deps: DirectoryDeps, orgId: string): Promise<Role[]> {
  const items = await queryAll(deps.store, orgPartition(orgId), { skPrefix: skPrefixes.role });
  return items.map(toRole);
}
