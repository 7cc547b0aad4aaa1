import { actorOf } from '../access/actor.js';
import type { Principal } from '../access/principal.js';
import { userArn } from '../access/resources.js';
import type { DirectoryDeps } from '../organization/directory-deps.js';
import { sha256Hex } from '../sha256.js';
import { sessionFor } from './session-lookup.js';
import { sessionItemsOf, sessionKey, sweepSessions } from './session-records.js';

/**
 * Sign-out deletes the session (revocation is immediate) and the role sessions assumed from it, which
 * authentication refuses anyway once their parent is gone.
 */
export async function revoke(deps: DirectoryDeps, token: string, principal?: Principal): Promise<void> {
  const session = await sessionFor(deps, token);
  // Signing out must work even when the ledger cannot record it: the delete does not wait for the entry.
  await deps.store.delete(sessionKey(token));
  if (!session) return;
  const tokenHash = sha256Hex(token);
  const children = (await sessionItemsOf(deps.store, session.orgId, session.userId)).filter(
    (item) => item.parentTokenHash === tokenHash,
  );
  await sweepSessions(deps.store, children);
  if (principal) {
    await deps.ledger.append({
      orgId: session.orgId,
      actor: actorOf(principal),
      action: 'identity:SignedOut',
      subject: userArn(session.orgId, session.userId),
      accountId: principal.accountId,
      details: { sessionId: session.sessionId, roleSessionsEnded: children.length },
    });
  }
}
