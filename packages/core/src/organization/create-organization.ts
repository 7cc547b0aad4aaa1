import { organizationArn } from '../access/resources.js';
import { ConditionFailedError, ConflictError, ValidationError } from '../errors.js';
import type { WriteOp } from '../ports/store.js';
import { type Actor, type DirectoryDeps, newPrefixedId } from './directory-deps.js';
import { directoryKeys } from './directory-keys.js';
import { accountIdPattern, checkName, newAccountId, type Organization } from './organization-records.js';
import { guardrailOp } from './structure-commit.js';

type OrgDeps = DirectoryDeps;

export interface CreateOrganizationInput {
  name: string;
  managementAccountName?: string;
  managementAccountId?: string;
  orgId?: string;
  actor: Actor;
  bootstrap?: boolean;
  /** Extra items written in the same transaction (the first admin user). */
  extraOps?: WriteOp[];
}

/**
 * A new organization with its root and management account. `bootstrap` makes the write also claim
 * the deployment's one bootstrap marker, so a second bootstrap fails atomically.
 */
export async function createOrganization(deps: OrgDeps, input: CreateOrganizationInput): Promise<Organization> {
  const { clock, ids } = deps;
  const now = clock.now().toISOString();
  const orgId = input.orgId ?? newPrefixedId(ids, 'o');
  const managementAccountId = input.managementAccountId ?? newAccountId();
  if (!accountIdPattern.test(managementAccountId)) {
    throw new ValidationError('Invalid account id', [{ path: 'managementAccountId', message: 'must be 12 digits' }]);
  }
  const org: Organization = {
    orgId,
    name: checkName(input.name),
    rootId: `r-${orgId.replace(/^o-/, '')}`,
    managementAccountId,
    createdAt: now,
  };
  const ops: WriteOp[] = [
    {
      kind: 'put',
      item: { ...directoryKeys.org(orgId), type: 'Organization', ...org },
      condition: { kind: 'notExists' },
    },
    {
      kind: 'put',
      item: {
        ...directoryKeys.account(orgId, managementAccountId),
        type: 'Account',
        accountId: managementAccountId,
        name: checkName(input.managementAccountName ?? `${org.name} management`),
        parentId: org.rootId,
        isManagement: true,
        joinedAt: now,
      },
      condition: { kind: 'notExists' },
    },
    guardrailOp(orgId, org.rootId, now),
    guardrailOp(orgId, managementAccountId, now),
    ...(input.extraOps ?? []),
  ];
  if (input.bootstrap) {
    ops.push({
      kind: 'put',
      item: { ...directoryKeys.bootstrap(), orgId, createdAt: now },
      condition: { kind: 'notExists' },
    });
  }
  try {
    await deps.ledger.append({
      orgId,
      actor: input.actor,
      action: 'org:OrganizationCreated',
      subject: organizationArn(orgId),
      accountId: managementAccountId,
      details: { name: org.name, managementAccountId, at: now },
      alsoWrite: ops,
    });
  } catch (error) {
    if (error instanceof ConditionFailedError) {
      throw new ConflictError('The organization or the deployment bootstrap already exists.', 'already_exists', {
        cause: error,
      });
    }
    throw error;
  }
  return org;
}
