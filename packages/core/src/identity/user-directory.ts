import { randomBytes } from 'node:crypto';
import { userActor } from '../access/actor.js';
import { groupArn, roleArn, userArn } from '../access/resources.js';
import { ConditionFailedError, ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { LedgerAppendInput } from '../ledger/ledger-writer.js';
import { type Actor, type DirectoryDeps, newPrefixedId, optionalStr, str } from '../organization/directory-deps.js';
import { directoryKeys, orgPartition, skPrefixes } from '../organization/directory-keys.js';
import { queryAll } from '../ports/query-all.js';
import type { Item, ItemValue, WriteOp } from '../ports/store.js';
import { sha256Hex } from '../sha256.js';
import { type AccountMailDeps, accountMail } from './account-mail.js';
import { hashPassword, type PasswordHash } from './password-hashing.js';
import { checkPassword } from './password-rules.js';

export type UserStatus = 'invited' | 'active' | 'deactivated';

export interface User {
  orgId: string;
  userId: string;
  email: string;
  displayName: string;
  accountId: string;
  status: UserStatus;
  createdAt: string;
  passwordChangedAt?: string;
  /** The next sign-in must set a new password (bootstrap one-time password, admin-set passwords). */
  mustChangePassword: boolean;
  /** MFA enrolment is required before the user can do anything else (bootstrap admin). */
  mfaRequired: boolean;
  mfaEnabled: boolean;
  lastSignInAt?: string;
  tags: Record<string, string>;
}

export interface Group {
  groupId: string;
  name: string;
  createdAt: string;
}

export interface Role {
  roleId: string;
  name: string;
  description: string;
  /** Who may assume the role: named users and members of named groups. */
  trust: { users: string[]; groups: string[] };
  /** Assumed-role sessions last at most this long. */
  maxSessionSeconds: number;
  createdAt: string;
}

const emailPattern = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** One-time links (invitation, password reset) live this long. */
export const invitationTtlSeconds = 7 * 24 * 3600;
export const resetTtlSeconds = 3600;

export function toUser(item: Item): User {
  const passwordChangedAt = optionalStr(item, 'passwordChangedAt');
  const lastSignInAt = optionalStr(item, 'lastSignInAt');
  return {
    orgId: str(item, 'orgId'),
    userId: str(item, 'userId'),
    email: str(item, 'email'),
    displayName: str(item, 'displayName'),
    accountId: str(item, 'accountId'),
    status: (str(item, 'status') || 'active') as UserStatus,
    createdAt: str(item, 'createdAt'),
    ...(passwordChangedAt ? { passwordChangedAt } : {}),
    mustChangePassword: item.mustChangePassword === true,
    mfaRequired: item.mfaRequired === true,
    mfaEnabled: typeof item.mfaSecret === 'string',
    ...(lastSignInAt ? { lastSignInAt } : {}),
    tags: (item.tags && typeof item.tags === 'object' && !Array.isArray(item.tags) ? item.tags : {}) as Record<
      string,
      string
    >,
  };
}

function toGroup(item: Item): Group {
  return { groupId: str(item, 'groupId'), name: str(item, 'name'), createdAt: str(item, 'createdAt') };
}

export function toRole(item: Item): Role {
  const trust = (item.trust ?? {}) as { users?: string[]; groups?: string[] };
  return {
    roleId: str(item, 'roleId'),
    name: str(item, 'name'),
    description: str(item, 'description'),
    trust: { users: trust.users ?? [], groups: trust.groups ?? [] },
    maxSessionSeconds: typeof item.maxSessionSeconds === 'number' ? item.maxSessionSeconds : 3600,
    createdAt: str(item, 'createdAt'),
  };
}

export function passwordHashOf(item: Item): PasswordHash | undefined {
  const value = item.password;
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as unknown as PasswordHash) : undefined;
}

export interface NewUserInput {
  email: string;
  displayName: string;
  accountId: string;
  /** Absent: the user is invited and sets a first password through the invitation link. */
  password?: string;
  mustChangePassword?: boolean;
  mfaRequired?: boolean;
  tags?: Record<string, string>;
  userId?: string;
}

/**
 * Users, groups and roles of an organization. Email addresses are unique across the deployment (a
 * uniqueness item claimed in the same transaction as the user).
 */
export class UserDirectory {
  /** `mail` absent (seeding, tests of other things): invitations and resets are issued but not mailed. */
  constructor(private readonly deps: DirectoryDeps & { mail?: AccountMailDeps }) {}

