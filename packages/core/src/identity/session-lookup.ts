import type { Principal } from '../access/principal.js';
import { str } from '../organization/directory-deps.js';
import { directoryKeys } from '../organization/directory-keys.js';
import type { Clock } from '../ports/runtime.js';
import type { Item, Store } from '../ports/store.js';
import {
  type Session,
  sessionEpochOf,
  sessionKey,
  sessionKeyOfHash,
  tokenPattern,
  toSession,
  userSessionsIndex,
} from './session-records.js';
import { principalForUser } from './user-principal.js';
import { toUser, type User } from './user-records.js';

interface LookupDeps {
  store: Store;
  clock: Clock;
}

const live = (deps: LookupDeps, item: Item | undefined): item is Item =>
  item !== undefined && str(item, 'expiresAt') > deps.clock.now().toISOString();

/** The stored session behind a token, if it is well-formed, unexpired and not revoked. */
export async function sessionItemFor(deps: LookupDeps, token: string): Promise<Item | undefined> {
  if (!tokenPattern.test(token)) return undefined;
  const item = await deps.store.get(sessionKey(token), { consistent: true });
  return live(deps, item) ? item : undefined;
}

export async function sessionFor(deps: LookupDeps, token: string): Promise<Session | undefined> {
  const item = await sessionItemFor(deps, token);
  return item ? toSession(item) : undefined;
}

/**
 * The principal a token speaks for; undefined for any invalid, expired or revoked session, a session
 * of an earlier credential epoch (the password changed since), a role session whose parent session
 * ended, or an inactive user.
 */
export async function authenticate(
  deps: LookupDeps,
  token: string,
): Promise<{ principal: Principal; session: Session; user: User } | undefined> {
  const item = await sessionItemFor(deps, token);
  if (!item) return undefined;
  const session = toSession(item);
  const parentHash = typeof item.parentTokenHash === 'string' ? item.parentTokenHash : undefined;
  const [userItem, parent] = await Promise.all([
    deps.store.get(directoryKeys.user(session.orgId, session.userId), { consistent: true }),
    parentHash ? deps.store.get(sessionKeyOfHash(parentHash), { consistent: true }) : undefined,
  ]);
  if (userItem?.status !== 'active') return undefined;
  const epoch = typeof item.epoch === 'number' ? item.epoch : 0;
  if (epoch !== sessionEpochOf(userItem)) return undefined;
  if (parentHash && !live(deps, parent)) return undefined;
  const user = toUser(userItem);
  return {
    session,
    user,
    principal: principalForUser(user, {
      sessionId: session.sessionId,
      mfaPresent: session.mfaPresent,
      ...(session.role ? { role: session.role } : {}),
    }),
  };
}

/** Sessions still live, for the credential report. */
export async function activeSessionCount(deps: LookupDeps, orgId: string, userId: string): Promise<number> {
  const page = await deps.store.query(userSessionsIndex(orgId, userId), {
    index: 'gsi1',
    skBetween: [deps.clock.now().toISOString(), '9999'],
    limit: 100,
  });
  return page.items.length;
}
