import { randomBytes } from 'node:crypto';
import { actorOf } from '../access/actor.js';
import type { Principal } from '../access/principal.js';
import { userArn } from '../access/resources.js';
import { ConditionFailedError, NotFoundError, ValidationError } from '../errors.js';
import { type DirectoryDeps, str } from '../organization/directory-deps.js';
import type { Item } from '../ports/store.js';
import { sha256Hex } from '../sha256.js';
import type { AttemptBudgets } from './attempt-budget.js';
import { requireCurrentPassword } from './current-password.js';
import { consumeSecondFactor } from './second-factor.js';
import { sessionFor } from './session-lookup.js';
import { type Session, sessionKey } from './session-records.js';
import { recordFailure } from './sign-in.js';
import { SignInRefusedError } from './sign-in-refused.js';
import { matchTotpStep, newTotpSecret, totpUri } from './totp.js';
import type { UserDirectory } from './user-directory.js';

export interface MfaDeps extends DirectoryDeps {
  users: UserDirectory;
  budgets: AttemptBudgets;
}

const recoveryCodeCount = 10;

function newRecoveryCode(): string {
  const raw = randomBytes(10).toString('hex');
  return `${raw.slice(0, 5)}-${raw.slice(5, 10)}-${raw.slice(10, 15)}-${raw.slice(15)}`;
}

async function sessionItem(deps: DirectoryDeps, token: string): Promise<Item> {
  const item = await deps.store.get(sessionKey(token), { consistent: true });
  if (!item) throw new NotFoundError('No such session.');
  return item;
}

/**
 * Step-up: a session that lacks MFA gains it with a valid, unused code. Its attempts are counted per
 * session (reserved before the check), never against the email's sign-in budget: failed anonymous
 * sign-ins cannot lock a signed-in user out of stepping up.
 */
export async function stepUp(deps: MfaDeps, token: string, code: string): Promise<Session> {
  const session = await sessionFor(deps, token);
  if (!session) throw new NotFoundError('No such session.');
  const item = await deps.users.getItem(session.orgId, session.userId);
  if (typeof item.mfaSecret !== 'string') {
    throw new SignInRefusedError('mfa_not_enrolled', 'Enrol an MFA device first (POST /api/me/mfa).');
  }
  const reservation = await deps.budgets.reserve('session', session.sessionId);
  if (!reservation.granted) {
    throw new SignInRefusedError(
      'sign_in_locked',
      'Too many failed attempts; try again later.',
      reservation.retryAfterSeconds,
    );
  }
  const consumed = consumeSecondFactor(deps.clock, item, code);
  if (!consumed) {
    await recordFailure(deps, str(item, 'email'), item, 'mfa');
    throw new SignInRefusedError('invalid_mfa_code', 'The MFA code is wrong, expired or already used.');
  }
  await deps.users.save(consumed);
  await deps.store.put({ ...(await sessionItem(deps, token)), mfaPresent: true }, { kind: 'exists' });
  await reservation.release();
  return { ...session, mfaPresent: true };
}

/**
 * Starts TOTP enrolment: a new secret, pending until a code from it is confirmed. It needs the
 * current password (checked like a sign-in, against the session's budget), so a stolen session
 * cannot bind the thief's authenticator to the account.
 */
export async function beginMfaEnrolment(
  deps: MfaDeps,
  principal: Principal,
  input: { password: string },
): Promise<{ secret: string; otpauthUri: string }> {
  const item = await deps.users.getItem(principal.orgId, principal.userId);
  if (typeof item.mfaSecret === 'string') {
    throw new ValidationError('MFA is already enabled.', [{ path: 'mfa', message: 'already enabled for this user' }]);
  }
  await requireCurrentPassword(
    deps.budgets,
    principal,
    item,
    input.password,
    () =>
      new ValidationError('The password is wrong.', [{ path: 'password', message: 'is not your current password' }]),
  );
  const secret = newTotpSecret();
  await deps.users.save({ ...item, pendingMfaSecret: secret });
  return { secret, otpauthUri: totpUri(secret, str(item, 'email')) };
}

/**
 * Confirms enrolment with a code from the new secret; returns the one-time recovery codes (only
 * their hashes are kept). The current session now counts as having passed MFA.
 */
export async function confirmMfaEnrolment(
  deps: MfaDeps,
  principal: Principal,
  token: string,
  code: string,
): Promise<{ recoveryCodes: string[] }> {
  const item = await deps.users.getItem(principal.orgId, principal.userId);
  const pending = item.pendingMfaSecret;
  if (typeof pending !== 'string') {
    throw new ValidationError('No MFA enrolment is pending.', [
      { path: 'totp', message: 'start with POST /api/me/mfa' },
    ]);
  }
  const step = matchTotpStep(pending, code.trim(), deps.clock.now());
  if (step === undefined) {
    throw new ValidationError('The code does not match.', [
      { path: 'totp', message: 'is not a current code of the new secret' },
    ]);
  }
  const recoveryCodes = Array.from({ length: recoveryCodeCount }, newRecoveryCode);
  const { pendingMfaSecret: _dropped, ...rest } = item;
  await deps.users.record(
    {
      orgId: principal.orgId,
      actor: actorOf(principal),
      action: 'identity:MfaEnabled',
      subject: userArn(principal.orgId, principal.userId),
      accountId: principal.accountId,
      details: { recoveryCodes: recoveryCodeCount },
    },
    [
      deps.users.saveOp({
        ...rest,
        pk: item.pk,
        sk: item.sk,
        mfaSecret: pending,
        mfaEnabledAt: deps.clock.now().toISOString(),
        lastTotpStep: step,
        recoveryCodes: recoveryCodes.map((c) => sha256Hex(c)),
      }),
    ],
  );
  // The current session's upgrade is not part of the act: a session revoked meanwhile is fine.
  try {
    await deps.store.put(
      { ...(await sessionItem(deps, token)), mfaPresent: true, enrolmentOnly: false },
      { kind: 'exists' },
    );
  } catch (error) {
    if (!(error instanceof ConditionFailedError) && !(error instanceof NotFoundError)) throw error;
  }
  return { recoveryCodes };
}