  /** The ops that create a user (callers may add them to a larger transaction, e.g. bootstrap). */
  async newUserOps(
    orgId: string,
    input: NewUserInput,
  ): Promise<{ user: User; ops: WriteOp[]; invitationToken?: string }> {
    const email = normalizeEmail(input.email);
    const errors = [];
    if (!emailPattern.test(email)) errors.push({ path: 'email', message: 'must be an email address' });
    const displayName = input.displayName.trim();
    if (displayName.length === 0 || displayName.length > 128) {
      errors.push({ path: 'displayName', message: 'must be 1 to 128 characters' });
    }
    if (input.password !== undefined) errors.push(...checkPassword(input.password, { email }));
    if (errors.length > 0) throw new ValidationError('The user is invalid.', errors);
    const now = this.deps.clock.now();
    const userId = input.userId ?? newPrefixedId(this.deps.ids, 'u');
    const item: Item = {
      ...directoryKeys.user(orgId, userId),
      type: 'User',
      orgId,
      userId,
      email,
      displayName,
      accountId: input.accountId,
      status: input.password === undefined ? 'invited' : 'active',
      createdAt: now.toISOString(),
      mustChangePassword: input.mustChangePassword ?? false,
      mfaRequired: input.mfaRequired ?? false,
      tags: input.tags ?? {},
      version: 1,
    };
    if (input.password !== undefined) {
      item.password = (await hashPassword(input.password)) as unknown as ItemValue;
      item.passwordChangedAt = now.toISOString();
    }
    const ops: WriteOp[] = [
      { kind: 'put', item, condition: { kind: 'notExists' } },
      { kind: 'put', item: { ...directoryKeys.email(email), orgId, userId }, condition: { kind: 'notExists' } },
    ];
    let invitationToken: string | undefined;
    if (input.password === undefined) {
      invitationToken = randomBytes(32).toString('base64url');
      ops.push({
        kind: 'put',
        item: {
          pk: `ONETIME#${sha256Hex(invitationToken)}`,
          sk: 'ONETIME',
          purpose: 'invitation',
          orgId,
          userId,
          expiresAt: new Date(now.getTime() + invitationTtlSeconds * 1000).toISOString(),
          ttl: Math.floor(now.getTime() / 1000) + invitationTtlSeconds,
        },
      });
    }
    return { user: toUser(item), ops, ...(invitationToken ? { invitationToken } : {}) };
  }

  /** Creates a user; an invited one (no password) is mailed the invitation link, naming `invitedBy`. */
  async createUser(
    orgId: string,
    input: NewUserInput,
    actor: Actor,
    options: { invitedBy?: string } = {},
  ): Promise<{ user: User; invitationToken?: string }> {
    const account = await this.deps.store.get(directoryKeys.account(orgId, input.accountId));
    if (!account)
      throw new ValidationError('The user is invalid.', [
        { path: 'accountId', message: 'no such account in this organization' },
      ]);
    const { user, ops, invitationToken } = await this.newUserOps(orgId, input);
    try {
      await this.deps.ledger.append({
        orgId,
        actor,
        action: invitationToken ? 'identity:UserInvited' : 'identity:UserCreated',
        subject: userArn(orgId, user.userId),
        accountId: user.accountId,
        details: { email: user.email, at: user.createdAt },
        alsoWrite: ops,
      });
    } catch (error) {
      if (error instanceof ConditionFailedError) {
        throw new ConflictError('A user with this email already exists.', 'email_taken', { cause: error });
      }
      throw error;
    }
    if (invitationToken && this.deps.mail) {
      const { mailer, siteOrigin } = this.deps.mail;
      await mailer.send(
        accountMail.invitation({
          to: user.email,
          invitedBy: options.invitedBy ?? 'An administrator',
          token: invitationToken,
          siteOrigin,
        }),
      );
    }
    return { user, ...(invitationToken ? { invitationToken } : {}) };
  }

  async getItem(orgId: string, userId: string): Promise<Item> {
    if (!/^u-[a-z0-9]+$/.test(userId)) throw new NotFoundError('No such user.');
    const item = await this.deps.store.get(directoryKeys.user(orgId, userId), { consistent: true });
    if (!item) throw new NotFoundError('No such user.');
    return item;
  }

  async get(orgId: string, userId: string): Promise<User> {
    return toUser(await this.getItem(orgId, userId));
  }

