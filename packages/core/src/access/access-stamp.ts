import { orgPartition } from '../organization/directory-keys.js';
import type { ItemKey, WriteOp } from '../ports/store.js';

/**
 * What an authorization decision reads of an organization: the org item (root, management account),
 * its OUs and accounts, users, groups and memberships, roles and role grants, policies, their
 * attachments and the guardrails. A write to any of these changes the organization's access stamp.
 */
const accessSortKeyPrefixes = [
  'OU#',
  'ACCOUNT#',
  'USER#',
  'GROUP#',
  'MEMBERSHIP#',
  'ROLE#',
  'ROLEGRANT#',
  'POLICY#',
  'ATTACH#',
  'GUARDRAIL#',
] as const;

export function isAccessData(orgId: string, key: ItemKey): boolean {
  return (
    key.pk === orgPartition(orgId) &&
    (key.sk === 'ORG' || accessSortKeyPrefixes.some((prefix) => key.sk.startsWith(prefix)))
  );
}

/**
 * Does an act change the organization's access data? Its own writes say so; structural acts
 * (`org:*`) count even without them, since a change too large for one entry is written just before
 * its entry.
 */
export function changesAccessData(orgId: string, action: string, writes: readonly WriteOp[]): boolean {
  return (
    action.startsWith('org:') ||
    writes.some((op) => op.kind !== 'check' && isAccessData(orgId, op.kind === 'put' ? op.item : op.key))
  );
}

/**
 * The access stamp of an organization as its ledger head carries it (`accessSeq`: the seq of the
 * last act that changed its access data, advanced in that act's own transaction). Heads written
 * before the stamp existed fall back to their seq, which every act advances: never stale, only
 * reloaded more often.
 */
export function accessStampOf(head: { seq: number; accessSeq?: number } | undefined): string {
  if (!head) return 'none';
  return head.accessSeq !== undefined ? `a${head.accessSeq}` : `s${head.seq}`;
}

let generation = 0;

/**
 * Counts access changes committed by this process. A request's loaded authorization context stays
 * in use for that request only while this has not moved, so a change made in this process is seen by
 * the very next question, even one asked for the same principal object.
 */
export const accessGeneration = (): number => generation;

export function noteAccessChange(): void {
  generation += 1;
}
