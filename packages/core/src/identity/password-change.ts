import { actorOf, userActor } from '../access/actor.js';
import type { Principal } from '../access/principal.js';
import { userArn } from '../access/resources.js';
import { ConditionFailedError, ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { type Actor, type DirectoryDeps, str } from '../organization/directory-deps.js';
import type { Item, ItemValue, WriteOp } from '../ports/store.js';
import { sha256Hex } from '../sha256.js';
import type { AttemptBudgets } from './attempt-budget.js';
import { requireCurrentPassword } from './current-password.js';
import { oneTimeKey } from './one-time-tokens.js';
import { hashPassword } from './password-hashing.js';
import { checkPassword } from './password-rules.js';
import { sessionEpochOf, sessionItemsOf, sessionKey, sweepSessions } from './session-records.js';
import { getUserItem, recordUserAct, saveUserOp } from './user-records.js';

/**
 * A new password, with its ledger entry, in one transaction that also moves the user's credential
 * epoch on: every session issued before ends at once (the one named in `keep`, the session that made
 * the change, is re-stamped with the new epoch in the same transaction). `also` is written first.
 */
export async function changePassword(
  deps: DirectoryDeps,
  item: Item,
  password: string,
  actor: Actor,
  options: { also?: WriteOp[]; keepToken?: string } = {},
): Promise<void> {
  const errors = checkPassword(password, { email: str(item, 'email'), path: 'newPassword' });
  if (errors.length > 0) throw new ValidationError('The new password breaks the password rules.', errors);
  const now = deps.clock.now().toISOString();
  const orgId = str(item, 'orgId');
  const userId = str(item, 'userId');
  const epoch = sessionEpochOf(item) + 1;
  const keep = options.keepToken
    ? await deps.store.get(sessionKey(options.keepToken), { consistent: true })
    : undefined;
  await recordUserAct(
    deps,
    {
      orgId,
      actor,
      action: 'identity:PasswordChanged',
      subject: userArn(orgId, userId),
      accountId: str(item, 'accountId'),
      details: { at: now, otherSessionsEnded: true },
    },
    [
      ...(options.also ?? []),
      saveUserOp({
        ...item,
        password: (await hashPassword(password)) as unknown as ItemValue,
        passwordChangedAt: now,
        mustChangePassword: false,
        status: item.status === 'invited' ? 'active' : item.status,
        sessionEpoch: epoch,
      }),
      ...(keep ? [{ kind: 'put', item: { ...keep, epoch }, condition: { kind: 'exists' } } satisfies WriteOp] : []),
    ],
  );
  const stale = (await sessionItemsOf(deps.store, orgId, userId)).filter((session) => session.epoch !== epoch);
  await sweepSessions(deps.store, stale);
}

/** POST /api/me/password: the current password proves it is the user; the other sessions end. */
export async function changeOwnPassword(
  deps: DirectoryDeps & { budgets: AttemptBudgets },
  principal: Principal,
  token: string,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const item = await getUserItem(deps, principal.orgId, principal.userId);
  await requireCurrentPassword(
    deps.budgets,
    principal,
    item,
    input.currentPassword,
    () => new ValidationError('The current password is wrong.', [{ path: 'currentPassword', message: 'is wrong' }]),
  );
  await changePassword(deps, item, input.newPassword, actorOf(principal), { keepToken: token });
}

/** Redeems an invitation or reset token once: the token item is deleted in the same step; every session ends. */
export async function redeemOneTimeToken(deps: DirectoryDeps, token: string, newPassword: string): Promise<Item> {
  const key = oneTimeKey(token);
  const record = await deps.store.get(key, { consistent: true });
  const now = deps.clock.now();
  if (!record || str(record, 'expiresAt') <= now.toISOString()) {
    throw new NotFoundError('This link is invalid or has expired.');
  }
  const orgId = str(record, 'orgId');
  const userId = str(record, 'userId');
  const item = await getUserItem(deps, orgId, userId);
  if (item.status === 'deactivated') throw new NotFoundError('This link is invalid or has expired.');
  // Only the newest reset link of a user works (each request replaces the one before).
  if (record.purpose === 'reset' && item.resetTokenHash !== sha256Hex(token)) {
    throw new NotFoundError('This link is invalid or has expired.');
  }
  const { resetTokenHash: _spent, ...rest } = item;
  // The token goes in the password change's transaction: it is spent exactly when the change lands.
  await changePassword(
    deps,
    { ...rest, pk: item.pk, sk: item.sk },
    newPassword,
    userActor({ userId, email: str(item, 'email') }),
    {
      also: [{ kind: 'delete', key, condition: { kind: 'exists' } }],
    },
  ).catch((error: unknown) => {
    // Its delete is operation 0: failing there, another redemption spent the token first.
    const cause = error instanceof ConflictError ? error.cause : undefined;
    const spent = cause instanceof ConditionFailedError && cause.failedOperations.includes(0);
    throw spent ? new NotFoundError('This link is invalid or has expired.') : error;
  });
  return getUserItem(deps, orgId, userId);
}
