import { userActor } from '../access/actor.js';
import { userArn } from '../access/resources.js';
import { ValidationError } from '../errors.js';
import { type DirectoryDeps, str } from '../organization/directory-deps.js';
import type { Item, ItemValue } from '../ports/store.js';
import type { AttemptBudgets, Reservation } from './attempt-budget.js';
import { decoyHash, hashPassword, verifyPassword } from './password-hashing.js';
import { knownAddress } from './password-reset.js';
import { checkPassword } from './password-rules.js';
import { consumeSecondFactor } from './second-factor.js';
import { type IssuedSession, newSession, type SessionSettings, sessionEpochOf } from './session-records.js';
import { SignInRefusedError } from './sign-in-refused.js';
import type { UserDirectory } from './user-directory.js';
import { normalizeEmail, passwordHashOf, toUser } from './user-records.js';

export interface SignInDeps extends DirectoryDeps {
  users: UserDirectory;
  budgets: AttemptBudgets;
  settings: SessionSettings;
}

export interface SignInInput {
  /** The organization's id (`o-…`): emails are unique per organization, so sign-in names it. */
  organization: string;
  email: string;
  password: string;
  totp?: string;
  newPassword?: string;
  clientIp: string;
}

const locked = (retryAfterSeconds: number) =>
  new SignInRefusedError('sign_in_locked', 'Too many failed sign-ins; try again later.', retryAfterSeconds);

/**
 * Sign-in. Every attempt first reserves one slot of its email's budget and of its address's
 * (attempt-budget.ts), atomically and before the slow hash, so however many requests race, at most
 * `max` passwords per window are ever checked. A spent email budget is not a lockout of the owner:
 * an attempt that carries a TOTP code is still checked, and only a right password AND an unused
 * right code get in (any failure then answers `sign_in_locked`, so the password's correctness is not
 * revealed). Wrong codes after a right password spend the email's MFA budget, which only someone who
 * knows the password can exhaust. Users without MFA stay locked until the window ends.
 */
export async function signIn(deps: SignInDeps, input: SignInInput): Promise<IssuedSession> {
  const email = normalizeEmail(input.email);
  const orgId = input.organization.trim().toLowerCase();
  const budgetKey = `${orgId}#${email}`;
  const ip = knownAddress(input.clientIp) ? await deps.budgets.reserve('ip', input.clientIp) : undefined;
  if (ip && !ip.granted) throw locked(ip.retryAfterSeconds);
  const account = await deps.budgets.reserve('account', budgetKey);
  const lockedMode = !account.granted;
  const giveBack = async () => {
    await Promise.all([ip?.granted ? ip.release() : undefined, account.granted ? account.release() : undefined]);
  };
  if (!account.granted && input.totp === undefined) throw locked(account.retryAfterSeconds);
  const retryAfter = account.granted ? 0 : account.retryAfterSeconds;

  const item = await deps.users.findByEmail(orgId, email);
  const stored = item ? passwordHashOf(item) : undefined;
  const passwordOk = await verifyPassword(input.password, stored ?? (await decoyHash()));
  if (!item || !stored || !passwordOk || item.status !== 'active') {
    await recordFailure(deps, email, item, 'password');
    throw lockedMode
      ? locked(retryAfter)
      : new SignInRefusedError('invalid_credentials', 'The email or password is wrong.');
  }
  let working = item;
  let mfaPresent = false;
  if (typeof item.mfaSecret === 'string') {
    if (input.totp === undefined) {
      // The password was right: not a guess, so the attempt is given back.
      await giveBack();
      throw new SignInRefusedError('totp_required', 'This user has MFA: send the current code as `totp`.');
    }
    const codeBudget: Reservation = await deps.budgets.reserve('mfa', budgetKey);
    if (!codeBudget.granted) throw locked(codeBudget.retryAfterSeconds);
    const consumed = consumeSecondFactor(deps.clock, item, input.totp);
    if (!consumed) {
      await recordFailure(deps, email, item, 'mfa');
      throw lockedMode
        ? locked(retryAfter)
        : new SignInRefusedError('invalid_mfa_code', 'The MFA code is wrong, expired or already used.');
    }
    working = consumed;
    mfaPresent = true;
  } else if (lockedMode) {
    // No second factor to tell the owner from a guesser: the window has to end.
    throw locked(retryAfter);
  }
  if (working.mustChangePassword === true) working = await withNewPassword(deps, working, email, input);
  const issued = await commitSignIn(deps, item, working, mfaPresent);
  await Promise.all([
    deps.budgets.reset('account', budgetKey),
    deps.budgets.reset('mfa', budgetKey),
    ip?.granted ? ip.release() : undefined,
  ]);
  return issued;
}

async function withNewPassword(deps: SignInDeps, working: Item, email: string, input: SignInInput): Promise<Item> {
  if (input.newPassword === undefined) {
    throw new SignInRefusedError(
      'password_change_required',
      'This password must be changed at first sign-in: send `newPassword` too.',
    );
  }
  const errors = checkPassword(input.newPassword, { email, path: 'newPassword' });
  if (input.newPassword === input.password)
    errors.push({ path: 'newPassword', message: 'must differ from the current password' });
  if (errors.length > 0) throw new ValidationError('The new password breaks the password rules.', errors);
  return {
    ...working,
    password: (await hashPassword(input.newPassword)) as unknown as ItemValue,
    passwordChangedAt: deps.clock.now().toISOString(),
    mustChangePassword: false,
    // A new password ends every session issued under the old one.
    sessionEpoch: sessionEpochOf(working) + 1,
  };
}

/** The user's changes (spent code, new password, last sign-in) and the session land with the entry. */
async function commitSignIn(deps: SignInDeps, item: Item, working: Item, mfaPresent: boolean): Promise<IssuedSession> {
  const now = deps.clock.now();
  const user = toUser(working);
  const enrolmentOnly = user.mfaRequired && !user.mfaEnabled;
  const { issued, op } = newSession(deps, user, {
    mfaPresent,
    enrolmentOnly,
    ttlSeconds: deps.settings.ttlSeconds,
    epoch: sessionEpochOf(working),
  });
  await deps.users.record(
    {
      orgId: user.orgId,
      actor: userActor(user),
      action: 'identity:SignedIn',
      subject: userArn(user.orgId, user.userId),
      accountId: user.accountId,
      details: {
        mfa: mfaPresent,
        sessionId: issued.session.sessionId,
        passwordChanged: item.mustChangePassword === true,
      },
    },
    [deps.users.saveOp({ ...working, lastSignInAt: now.toISOString() }), op],
  );
  return issued;
}

/** A failed check of a known user is a ledger entry of its organization; unknown emails leave none. */
export async function recordFailure(
  deps: Pick<DirectoryDeps, 'ledger'>,
  email: string,
  item: Item | undefined,
  factor: 'password' | 'mfa',
): Promise<void> {
  if (!item) return;
  await deps.ledger.append({
    orgId: str(item, 'orgId'),
    actor: { type: 'anonymous', id: email, email },
    action: 'identity:SignInFailed',
    subject: userArn(str(item, 'orgId'), str(item, 'userId')),
    accountId: str(item, 'accountId'),
    details: { factor },
  });
}
