import { errorCatalog } from '../error-codes.js';

/** Refusals of the reports module: terms, term tokens, downloads and publishing. */
export const reportErrors = errorCatalog('reports', {
  terms_revision_stale: {
    kind: 'conflict',
    description: 'The terms changed since they were shown; read the current revision and accept it.',
  },
  terms_not_accepted: {
    kind: 'forbidden',
    description: 'Accept the version’s terms first; download with the termToken the acceptance returns.',
  },
  term_token_invalid: {
    kind: 'forbidden',
    description: 'The term token was not issued to this caller for this version, or the terms changed since.',
  },
  term_token_expired: { kind: 'forbidden', description: 'The term token expired; accept the terms again.' },
  term_token_used: {
    kind: 'conflict',
    description: 'The term token was already used for a download; accept again for a new one.',
  },
  not_a_publisher: {
    kind: 'forbidden',
    description: 'The organization holds no publisher grant (for this company): reports and agreements need one.',
  },
  not_the_publisher: {
    kind: 'forbidden',
    description: 'Only the organization that published the report or agreement may change it.',
  },
  not_the_operator: {
    kind: 'forbidden',
    description: 'Only the portal operator organization manages publisher grants.',
  },
  own_operator_grant: {
    kind: 'conflict',
    description: 'The operator organization cannot demote or revoke its own grant.',
  },
  catalog_busy: { kind: 'conflict', description: 'The catalog is busy; retry the request.' },
  version_already_final: { kind: 'conflict', description: 'The version is already COMPLETE or FAILED.' },
  upload_missing: { kind: 'conflict', description: 'No file has been uploaded for this version yet.' },
  stale_version: { kind: 'conflict', description: 'The version changed meanwhile; reload it.' },
  stale_sequence: {
    kind: 'conflict',
    description: 'The report changed since it was read (`expectedSequence`); reload and retry.',
  },
});

export type ReportErrorCode = (typeof reportErrors.list)[number];
