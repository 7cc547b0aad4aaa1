import type { Principal } from '../access/principal.js';
import { userArn } from '../access/resources.js';
import { ConflictError } from '../errors.js';
import type { LedgerAppendInput } from '../ledger/ledger-writer.js';
import { type Actor, type DirectoryDeps, str } from '../organization/directory-deps.js';
import type { Item, WriteOp } from '../ports/store.js';
import type { AccountMailDeps } from './account-mail.js';
import type { AttemptBudgets } from './attempt-budget.js';
import { createUser, newUserOps } from './create-user.js';
import { addMember, createGroup, getGroup, groupIdsOf, groupsOf, listGroups, removeMember } from './groups.js';
import { changeOwnPassword, changePassword, redeemOneTimeToken } from './password-change.js';
import { deliverAccountMail, requestPasswordReset } from './password-reset.js';
import { createRole, getRole, listRoles } from './roles.js';
import { sessionItemsOf, sweepSessions } from './session-records.js';
import { findByEmail, getUser, listUserItems, listUsers, resolveUser } from './user-lookup.js';
import {
  getUserItem,
  type NewUserInput,
  recordUserAct,
  saveUser,
  saveUserOp,
  toUser,
  type User,
} from './user-records.js';

export type { Group, NewUserInput, Role, User, UserStatus } from './user-records.js';
export { normalizeEmail, passwordHashOf, toRole, toUser } from './user-records.js';

export interface UserDirectoryDeps extends DirectoryDeps {
  budgets: AttemptBudgets;
  /** Absent (seeding, tests of other things): invitations and resets are issued but not mailed. */
  mail?: AccountMailDeps;
}

/**
 * Users, groups and roles of an organization: one use case per file (create-user, password-change,
 * password-reset, groups, roles, user-lookup); this facade binds them to their dependencies.
 * Emails are unique within an organization (a claim item in the same transaction as the user).
 */
export class UserDirectory {
  constructor(private readonly deps: UserDirectoryDeps) {}

  newUserOps(orgId: string, input: NewUserInput) {
    return newUserOps(this.deps, orgId, input);
  }
  createUser(orgId: string, input: NewUserInput, actor: Actor, options: { invitedBy?: string } = {}) {
    return createUser(this.deps, orgId, input, actor, options);
  }
  getItem(orgId: string, userId: string): Promise<Item> {
    return getUserItem(this.deps, orgId, userId);
  }
  get(orgId: string, userId: string): Promise<User> {
    return getUser(this.deps, orgId, userId);
  }
  /** The user with this email in this organization (sign-in names the organization). */
  findByEmail(orgId: string, email: string): Promise<Item | undefined> {
    return findByEmail(this.deps, orgId, email);
  }
  resolve(orgId: string, emailOrId: string): Promise<User> {
    return resolveUser(this.deps, orgId, emailOrId);
  }
  list(orgId: string): Promise<User[]> {
    return listUsers(this.deps, orgId);
  }
  listItems(orgId: string): Promise<Item[]> {
    return listUserItems(this.deps, orgId);
  }
  save(item: Item): Promise<void> {
    return saveUser(this.deps, item);
  }
  saveOp(item: Item): Extract<WriteOp, { kind: 'put' }> {
    return saveUserOp(item);
  }
  record(entry: LedgerAppendInput, ops: readonly WriteOp[]): Promise<void> {
    return recordUserAct(this.deps, entry, ops);
  }

  /** Deactivation ends the user's sessions at once (authentication reads the status); their items are swept. */
  async deactivate(orgId: string, userId: string, actor: Actor): Promise<User> {
    const item = await getUserItem(this.deps, orgId, userId);
    if (actor.type !== 'system' && actor.id === userId) {
      throw new ConflictError('You cannot deactivate yourself.', 'self_deactivation');
    }
    const now = this.deps.clock.now().toISOString();
    await recordUserAct(
      this.deps,
      {
        orgId,
        actor,
        action: 'identity:UserDeactivated',
        subject: userArn(orgId, userId),
        accountId: str(item, 'accountId'),
        details: { email: str(item, 'email'), at: now },
      },
      [saveUserOp({ ...item, status: 'deactivated', deactivatedAt: now })],
    );
    await sweepSessions(this.deps.store, await sessionItemsOf(this.deps.store, orgId, userId));
    return { ...toUser(item), status: 'deactivated' };
  }

  /** Sets a password that obeys the rules (seeding, administrators' tools); every session of the user ends. */
  async setPassword(orgId: string, userId: string, password: string, actor: Actor): Promise<void> {
    await changePassword(this.deps, await getUserItem(this.deps, orgId, userId), password, actor);
  }

  /** The signed-in user changes their own password; the session that does it stays, the others end. */
  changeOwnPassword(principal: Principal, token: string, input: { currentPassword: string; newPassword: string }) {
    return changeOwnPassword(this.deps, principal, token, input);
  }

  /**
   * Enables TOTP with a secret chosen by the caller. Only seeding uses it (the fixed demo secret);
   * people enrol through the MFA enrolment use case, which proves possession of the secret first.
   */
  async enableMfaWithSecret(orgId: string, userId: string, secret: string, actor: Actor): Promise<void> {
    const item = await getUserItem(this.deps, orgId, userId);
    await recordUserAct(
      this.deps,
      {
        orgId,
        actor,
        action: 'identity:MfaEnabled',
        subject: userArn(orgId, userId),
        accountId: str(item, 'accountId'),
        details: { seeded: true },
      },
      [saveUserOp({ ...item, mfaSecret: secret, mfaEnabledAt: this.deps.clock.now().toISOString() })],
    );
  }

  /** Queues a reset request; always the same work and answer, known email or not (password-reset.ts). */
  requestPasswordReset(input: { organization: string; email: string; clientIp: string }): Promise<void> {
    return requestPasswordReset(this.deps, input);
  }
  /** The account-mail job: issues and mails the queued reset links. */
  deliverAccountMail() {
    return deliverAccountMail(this.deps);
  }
  async redeemOneTimeToken(token: string, newPassword: string): Promise<User> {
    return toUser(await redeemOneTimeToken(this.deps, token, newPassword));
  }

  createGroup(orgId: string, name: string, actor: Actor, groupId?: string) {
    return createGroup(this.deps, orgId, name, actor, groupId);
  }
  getGroup(orgId: string, groupId: string) {
    return getGroup(this.deps, orgId, groupId);
  }
  listGroups(orgId: string) {
    return listGroups(this.deps, orgId);
  }
  groupIdsOf(orgId: string, userId: string) {
    return groupIdsOf(this.deps, orgId, userId);
  }
  groupsOf(orgId: string, userId: string) {
    return groupsOf(this.deps, orgId, userId);
  }
  addMember(orgId: string, groupId: string, userId: string, actor: Actor) {
    return addMember(this.deps, orgId, groupId, userId, actor);
  }
  removeMember(orgId: string, groupId: string, userId: string, actor: Actor) {
    return removeMember(this.deps, orgId, groupId, userId, actor);
  }
  createRole(orgId: string, input: Parameters<typeof createRole>[2], actor: Actor) {
    return createRole(this.deps, orgId, input, actor);
  }
  getRole(orgId: string, roleId: string) {
    return getRole(this.deps, orgId, roleId);
  }
  listRoles(orgId: string) {
    return listRoles(this.deps, orgId);
  }
}
