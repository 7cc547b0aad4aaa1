import {
  AddressAllowList,
  accessErrors,
  countUnread,
  createSubscription,
  createWebhook,
  deleteSubscription,
  deleteWebhook,
  type FeedItem,
  getSubscription,
  getWebhook,
  listFeed,
  listSubscriptions,
  listWebhookDeliveries,
  listWebhooks,
  markRead,
  type NotificationOwner,
  notificationArn,
  notificationChannels,
  notificationErrors,
  notificationKindNames,
  replaceSubscription,
  type Subscription,
  subscriptionArn,
  updateWebhook,
  type Webhook,
  type WebhookDelivery,
  webhookArn,
} from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { PageQuery, pageOptions, presentPage } from '../pagination.js';
import { portalRoute } from '../route-definition.js';
import { json, jsonBody } from '../route-kit.js';
import { problemsFor } from '../schemas.js';

const problem = problemsFor([notificationErrors, accessErrors]);

/**
 * A user's own feed, subscriptions and webhooks: the store keys them by the caller's user, and the gate
 * asks the catalog action each route performs (a read-only principal may not create webhooks).
 */
const on = (action: `portal:${string}`, resource: string) => ({ kind: 'action', action, resource }) as const;
const readFeed = (id = '*') => on('portal:ListNotifications', notificationArn('{orgId}', id));
const manageSubscriptions = (id = '*') => on('portal:ManageSubscriptions', subscriptionArn('{orgId}', id));
const manageWebhooks = (id = '*') => on('portal:ManageWebhooks', webhookArn('{orgId}', id));

const IdParam = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'an id')
    .openapi({ param: { name: 'id', in: 'path' } }),
});
const FeedQuery = PageQuery.extend({
  unread: z.enum(['true', 'false']).optional().openapi({ description: 'Only unread items' }),
});

const FeedItemSchema = z
  .object({
    notificationId: z.string(),
    seq: z.number().int(),
    kind: z.enum(notificationKindNames),
    title: z.string(),
    action: z.string(),
    subject: z.string(),
    accountId: z.string().optional(),
    actor: z.object({ type: z.string(), id: z.string() }),
    time: z.string(),
    read: z.boolean(),
    readAt: z.string().optional(),
    subscriptionIds: z.array(z.string()),
  })
  .openapi('Notification');
const FeedPageSchema = z
  .object({ items: z.array(FeedItemSchema), nextCursor: z.string().optional(), unreadCount: z.number().int() })
  .openapi('NotificationPage');

const filterValue = z.string().trim().min(1).max(128);
const FiltersSchema = z
  .object({
    reportCategory: filterValue.optional(),
    reportSeries: filterValue.optional(),
    accountId: z
      .string()
      .regex(/^\d{12}$/, '12 digits')
      .optional(),
  })
  .openapi('SubscriptionFilters');
const SubscriptionInputSchema = z
  .object({
    kinds: z
      .array(z.enum(notificationKindNames))
      .min(1)
      .max(notificationKindNames.length * 2),
    filters: FiltersSchema.default({}),
    channels: z.array(z.enum(notificationChannels)).min(1).max(6),
    webhookId: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a webhook id')
      .optional(),
  })
  .openapi('SubscriptionInput');
