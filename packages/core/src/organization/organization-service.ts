import { type CreateOrganizationInput, createOrganization } from './create-organization.js';
import type { Actor, DirectoryDeps } from './directory-deps.js';
import { addAccount, getAccount, listAccounts, moveAccount, removeAccount } from './member-accounts.js';
import { createUnit, deleteUnit, getOrganization, listUnits, pathTo, tree } from './org-units.js';
import type {
  MemberAccount,
  MembershipListener,
  Organization,
  OrganizationalUnit,
  OrganizationTreeNode,
} from './organization-records.js';

export {
  defaultGuardrail,
  type MemberAccount,
  type MembershipListener,
  newAccountId,
  type Organization,
  type OrganizationalUnit,
  type OrganizationTreeNode,
  pathFromUnits,
} from './organization-records.js';

/**
 * The organization tree: one root, nested organizational units, member accounts with exactly one
 * management account. Structural changes are transactions, and each is a ledger entry (account
 * joins and departures are what agreement coverage reacts to). One use case per file
 * (create-organization, org-units, member-accounts); this facade binds them to their dependencies.
 */
export class OrganizationService {
  constructor(private readonly deps: DirectoryDeps & { membership?: MembershipListener }) {}

  get(orgId: string): Promise<Organization> {
    return getOrganization(this.deps, orgId);
  }
  createOrganization(input: CreateOrganizationInput): Promise<Organization> {
    return createOrganization(this.deps, input);
  }
  listUnits(orgId: string): Promise<OrganizationalUnit[]> {
    return listUnits(this.deps, orgId);
  }
  listAccounts(orgId: string): Promise<MemberAccount[]> {
    return listAccounts(this.deps, orgId);
  }
  getAccount(orgId: string, accountId: string): Promise<MemberAccount> {
    return getAccount(this.deps, orgId, accountId);
  }
  tree(orgId: string): Promise<{ organization: Organization; root: OrganizationTreeNode }> {
    return tree(this.deps, orgId);
  }
  /** The node ids from the root down to the account itself: where guardrails apply. */
  pathTo(orgId: string, accountId: string): Promise<string[]> {
    return pathTo(this.deps, orgId, accountId);
  }
  createUnit(orgId: string, input: { name: string; parentId: string; unitId?: string }, actor: Actor) {
    return createUnit(this.deps, orgId, input, actor);
  }
  deleteUnit(orgId: string, unitId: string, actor: Actor): Promise<void> {
    return deleteUnit(this.deps, orgId, unitId, actor);
  }
  addAccount(orgId: string, input: { name: string; parentId?: string; accountId?: string }, actor: Actor) {
    return addAccount(this.deps, orgId, input, actor);
  }
  removeAccount(orgId: string, accountId: string, actor: Actor): Promise<void> {
    return removeAccount(this.deps, orgId, accountId, actor);
  }
  moveAccount(orgId: string, accountId: string, destinationParentId: string, actor: Actor): Promise<MemberAccount> {
    return moveAccount(this.deps, orgId, accountId, destinationParentId, actor);
  }
}
