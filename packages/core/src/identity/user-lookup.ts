import { NotFoundError } from '../errors.js';
import { type DirectoryDeps, str } from '../organization/directory-deps.js';
import { directoryKeys, orgPartition, skPrefixes } from '../organization/directory-keys.js';
import { queryAll } from '../ports/query-all.js';
import type { Item } from '../ports/store.js';
import { getUserItem, normalizeEmail, toUser, type User } from './user-records.js';

export async function getUser(deps: Pick<DirectoryDeps, 'store'>, orgId: string, userId: string): Promise<User> {
  return toUser(await getUserItem(deps, orgId, userId));
}

/**
 * The user with this email in this organization. Emails are unique per organization, never across
 * the deployment, so no lookup can tell whether another organization has the address (docs/access.md).
 */
export async function findByEmail(
  deps: Pick<DirectoryDeps, 'store'>,
  orgId: string,
  email: string,
): Promise<Item | undefined> {
  if (!/^o-[a-z0-9-]{1,64}$/.test(orgId)) return undefined;
  const claim = await deps.store.get(directoryKeys.email(orgId, normalizeEmail(email)), { consistent: true });
  if (!claim) return undefined;
  return deps.store.get(directoryKeys.user(orgId, str(claim, 'userId')), { consistent: true });
}

/** Email or user id, within one organization only. */
export async function resolveUser(deps: Pick<DirectoryDeps, 'store'>, orgId: string, emailOrId: string): Promise<User> {
  if (emailOrId.includes('@')) {
    const item = await findByEmail(deps, orgId, emailOrId);
    if (!item) throw new NotFoundError('No such user.');
    return toUser(item);
  }
  return getUser(deps, orgId, emailOrId);
}

export async function listUserItems(deps: Pick<DirectoryDeps, 'store'>, orgId: string): Promise<Item[]> {
  return queryAll(deps.store, orgPartition(orgId), { skPrefix: skPrefixes.user });
}

export async function listUsers(deps: Pick<DirectoryDeps, 'store'>, orgId: string): Promise<User[]> {
  return (await listUserItems(deps, orgId)).map(toUser);
}
