import type { LedgerActor } from '../ledger/ledger-writer.js';
import type { Principal } from './principal.js';

/**
 * Who the ledger records for an act of a signed-in principal: an assumed-role session is a
 * `role-session` actor, anyone else a `user`. The one mapping every module uses.
 */
export function actorOf(principal: Pick<Principal, 'userId' | 'email' | 'accountId' | 'role'>): LedgerActor {
  return {
    type: principal.role ? 'role-session' : 'user',
    id: principal.userId,
    email: principal.email,
    accountId: principal.accountId,
  };
}

/** A user acting outside a session (signing in, redeeming an invitation or reset link). */
export function userActor(user: { userId: string; email: string; accountId?: string }): LedgerActor {
  return { type: 'user', id: user.userId, email: user.email, ...(user.accountId ? { accountId: user.accountId } : {}) };
}
