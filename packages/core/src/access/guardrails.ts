import { NotFoundError } from '../errors.js';
import { type Actor, type DirectoryDeps, removeWithEntry } from '../organization/directory-deps.js';
import { directoryKeys, orgPartition, skPrefixes } from '../organization/directory-keys.js';
import { queryAll } from '../ports/query-all.js';
import { ensurePolicyExists } from './customer-policies.js';
import { type GuardrailAttachment, toGuardrail } from './policy-records.js';
import { policyArn } from './resources.js';

/** Attaches a guardrail to the root (`r-…`), an organizational unit (`ou-…`) or an account (12 digits). */
export async function attachGuardrail(
  deps: DirectoryDeps,
  orgId: string,
  targetId: string,
  policyRef: string,
  actor: Actor,
): Promise<GuardrailAttachment> {
  await ensurePolicyExists(deps, orgId, policyRef);
  const targetKey = /^r-/.test(targetId)
    ? directoryKeys.org(orgId)
    : /^ou-[a-z0-9]+$/.test(targetId)
      ? directoryKeys.unit(orgId, targetId)
      : /^\d{12}$/.test(targetId)
        ? directoryKeys.account(orgId, targetId)
        : undefined;
  const target = targetKey ? await deps.store.get(targetKey) : undefined;
  if (!target || (/^r-/.test(targetId) && target.rootId !== targetId)) {
    throw new NotFoundError('No such root, organizational unit or account.');
  }
  const attachment: GuardrailAttachment = { targetId, policyRef, attachedAt: deps.clock.now().toISOString() };
  await deps.ledger.append({
    orgId,
    actor,
    action: 'access:GuardrailAttached',
    subject: policyArn(orgId, policyRef),
    details: { targetId },
    alsoWrite: [
      {
        kind: 'put',
        item: { ...directoryKeys.guardrail(orgId, targetId, policyRef), type: 'GuardrailAttachment', ...attachment },
      },
    ],
  });
  return attachment;
}

export async function detachGuardrail(
  deps: DirectoryDeps,
  orgId: string,
  targetId: string,
  policyRef: string,
  actor: Actor,
): Promise<void> {
  await removeWithEntry(
    deps,
    { orgId, actor, action: 'access:GuardrailDetached', subject: policyArn(orgId, policyRef), details: { targetId } },
    directoryKeys.guardrail(orgId, targetId, policyRef),
    'No such guardrail attachment.',
  );
}

export async function listGuardrails(deps: DirectoryDeps, orgId: string): Promise<GuardrailAttachment[]> {
  const items = await queryAll(deps.store, orgPartition(orgId), { skPrefix: skPrefixes.guardrail });
  return items.map(toGuardrail);
}
