import { groupArn } from '../access/resources.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { type Actor, type DirectoryDeps, newPrefixedId, removeWithEntry, str } from '../organization/directory-deps.js';
import { directoryKeys, orgPartition, skPrefixes } from '../organization/directory-keys.js';
import { queryAll } from '../ports/query-all.js';
import { getUser } from './user-lookup.js';
import { type Group, toGroup } from './user-records.js';

/** Groups of an organization and their members (users inherit the policies attached to their groups). */
export async function createGroup(
  deps: DirectoryDeps,
  orgId: string,
  name: string,
  actor: Actor,
  groupId?: string,
): Promise<Group> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 128) {
    throw new ValidationError('The group is invalid.', [{ path: 'name', message: 'must be 1 to 128 characters' }]);
  }
  const group: Group = {
    groupId: groupId ?? newPrefixedId(deps.ids, 'g'),
    name: trimmed,
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.ledger.append({
    orgId,
    actor,
    action: 'access:GroupCreated',
    subject: groupArn(orgId, group.groupId),
    details: { name: group.name, at: group.createdAt },
    alsoWrite: [
      {
        kind: 'put',
        item: { ...directoryKeys.group(orgId, group.groupId), type: 'Group', ...group },
        condition: { kind: 'notExists' },
      },
    ],
  });
  return group;
}

export async function getGroup(deps: DirectoryDeps, orgId: string, groupId: string): Promise<Group> {
  if (!/^g-[a-z0-9]+$/.test(groupId)) throw new NotFoundError('No such group.');
  const item = await deps.store.get(directoryKeys.group(orgId, groupId));
  if (!item) throw new NotFoundError('No such group.');
  return toGroup(item);
}

export async function listGroups(deps: DirectoryDeps, orgId: string): Promise<Array<Group & { members: string[] }>> {
  const [groups, memberships] = await Promise.all([
    queryAll(deps.store, orgPartition(orgId), { skPrefix: skPrefixes.group }),
    queryAll(deps.store, orgPartition(orgId), { skPrefix: skPrefixes.membership }),
  ]);
  return groups.map((item) => {
    const group = toGroup(item);
    return {
      ...group,
      members: memberships.filter((m) => m.groupId === group.groupId).map((m) => str(m, 'userId')),
    };
  });
}

export async function groupIdsOf(deps: DirectoryDeps, orgId: string, userId: string): Promise<string[]> {
  const items = await queryAll(deps.store, orgPartition(orgId), { skPrefix: skPrefixes.membershipOf(userId) });
  return items.map((item) => str(item, 'groupId'));
}

/** The groups one user belongs to: their memberships and those groups only, however large the organization. */
export async function groupsOf(deps: DirectoryDeps, orgId: string, userId: string): Promise<Group[]> {
  const groupIds = await groupIdsOf(deps, orgId, userId);
  if (groupIds.length === 0) return [];
  const items = await deps.store.batchGet(groupIds.map((groupId) => directoryKeys.group(orgId, groupId)));
  return items.map(toGroup).sort((a, b) => a.name.localeCompare(b.name));
}

export async function addMember(
  deps: DirectoryDeps,
  orgId: string,
  groupId: string,
  userId: string,
  actor: Actor,
): Promise<void> {
  await Promise.all([getGroup(deps, orgId, groupId), getUser(deps, orgId, userId)]);
  await deps.ledger.append({
    orgId,
    actor,
    action: 'access:GroupMemberAdded',
    subject: groupArn(orgId, groupId),
    details: { userId },
    alsoWrite: [
      {
        kind: 'put',
        item: {
          ...directoryKeys.membership(orgId, userId, groupId),
          type: 'GroupMembership',
          groupId,
          userId,
          addedAt: deps.clock.now().toISOString(),
        },
      },
    ],
  });
}

export async function removeMember(
  deps: DirectoryDeps,
  orgId: string,
  groupId: string,
  userId: string,
  actor: Actor,
): Promise<void> {
  await getGroup(deps, orgId, groupId);
  await removeWithEntry(
    deps,
    { orgId, actor, action: 'access:GroupMemberRemoved', subject: groupArn(orgId, groupId), details: { userId } },
    directoryKeys.membership(orgId, userId, groupId),
    'That user is not a member of this group.',
  );
}
