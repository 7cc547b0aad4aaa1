import { unitArn } from '../access/resources.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { queryAll } from '../ports/query-all.js';
import type { WriteOp } from '../ports/store.js';
import { type Actor, type DirectoryDeps, newPrefixedId } from './directory-deps.js';
import { directoryKeys, orgPartition, skPrefixes } from './directory-keys.js';
import { getAccount, listAccounts } from './member-accounts.js';
import {
  checkName,
  type Organization,
  type OrganizationalUnit,
  type OrganizationTreeNode,
  pathFromUnits,
  toOrganization,
  toUnit,
} from './organization-records.js';
import { commitStructure, failedOperation, guardrailOp, parentCheck } from './structure-commit.js';

type OrgDeps = DirectoryDeps;

export async function getOrganization(deps: OrgDeps, orgId: string): Promise<Organization> {
  const item = await deps.store.get(directoryKeys.org(orgId));
  if (!item) throw new NotFoundError('No such organization.');
  return toOrganization(item);
}

export async function listUnits(deps: OrgDeps, orgId: string): Promise<OrganizationalUnit[]> {
  const items = await queryAll(deps.store, orgPartition(orgId), { skPrefix: skPrefixes.unit });
  return items.map(toUnit);
}

export async function tree(
  deps: OrgDeps,
  orgId: string,
): Promise<{ organization: Organization; root: OrganizationTreeNode }> {
  const [organization, units, accounts] = await Promise.all([
    getOrganization(deps, orgId),
    listUnits(deps, orgId),
    listAccounts(deps, orgId),
  ]);
  const build = (id: string, kind: 'root' | 'unit', name: string): OrganizationTreeNode => ({
    id,
    kind,
    name,
    units: units
      .filter((unit) => unit.parentId === id)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((unit) => build(unit.unitId, 'unit', unit.name)),
    accounts: accounts.filter((account) => account.parentId === id).sort((a, b) => a.name.localeCompare(b.name)),
  });
  return { organization, root: build(organization.rootId, 'root', 'Root') };
}

/** The node ids from the root down to the account itself: where guardrails apply. */
export async function pathTo(deps: OrgDeps, orgId: string, accountId: string): Promise<string[]> {
  const [organization, units, account] = await Promise.all([
    getOrganization(deps, orgId),
    listUnits(deps, orgId),
    getAccount(deps, orgId, accountId),
  ]);
  return pathFromUnits(organization.rootId, units, account);
}

export async function createUnit(
  deps: OrgDeps,
  orgId: string,
  input: { name: string; parentId: string; unitId?: string },
  actor: Actor,
): Promise<OrganizationalUnit> {
  const organization = await getOrganization(deps, orgId);
  const now = deps.clock.now().toISOString();
  const unit: OrganizationalUnit = {
    unitId: input.unitId ?? newPrefixedId(deps.ids, 'ou'),
    name: checkName(input.name),
    parentId: input.parentId,
    createdAt: now,
  };
  await commitStructure(
    deps,
    [
      parentCheck(organization, input.parentId),
      {
        kind: 'put',
        item: { ...directoryKeys.unit(orgId, unit.unitId), type: 'OrganizationalUnit', ...unit },
        condition: { kind: 'notExists' },
      },
      guardrailOp(orgId, unit.unitId, now),
    ],
    {
      orgId,
      actor,
      action: 'org:UnitCreated',
      subject: unitArn(orgId, unit.unitId),
      details: { name: unit.name, parentId: unit.parentId, at: now },
    },
  ).catch((error: unknown) => {
    if (failedOperation(error) === 0) throw new NotFoundError('No such parent unit.');
    throw error;
  });
  return unit;
}

/** Only an empty unit can go, as in AWS Organizations. */
export async function deleteUnit(deps: OrgDeps, orgId: string, unitId: string, actor: Actor): Promise<void> {
  const [units, accounts] = await Promise.all([listUnits(deps, orgId), listAccounts(deps, orgId)]);
  const unit = units.find((u) => u.unitId === unitId);
  if (!unit) throw new NotFoundError('No such organizational unit.');
  if (units.some((u) => u.parentId === unitId) || accounts.some((a) => a.parentId === unitId)) {
    throw new ConflictError('Move or remove the units and accounts in this unit first.', 'unit_not_empty');
  }
  const guardrails = await queryAll(deps.store, orgPartition(orgId), {
    skPrefix: `${skPrefixes.guardrail}${unitId}#`,
  });
  await commitStructure(
    deps,
    [
      { kind: 'delete', key: directoryKeys.unit(orgId, unitId), condition: { kind: 'exists' } },
      ...guardrails.map((item): WriteOp => ({ kind: 'delete', key: { pk: item.pk, sk: item.sk } })),
    ],
    {
      orgId,
      actor,
      action: 'org:UnitDeleted',
      subject: unitArn(orgId, unitId),
      details: { name: unit.name, at: deps.clock.now().toISOString() },
    },
  );
}
