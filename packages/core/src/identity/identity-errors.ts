import { errorCatalog } from '../error-codes.js';

/** Refusals of the identity module: sign-in, sessions, users and roles. */
export const identityErrors = errorCatalog('identity', {
  invalid_credentials: {
    kind: 'unauthenticated',
    description: 'Wrong email or password (an unknown email answers the same).',
  },
  totp_required: {
    kind: 'unauthenticated',
    description: 'Sign-in: the password was right and the user has MFA; send the current code as `totp`.',
  },
  invalid_mfa_code: { kind: 'unauthenticated', description: 'The MFA code is wrong, expired or already used.' },
  mfa_not_enrolled: {
    kind: 'forbidden',
    description: 'Step-up asked for a user without an MFA device: enrol one (POST /api/me/mfa).',
  },
  password_change_required: {
    kind: 'forbidden',
    description: 'The first sign-in must set a new password: repeat it with `newPassword`.',
  },
  sign_in_locked: {
    kind: 'rate_limited',
    description: 'Too many failed sign-ins for this email or address; retry after `Retry-After` seconds.',
  },
  reset_rate_limited: {
    kind: 'rate_limited',
    description:
      'Too many password-reset requests for this email or from this address (the same for any email); retry after `Retry-After` seconds.',
  },
  role_not_trusted: { kind: 'forbidden', description: 'The role’s trust policy does not admit the caller.' },
  email_taken: { kind: 'conflict', description: 'A user with this email already exists in your organization.' },
  self_deactivation: { kind: 'conflict', description: 'Users cannot deactivate themselves.' },
  access_key_mfa_required: {
    kind: 'forbidden',
    description: 'Creating an access key needs a session that passed MFA (the user has MFA): step up, then retry.',
  },
  access_key_limit_exceeded: { kind: 'conflict', description: 'The user already has two access keys: delete one.' },
  access_key_owner_inactive: { kind: 'conflict', description: 'The user is not active, so it cannot get access keys.' },
});

export type IdentityErrorCode = (typeof identityErrors.list)[number];
