import { ConditionFailedError, ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Item, Page, Store } from '../ports/store.js';
import { notificationKeys } from './notification-keys.js';
import type { NotificationDeps, NotificationOwner } from './subscriptions.js';
import { listSubscriptions } from './subscriptions.js';
import { removeWithinQuota, webhookQuota, writeWithinQuota } from './user-quota.js';
import { generateWebhookSecret } from './webhook-signature.js';
import { checkWebhookUrl, type WebhookUrlPolicy } from './webhook-url.js';

export interface Webhook {
  webhookId: string;
  orgId: string;
  userId: string;
  url: string;
  description: string;
  enabled: boolean;
  /** Why it was disabled (by the worker after repeated failures, or by its owner). */
  disabledReason?: string;
  /** Deliveries that exhausted their retries in a row; reset by any success. */
  consecutiveFailures: number;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface WebhookRecord extends Webhook {
  secret: string;
}

export const maxWebhooksPerUser = webhookQuota.limit;

export function webhookFromItem(item: Item): WebhookRecord {
  return {
    webhookId: String(item.webhookId),
    orgId: String(item.orgId),
    userId: String(item.userId),
    url: String(item.url),
    description: String(item.description ?? ''),
    enabled: item.enabled === true,
    ...(typeof item.disabledReason === 'string' ? { disabledReason: item.disabledReason } : {}),
    consecutiveFailures: Number(item.consecutiveFailures ?? 0),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    version: Number(item.version ?? 0),
    secret: String(item.secret),
  };
}

export function webhookItem(webhook: WebhookRecord): Item {
  return {
    ...notificationKeys.webhook(webhook.orgId, webhook.userId, webhook.webhookId),
    type: 'notification-webhook',
    webhookId: webhook.webhookId,
    orgId: webhook.orgId,
    userId: webhook.userId,
    url: webhook.url,
    description: webhook.description,
    enabled: webhook.enabled,
    ...(webhook.disabledReason !== undefined ? { disabledReason: webhook.disabledReason } : {}),
    consecutiveFailures: webhook.consecutiveFailures,
    createdAt: webhook.createdAt,
    updatedAt: webhook.updatedAt,
    version: webhook.version,
    secret: webhook.secret,
  };
}

/** The view a user sees: never the secret after creation. */
export function publicWebhook(record: WebhookRecord): Webhook {
  const { secret: _secret, ...view } = record;
  return view;
}

async function checkedUrl(url: string, policy: WebhookUrlPolicy): Promise<string> {
  const result = await checkWebhookUrl(url, policy);
  if ('errors' in result) throw new ValidationError('The webhook URL is not allowed.', result.errors);
  return result.url.toString();
}

export async function findWebhook(
  store: Store,
  owner: Pick<NotificationOwner, 'orgId' | 'userId'>,
  webhookId: string,
): Promise<WebhookRecord | undefined> {
  const item = await store.get(notificationKeys.webhook(owner.orgId, owner.userId, webhookId), { consistent: true });
  return item ? webhookFromItem(item) : undefined;
}

export async function getWebhook(store: Store, owner: NotificationOwner, webhookId: string): Promise<Webhook> {
  const found = await findWebhook(store, owner, webhookId);
  if (!found) throw new NotFoundError('No such webhook.');
  return publicWebhook(found);
}

export async function listWebhooks(store: Store, owner: NotificationOwner): Promise<Webhook[]> {
  const webhooks: Webhook[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.query(notificationKeys.userPartition(owner.orgId, owner.userId), {
      skPrefix: 'WEBHOOK#',
      consistent: true,
      ...(cursor ? { cursor } : {}),
    });
    webhooks.push(...page.items.map((item) => publicWebhook(webhookFromItem(item))));
    cursor = page.nextCursor;
  } while (cursor);
  return webhooks;
}

/** The secret is returned here and never again. */
export async function createWebhook(
  deps: NotificationDeps & { urlPolicy: WebhookUrlPolicy },
  owner: NotificationOwner,
  input: { url: string; description?: string },
): Promise<{ webhook: Webhook; secret: string }> {
  const url = await checkedUrl(input.url, deps.urlPolicy);
  const now = deps.clock.now().toISOString();
  const record: WebhookRecord = {
    webhookId: `wh_${deps.ids.newId()}`,
    orgId: owner.orgId,
    userId: owner.userId,
    url,
    description: input.description ?? '',
    enabled: true,
    consecutiveFailures: 0,
    createdAt: now,
    updatedAt: now,
    version: 1,
    secret: generateWebhookSecret(),
  };
  await writeWithinQuota(deps.store, owner, webhookQuota, {
    kind: 'put',
    item: webhookItem(record),
    condition: { kind: 'notExists' },
  });
  return { webhook: publicWebhook(record), secret: record.secret };
}

/**
 * Read-modify-write under the item's version, retried on a concurrent change (the worker updates
 * failure counts while an owner edits).
 */
export async function modifyWebhook(
  store: Store,
  owner: Pick<NotificationOwner, 'orgId' | 'userId'>,
  webhookId: string,
  change: (current: WebhookRecord) => WebhookRecord | undefined,
): Promise<WebhookRecord> {
  for (let attempt = 0; ; attempt++) {
    const current = await findWebhook(store, owner, webhookId);
    if (!current) throw new NotFoundError('No such webhook.');
    const next = change(current);
    if (!next) return current;
    try {
      await store.put(webhookItem({ ...next, version: current.version + 1 }), {
        kind: 'equals',
        attribute: 'version',
        value: current.version,
      });
      return { ...next, version: current.version + 1 };
    } catch (error) {
      if (!(error instanceof ConditionFailedError) || attempt >= 9) throw error;
    }
  }
}

export async function updateWebhook(
  deps: NotificationDeps & { urlPolicy: WebhookUrlPolicy },
  owner: NotificationOwner,
  webhookId: string,
  input: { url?: string; description?: string; enabled?: boolean },
): Promise<Webhook> {
  const url = input.url === undefined ? undefined : await checkedUrl(input.url, deps.urlPolicy);
  const now = deps.clock.now().toISOString();
  const updated = await modifyWebhook(deps.store, owner, webhookId, (current) => {
    const { disabledReason, ...rest } = current;
    const enabled = input.enabled ?? current.enabled;
    const reEnabled = enabled && !current.enabled;
    return {
      ...rest,
      ...(url !== undefined ? { url } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      enabled,
      // Turning a webhook back on gives it a fresh start; turning it off says who did it.
      consecutiveFailures: reEnabled ? 0 : current.consecutiveFailures,
      ...(enabled ? {} : { disabledReason: current.enabled ? 'disabled by its owner' : (disabledReason ?? '') }),
      updatedAt: now,
    };
  });
  return publicWebhook(updated);
}

export async function deleteWebhook(store: Store, owner: NotificationOwner, webhookId: string): Promise<void> {
  const users = (await listSubscriptions({ store }, owner)).filter((s) => s.webhookId === webhookId);
  if (!(await findWebhook(store, owner, webhookId))) throw new NotFoundError('No such webhook.');
  if (users.length > 0) {
    throw new ConflictError(
      `The webhook is used by subscriptions ${users.map((s) => s.subscriptionId).join(', ')}; change or delete them first.`,
      'webhook_in_use',
    );
  }
  await removeWithinQuota(
    store,
    owner,
    webhookQuota,
    notificationKeys.webhook(owner.orgId, owner.userId, webhookId),
    'No such webhook.',
  );
}

export interface DeliveryAttempt {
  at: string;
  /** `skipped`: withheld because the subscriber may no longer read the subject (`error` says why). */
  outcome: 'delivered' | 'failed' | 'skipped';
  status?: number;
  error?: string;
}

export interface WebhookDelivery {
  deliveryId: string;
  webhookId: string;
  eventId: string;
  seq: number;
  kind: string;
  status: 'pending' | 'delivered' | 'failed' | 'skipped';
  attempts: DeliveryAttempt[];
  /** The planned delays (ms) after each failed attempt; its length + 1 is the attempt budget. */
  backoffMs: number[];
  nextAttemptAt?: string;
  createdAt: string;
  updatedAt: string;
}

export function webhookDeliveryFromItem(item: Item): WebhookDelivery {
  return {
    deliveryId: String(item.deliveryId),
    webhookId: String(item.webhookId),
    eventId: String(item.eventId),
    seq: Number(item.seq),
    kind: String(item.notificationKind),
    status: item.status as WebhookDelivery['status'],
    attempts: (item.attempts ?? []) as unknown as DeliveryAttempt[],
    backoffMs: (item.backoffMs ?? []) as number[],
    ...(item.status === 'pending' && typeof item.nextAttemptAt === 'string'
      ? { nextAttemptAt: item.nextAttemptAt }
      : {}),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
}

/** The delivery log of one of the owner's webhooks, newest entry first. */
export async function listWebhookDeliveries(
  store: Store,
  owner: NotificationOwner,
  webhookId: string,
  page: { cursor?: string; limit: number },
): Promise<Page<WebhookDelivery>> {
  if (!(await findWebhook(store, owner, webhookId))) throw new NotFoundError('No such webhook.');
  const result = await store.query(notificationKeys.webhookDeliveries(owner.orgId, webhookId), {
    skPrefix: 'DELIVERY#',
    descending: true,
    limit: page.limit,
    consistent: true,
    ...(page.cursor ? { cursor: page.cursor } : {}),
  });
  return {
    items: result.items.map(webhookDeliveryFromItem),
    ...(result.nextCursor ? { nextCursor: result.nextCursor } : {}),
  };
}
