import { ConditionFailedError, ConflictError, NotFoundError } from '../errors.js';
import type { LedgerAppendInput } from '../ledger/ledger-writer.js';
import type { WriteOp } from '../ports/store.js';
import type { DirectoryDeps } from './directory-deps.js';
import { directoryKeys } from './directory-keys.js';
import { organizationErrors } from './organization-errors.js';
import { defaultGuardrail, maxWritesWithEntry, type Organization } from './organization-records.js';

type OrgDeps = DirectoryDeps;

export function parentCheck(organization: Organization, parentId: string): WriteOp {
  const key =
    parentId === organization.rootId
      ? directoryKeys.org(organization.orgId)
      : /^ou-[a-z0-9]+$/.test(parentId)
        ? directoryKeys.unit(organization.orgId, parentId)
        : undefined;
  if (!key) throw new NotFoundError('No such parent unit.');
  return { kind: 'check', key, condition: { kind: 'exists' } };
}

export function guardrailOp(orgId: string, targetId: string, now: string): WriteOp {
  return {
    kind: 'put',
    item: {
      ...directoryKeys.guardrail(orgId, targetId, defaultGuardrail),
      type: 'GuardrailAttachment',
      targetId,
      policyRef: defaultGuardrail,
      attachedAt: now,
    },
  };
}

/**
 * Commits a structural change in the transaction of its ledger entry; a failed condition becomes
 * `organization_changed`, whose cause names the failed op (`failedOperation`).
 */
export async function commitStructure(deps: OrgDeps, ops: WriteOp[], entry: LedgerAppendInput): Promise<void> {
  try {
    if (ops.length <= maxWritesWithEntry) {
      await deps.ledger.append({ ...entry, alsoWrite: ops });
      return;
    }
    // A node's guardrail list is unbounded and an entry carries at most 96 writes: past that, the
    // change stays one transaction of its own (DynamoDB allows 100) and is recorded right after.
    await deps.store.transact(ops);
  } catch (error) {
    if (error instanceof ConditionFailedError) {
      throw organizationErrors.error(
        'organization_changed',
        'The organization changed meanwhile, or a referenced item is missing.',
        { cause: error },
      );
    }
    throw error;
  }
  await deps.ledger.append(entry);
}

/** The index of the operation whose condition failed in a structural change (see commitStructure). */
export function failedOperation(error: unknown): number | undefined {
  if (!(error instanceof ConflictError) || error.code !== 'organization_changed') return undefined;
  return error.cause instanceof ConditionFailedError ? error.cause.failedOperations[0] : undefined;
}
