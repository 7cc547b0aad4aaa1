import { ConditionFailedError, NotFoundError } from '../errors.js';
import { padSeq } from '../ledger/ledger-keys.js';
import type { LedgerEntry } from '../ledger/ledger-writer.js';
import type { Clock } from '../ports/runtime.js';
import type { Item, Page, Store } from '../ports/store.js';
import { notificationKeys } from './notification-keys.js';
import type { NotificationKind } from './notification-kinds.js';
import type { NotificationOwner } from './subscriptions.js';

/** One line in a user's in-app feed: a ledger entry that matched one of their subscriptions. */
export interface FeedItem {
  notificationId: string;
  seq: number;
  kind: NotificationKind;
  title: string;
  action: string;
  subject: string;
  accountId?: string;
  actor: { type: string; id: string };
  time: string;
  read: boolean;
  readAt?: string;
  subscriptionIds: string[];
}

const kindTitles: Record<NotificationKind, string> = {
  'report.published': 'New report or report version',
  'agreement.revision': 'New agreement revision',
  'agreement.accepted': 'Agreement accepted',
  'agreement.terminated': 'Agreement terminated',
  'coverage.lost': 'Agreement coverage lost',
  'export.finished': 'Evidence export finished',
  'account.changed': 'Organization membership changed',
  'ledger.checkpoint': 'Ledger checkpoint signed',
  'ledger.integrity': 'Ledger integrity alert',
};

/** A one-line human description, used by the feed, emails and webhook payloads alike. */
export function notificationTitle(kind: NotificationKind, entry: LedgerEntry): string {
  const name = entry.details.name ?? entry.details.title;
  const what = typeof name === 'string' && name !== '' ? name : entry.subject;
  return `${kindTitles[kind]}: ${what}${entry.accountId ? ` (account ${entry.accountId})` : ''}`;
}

export function feedItemRecord(
  owner: Pick<NotificationOwner, 'orgId' | 'userId'>,
  entry: LedgerEntry,
  kind: NotificationKind,
  subscriptionIds: string[],
): Item {
  return {
    ...notificationKeys.feedItem(owner.orgId, owner.userId, entry.seq),
    gsi2pk: notificationKeys.unreadIndex(owner.orgId, owner.userId),
    gsi2sk: padSeq(entry.seq),
    type: 'notification-feed-item',
    notificationId: padSeq(entry.seq),
    orgId: owner.orgId,
    userId: owner.userId,
    seq: entry.seq,
    kind,
    title: notificationTitle(kind, entry),
    action: entry.action,
    subject: entry.subject,
    ...(entry.accountId !== undefined ? { accountId: entry.accountId } : {}),
    actor: { type: entry.actor.type, id: entry.actor.id },
    time: entry.time,
    read: false,
    subscriptionIds,
  };
}

function feedItemFromItem(item: Item): FeedItem {
  return {
    notificationId: String(item.notificationId),
    seq: Number(item.seq),
    kind: item.kind as NotificationKind,
    title: String(item.title),
    action: String(item.action),
    subject: String(item.subject),
    ...(typeof item.accountId === 'string' ? { accountId: item.accountId } : {}),
    actor: item.actor as FeedItem['actor'],
    time: String(item.time),
    read: item.read === true,
    ...(typeof item.readAt === 'string' ? { readAt: item.readAt } : {}),
    subscriptionIds: (item.subscriptionIds ?? []) as string[],
  };
}

/** Newest first. `unreadOnly` walks the sparse unread index instead of the whole feed. */
export async function listFeed(
  store: Store,
  owner: NotificationOwner,
  page: { cursor?: string; limit: number; unreadOnly?: boolean },
): Promise<Page<FeedItem>> {
  const result = page.unreadOnly
    ? await store.query(notificationKeys.unreadIndex(owner.orgId, owner.userId), {
        index: 'gsi2',
        descending: true,
        limit: page.limit,
        ...(page.cursor ? { cursor: page.cursor } : {}),
      })
    : await store.query(notificationKeys.userPartition(owner.orgId, owner.userId), {
        skPrefix: 'FEED#',
        descending: true,
        limit: page.limit,
        consistent: true,
        ...(page.cursor ? { cursor: page.cursor } : {}),
      });
  return {
    items: result.items.map(feedItemFromItem),
    ...(result.nextCursor ? { nextCursor: result.nextCursor } : {}),
  };
}

/** Counting stops at `cap`: a badge shows "999+", it does not need the exact figure. */
export async function countUnread(store: Store, owner: NotificationOwner, cap = 1000): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await store.query(notificationKeys.unreadIndex(owner.orgId, owner.userId), {
      index: 'gsi2',
      limit: Math.min(100, cap - count),
      ...(cursor ? { cursor } : {}),
    });
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor && count < cap);
  return Math.min(count, cap);
}

const feedIdPattern = /^\d{12}$/;

/** Idempotent: marking a read item read again keeps its first readAt. */
export async function markRead(
  deps: { store: Store; clock: Clock },
  owner: NotificationOwner,
  notificationId: string,
): Promise<FeedItem> {
  if (!feedIdPattern.test(notificationId)) throw new NotFoundError('No such notification.');
  const key = notificationKeys.feedItem(owner.orgId, owner.userId, Number(notificationId));
  const item = await deps.store.get(key, { consistent: true });
  if (!item) throw new NotFoundError('No such notification.');
  if (item.read === true) return feedItemFromItem(item);
  const { gsi2pk: _pk, gsi2sk: _sk, ...rest } = item;
  const next: Item = { ...rest, read: true, readAt: deps.clock.now().toISOString() };
  try {
    await deps.store.put(next, { kind: 'exists' });
  } catch (error) {
    if (error instanceof ConditionFailedError) throw new NotFoundError('No such notification.');
    throw error;
  }
  return feedItemFromItem(next);
}
