import { errorCatalog } from '../error-codes.js';

/** Refusals of the agreements module. */
export const agreementErrors = errorCatalog('agreements', {
  mfa_required: {
    kind: 'forbidden',
    description:
      'This act needs a session that passed MFA: step up (POST /api/session/mfa with a TOTP code) and retry.',
  },
  management_account_required: {
    kind: 'forbidden',
    description: 'Organization-wide acceptance and termination are reserved to principals of the management account.',
  },
  nda_required: { kind: 'forbidden', description: 'Accept the agreement’s NDA first (GET, then POST, its /nda).' },
  agreement_exists: { kind: 'conflict', description: 'That agreement id is taken.' },
  nda_not_required: { kind: 'conflict', description: 'This agreement has no NDA step.' },
  nda_outdated: { kind: 'conflict', description: 'The NDA text changed: read it again and accept its sha256.' },
  revision_not_latest: {
    kind: 'conflict',
    description: 'Only the latest revision can be accepted; the detail names it and its sha256.',
  },
  already_accepted: {
    kind: 'conflict',
    description: 'The latest revision is already accepted for this target; terminate it first to accept again.',
  },
  not_accepted: { kind: 'conflict', description: 'There is no active acceptance to terminate.' },
});

export type AgreementErrorCode = (typeof agreementErrors.list)[number];
