import { type Actor, type DirectoryDeps, removeWithEntry } from '../organization/directory-deps.js';
import { directoryKeys, orgPartition, type PrincipalTarget, skPrefixes } from '../organization/directory-keys.js';
import { queryAll } from '../ports/query-all.js';
import { ensurePolicyExists } from './customer-policies.js';
import {
  ensureTargetExists,
  grantTtl,
  type PolicyAttachment,
  recordGrantExpiry,
  requireFutureExpiry,
  toAttachment,
} from './policy-records.js';
import { policyArn } from './resources.js';

/** Attaches a policy to a user, group or role; with `expiresAt` it is a time-boxed grant that ends by itself. */
export async function attachPolicy(
  deps: DirectoryDeps,
  orgId: string,
  target: PrincipalTarget,
  policyRef: string,
  actor: Actor,
  options: { expiresAt?: string } = {},
): Promise<PolicyAttachment> {
  await Promise.all([ensureTargetExists(deps, orgId, target), ensurePolicyExists(deps, orgId, policyRef)]);
  const now = deps.clock.now();
  if (options.expiresAt !== undefined) requireFutureExpiry(options.expiresAt, now);
  const attachment: PolicyAttachment = {
    target,
    policyRef,
    attachedAt: now.toISOString(),
    ...(options.expiresAt ? { expiresAt: new Date(options.expiresAt).toISOString() } : {}),
  };
  await deps.ledger.append({
    orgId,
    actor,
    action: attachment.expiresAt ? 'access:GrantCreated' : 'access:PolicyAttached',
    subject: policyArn(orgId, policyRef),
    details: {
      targetType: target.type,
      targetId: target.id,
      ...(attachment.expiresAt ? { expiresAt: attachment.expiresAt } : {}),
    },
    alsoWrite: [
      {
        kind: 'put',
        item: {
          ...directoryKeys.attachment(orgId, target, policyRef),
          type: 'PolicyAttachment',
          targetType: target.type,
          targetId: target.id,
          policyRef,
          attachedAt: attachment.attachedAt,
          ...(attachment.expiresAt ? { expiresAt: attachment.expiresAt, ttl: grantTtl(attachment.expiresAt) } : {}),
        },
      },
    ],
  });
  return attachment;
}

export async function detachPolicy(
  deps: DirectoryDeps,
  orgId: string,
  target: PrincipalTarget,
  policyRef: string,
  actor: Actor,
): Promise<void> {
  await removeWithEntry(
    deps,
    {
      orgId,
      actor,
      action: 'access:PolicyDetached',
      subject: policyArn(orgId, policyRef),
      details: { targetType: target.type, targetId: target.id },
    },
    directoryKeys.attachment(orgId, target, policyRef),
    'No such attachment.',
  );
}

export async function listAttachments(deps: DirectoryDeps, orgId: string): Promise<PolicyAttachment[]> {
  const items = await queryAll(deps.store, orgPartition(orgId), { skPrefix: skPrefixes.attachment });
  return items.map(toAttachment);
}

/** Attachments in force now; grants past their end are left out and their expiry recorded once. */
export async function attachmentsOf(
  deps: DirectoryDeps,
  orgId: string,
  target: PrincipalTarget,
): Promise<PolicyAttachment[]> {
  const items = await queryAll(deps.store, orgPartition(orgId), { skPrefix: skPrefixes.attachmentsOf(target) });
  const now = deps.clock.now().toISOString();
  const live: PolicyAttachment[] = [];
  for (const attachment of items.map(toAttachment)) {
    if (attachment.expiresAt !== undefined && attachment.expiresAt <= now) {
      await recordAttachmentExpiry(deps, orgId, attachment);
    } else {
      live.push(attachment);
    }
  }
  return live;
}

/** Removes an expired grant and writes its expiry to the ledger; only the caller that deletes it records it. */
function recordAttachmentExpiry(deps: DirectoryDeps, orgId: string, attachment: PolicyAttachment): Promise<void> {
  return recordGrantExpiry(
    deps,
    {
      orgId,
      subject: policyArn(orgId, attachment.policyRef),
      details: { targetType: attachment.target.type, targetId: attachment.target.id },
    },
    directoryKeys.attachment(orgId, attachment.target, attachment.policyRef),
    attachment.expiresAt ?? '',
  );
}
