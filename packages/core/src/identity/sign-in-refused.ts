import { DomainError } from '../errors.js';

/**
 * Why a sign-in (or step-up) was refused, one meaning per code:
 * - `invalid_credentials`: wrong email or password (or an inactive user; the two look the same);
 * - `totp_required`: the password was right and the user has MFA: send the current code as `totp`;
 * - `invalid_mfa_code`: the code is wrong, expired or already used;
 * - `mfa_not_enrolled`: a step-up was asked but the user has no MFA device yet;
 * - `password_change_required`: the first sign-in must set a new password (`newPassword`);
 * - `sign_in_locked`: too many failures; retry after `retryAfterSeconds`;
 * - `reset_rate_limited`: too many password-reset requests for the email or the address.
 * Not to be confused with `mfa_required` (403 from an act such as accepting an agreement: this
 * session did not pass MFA; step up with POST /api/session/mfa). The statuses are in api/problem.ts.
 */
export const signInRefusals = [
  'invalid_credentials',
  'totp_required',
  'invalid_mfa_code',
  'mfa_not_enrolled',
  'password_change_required',
  'sign_in_locked',
  'reset_rate_limited',
] as const;

export type SignInRefusal = (typeof signInRefusals)[number];

export class SignInRefusedError extends DomainError {
  readonly code: SignInRefusal;
  constructor(
    code: SignInRefusal,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.code = code;
  }
}
