import { z } from 'zod';
import { actorOfCaller, type Caller } from '../../access/caller.js';
import { userArn } from '../../access/resources.js';
import { NotFoundError } from '../../errors.js';
import { parseInput } from '../../input.js';
import type { Item } from '../../ports/store.js';
import {
  type AccessKey,
  type AccessKeyDeps,
  accessKeyIdPattern,
  accessKeyKeys,
  toAccessKey,
} from './access-key-records.js';
import { keyOwnerFor, userIdField } from './create-access-key.js';

export const listAccessKeysInput = z.object({ userId: userIdField.optional() });
export const accessKeyIdField = z.string().regex(accessKeyIdPattern, 'an access key id (AKIA…)');
export const updateAccessKeyInput = z.object({
  userId: userIdField.optional(),
  accessKeyId: accessKeyIdField,
  status: z.enum(['Active', 'Inactive']),
});
export const updateAccessKeyBody = updateAccessKeyInput.pick({ status: true }).strict();
export const deleteAccessKeyInput = z.object({ userId: userIdField.optional(), accessKeyId: accessKeyIdField });

/** A user's keys (at most two), oldest first. One index query. */
export async function listAccessKeys(
  deps: AccessKeyDeps,
  caller: Caller,
  rawInput: z.infer<typeof listAccessKeysInput>,
): Promise<AccessKey[]> {
  const input = parseInput(listAccessKeysInput, rawInput);
  const { orgId, userId } = await keyOwnerFor(deps, caller, 'portal:ListAccessKeys', input.userId);
  return accessKeysOf(deps, orgId, userId);
}

/** Without authorization: the credential report's per-user rows (the report itself is authorized). */
export async function accessKeysOf(
  deps: Pick<AccessKeyDeps, 'store'>,
  orgId: string,
  userId: string,
): Promise<AccessKey[]> {
  const page = await deps.store.query(accessKeyKeys.userIndex(orgId, userId), { index: 'gsi1', limit: 10 });
  return page.items.map(toAccessKey);
}

/** The key item, if it belongs to this user of this organization; another tenant's key is missing. */
async function ownedKey(deps: AccessKeyDeps, orgId: string, userId: string, accessKeyId: string): Promise<Item> {
  const item = await deps.store.get(accessKeyKeys.key(accessKeyId), { consistent: true });
  if (!item || item.orgId !== orgId || item.userId !== userId) {
    throw new NotFoundError(`No access key ${accessKeyId} for user ${userId}.`);
  }
  return item;
}

/**
 * IAM's UpdateAccessKey: Active or Inactive. Every signed request reads the key's status, so
 * deactivating refuses the very next request. Setting the status it already has records nothing.
 */
export async function updateAccessKey(
  deps: AccessKeyDeps,
  caller: Caller,
  rawInput: z.infer<typeof updateAccessKeyInput>,
): Promise<AccessKey> {
  const input = parseInput(updateAccessKeyInput, rawInput);
  const { orgId, userId } = await keyOwnerFor(deps, caller, 'portal:UpdateAccessKey', input.userId);
  const item = await ownedKey(deps, orgId, userId, input.accessKeyId);
  if (item.status === input.status) return toAccessKey(item);
  // The deactivation time outlives a reactivation: temporary credentials issued before it stay revoked.
  const updated: Item = {
    ...item,
    status: input.status,
    ...(input.status === 'Inactive' ? { deactivatedAt: deps.clock.now().toISOString() } : {}),
  };
  await deps.ledger.append({
    orgId,
    actor: actorOfCaller(caller),
    action: input.status === 'Active' ? 'identity:AccessKeyActivated' : 'identity:AccessKeyDeactivated',
    subject: userArn(orgId, userId),
    details: { accessKeyId: input.accessKeyId },
    alsoWrite: [
      { kind: 'put', item: updated, condition: { kind: 'equals', attribute: 'status', value: String(item.status) } },
    ],
  });
  return toAccessKey(updated);
}

/** IAM's DeleteAccessKey: the key and its slot go in one transaction with the entry. */
export async function deleteAccessKey(
  deps: AccessKeyDeps,
  caller: Caller,
  rawInput: z.infer<typeof deleteAccessKeyInput>,
): Promise<void> {
  const input = parseInput(deleteAccessKeyInput, rawInput);
  const { orgId, userId } = await keyOwnerFor(deps, caller, 'portal:DeleteAccessKey', input.userId);
  const item = await ownedKey(deps, orgId, userId, input.accessKeyId);
  await deps.ledger.append({
    orgId,
    actor: actorOfCaller(caller),
    action: 'identity:AccessKeyDeleted',
    subject: userArn(orgId, userId),
    details: { accessKeyId: input.accessKeyId },
    alsoWrite: [
      { kind: 'delete', key: accessKeyKeys.key(input.accessKeyId), condition: { kind: 'exists' } },
      { kind: 'delete', key: accessKeyKeys.slot(orgId, userId, Number(item.slot ?? 0)) },
    ],
  });
}