  /** Deployment-wide lookup (sign-in knows only the email). */
  async findByEmail(email: string): Promise<Item | undefined> {
    const claim = await this.deps.store.get(directoryKeys.email(normalizeEmail(email)), { consistent: true });
    if (!claim) return undefined;
    return this.deps.store.get(directoryKeys.user(str(claim, 'orgId'), str(claim, 'userId')), { consistent: true });
  }

  /** Email or user id, within one organization only. */
  async resolve(orgId: string, emailOrId: string): Promise<User> {
    if (emailOrId.includes('@')) {
      const item = await this.findByEmail(emailOrId);
      if (!item || item.orgId !== orgId) throw new NotFoundError('No such user.');
      return toUser(item);
    }
    return this.get(orgId, emailOrId);
  }

  async list(orgId: string): Promise<User[]> {
    const items = await queryAll(this.deps.store, orgPartition(orgId), { skPrefix: skPrefixes.user });
    return items.map(toUser);
  }

  async listItems(orgId: string): Promise<Item[]> {
    return queryAll(this.deps.store, orgPartition(orgId), { skPrefix: skPrefixes.user });
  }

  /** Optimistic write of a changed user item: a concurrent change makes this one fail (409). */
  async save(item: Item): Promise<void> {
    const op = this.saveOp(item);
    try {
      await this.deps.store.put(op.item, op.condition);
    } catch (error) {
      throw concurrentChange(error);
    }
  }

  /** The optimistic write of a changed user item, as an operation for a transaction. */
  saveOp(item: Item): Extract<WriteOp, { kind: 'put' }> {
    const version = typeof item.version === 'number' ? item.version : 0;
    return {
      kind: 'put',
      item: { ...item, version: version + 1 },
      condition: { kind: 'notExistsOrEquals', attribute: 'version', value: version },
    };
  }

  /** Records an act on a user with its writes in one transaction; a failed condition is a 409. */
  async record(entry: LedgerAppendInput, ops: readonly WriteOp[]): Promise<void> {
    try {
      await this.deps.ledger.append({ ...entry, alsoWrite: ops });
    } catch (error) {
      throw concurrentChange(error);
    }
  }

  async deactivate(orgId: string, userId: string, actor: Actor): Promise<User> {
    const item = await this.getItem(orgId, userId);
    if (actor.type !== 'system' && actor.id === userId) {
      throw new ConflictError('You cannot deactivate yourself.', 'self_deactivation');
    }
    const now = this.deps.clock.now().toISOString();
    await this.record(
      {
        orgId,
        actor,
        action: 'identity:UserDeactivated',
        subject: userArn(orgId, userId),
        accountId: str(item, 'accountId'),
        details: { email: str(item, 'email'), at: now },
      },
      [this.saveOp({ ...item, status: 'deactivated', deactivatedAt: now })],
    );
    return { ...toUser(item), status: 'deactivated' };
  }

  /** Sets a password that obeys the rules; clears the must-change flag. */
  async setPassword(orgId: string, userId: string, password: string, actor: Actor): Promise<void> {
    await this.changePassword(await this.getItem(orgId, userId), password, actor, []);
  }

  /** The password change and its entry, with `also` (written first) in the same transaction. */
  private async changePassword(item: Item, password: string, actor: Actor, also: WriteOp[]): Promise<void> {
    const errors = checkPassword(password, { email: str(item, 'email'), path: 'newPassword' });
    if (errors.length > 0) throw new ValidationError('The new password breaks the password rules.', errors);
    const now = this.deps.clock.now().toISOString();
    const orgId = str(item, 'orgId');
    await this.record(
      {
        orgId,
        actor,
        action: 'identity:PasswordChanged',
        subject: userArn(orgId, str(item, 'userId')),
        accountId: str(item, 'accountId'),
        details: { at: now },
      },
      [
        ...also,
        this.saveOp({
          ...item,
          password: (await hashPassword(password)) as unknown as ItemValue,
          passwordChangedAt: now,
          mustChangePassword: false,
          status: item.status === 'invited' ? 'active' : item.status,
        }),
      ],
    );
  }

  /**
   * Enables TOTP with a secret chosen by the caller. Only seeding uses it (the fixed demo secret);
   * people enrol through SessionService, which proves possession of the secret first.
   */
  async enableMfaWithSecret(orgId: string, userId: string, secret: string, actor: Actor): Promise<void> {
    const item = await this.getItem(orgId, userId);
    await this.record(
      {
        orgId,
        actor,
        action: 'identity:MfaEnabled',
        subject: userArn(orgId, userId),
        accountId: str(item, 'accountId'),
        details: { seeded: true },
      },
      [this.saveOp({ ...item, mfaSecret: secret, mfaEnabledAt: this.deps.clock.now().toISOString() })],
    );
  }

