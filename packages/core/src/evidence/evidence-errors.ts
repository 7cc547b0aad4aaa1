import { errorCatalog } from '../error-codes.js';

/** Refusals of the evidence bundles module. */
export const evidenceErrors = errorCatalog('evidence', {
  export_rate_limited: {
    kind: 'rate_limited',
    description: 'Too many bundle exports by this principal in the window; retry after `Retry-After` seconds.',
  },
  bundle_not_ready: {
    kind: 'conflict',
    description: 'The bundle is still being built (or it failed): poll GET /api/evidence-bundles/{id} for its state.',
  },
  ledger_range_unsigned: {
    kind: 'conflict',
    description:
      'The ledger range reaches past the newest signed checkpoint: sign one (POST /api/ledger/checkpoints) or shorten the range.',
  },
  bundle_terms_not_accepted: {
    kind: 'forbidden',
    description: 'A report in the bundle needs its terms accepted by the requester first (the detail names it).',
  },
});

export type EvidenceErrorCode = (typeof evidenceErrors.list)[number];
