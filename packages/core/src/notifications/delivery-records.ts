import { ConditionFailedError } from '../errors.js';
import { padSeq } from '../ledger/ledger-keys.js';
import type { LedgerEntry } from '../ledger/ledger-writer.js';
import type { Item, ItemValue, Store } from '../ports/store.js';
import { notificationTitle } from './notification-feed.js';
import { dueSortKey, notificationKeys } from './notification-keys.js';
import type { NotificationKind } from './notification-kinds.js';

/** Creates an item unless it exists; "exists" is the normal outcome of re-processing an entry. */
export async function putIfAbsent(store: Store, item: Item): Promise<boolean> {
  try {
    await store.put(item, { kind: 'notExists' });
    return true;
  } catch (error) {
    if (error instanceof ConditionFailedError) return false;
    throw error;
  }
}

export function eventId(entry: Pick<LedgerEntry, 'orgId' | 'seq'>): string {
  return `evt_${entry.orgId}_${padSeq(entry.seq)}`;
}

/** The JSON a webhook receives; fixed when the delivery is created, so every retry sends the same bytes. */
export function webhookPayload(entry: LedgerEntry, kind: NotificationKind): string {
  return JSON.stringify({
    id: eventId(entry),
    type: kind,
    orgId: entry.orgId,
    title: notificationTitle(kind, entry),
    createdAt: entry.time,
    entry: {
      seq: entry.seq,
      time: entry.time,
      action: entry.action,
      subject: entry.subject,
      ...(entry.accountId !== undefined ? { accountId: entry.accountId } : {}),
      actor: { type: entry.actor.type, id: entry.actor.id },
      details: entry.details,
    },
  });
}

export function pendingDelivery(
  key: { pk: string; sk: string },
  orgId: string,
  now: string,
  schedule: number[],
  fields: Record<string, ItemValue>,
): Item {
  return {
    ...key,
    gsi1pk: notificationKeys.dueIndex(orgId),
    gsi1sk: dueSortKey(now, key),
    orgId,
    status: 'pending',
    attempts: [],
    backoffMs: schedule,
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
    version: 1,
    ...fields,
  };
}

/**
 * A delivery that will never be attempted because the subscriber may not read the subject: kept in
 * the delivery log (status `skipped`, one attempt saying why), out of the due index.
 */
export function skippedDelivery(pending: Item, now: string, reason: string): Item {
  const { gsi1pk: _due, gsi1sk: _dueKey, nextAttemptAt: _next, ...rest } = pending;
  return { ...rest, status: 'skipped', attempts: [{ at: now, outcome: 'skipped', error: reason }] };
}
