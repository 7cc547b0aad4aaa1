import type { Principal } from '../access/principal.js';
import type { User } from './user-records.js';

/**
 * The principal a user is in a session: the one place a user's identity, account and tags become the
 * `Principal` that `authorize` reads. Sessions, access keys, the simulator and notification delivery
 * say only what differs (the session id, whether it passed MFA, an assumed role).
 */
export function principalForUser(
  user: User,
  options: { mfaPresent?: boolean; role?: { roleId: string; name: string }; sessionId?: string } = {},
): Principal {
  return {
    orgId: user.orgId,
    accountId: user.accountId,
    userId: user.userId,
    email: user.email,
    displayName: user.displayName,
    sessionId: options.sessionId ?? 'simulated',
    mfaPresent: options.mfaPresent ?? false,
    ...(options.role ? { role: options.role } : {}),
    tags: user.tags,
  };
}
