import { randomInt } from 'node:crypto';
import { accountArn, organizationArn, unitArn } from '../access/resources.js';
import { ConditionFailedError, ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { LedgerAppendInput } from '../ledger/ledger-writer.js';
import { queryAll } from '../ports/query-all.js';
import type { Item, WriteOp } from '../ports/store.js';
import { type Actor, type DirectoryDeps, newPrefixedId, str } from './directory-deps.js';
import { directoryKeys, orgPartition, skPrefixes } from './directory-keys.js';
import { organizationErrors } from './organization-errors.js';

export interface Organization {
  orgId: string;
  name: string;
  rootId: string;
  managementAccountId: string;
  createdAt: string;
}

export interface OrganizationalUnit {
  unitId: string;
  name: string;
  parentId: string;
  createdAt: string;
}

export interface MemberAccount {
  accountId: string;
  name: string;
  parentId: string;
  isManagement: boolean;
  joinedAt: string;
}

export interface OrganizationTreeNode {
  id: string;
  kind: 'root' | 'unit';
  name: string;
  units: OrganizationTreeNode[];
  accounts: MemberAccount[];
}

/**
 * Features that react to accounts joining and leaving (agreement coverage), told after the change
 * is committed and in the ledger. Their handlers must be idempotent: a retry may call them again.
 */
export interface MembershipListener {
  onAccountJoined(orgId: string, accountId: string, at: string): Promise<unknown>;
  onAccountLeft(orgId: string, accountId: string, at: string, joinedAt?: string): Promise<unknown>;
}

/** The guardrail every new root, OU and account gets, as AWS attaches FullAWSAccess to each. */
export const defaultGuardrail = 'FullAccessGuardrail';

const accountIdPattern = /^\d{12}$/;

/** The most writes a ledger entry carries in its transaction (LedgerAppendInput.alsoWrite). */
const maxWritesWithEntry = 96;

function toOrganization(item: Item): Organization {
  return {
    orgId: str(item, 'orgId'),
    name: str(item, 'name'),
    rootId: str(item, 'rootId'),
    managementAccountId: str(item, 'managementAccountId'),
    createdAt: str(item, 'createdAt'),
  };
}

function toUnit(item: Item): OrganizationalUnit {
  return {
    unitId: str(item, 'unitId'),
    name: str(item, 'name'),
    parentId: str(item, 'parentId'),
    createdAt: str(item, 'createdAt'),
  };
}

function toAccount(item: Item): MemberAccount {
  return {
    accountId: str(item, 'accountId'),
    name: str(item, 'name'),
    parentId: str(item, 'parentId'),
    isManagement: item.isManagement === true,
    joinedAt: str(item, 'joinedAt'),
  };
}

export function newAccountId(): string {
  // 12 digits, never starting with 0 so it survives careless numeric parsing.
  return `${randomInt(1, 10)}${String(randomInt(0, 100_000)).padStart(5, '0')}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

function checkName(name: string, path = 'name'): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 128) {
    throw new ValidationError('Invalid name', [{ path, message: 'must be 1 to 128 characters' }]);
  }
  return trimmed;
}

/**
 * The organization tree: one root, nested organizational units, member accounts with exactly one
 * management account. Structural changes are transactions, and each is a ledger entry (account
 * joins and departures are what agreement coverage reacts to).
 */
export class OrganizationService {
  constructor(private readonly deps: DirectoryDeps & { membership?: MembershipListener }) {}

  async get(orgId: string): Promise<Organization> {
    const item = await this.deps.store.get(directoryKeys.org(orgId));
    if (!item) throw new NotFoundError('No such organization.');
    return toOrganization(item);
  }

  /**
   * A new organization with its root and management account. `bootstrap` makes the write also claim
   * the deployment's one bootstrap marker, so a second bootstrap fails atomically.
   */
  async createOrganization(input: {
    name: string;
    managementAccountName?: string;
    managementAccountId?: string;
    orgId?: string;
    actor: Actor;
    bootstrap?: boolean;
    /** Extra items written in the same transaction (the first admin user). */
    extraOps?: WriteOp[];
  }): Promise<Organization> {
    const { clock, ids } = this.deps;
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
      {
        kind: 'put',
        item: { ...directoryKeys.accountId(managementAccountId), orgId },
        condition: { kind: 'notExists' },
      },
      this.guardrailOp(orgId, org.rootId, now),
      this.guardrailOp(orgId, managementAccountId, now),
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
      await this.deps.ledger.append({
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
        throw new ConflictError(
          'The organization, its account id or the deployment bootstrap already exists.',
          'already_exists',
          {
            cause: error,
          },
        );
      }
      throw error;
    }
    return org;
  }

  async listUnits(orgId: string): Promise<OrganizationalUnit[]> {
    const items = await queryAll(this.deps.store, orgPartition(orgId), { skPrefix: skPrefixes.unit });
    return items.map(toUnit);
  }

  async listAccounts(orgId: string): Promise<MemberAccount[]> {
    const items = await queryAll(this.deps.store, orgPartition(orgId), { skPrefix: skPrefixes.account });
    return items.map(toAccount);
  }

  async getAccount(orgId: string, accountId: string): Promise<MemberAccount> {
    if (!accountIdPattern.test(accountId)) throw new NotFoundError('No such account.');
    const item = await this.deps.store.get(directoryKeys.account(orgId, accountId), { consistent: true });
    if (!item) throw new NotFoundError('No such account.');
    return toAccount(item);
  }

  async tree(orgId: string): Promise<{ organization: Organization; root: OrganizationTreeNode }> {
    const [organization, units, accounts] = await Promise.all([
      this.get(orgId),
      this.listUnits(orgId),
      this.listAccounts(orgId),
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
  async pathTo(orgId: string, accountId: string): Promise<string[]> {
    const [organization, units, account] = await Promise.all([
      this.get(orgId),
      this.listUnits(orgId),
      this.getAccount(orgId, accountId),
    ]);
    return pathFromUnits(organization.rootId, units, account);
  }

  async createUnit(
    orgId: string,
    input: { name: string; parentId: string; unitId?: string },
    actor: Actor,
  ): Promise<OrganizationalUnit> {
    const organization = await this.get(orgId);
    const now = this.deps.clock.now().toISOString();
    const unit: OrganizationalUnit = {
      unitId: input.unitId ?? newPrefixedId(this.deps.ids, 'ou'),
      name: checkName(input.name),
      parentId: input.parentId,
      createdAt: now,
    };
    await this.commitStructure(
      [
        this.parentCheck(organization, input.parentId),
        {
          kind: 'put',
          item: { ...directoryKeys.unit(orgId, unit.unitId), type: 'OrganizationalUnit', ...unit },
          condition: { kind: 'notExists' },
        },
        this.guardrailOp(orgId, unit.unitId, now),
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
  async deleteUnit(orgId: string, unitId: string, actor: Actor): Promise<void> {
    const [units, accounts] = await Promise.all([this.listUnits(orgId), this.listAccounts(orgId)]);
    const unit = units.find((u) => u.unitId === unitId);
    if (!unit) throw new NotFoundError('No such organizational unit.');
    if (units.some((u) => u.parentId === unitId) || accounts.some((a) => a.parentId === unitId)) {
      throw new ConflictError('Move or remove the units and accounts in this unit first.', 'unit_not_empty');
    }
    const guardrails = await queryAll(this.deps.store, orgPartition(orgId), {
      skPrefix: `${skPrefixes.guardrail}${unitId}#`,
    });
    await this.commitStructure(
      [
        { kind: 'delete', key: directoryKeys.unit(orgId, unitId), condition: { kind: 'exists' } },
        ...guardrails.map((item): WriteOp => ({ kind: 'delete', key: { pk: item.pk, sk: item.sk } })),
      ],
      {
        orgId,
        actor,
        action: 'org:UnitDeleted',
        subject: unitArn(orgId, unitId),
        details: { name: unit.name, at: this.deps.clock.now().toISOString() },
      },
    );
  }

  async addAccount(
    orgId: string,
    input: { name: string; parentId?: string; accountId?: string },
    actor: Actor,
  ): Promise<MemberAccount> {
    const organization = await this.get(orgId);
    const accountId = input.accountId ?? newAccountId();
    if (!accountIdPattern.test(accountId)) {
      throw new ValidationError('Invalid account id', [{ path: 'accountId', message: 'must be 12 digits' }]);
    }
    const now = this.deps.clock.now().toISOString();
    const account: MemberAccount = {
      accountId,
      name: checkName(input.name),
      parentId: input.parentId ?? organization.rootId,
      isManagement: false,
      joinedAt: now,
    };
    try {
      await this.commitStructure(
        [
          this.parentCheck(organization, account.parentId),
          {
            kind: 'put',
            item: { ...directoryKeys.account(orgId, accountId), type: 'Account', ...account },
            condition: { kind: 'notExists' },
          },
          { kind: 'put', item: { ...directoryKeys.accountId(accountId), orgId }, condition: { kind: 'notExists' } },
          this.guardrailOp(orgId, accountId, now),
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
      if (failedOperation(error) !== undefined) {
        throw organizationErrors.error('account_exists', 'That account id is taken.');
      }
      throw error;
    }
    await this.deps.membership?.onAccountJoined(orgId, accountId, now);
    return account;
  }

  /**
   * The account leaves the organization at once (coverage and guardrails stop applying). Its users
   * must be moved or deactivated first, and the management account never leaves.
   */
  async removeAccount(orgId: string, accountId: string, actor: Actor): Promise<void> {
    const account = await this.getAccount(orgId, accountId);
    if (account.isManagement) {
      throw new ConflictError('The management account cannot leave its organization.', 'management_account');
    }
    const [users, guardrails] = await Promise.all([
      queryAll(this.deps.store, orgPartition(orgId), { skPrefix: skPrefixes.user }),
      queryAll(this.deps.store, orgPartition(orgId), { skPrefix: `${skPrefixes.guardrail}${accountId}#` }),
    ]);
    if (users.some((user) => user.accountId === accountId && user.status !== 'deactivated')) {
      throw new ConflictError('Deactivate or move the users of this account first.', 'account_has_users');
    }
    const now = this.deps.clock.now().toISOString();
    await this.commitStructure(
      [
        { kind: 'delete', key: directoryKeys.account(orgId, accountId), condition: { kind: 'exists' } },
        {
          kind: 'delete',
          key: directoryKeys.accountId(accountId),
          condition: { kind: 'equals', attribute: 'orgId', value: orgId },
        },
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
    await this.deps.membership?.onAccountLeft(orgId, accountId, now, account.joinedAt);
  }

  async moveAccount(
    orgId: string,
    accountId: string,
    destinationParentId: string,
    actor: Actor,
  ): Promise<MemberAccount> {
    const [organization, account] = await Promise.all([this.get(orgId), this.getAccount(orgId, accountId)]);
    const moved: MemberAccount = { ...account, parentId: destinationParentId };
    await this.commitStructure(
      [
        this.parentCheck(organization, destinationParentId),
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
        details: { from: account.parentId, to: destinationParentId, at: this.deps.clock.now().toISOString() },
      },
    ).catch((error: unknown) => {
      if (failedOperation(error) === 0) throw new NotFoundError('No such destination unit.');
      throw error;
    });
    return moved;
  }

  private parentCheck(organization: Organization, parentId: string): WriteOp {
    const key =
      parentId === organization.rootId
        ? directoryKeys.org(organization.orgId)
        : /^ou-[a-z0-9]+$/.test(parentId)
          ? directoryKeys.unit(organization.orgId, parentId)
          : undefined;
    if (!key) throw new NotFoundError('No such parent unit.');
    return { kind: 'check', key, condition: { kind: 'exists' } };
  }

  private guardrailOp(orgId: string, targetId: string, now: string): WriteOp {
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
  private async commitStructure(ops: WriteOp[], entry: LedgerAppendInput): Promise<void> {
    try {
      if (ops.length <= maxWritesWithEntry) {
        await this.deps.ledger.append({ ...entry, alsoWrite: ops });
        return;
      }
      // A node's guardrail list is unbounded and an entry carries at most 96 writes: past that, the
      // change stays one transaction of its own (DynamoDB allows 100) and is recorded right after.
      await this.deps.store.transact(ops);
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
    await this.deps.ledger.append(entry);
  }
}

/** The index of the operation whose condition failed in a structural change (see commitStructure). */
function failedOperation(error: unknown): number | undefined {
  if (!(error instanceof ConflictError) || error.code !== 'organization_changed') return undefined;
  return error.cause instanceof ConditionFailedError ? error.cause.failedOperations[0] : undefined;
}

/** Root, then each unit down to the account's parent, then the account: guardrail levels in order. */
export function pathFromUnits(rootId: string, units: readonly OrganizationalUnit[], account: MemberAccount): string[] {
  const byId = new Map(units.map((unit) => [unit.unitId, unit]));
  const chain: string[] = [];
  let current = account.parentId;
  const seen = new Set<string>();
  while (current !== rootId) {
    const unit = byId.get(current);
    if (!unit || seen.has(current)) break;
    seen.add(current);
    chain.unshift(current);
    current = unit.parentId;
  }
  return [rootId, ...chain, account.accountId];
}
