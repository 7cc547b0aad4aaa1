import { padSeq } from '../ledger/ledger-keys.js';
import type { ItemKey } from '../ports/store.js';

/**
 * Key layout of the notification module (single table). Everything lives under `NOTIFY#` so it never
 * collides with other modules:
 *   NOTIFY#ORGS               / ORG#<orgId>            orgs with subscriptions (the worker's to-do list)
 *   NOTIFY#<orgId>            / CURSOR                 last ledger seq processed for the org
 *   NOTIFY#<orgId>            / FANOUT#REPORTS         last publisher seq announced to customer orgs
 *   NOTIFY#<orgId>#USER#<u>   / SUB#<id>               a subscription   (gsi1: NOTIFY#<orgId>#SUBS)
 *   NOTIFY#<orgId>#USER#<u>   / WEBHOOK#<id>           a webhook
 *   NOTIFY#<orgId>#USER#<u>   / FEED#<seq12>           a feed item      (gsi2 while unread)
 *   NOTIFY#<orgId>#USER#<u>   / EMAIL#<seq12>          an email delivery (gsi1 while due)
 *   NOTIFY#<orgId>#WEBHOOK#<id> / DELIVERY#<seq12>     a webhook delivery (gsi1 while due)
 * Feed items and deliveries are keyed by ledger seq, which is what makes re-processing idempotent.
 */
export const orgRegistryPartition = 'NOTIFY#ORGS';

export const notificationKeys = {
  orgRegistration: (orgId: string): ItemKey => ({ pk: orgRegistryPartition, sk: `ORG#${orgId}` }),
  cursor: (orgId: string): ItemKey => ({ pk: `NOTIFY#${orgId}`, sk: 'CURSOR' }),
  reportFanOutCursor: (publisherOrgId: string): ItemKey => ({ pk: `NOTIFY#${publisherOrgId}`, sk: 'FANOUT#REPORTS' }),
  userPartition: (orgId: string, userId: string) => `NOTIFY#${orgId}#USER#${userId}`,
  subscription: (orgId: string, userId: string, subscriptionId: string): ItemKey => ({
    pk: notificationKeys.userPartition(orgId, userId),
    sk: `SUB#${subscriptionId}`,
  }),
  orgSubscriptionsIndex: (orgId: string) => `NOTIFY#${orgId}#SUBS`,
  webhook: (orgId: string, userId: string, webhookId: string): ItemKey => ({
    pk: notificationKeys.userPartition(orgId, userId),
    sk: `WEBHOOK#${webhookId}`,
  }),
  feedItem: (orgId: string, userId: string, seq: number): ItemKey => ({
    pk: notificationKeys.userPartition(orgId, userId),
    sk: `FEED#${padSeq(seq)}`,
  }),
  unreadIndex: (orgId: string, userId: string) => `NOTIFY#${orgId}#USER#${userId}#UNREAD`,
  emailDelivery: (orgId: string, userId: string, seq: number): ItemKey => ({
    pk: notificationKeys.userPartition(orgId, userId),
    sk: `EMAIL#${padSeq(seq)}`,
  }),
  webhookDeliveries: (orgId: string, webhookId: string) => `NOTIFY#${orgId}#WEBHOOK#${webhookId}`,
  webhookDelivery: (orgId: string, webhookId: string, seq: number): ItemKey => ({
    pk: notificationKeys.webhookDeliveries(orgId, webhookId),
    sk: `DELIVERY#${padSeq(seq)}`,
  }),
  dueIndex: (orgId: string) => `NOTIFY#${orgId}#DUE`,
};

/** Sort key on the due index: the time first, so "due now" is one range query. */
export function dueSortKey(nextAttemptAt: string, key: ItemKey): string {
  return `${nextAttemptAt}#${key.pk}#${key.sk}`;
}