const SubscriptionSchema = z
  .object({
    subscriptionId: z.string(),
    kinds: z.array(z.enum(notificationKindNames)),
    filters: FiltersSchema,
    channels: z.array(z.enum(notificationChannels)),
    webhookId: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Subscription');

const WebhookSchema = z
  .object({
    webhookId: z.string(),
    url: z.string(),
    description: z.string(),
    enabled: z.boolean(),
    disabledReason: z.string().optional(),
    consecutiveFailures: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Webhook');
const WebhookCreatedSchema = z
  .object({
    webhook: WebhookSchema,
    secret: z.string().openapi({ description: 'The signing secret. Shown once; store it now.' }),
  })
  .openapi('WebhookCreated');
const WebhookInputSchema = z
  .object({ url: z.string().max(2048), description: z.string().max(256).optional() })
  .openapi('WebhookInput');
const WebhookPatchSchema = z
  .object({
    url: z.string().max(2048).optional(),
    description: z.string().max(256).optional(),
    enabled: z.boolean().optional(),
  })
  .openapi('WebhookPatch');
const DeliverySchema = z
  .object({
    deliveryId: z.string(),
    webhookId: z.string(),
    eventId: z.string(),
    seq: z.number().int(),
    kind: z.string(),
    status: z.enum(['pending', 'delivered', 'failed', 'skipped']).openapi({
      description: 'skipped: withheld because the subscriber may no longer read the subject',
    }),
    attempts: z.array(
      z.object({
        at: z.string(),
        outcome: z.enum(['delivered', 'failed', 'skipped']),
        status: z.number().int().optional(),
        error: z.string().optional(),
      }),
    ),
    backoffMs: z.array(z.number().int()),
    nextAttemptAt: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('WebhookDelivery');

const common = {
  400: problem(400, 'Invalid input'),
  401: problem(401, 'No session'),
  403: problem(403, 'Not allowed (explicit_deny / implicit_deny)'),
};
const missing = { 404: problem(404, 'Not found (or not yours)') };

const listFeedRoute = portalRoute({
  method: 'get',
  path: '/notifications',
  tags: ['Notifications'],
  summary: 'My notification feed, newest first, with the unread count',
  authorization: readFeed(),
  request: { query: FeedQuery },
  responses: { 200: json('A page of notifications', FeedPageSchema), ...common },
});
const unreadCountRoute = portalRoute({
  method: 'get',
  path: '/notifications/unread-count',
  tags: ['Notifications'],
  summary: 'How many of my notifications are unread (capped at 1000)',
  authorization: readFeed(),
  responses: { 200: json('The count', z.object({ unreadCount: z.number().int() })), ...common },
});
const markReadRoute = portalRoute({
  method: 'post',
  path: '/notifications/{id}/read',
  tags: ['Notifications'],
  summary: 'Mark one of my notifications read',
  authorization: readFeed('{id}'),
  request: { params: IdParam },
  responses: { 200: json('The notification, read', FeedItemSchema), ...common, ...missing },
});

const listSubscriptionsRoute = portalRoute({
  method: 'get',
  path: '/subscriptions',
  tags: ['Notifications'],
  summary: 'My subscriptions',
  authorization: manageSubscriptions(),
  responses: { 200: json('Subscriptions', z.object({ items: z.array(SubscriptionSchema) })), ...common },
});
const createSubscriptionRoute = portalRoute({
  method: 'post',
  path: '/subscriptions',
  tags: ['Notifications'],
  summary: 'Subscribe to kinds of ledger entries of my organization',
  authorization: manageSubscriptions(),
  request: jsonBody(SubscriptionInputSchema),
  responses: {
    201: json('Created', SubscriptionSchema),
    ...common,
    409: problem(409, 'Too many subscriptions'),
  },
});
const getSubscriptionRoute = portalRoute({
  method: 'get',
  path: '/subscriptions/{id}',
  tags: ['Notifications'],
  summary: 'One of my subscriptions',
  authorization: manageSubscriptions('{id}'),
  request: { params: IdParam },
  responses: { 200: json('The subscription', SubscriptionSchema), ...common, ...missing },
});
const replaceSubscriptionRoute = portalRoute({
  method: 'put',
  path: '/subscriptions/{id}',
  tags: ['Notifications'],
  summary: 'Replace one of my subscriptions',
  authorization: manageSubscriptions('{id}'),
  request: { params: IdParam, ...jsonBody(SubscriptionInputSchema) },
  responses: { 200: json('The subscription', SubscriptionSchema), ...common, ...missing },
});
const deleteSubscriptionRoute = portalRoute({
  method: 'delete',
  path: '/subscriptions/{id}',
  tags: ['Notifications'],
  summary: 'Delete one of my subscriptions',
  authorization: manageSubscriptions('{id}'),
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...common, ...missing },
});

const listWebhooksRoute = portalRoute({
  method: 'get',
  path: '/webhooks',
  tags: ['Notifications'],
  summary: 'My webhooks',
  authorization: manageWebhooks(),
  responses: { 200: json('Webhooks', z.object({ items: z.array(WebhookSchema) })), ...common },
});
const createWebhookRoute = portalRoute({
  method: 'post',
  path: '/webhooks',
  tags: ['Notifications'],
  summary: 'Register a webhook (https; public addresses only). The signing secret is returned once.',
  authorization: manageWebhooks(),
  request: jsonBody(WebhookInputSchema),
  responses: {
    201: json('Created, with its secret', WebhookCreatedSchema),
    ...common,
    409: problem(409, 'Too many webhooks'),
  },
});
const getWebhookRoute = portalRoute({
  method: 'get',
  path: '/webhooks/{id}',
  tags: ['Notifications'],
  summary: 'One of my webhooks',
  authorization: manageWebhooks('{id}'),
  request: { params: IdParam },
  responses: { 200: json('The webhook', WebhookSchema), ...common, ...missing },
});
const updateWebhookRoute = portalRoute({
  method: 'patch',
  path: '/webhooks/{id}',
  tags: ['Notifications'],
  summary: 'Change the URL or description of one of my webhooks, or enable/disable it',
  authorization: manageWebhooks('{id}'),
  request: { params: IdParam, ...jsonBody(WebhookPatchSchema) },
  responses: { 200: json('The webhook', WebhookSchema), ...common, ...missing },
});
const deleteWebhookRoute = portalRoute({
  method: 'delete',
  path: '/webhooks/{id}',
  tags: ['Notifications'],
  summary: 'Delete one of my webhooks (not while a subscription uses it)',
  authorization: manageWebhooks('{id}'),
  request: { params: IdParam },
  responses: {
    204: { description: 'Deleted' },
    ...common,
    ...missing,
    409: problem(409, 'A subscription still uses it'),
  },
});
const listDeliveriesRoute = portalRoute({
  method: 'get',
  path: '/webhooks/{id}/deliveries',
  tags: ['Notifications'],
  summary: 'The delivery log of one of my webhooks, newest first',
  authorization: manageWebhooks('{id}'),
  request: { params: IdParam, query: PageQuery },
  responses: {
    200: json('Deliveries', z.object({ items: z.array(DeliverySchema), nextCursor: z.string().optional() })),
    ...common,
    ...missing,
  },
});

function ownerOf(c: Context<AppEnv>): NotificationOwner {
  const principal = c.get('principal')!;
  return { orgId: principal.orgId, userId: principal.userId, email: principal.email };
}

function urlPolicy(c: Context<AppEnv>) {
  const deps = c.get('deps');
  return {
    stage: deps.settings.stage,
    allowList: deps.webhookAllowList ?? new AddressAllowList(),
    host: deps.hostNetwork.addresses,
    resolver: deps.hostNetwork.resolver,
  };
}

// Presenters: each lists the fields it answers (owner ids, versions and secrets stay inside).
function subscriptionView(subscription: Subscription): z.infer<typeof SubscriptionSchema> {
  return {
    subscriptionId: subscription.subscriptionId,
    kinds: [...subscription.kinds],
    filters: {
      reportCategory: subscription.filters.reportCategory,
      reportSeries: subscription.filters.reportSeries,
      accountId: subscription.filters.accountId,
    },
    channels: [...subscription.channels],
    webhookId: subscription.webhookId,
    createdAt: subscription.createdAt,
    updatedAt: subscription.updatedAt,
  };
}

function webhookView(webhook: Webhook): z.infer<typeof WebhookSchema> {
  return {
    webhookId: webhook.webhookId,
    url: webhook.url,
    description: webhook.description,
    enabled: webhook.enabled,
    disabledReason: webhook.disabledReason,
    consecutiveFailures: webhook.consecutiveFailures,
    createdAt: webhook.createdAt,
    updatedAt: webhook.updatedAt,
  };
}

function feedItemView(item: FeedItem): z.infer<typeof FeedItemSchema> {
  return {
    notificationId: item.notificationId,
    seq: item.seq,
    kind: item.kind,
    title: item.title,
    action: item.action,
    subject: item.subject,
    accountId: item.accountId,
    actor: { type: item.actor.type, id: item.actor.id },
    time: item.time,
    read: item.read,
    readAt: item.readAt,
    subscriptionIds: [...item.subscriptionIds],
  };
}

function deliveryView(delivery: WebhookDelivery): z.infer<typeof DeliverySchema> {
  return {
    deliveryId: delivery.deliveryId,
    webhookId: delivery.webhookId,
    eventId: delivery.eventId,
    seq: delivery.seq,
    kind: delivery.kind,
    status: delivery.status,
    attempts: delivery.attempts.map((attempt) => ({
      at: attempt.at,
      outcome: attempt.outcome,
      status: attempt.status,
      error: attempt.error,
    })),
    backoffMs: [...delivery.backoffMs],
    nextAttemptAt: delivery.nextAttemptAt,
    createdAt: delivery.createdAt,
    updatedAt: delivery.updatedAt,
  };
}

export function notificationRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(listFeedRoute, async (c) => {
    const { cursor, limit, unread } = c.req.valid('query');
    const owner = ownerOf(c);
    const store = c.get('deps').store;
    const page = await listFeed(store, owner, {
      limit,
      unreadOnly: unread === 'true',
      ...(cursor !== undefined ? { cursor } : {}),
    });
    return c.json({ ...presentPage(page, feedItemView), unreadCount: await countUnread(store, owner) }, 200);
  });
  app.openapi(unreadCountRoute, async (c) =>
    c.json({ unreadCount: await countUnread(c.get('deps').store, ownerOf(c)) }, 200),
  );
  app.openapi(markReadRoute, async (c) =>
    c.json(feedItemView(await markRead(c.get('deps'), ownerOf(c), c.req.valid('param').id)), 200),
  );

  app.openapi(listSubscriptionsRoute, async (c) => {
    const items = await listSubscriptions(c.get('deps'), ownerOf(c));
    return c.json({ items: items.map(subscriptionView) }, 200);
  });
  app.openapi(createSubscriptionRoute, async (c) => {
    const created = await createSubscription(c.get('deps'), ownerOf(c), c.req.valid('json'));
    return c.json(subscriptionView(created), 201);
  });
  app.openapi(getSubscriptionRoute, async (c) =>
    c.json(subscriptionView(await getSubscription(c.get('deps'), ownerOf(c), c.req.valid('param').id)), 200),
  );
  app.openapi(replaceSubscriptionRoute, async (c) => {
    const updated = await replaceSubscription(c.get('deps'), ownerOf(c), c.req.valid('param').id, c.req.valid('json'));
    return c.json(subscriptionView(updated), 200);
  });
  app.openapi(deleteSubscriptionRoute, async (c) => {
    await deleteSubscription(c.get('deps'), ownerOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });

  app.openapi(listWebhooksRoute, async (c) => {
    const items = await listWebhooks(c.get('deps').store, ownerOf(c));
    return c.json({ items: items.map(webhookView) }, 200);
  });
  app.openapi(createWebhookRoute, async (c) => {
    const { webhook, secret } = await createWebhook(
      { ...c.get('deps'), urlPolicy: urlPolicy(c) },
      ownerOf(c),
      c.req.valid('json'),
    );
    return c.json({ webhook: webhookView(webhook), secret }, 201);
  });
  app.openapi(getWebhookRoute, async (c) =>
    c.json(webhookView(await getWebhook(c.get('deps').store, ownerOf(c), c.req.valid('param').id)), 200),
  );
  app.openapi(updateWebhookRoute, async (c) => {
    const updated = await updateWebhook(
      { ...c.get('deps'), urlPolicy: urlPolicy(c) },
      ownerOf(c),
      c.req.valid('param').id,
      c.req.valid('json'),
    );
    return c.json(webhookView(updated), 200);
  });
  app.openapi(deleteWebhookRoute, async (c) => {
    await deleteWebhook(c.get('deps').store, ownerOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(listDeliveriesRoute, async (c) => {
    const { cursor, limit } = c.req.valid('query');
    const page = await listWebhookDeliveries(c.get('deps').store, ownerOf(c), c.req.valid('param').id, {
      ...pageOptions({ cursor, limit }),
    });
    return c.json(presentPage(page, deliveryView), 200);
  });
  return app;
}