  /** Starts a password reset and mails the link; unknown emails do nothing visible (no account enumeration). */
  async requestPasswordReset(
    email: string,
  ): Promise<{ orgId: string; userId: string; email: string; token: string } | undefined> {
    const item = await this.findByEmail(email);
    if (!item || item.status === 'deactivated') return undefined;
    const token = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now();
    await this.deps.store.put({
      pk: `ONETIME#${sha256Hex(token)}`,
      sk: 'ONETIME',
      purpose: 'reset',
      orgId: str(item, 'orgId'),
      userId: str(item, 'userId'),
      expiresAt: new Date(now.getTime() + resetTtlSeconds * 1000).toISOString(),
      ttl: Math.floor(now.getTime() / 1000) + resetTtlSeconds,
    });
    if (this.deps.mail) {
      const { mailer, siteOrigin } = this.deps.mail;
      await mailer.send(accountMail.passwordReset({ to: str(item, 'email'), token, siteOrigin }));
    }
    return { orgId: str(item, 'orgId'), userId: str(item, 'userId'), email: str(item, 'email'), token };
  }

  /** Redeems an invitation or reset token once: the token item is deleted in the same step. */
  async redeemOneTimeToken(token: string, newPassword: string): Promise<User> {
    const key = { pk: `ONETIME#${sha256Hex(token)}`, sk: 'ONETIME' };
    const record = await this.deps.store.get(key, { consistent: true });
    const now = this.deps.clock.now();
    if (!record || str(record, 'expiresAt') <= now.toISOString()) {
      throw new NotFoundError('This link is invalid or has expired.');
    }
    const orgId = str(record, 'orgId');
    const userId = str(record, 'userId');
    const item = await this.getItem(orgId, userId);
    if (item.status === 'deactivated') throw new NotFoundError('This link is invalid or has expired.');
    // The token goes in the password change's transaction: it is spent exactly when the change lands.
    await this.changePassword(item, newPassword, userActor({ userId, email: str(item, 'email') }), [
      { kind: 'delete', key, condition: { kind: 'exists' } },
    ]).catch((error: unknown) => {
      // Its delete is operation 0: failing there, another redemption spent the token first.
      const cause = error instanceof ConflictError ? error.cause : undefined;
      const spent = cause instanceof ConditionFailedError && cause.failedOperations.includes(0);
      throw spent ? new NotFoundError('This link is invalid or has expired.') : error;
    });
    return this.get(orgId, userId);
  }

