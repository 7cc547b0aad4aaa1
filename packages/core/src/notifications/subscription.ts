import type { LedgerEntry } from '../ledger/ledger-writer.js';
import { entryFacets, kindOfAction, type NotificationKind } from './notification-kinds.js';

export const notificationChannels = ['feed', 'webhook', 'email'] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

export interface SubscriptionFilters {
  reportCategory?: string;
  reportSeries?: string;
  accountId?: string;
}

/** One user's standing request to hear about some kinds of ledger entries of their organization. */
export interface Subscription {
  subscriptionId: string;
  orgId: string;
  userId: string;
  /** Where email goes; captured from the session that created the subscription. */
  email: string;
  kinds: NotificationKind[];
  filters: SubscriptionFilters;
  channels: NotificationChannel[];
  /** Required when `channels` includes 'webhook': one of the same user's webhooks. */
  webhookId?: string;
  createdAt: string;
  updatedAt: string;
}

export interface SubscriptionMatch {
  subscription: Subscription;
  kind: NotificationKind;
}

/**
 * Which subscriptions an entry matches: same organization, the entry's action maps to a kind the
 * subscription names, and every filter the subscription sets equals the entry's facet (an entry that
 * lacks a filtered facet does not match). Entries older than the subscription never match, so
 * subscribing does not replay history.
 */
export function matchSubscriptions(entry: LedgerEntry, subscriptions: readonly Subscription[]): SubscriptionMatch[] {
  const kind = kindOfAction(entry.action);
  if (kind === undefined) return [];
  const facets = entryFacets(entry);
  const matches: SubscriptionMatch[] = [];
  for (const subscription of subscriptions) {
    if (subscription.orgId !== entry.orgId) continue;
    if (!subscription.kinds.includes(kind)) continue;
    if (entry.time < subscription.createdAt) continue;
    const { reportCategory, reportSeries, accountId } = subscription.filters;
    if (reportCategory !== undefined && facets.reportCategory !== reportCategory) continue;
    if (reportSeries !== undefined && facets.reportSeries !== reportSeries) continue;
    if (accountId !== undefined && facets.accountId !== accountId) continue;
    matches.push({ subscription, kind });
  }
  return matches;
}
