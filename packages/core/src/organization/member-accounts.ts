import { accountArn } from '../access/resources.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { queryAll } from '../ports/query-all.js';
import type { WriteOp } from '../ports/store.js';
import type { Actor, DirectoryDeps } from './directory-deps.js';
import { directoryKeys, orgPartition, skPrefixes } from './directory-keys.js';
import { getOrganization } from './org-units.js';
import { organizationErrors } from './organization-errors.js';
import {
  accountIdPattern,
  checkName,
  type MemberAccount,
  type MembershipListener,
  newAccountId,
  toAccount,
} from './organization-records.js';
import { commitStructure, failedOperation, guardrailOp, parentCheck } from './structure-commit.js';

type OrgDeps = DirectoryDeps & { membership?: MembershipListener };

export async function listAccounts(deps: OrgDeps, orgId: string): Promise<MemberAccount[]> {
  const items = await queryAll(deps.store, orgPartition(orgId), { skPrefix: skPrefixes.account });
  return items.map(toAccount);
}

export async function getAccount(deps: OrgDeps, orgId: string, accountId: string): Promise<MemberAccount> {
  if (!accountIdPattern.test(accountId)) throw new NotFoundError('No such account.');
  const item = await deps.store.get(directoryKeys.account(orgId, accountId), { consistent: true });
  if (!item) throw new NotFoundError('No such account.');
  return toAccount(item);
}

export async function addAccount(
  deps: OrgDeps,
  orgId: string,
  input: { name: string; parentId?: string; accountId?: string },
  actor: Actor,
): Promise<MemberAccount> {
  const organization = await getOrganization(deps, orgId);
  const accountId = input.accountId ?? newAccountId();
  if (!accountIdPattern.test(accountId)) {
    throw new ValidationError('Invalid account id', [{ path: 'accountId', message: 'must be 12 digits' }]);
  }
  const now = deps.clock.now().toISOString();
  const account: MemberAccount = {
    accountId,
    name: checkName(input.name),
    parentId: input.parentId ?? organization.rootId,
    isManagement: false,
    joinedAt: now,
  };
  try {
    await commitStructure(
      deps,
      [
        parentCheck(organization, account.parentId),
        {
          kind: 'put',
          item: { ...directoryKeys.account(orgId, accountId), type: 'Account', ...account },
          condition: { kind: 'notExists' },
        },
        guardrailOp(orgId, accountId, now),
      ],
      {
        orgId,
        actor,
        action: 'org:AccountJoined',
        subject: accountArn(orgId, accountId),
        accountId,
        details: { name: account.name, parentId: account.parentId, at: now },
      },
    );
  } catch (error) {
    if (failedOperation(error) === 0) throw new NotFoundError('No such parent unit.');
    // Account ids are unique within an organization only: this is the caller's own account (docs/access.md).
    if (failedOperation(error) === 1) {
      throw organizationErrors.error('account_exists', 'This organization already has an account with that id.');
    }
    throw error;
  }
  await deps.membership?.onAccountJoined(orgId, accountId, now);
  return account;
}

/**
 * The account leaves the organization at once (coverage and guardrails stop applying). Its users
 * must be moved or deactivated first, and the management account never leaves.
 */
export async function removeAccount(deps: OrgDeps, orgId: string, accountId: string, actor: Actor): Promise<void> {
  const account = await getAccount(deps, orgId, accountId);
  if (account.isManagement) {
    throw new ConflictError('The management account cannot leave its organization.', 'management_account');
  }
  const [users, guardrails] = await Promise.all([
    queryAll(deps.store, orgPartition(orgId), { skPrefix: skPrefixes.user }),
    queryAll(deps.store, orgPartition(orgId), { skPrefix: `${skPrefixes.guardrail}${accountId}#` }),
  ]);
  if (users.some((user) => user.accountId === accountId && user.status !== 'deactivated')) {
    throw new ConflictError('Deactivate or move the users of this account first.', 'account_has_users');
  }
  const now = deps.clock.now().toISOString();
  await commitStructure(
    deps,
    [
      { kind: 'delete', key: directoryKeys.account(orgId, accountId), condition: { kind: 'exists' } },
      ...guardrails.map((item): WriteOp => ({ kind: 'delete', key: { pk: item.pk, sk: item.sk } })),
    ],
    {
      orgId,
      actor,
      action: 'org:AccountLeft',
      subject: accountArn(orgId, accountId),
      accountId,
      details: { name: account.name, parentId: account.parentId, at: now },
    },
  );
  await deps.membership?.onAccountLeft(orgId, accountId, now, account.joinedAt);
}

export async function moveAccount(
  deps: OrgDeps,
  orgId: string,
  accountId: string,
  destinationParentId: string,
  actor: Actor,
): Promise<MemberAccount> {
  const [organization, account] = await Promise.all([getOrganization(deps, orgId), getAccount(deps, orgId, accountId)]);
  const moved: MemberAccount = { ...account, parentId: destinationParentId };
  await commitStructure(
    deps,
    [
      parentCheck(organization, destinationParentId),
      {
        kind: 'put',
        item: { ...directoryKeys.account(orgId, accountId), type: 'Account', ...moved },
        // Optimistic: a concurrent move makes this one fail rather than silently win.
        condition: { kind: 'equals', attribute: 'parentId', value: account.parentId },
      },
    ],
    {
      orgId,
      actor,
      action: 'org:AccountMoved',
      subject: accountArn(orgId, accountId),
      accountId,
      details: { from: account.parentId, to: destinationParentId, at: deps.clock.now().toISOString() },
    },
  ).catch((error: unknown) => {
    if (failedOperation(error) === 0) throw new NotFoundError('No such destination unit.');
    throw error;
  });
  return moved;
}
