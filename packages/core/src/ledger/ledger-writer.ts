import type { ItemValue, WriteOp } from '../ports/store.js';

/** Who did it. `system` covers jobs and bootstrap; `anonymous` covers e.g. failed sign-ins. */
export interface LedgerActor {
  type: 'user' | 'role-session' | 'system' | 'anonymous';
  /** User id, role-session id, job name, or the claimed email for anonymous. */
  id: string;
  email?: string;
  accountId?: string;
}

export interface LedgerAppendInput {
  orgId: string;
  actor: LedgerActor;
  /** What happened, as a `portal:*`-style verb, e.g. `org:AccountJoined`, `report:Downloaded`. */
  action: string;
  /** What it happened to (an ARN-like resource string). */
  subject: string;
  /** The member account the act concerns, when there is one (filterable). */
  accountId?: string;
  details?: Record<string, ItemValue>;
  /** The caller's idempotency token: replaying it returns the original entry instead of appending. */
  requestToken?: string;
  /**
   * The act's own writes, committed in the same transaction as its entry: both happen or neither. A
   * failed condition among them rejects the append with a ConditionFailedError whose
   * `failedOperations` index this list. At most 96.
   */
  alsoWrite?: readonly WriteOp[];
}

/**
 * One recorded act; `seq` is contiguous per organization from 1. Everything but `leaf` is the entry's
 * body, stored and hashed as one exact JCS string (docs/ledger.md): a reader serves nothing else.
 */
export interface LedgerEntry {
  orgId: string;
  seq: number;
  time: string;
  actor: LedgerActor;
  action: string;
  subject: string;
  accountId?: string;
  details: Record<string, ItemValue>;
  /** hex SHA-256(0x00 || JCS(body)): the RFC 6962 leaf hash of the exact stored body. */
  leaf: string;
}

/**
 * The one way every capability records an act. Implemented over the Store port by the ledger module;
 * capabilities depend on this interface only.
 */
export interface LedgerWriter {
  append(input: LedgerAppendInput): Promise<LedgerEntry>;
}
