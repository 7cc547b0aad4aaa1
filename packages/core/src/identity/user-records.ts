import { ConditionFailedError, ConflictError, NotFoundError } from '../errors.js';
import type { LedgerAppendInput } from '../ledger/ledger-writer.js';
import { type DirectoryDeps, optionalStr, str } from '../organization/directory-deps.js';
import { directoryKeys } from '../organization/directory-keys.js';
import type { Item, WriteOp } from '../ports/store.js';
import type { PasswordHash } from './password-hashing.js';

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

export const emailPattern = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;
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

export function toGroup(item: Item): Group {
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

export async function getUserItem(deps: Pick<DirectoryDeps, 'store'>, orgId: string, userId: string): Promise<Item> {
  if (!/^u-[a-z0-9]+$/.test(userId)) throw new NotFoundError('No such user.');
  const item = await deps.store.get(directoryKeys.user(orgId, userId), { consistent: true });
  if (!item) throw new NotFoundError('No such user.');
  return item;
}

/** The optimistic write of a changed user item, as an operation for a transaction. */
export function saveUserOp(item: Item): Extract<WriteOp, { kind: 'put' }> {
  const version = typeof item.version === 'number' ? item.version : 0;
  return {
    kind: 'put',
    item: { ...item, version: version + 1 },
    condition: { kind: 'notExistsOrEquals', attribute: 'version', value: version },
  };
}

/** Optimistic write of a changed user item: a concurrent change makes this one fail (409). */
export async function saveUser(deps: Pick<DirectoryDeps, 'store'>, item: Item): Promise<void> {
  const op = saveUserOp(item);
  try {
    await deps.store.put(op.item, op.condition);
  } catch (error) {
    throw concurrentChange(error);
  }
}

/** Records an act on a user with its writes in one transaction; a failed condition is a 409. */
export async function recordUserAct(
  deps: Pick<DirectoryDeps, 'ledger'>,
  entry: LedgerAppendInput,
  ops: readonly WriteOp[],
): Promise<void> {
  try {
    await deps.ledger.append({ ...entry, alsoWrite: ops });
  } catch (error) {
    throw concurrentChange(error);
  }
}

/** A failed condition on a user's writes means someone changed the user meanwhile (409). */
export function concurrentChange(error: unknown): unknown {
  return error instanceof ConditionFailedError
    ? new ConflictError('The user changed meanwhile; retry.', 'concurrent_change', { cause: error })
    : error;
}
