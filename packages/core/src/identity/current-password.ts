import type { Principal } from '../access/principal.js';
import type { ValidationError } from '../errors.js';
import type { Item } from '../ports/store.js';
import type { AttemptBudgets } from './attempt-budget.js';
import { verifyPassword } from './password-hashing.js';
import { SignInRefusedError } from './sign-in-refused.js';
import { passwordHashOf } from './user-records.js';

/**
 * The current password, asked again inside a session (MFA enrolment, password change): a stolen
 * session guessing it pays per guess, like a sign-in, against the session's budget (reserved before
 * the hash, kept spent when the guess is wrong). A wrong password is `wrong()`, the field error of the
 * act's own input.
 */
export async function requireCurrentPassword(
  budgets: AttemptBudgets,
  principal: Principal,
  item: Item,
  given: string,
  wrong: () => ValidationError,
): Promise<void> {
  const reservation = await budgets.reserve('session', principal.sessionId);
  if (!reservation.granted) {
    throw new SignInRefusedError(
      'sign_in_locked',
      'Too many wrong passwords; try again later.',
      reservation.retryAfterSeconds,
    );
  }
  const stored = passwordHashOf(item);
  if (!stored || !(await verifyPassword(given, stored))) throw wrong();
  await reservation.release();
}
