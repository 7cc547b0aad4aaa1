import { ConditionFailedError, NotFoundError, ValidationError } from '../errors.js';
import { type DirectoryDeps, optionalStr, str } from '../organization/directory-deps.js';
import { directoryKeys, type PrincipalTarget } from '../organization/directory-keys.js';
import type { Item, ItemKey, ItemValue } from '../ports/store.js';
import type { PolicyDocument } from './policy/policy-document.js';

export interface CustomerPolicy {
  policyId: string;
  name: string;
  description: string;
  document: PolicyDocument;
  createdAt: string;
  updatedAt: string;
}

export interface PolicyAttachment {
  target: PrincipalTarget;
  /** A managed policy name (`ReportsReadOnly`) or a customer policy id (`p-…`). */
  policyRef: string;
  attachedAt: string;
  /** Time-boxed grants end here, without anyone acting. */
  expiresAt?: string;
}

export interface GuardrailAttachment {
  targetId: string;
  policyRef: string;
  attachedAt: string;
}

export interface RoleGrant {
  userId: string;
  roleId: string;
  grantedAt: string;
  expiresAt: string;
}

/** Expired grants stay readable this long so the expiry is recorded in the ledger before TTL removes them. */
export const expiredGrantRetentionSeconds = 30 * 24 * 3600;

/** The TTL of a grant's item: its end plus the retention above. */
export const grantTtl = (expiresAt: string): number =>
  Math.floor(Date.parse(expiresAt) / 1000) + expiredGrantRetentionSeconds;

export function toPolicy(item: Item): CustomerPolicy {
  return {
    policyId: str(item, 'policyId'),
    name: str(item, 'name'),
    description: str(item, 'description'),
    document: item.document as unknown as PolicyDocument,
    createdAt: str(item, 'createdAt'),
    updatedAt: str(item, 'updatedAt'),
  };
}

export function toAttachment(item: Item): PolicyAttachment {
  const expiresAt = optionalStr(item, 'expiresAt');
  return {
    target: { type: str(item, 'targetType') as PrincipalTarget['type'], id: str(item, 'targetId') },
    policyRef: str(item, 'policyRef'),
    attachedAt: str(item, 'attachedAt'),
    ...(expiresAt ? { expiresAt } : {}),
  };
}

export function toGuardrail(item: Item): GuardrailAttachment {
  return { targetId: str(item, 'targetId'), policyRef: str(item, 'policyRef'), attachedAt: str(item, 'attachedAt') };
}

export function toRoleGrant(item: Item): RoleGrant {
  return {
    userId: str(item, 'userId'),
    roleId: str(item, 'roleId'),
    grantedAt: str(item, 'grantedAt'),
    expiresAt: str(item, 'expiresAt'),
  };
}

/** A user, group or role that exists in the organization; anything else answers like a missing one. */
export async function ensureTargetExists(deps: DirectoryDeps, orgId: string, target: PrincipalTarget): Promise<void> {
  const pattern = { user: /^u-[a-z0-9]+$/, group: /^g-[a-z0-9]+$/, role: /^role-[a-z0-9]+$/ }[target.type];
  const key =
    target.type === 'user'
      ? directoryKeys.user(orgId, target.id)
      : target.type === 'group'
        ? directoryKeys.group(orgId, target.id)
        : directoryKeys.role(orgId, target.id);
  if (!pattern.test(target.id) || !(await deps.store.get(key))) throw new NotFoundError(`No such ${target.type}.`);
}

/** Refuses a grant whose end is not after `now`. */
export function requireFutureExpiry(expiresAt: string, now: Date): void {
  if (!(Date.parse(expiresAt) > now.getTime())) {
    throw new ValidationError('The grant is invalid.', [
      { path: 'expiresAt', message: 'must be a time in the future' },
    ]);
  }
}

/**
 * Deletes an ended grant's item in the transaction of its `access:GrantExpired` entry, conditioned on
 * the end it was read with: only the caller whose delete lands records the expiry.
 */
export async function recordGrantExpiry(
  deps: Pick<DirectoryDeps, 'ledger'>,
  entry: { orgId: string; subject: string; details: Record<string, ItemValue> },
  key: ItemKey,
  expiresAt: string,
): Promise<void> {
  try {
    await deps.ledger.append({
      ...entry,
      actor: { type: 'system', id: 'grant-expiry' },
      action: 'access:GrantExpired',
      details: { ...entry.details, expiredAt: expiresAt },
      alsoWrite: [{ kind: 'delete', key, condition: { kind: 'equals', attribute: 'expiresAt', value: expiresAt } }],
    });
  } catch (error) {
    if (error instanceof ConditionFailedError) return;
    throw error;
  }
}
