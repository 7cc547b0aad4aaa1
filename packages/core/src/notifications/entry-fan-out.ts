import { ConditionFailedError } from '../errors.js';
import { padSeq } from '../ledger/ledger-keys.js';
import type { LedgerEntry } from '../ledger/ledger-writer.js';
import type { Item, ItemKey, ItemValue } from '../ports/store.js';
import type { AccessVerdict } from './delivery-access.js';
import type { DeliveryRun } from './delivery-deps.js';
import { backoffSchedule } from './delivery-policy.js';
import { eventId, pendingDelivery, putIfAbsent, skippedDelivery, webhookPayload } from './delivery-records.js';
import { readEntriesAfter } from './ledger-entry-source.js';
import { feedItemRecord, notificationTitle } from './notification-feed.js';
import { notificationKeys } from './notification-keys.js';
import type { NotificationKind } from './notification-kinds.js';
import { matchSubscriptions, type Subscription } from './subscription.js';
import { orgSubscriptions } from './subscriptions.js';

/**
 * Everything one entry causes: at most one feed item and one email per user, one delivery per webhook.
 * A user the access module refuses gets no feed item, and skipped (never sent) deliveries instead.
 */
async function fanOut(
  { deps, policy, report, access }: DeliveryRun,
  entry: LedgerEntry,
  subscriptions: readonly Subscription[],
): Promise<void> {
  const matches = matchSubscriptions(entry, subscriptions);
  const byUser = new Map<string, { kind: NotificationKind; subscriptions: Subscription[] }>();
  for (const match of matches) {
    const group = byUser.get(match.subscription.userId) ?? { kind: match.kind, subscriptions: [] };
    group.subscriptions.push(match.subscription);
    byUser.set(match.subscription.userId, group);
  }
  const now = deps.clock.now().toISOString();
  const schedule = backoffSchedule(policy);
  for (const [userId, { kind, subscriptions: mine }] of byUser) {
    const owner = { orgId: entry.orgId, userId };
    const ids = mine.map((s) => s.subscriptionId);
    const wants = (channel: Subscription['channels'][number]) => mine.filter((s) => s.channels.includes(channel));
    const verdict: AccessVerdict = access ? await access.mayReceive(userId, entry, kind) : { allowed: true };
    // Deliveries of a refused user are still written, as skipped, so the delivery log shows why.
    const record = (item: Item) => (verdict.allowed ? item : skippedDelivery(item, now, verdict.reason));
    const deliver = (key: ItemKey, fields: Record<string, ItemValue>) =>
      putIfAbsent(
        deps.store,
        record(
          pendingDelivery(key, entry.orgId, now, schedule, {
            ...fields,
            userId,
            seq: entry.seq,
            eventId: eventId(entry),
            notificationKind: kind,
          }),
        ),
      );
    if (!verdict.allowed) {
      report.withheld++;
      deps.logger.log('info', 'notification withheld: the subscriber may not read the subject', {
        orgId: entry.orgId,
        userId,
        seq: entry.seq,
        kind,
        reason: verdict.reason,
      });
    } else if (wants('feed').length > 0 && (await putIfAbsent(deps.store, feedItemRecord(owner, entry, kind, ids)))) {
      report.feedItems++;
    }
    const emailTo = wants('email')[0]?.email;
    if (emailTo) {
      const key = notificationKeys.emailDelivery(entry.orgId, userId, entry.seq);
      const title = notificationTitle(kind, entry);
      const created = await deliver(key, {
        type: 'notification-email',
        channel: 'email',
        to: emailTo,
        subject: `[evidence-portal] ${title}`,
        text: `${title}\n\nAction: ${entry.action}\nSubject: ${entry.subject}\nTime: ${entry.time}\nLedger seq: ${entry.seq}\n`,
      });
      if (created && verdict.allowed) report.emails++;
    }
    const webhookIds = new Set(wants('webhook').flatMap((s) => (s.webhookId ? [s.webhookId] : [])));
    for (const webhookId of webhookIds) {
      const key = notificationKeys.webhookDelivery(entry.orgId, webhookId, entry.seq);
      const created = await deliver(key, {
        type: 'notification-webhook-delivery',
        channel: 'webhook',
        deliveryId: `${webhookId}.${padSeq(entry.seq)}`,
        webhookId,
        body: webhookPayload(entry, kind),
      });
      if (created && verdict.allowed) report.webhookDeliveries++;
    }
  }
}

/**
 * Turns ledger entries after the org's cursor into feed items and pending deliveries, then advances
 * the cursor under a condition on its old value. A crash in between re-processes the same entries on
 * the next run, and every item it writes is keyed by seq and written only if absent: nothing doubles.
 */
export async function processNewEntries(run: DeliveryRun): Promise<void> {
  const { deps, policy, orgId, report } = run;
  const cursorKey = notificationKeys.cursor(orgId);
  const cursorItem = await deps.store.get(cursorKey, { consistent: true });
  let cursor = Number(cursorItem?.seq ?? 0);
  let cursorExists = cursorItem !== undefined;
  report.cursor = cursor;
  const subscriptions = await orgSubscriptions(deps.store, orgId);
  while (report.entriesProcessed < policy.maxEntriesPerRun) {
    const entries = await readEntriesAfter(deps.store, orgId, cursor, policy.batchSize);
    const last = entries.at(-1);
    if (!last) return;
    for (const entry of entries) await fanOut(run, entry, subscriptions);
    try {
      await deps.store.put(
        { ...cursorKey, type: 'notification-cursor', orgId, seq: last.seq, updatedAt: deps.clock.now().toISOString() },
        cursorExists ? { kind: 'equals', attribute: 'seq', value: cursor } : { kind: 'notExists' },
      );
    } catch (error) {
      // Another worker moved the cursor first; what we wrote was idempotent, so just stop here.
      if (error instanceof ConditionFailedError) return;
      throw error;
    }
    report.entriesProcessed += entries.length;
    cursor = last.seq;
    cursorExists = true;
    report.cursor = cursor;
    if (entries.length < policy.batchSize) return;
  }
}
