import { DomainError } from '../errors.js';

export type SignInRefusal =
  | 'invalid_credentials'
  | 'mfa_required'
  | 'invalid_mfa_code'
  | 'password_change_required'
  | 'sign_in_locked';

/**
 * Why a sign-in (or step-up) was refused. The session routes map it: 401 for credentials and MFA,
 * 403 for a required password change, 429 with Retry-After while locked.
 */
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