  async createGroup(orgId: string, name: string, actor: Actor, groupId?: string): Promise<Group> {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 128) {
      throw new ValidationError('The group is invalid.', [{ path: 'name', message: 'must be 1 to 128 characters' }]);
    }
    const group: Group = {
      groupId: groupId ?? newPrefixedId(this.deps.ids, 'g'),
      name: trimmed,
      createdAt: this.deps.clock.now().toISOString(),
    };
    await this.deps.ledger.append({
      orgId,
      actor,
      action: 'access:GroupCreated',
      subject: groupArn(orgId, group.groupId),
      details: { name: group.name, at: group.createdAt },
      alsoWrite: [
        {
          kind: 'put',
          item: { ...directoryKeys.group(orgId, group.groupId), type: 'Group', ...group },
          condition: { kind: 'notExists' },
        },
      ],
    });
    return group;
  }

  async getGroup(orgId: string, groupId: string): Promise<Group> {
    if (!/^g-[a-z0-9]+$/.test(groupId)) throw new NotFoundError('No such group.');
    const item = await this.deps.store.get(directoryKeys.group(orgId, groupId));
    if (!item) throw new NotFoundError('No such group.');
    return toGroup(item);
  }

  async listGroups(orgId: string): Promise<Array<Group & { members: string[] }>> {
    const [groups, memberships] = await Promise.all([
      queryAll(this.deps.store, orgPartition(orgId), { skPrefix: skPrefixes.group }),
      queryAll(this.deps.store, orgPartition(orgId), { skPrefix: skPrefixes.membership }),
    ]);
    return groups.map((item) => {
      const group = toGroup(item);
      return {
        ...group,
        members: memberships.filter((m) => m.groupId === group.groupId).map((m) => str(m, 'userId')),
      };
    });
  }

  async groupIdsOf(orgId: string, userId: string): Promise<string[]> {
    const items = await queryAll(this.deps.store, orgPartition(orgId), { skPrefix: skPrefixes.membershipOf(userId) });
    return items.map((item) => str(item, 'groupId'));
  }

  async addMember(orgId: string, groupId: string, userId: string, actor: Actor): Promise<void> {
    await Promise.all([this.getGroup(orgId, groupId), this.get(orgId, userId)]);
    await this.deps.ledger.append({
      orgId,
      actor,
      action: 'access:GroupMemberAdded',
      subject: groupArn(orgId, groupId),
      details: { userId },
      alsoWrite: [
        {
          kind: 'put',
          item: {
            ...directoryKeys.membership(orgId, userId, groupId),
            type: 'GroupMembership',
            groupId,
            userId,
            addedAt: this.deps.clock.now().toISOString(),
          },
        },
      ],
    });
  }

  async removeMember(orgId: string, groupId: string, userId: string, actor: Actor): Promise<void> {
    await this.getGroup(orgId, groupId);
    try {
      await this.deps.ledger.append({
        orgId,
        actor,
        action: 'access:GroupMemberRemoved',
        subject: groupArn(orgId, groupId),
        details: { userId },
        alsoWrite: [
          { kind: 'delete', key: directoryKeys.membership(orgId, userId, groupId), condition: { kind: 'exists' } },
        ],
      });
    } catch (error) {
      if (error instanceof ConditionFailedError) throw new NotFoundError('That user is not a member of this group.');
      throw error;
    }
  }

  async createRole(
    orgId: string,
    input: {
      name: string;
      description?: string;
      trust: { users?: string[]; groups?: string[] };
      maxSessionSeconds?: number;
      roleId?: string;
    },
    actor: Actor,
  ): Promise<Role> {
    const name = input.name.trim();
    const errors = [];
    if (!/^[A-Za-z0-9+=,.@_-]{1,64}$/.test(name)) {
      errors.push({ path: 'name', message: 'must be 1 to 64 letters, digits or +=,.@_-' });
    }
    const users = input.trust.users ?? [];
    const groups = input.trust.groups ?? [];
    const [knownUsers, knownGroups] = await Promise.all([this.list(orgId), this.listGroups(orgId)]);
    users.forEach((id, i) => {
      if (!knownUsers.some((u) => u.userId === id)) errors.push({ path: `trust.users.${i}`, message: 'no such user' });
    });
    groups.forEach((id, i) => {
      if (!knownGroups.some((g) => g.groupId === id))
        errors.push({ path: `trust.groups.${i}`, message: 'no such group' });
    });
    if (errors.length > 0) throw new ValidationError('The role is invalid.', errors);
    const role: Role = {
      roleId: input.roleId ?? newPrefixedId(this.deps.ids, 'role'),
      name,
      description: input.description ?? '',
      trust: { users, groups },
      maxSessionSeconds: input.maxSessionSeconds ?? 3600,
      createdAt: this.deps.clock.now().toISOString(),
    };
    await this.deps.ledger.append({
      orgId,
      actor,
      action: 'access:RoleCreated',
      subject: roleArn(orgId, role.roleId),
      details: { name: role.name, trustedUsers: users, trustedGroups: groups },
      alsoWrite: [
        {
          kind: 'put',
          item: { ...directoryKeys.role(orgId, role.roleId), type: 'Role', ...role },
          condition: { kind: 'notExists' },
        },
      ],
    });
    return role;
  }

  async getRole(orgId: string, roleId: string): Promise<Role> {
    if (!/^role-[a-z0-9]+$/.test(roleId)) throw new NotFoundError('No such role.');
    const item = await this.deps.store.get(directoryKeys.role(orgId, roleId));
    if (!item) throw new NotFoundError('No such role.');
    return toRole(item);
  }

  async listRoles(orgId: string): Promise<Role[]> {
    const items = await queryAll(this.deps.store, orgPartition(orgId), { skPrefix: skPrefixes.role });
    return items.map(toRole);
  }
}

/** A failed condition on a user's writes means someone changed the user meanwhile (409). */
function concurrentChange(error: unknown): unknown {
  return error instanceof ConditionFailedError
    ? new ConflictError('The user changed meanwhile; retry.', 'concurrent_change', { cause: error })
    : error;
}
