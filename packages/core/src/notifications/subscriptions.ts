import { ConditionFailedError, NotFoundError, ValidationError } from '../errors.js';
import type { Clock, IdGenerator } from '../ports/runtime.js';
import type { Item, Store } from '../ports/store.js';
import { latestLedgerSeq } from './ledger-entry-source.js';
import { notificationKeys } from './notification-keys.js';
import type { NotificationKind } from './notification-kinds.js';
import type { NotificationChannel, Subscription, SubscriptionFilters } from './subscription.js';
import { removeWithinQuota, subscriptionQuota, writeWithinQuota } from './user-quota.js';
import { findWebhook } from './webhooks.js';

export interface NotificationDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
}

/** Whose notifications: always the caller's own (the API passes the session principal). */
export interface NotificationOwner {
  orgId: string;
  userId: string;
  email: string;
}

export interface SubscriptionInput {
  kinds: NotificationKind[];
  filters: SubscriptionFilters;
  channels: NotificationChannel[];
  webhookId?: string;
}

export const maxSubscriptionsPerUser = subscriptionQuota.limit;

export function subscriptionFromItem(item: Item): Subscription {
  const filters = (item.filters ?? {}) as SubscriptionFilters;
  return {
    subscriptionId: String(item.subscriptionId),
    orgId: String(item.orgId),
    userId: String(item.userId),
    email: String(item.email ?? ''),
    kinds: (item.kinds ?? []) as NotificationKind[],
    filters,
    channels: (item.channels ?? []) as NotificationChannel[],
    ...(typeof item.webhookId === 'string' ? { webhookId: item.webhookId } : {}),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
}

function subscriptionItem(subscription: Subscription): Item {
  const key = notificationKeys.subscription(subscription.orgId, subscription.userId, subscription.subscriptionId);
  const filters: Record<string, string> = {};
  for (const [name, value] of Object.entries(subscription.filters)) if (value !== undefined) filters[name] = value;
  return {
    ...key,
    gsi1pk: notificationKeys.orgSubscriptionsIndex(subscription.orgId),
    gsi1sk: `SUB#${subscription.subscriptionId}`,
    type: 'notification-subscription',
    subscriptionId: subscription.subscriptionId,
    orgId: subscription.orgId,
    userId: subscription.userId,
    email: subscription.email,
    kinds: subscription.kinds,
    filters,
    channels: subscription.channels,
    ...(subscription.webhookId !== undefined ? { webhookId: subscription.webhookId } : {}),
    createdAt: subscription.createdAt,
    updatedAt: subscription.updatedAt,
  };
}

/** Duplicates are dropped; a webhook channel needs one of the owner's webhooks and vice versa. */
async function normalizedInput(deps: NotificationDeps, owner: NotificationOwner, input: SubscriptionInput) {
  const kinds = [...new Set(input.kinds)];
  const channels = [...new Set(input.channels)];
  const wantsWebhook = channels.includes('webhook');
  if (wantsWebhook && input.webhookId === undefined) {
    throw new ValidationError('A webhook channel needs a webhook.', [
      { path: 'webhookId', message: 'required when channels include webhook' },
    ]);
  }
  if (!wantsWebhook && input.webhookId !== undefined) {
    throw new ValidationError('webhookId is only meaningful with the webhook channel.', [
      { path: 'webhookId', message: 'add "webhook" to channels or drop webhookId' },
    ]);
  }
  if (input.webhookId !== undefined && !(await findWebhook(deps.store, owner, input.webhookId))) {
    throw new ValidationError('No such webhook.', [{ path: 'webhookId', message: 'not one of your webhooks' }]);
  }
  return { kinds, channels, filters: input.filters, ...(input.webhookId ? { webhookId: input.webhookId } : {}) };
}

/**
 * Registers the org with the worker and starts its cursor at the current ledger head, so a first
 * subscription hears about what happens next, not about the org's whole history.
 */
async function ensureOrgTracked(deps: NotificationDeps, orgId: string): Promise<void> {
  const existing = await deps.store.get(notificationKeys.cursor(orgId), { consistent: true });
  if (!existing) {
    const seq = await latestLedgerSeq(deps.store, orgId);
    try {
      await deps.store.put(
        {
          ...notificationKeys.cursor(orgId),
          type: 'notification-cursor',
          orgId,
          seq,
          updatedAt: deps.clock.now().toISOString(),
        },
        { kind: 'notExists' },
      );
    } catch (error) {
      if (!(error instanceof ConditionFailedError)) throw error;
    }
  }
  await deps.store.put({ ...notificationKeys.orgRegistration(orgId), type: 'notification-org', orgId });
}

export async function listSubscriptions(deps: Pick<NotificationDeps, 'store'>, owner: NotificationOwner) {
  const subscriptions: Subscription[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.query(notificationKeys.userPartition(owner.orgId, owner.userId), {
      skPrefix: 'SUB#',
      consistent: true,
      ...(cursor ? { cursor } : {}),
    });
    subscriptions.push(...page.items.map(subscriptionFromItem));
    cursor = page.nextCursor;
  } while (cursor);
  return subscriptions;
}

export async function createSubscription(
  deps: NotificationDeps,
  owner: NotificationOwner,
  input: SubscriptionInput,
): Promise<Subscription> {
  const normalized = await normalizedInput(deps, owner, input);

  await ensureOrgTracked(deps, owner.orgId);
  const now = deps.clock.now().toISOString();
  const subscription: Subscription = {
    subscriptionId: `sub_${deps.ids.newId()}`,
    orgId: owner.orgId,
    userId: owner.userId,
    email: owner.email,
    ...normalized,
    createdAt: now,
    updatedAt: now,
  };
  await writeWithinQuota(deps.store, owner, subscriptionQuota, {
    kind: 'put',
    item: subscriptionItem(subscription),
    condition: { kind: 'notExists' },
  });
  return subscription;
}

export async function getSubscription(
  deps: Pick<NotificationDeps, 'store'>,
  owner: NotificationOwner,
  subscriptionId: string,
): Promise<Subscription> {
  const item = await deps.store.get(notificationKeys.subscription(owner.orgId, owner.userId, subscriptionId), {
    consistent: true,
  });
  if (!item) throw new NotFoundError('No such subscription.');
  return subscriptionFromItem(item);
}

export async function replaceSubscription(
  deps: NotificationDeps,
  owner: NotificationOwner,
  subscriptionId: string,
  input: SubscriptionInput,
): Promise<Subscription> {
  const current = await getSubscription(deps, owner, subscriptionId);
  const normalized = await normalizedInput(deps, owner, input);
  const { webhookId: _dropped, ...rest } = current;
  const next: Subscription = { ...rest, ...normalized, updatedAt: deps.clock.now().toISOString() };
  try {
    await deps.store.put(subscriptionItem(next), { kind: 'exists' });
  } catch (error) {
    if (error instanceof ConditionFailedError) throw new NotFoundError('No such subscription.');
    throw error;
  }
  return next;
}

export async function deleteSubscription(
  deps: Pick<NotificationDeps, 'store'>,
  owner: NotificationOwner,
  subscriptionId: string,
): Promise<void> {
  await removeWithinQuota(
    deps.store,
    owner,
    subscriptionQuota,
    notificationKeys.subscription(owner.orgId, owner.userId, subscriptionId),
    'No such subscription.',
  );
}

/** Every subscription of an organization, for the worker. */
export async function orgSubscriptions(store: Store, orgId: string): Promise<Subscription[]> {
  const subscriptions: Subscription[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.query(notificationKeys.orgSubscriptionsIndex(orgId), {
      index: 'gsi1',
      ...(cursor ? { cursor } : {}),
    });
    subscriptions.push(...page.items.map(subscriptionFromItem));
    cursor = page.nextCursor;
  } while (cursor);
  return subscriptions;
}
