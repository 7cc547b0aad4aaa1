import { errorCatalog } from '../error-codes.js';

/** Refusals of the ledger module: appends that cannot be recorded, and a ledger that contradicts itself. */
export const ledgerErrors = errorCatalog('ledger', {
  idempotency_token_reused: {
    kind: 'conflict',
    description: 'This request token already recorded a different act; send a new token for a new act.',
  },
  ledger_contention: {
    kind: 'conflict',
    description: 'The ledger is busy with concurrent acts; retry with the same request token.',
  },
  ledger_integrity_fault: {
    kind: 'unavailable',
    description: 'The stored ledger failed an integrity check (see `fault`); nothing is appended until it is resolved.',
  },
});

export type LedgerErrorCode = (typeof ledgerErrors.list)[number];
