import { randomInt } from 'node:crypto';
import { ValidationError } from '../errors.js';
import type { Item } from '../ports/store.js';
import { str } from './directory-deps.js';

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

export const accountIdPattern = /^\d{12}$/;

/** The most writes a ledger entry carries in its transaction (LedgerAppendInput.alsoWrite). */
export const maxWritesWithEntry = 96;

export function toOrganization(item: Item): Organization {
  return {
    orgId: str(item, 'orgId'),
    name: str(item, 'name'),
    rootId: str(item, 'rootId'),
    managementAccountId: str(item, 'managementAccountId'),
    createdAt: str(item, 'createdAt'),
  };
}

export function toUnit(item: Item): OrganizationalUnit {
  return {
    unitId: str(item, 'unitId'),
    name: str(item, 'name'),
    parentId: str(item, 'parentId'),
    createdAt: str(item, 'createdAt'),
  };
}

export function toAccount(item: Item): MemberAccount {
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

export function checkName(name: string, path = 'name'): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 128) {
    throw new ValidationError('Invalid name', [{ path, message: 'must be 1 to 128 characters' }]);
  }
  return trimmed;
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
