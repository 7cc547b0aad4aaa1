import { ConditionFailedError } from '../errors.js';
import { opsOf, type PendingAppend } from './append-batch.js';
import type { IntegrityFault } from './integrity-fault.js';
import type { LedgerHead } from './ledger-reads.js';

/**
 * Reading a failed append transaction (ledger-append.ts): which member owned the failing operations,
 * whether the head contradicts the stored entries (an integrity fault, refused at once), and what
 * each member does next (replay its token, fail its act, or retry).
 *
 * Which member owns each operation of the transaction (indexes 0 and 1 are the head and its check). */
export function ownersOf(members: PendingAppend[]): Array<PendingAppend | undefined> {
  const owners: Array<PendingAppend | undefined> = [undefined, undefined];
  for (const member of members) for (let i = 0; i < opsOf(member); i++) owners.push(member);
  return owners;
}

/**
 * A failed head check, or an entry that exists where the head says the ledger ends (while the head
 * itself did not move): the head disagrees with the stored entries.
 */
export function headFault(
  orgId: string,
  error: ConditionFailedError,
  head: LedgerHead | undefined,
  owners: Array<PendingAppend | undefined>,
): IntegrityFault | undefined {
  const failed = new Set(error.failedOperations);
  if (failed.size === 0 || failed.has(0)) return undefined;
  const next = (head?.seq ?? 0) + 1;
  if (head && failed.has(1)) {
    return {
      kind: 'head_mismatch',
      seq: Math.max(1, head.seq),
      reason: `the head names entry ${head.seq}, which is missing or holds another leaf (entries or head changed)`,
    };
  }
  const entryClash = [...failed].some((index) => {
    const member = owners[index];
    return member !== undefined && index === owners.indexOf(member);
  });
  if (!entryClash) return undefined;
  return {
    kind: 'head_mismatch',
    seq: next,
    reason: head
      ? `entry ${next} already exists past the head at seq ${head.seq} (the head was rolled back)`
      : `entry 1 exists but the ledger has no head (the head was deleted) in ${orgId}`,
  };
}

/**
 * After a failed condition: a member whose own act's write failed is rejected with that failure; a
 * member whose token is taken replays it; when the head moved (another process appended), all retry.
 */
export function settleFailedConditions(
  members: PendingAppend[],
  error: ConditionFailedError,
  owners: Array<PendingAppend | undefined>,
): PendingAppend[] {
  if (error.failedOperations.length === 0) {
    for (const member of members) member.checkToken = true;
    return members;
  }
  const rejected = new Set<PendingAppend>();
  for (const index of error.failedOperations) {
    const member = owners[index];
    if (!member) continue;
    const offset = index - owners.indexOf(member);
    if (offset === 1) member.checkToken = true;
    else if (offset >= 2) {
      rejected.add(member);
      member.reject(
        new ConditionFailedError('A condition of the act recorded with this entry did not hold', {
          cause: error,
          failedOperations: [offset - 2],
        }),
      );
    }
  }
  return members.filter((member) => !rejected.has(member));
}
