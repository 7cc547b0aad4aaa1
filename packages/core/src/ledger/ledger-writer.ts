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

/** One recorded act; `seq` is contiguous per organization from 1. */
export interface LedgerEntry {
  orgId: string;
  seq: number;
  time: string;
  actor: LedgerActor;
  action: string;
  subject: string;
  accountId?: string;
  details: Record<string, ItemValue>;
  /** hex SHA-256(0x00 || JCS(entry without leaf/chain)). */
  leaf: string;
  /** hex SHA-256(chain_{seq-1} || leaf); chain_0 is 32 zero bytes. */
  chain: string;
}

/**
 * The one way every capability records an act. Implemented over the Store port by the ledger module;
 * capabilities depend on this interface only.
 */
export interface LedgerWriter {
  append(input: LedgerAppendInput): Promise<LedgerEntry>;
}
