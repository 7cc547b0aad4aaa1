import { randomBytes } from 'node:crypto';
import { str } from '../organization/directory-deps.js';
import type { Clock, IdGenerator } from '../ports/runtime.js';
import type { Item, ItemKey, Store, WriteOp } from '../ports/store.js';
import { sha256Hex } from '../sha256.js';
import type { User } from './user-records.js';

export interface SessionSettings {
  /** Absolute lifetime of a signed-in session. */
  ttlSeconds: number;
}

export const defaultSessionSettings: SessionSettings = { ttlSeconds: 8 * 3600 };

export interface Session {
  sessionId: string;
  orgId: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  mfaPresent: boolean;
  role?: { roleId: string; name: string };
  /** Signed in, but MFA enrolment is due first: only the enrolment routes accept this session. */
  enrolmentOnly: boolean;
}

export interface IssuedSession {
  token: string;
  session: Session;
  user: User;
}

/**
 * Where sessions live. Only the token's SHA-256 is stored, so a table read leaks no usable token.
 * A session also carries its user's credential epoch at issue (`epoch`): changing or resetting the
 * password moves the user's epoch on, which ends every session issued before (docs/access.md).
 */
export const sessionKeyOfHash = (tokenHash: string): ItemKey => ({ pk: `SESSION#${tokenHash}`, sk: 'SESSION' });
export const sessionKey = (token: string): ItemKey => sessionKeyOfHash(sha256Hex(token));
export const userSessionsIndex = (orgId: string, userId: string) => `USERSESSIONS#${orgId}#${userId}`;
/** Opaque tokens: 32 random bytes, base64url, with a prefix that tells them from OIDC JWTs. */
export const tokenPattern = /^ps_[A-Za-z0-9_-]{43}$/;

/** The user's current credential epoch (0 until the first password change that ends sessions). */
export const sessionEpochOf = (userItem: Item): number =>
  typeof userItem.sessionEpoch === 'number' ? userItem.sessionEpoch : 0;

export function toSession(item: Item): Session {
  const role = item.role as { roleId?: string; name?: string } | undefined;
  return {
    sessionId: str(item, 'sessionId'),
    orgId: str(item, 'orgId'),
    userId: str(item, 'userId'),
    createdAt: str(item, 'createdAt'),
    expiresAt: str(item, 'expiresAt'),
    mfaPresent: item.mfaPresent === true,
    ...(role?.roleId ? { role: { roleId: role.roleId, name: role.name ?? '' } } : {}),
    enrolmentOnly: item.enrolmentOnly === true,
  };
}

export interface NewSessionOptions {
  mfaPresent: boolean;
  enrolmentOnly: boolean;
  ttlSeconds: number;
  /** The user's credential epoch the session belongs to. */
  epoch: number;
  role?: { roleId: string; name: string };
  /** A role session names the session it was assumed from: it ends when that one ends. */
  parent?: { sessionId: string; tokenHash: string };
}

/** A new session and the write that stores it (to commit with the act's ledger entry). */
export function newSession(
  deps: { clock: Clock; ids: IdGenerator },
  user: User,
  options: NewSessionOptions,
): { issued: IssuedSession; op: WriteOp } {
  const token = `ps_${randomBytes(32).toString('base64url')}`;
  const now = deps.clock.now();
  const expires = new Date(now.getTime() + options.ttlSeconds * 1000);
  const session: Session = {
    sessionId: `s-${deps.ids.newId().toLowerCase()}`,
    orgId: user.orgId,
    userId: user.userId,
    createdAt: now.toISOString(),
    expiresAt: expires.toISOString(),
    mfaPresent: options.mfaPresent,
    ...(options.role ? { role: options.role } : {}),
    enrolmentOnly: options.enrolmentOnly,
  };
  const op: WriteOp = {
    kind: 'put',
    item: {
      ...sessionKey(token),
      type: 'Session',
      ...session,
      epoch: options.epoch,
      ...(options.parent
        ? { parentSessionId: options.parent.sessionId, parentTokenHash: options.parent.tokenHash }
        : {}),
      gsi1pk: userSessionsIndex(user.orgId, user.userId),
      gsi1sk: session.expiresAt,
      ttl: Math.floor(expires.getTime() / 1000),
    },
    condition: { kind: 'notExists' },
  };
  return { issued: { token, session, user }, op };
}

/** Every stored session of a user, live or not yet swept by the TTL. */
export async function sessionItemsOf(store: Store, orgId: string, userId: string): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.query(userSessionsIndex(orgId, userId), {
      index: 'gsi1',
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/**
 * Deletes the sessions a credential change or a sign-out ended (they are already refused by their
 * epoch or their missing parent; this keeps the credential report's count true). Best effort.
 */
export async function sweepSessions(store: Store, items: readonly Item[]): Promise<void> {
  await Promise.all(items.map((item) => store.delete({ pk: item.pk, sk: item.sk }).catch(() => undefined)));
}
