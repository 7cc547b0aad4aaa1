import { errorCatalog } from '../error-codes.js';

/** Refusals of the notifications module. */
export const notificationErrors = errorCatalog('notifications', {
  too_many_subscriptions: { kind: 'conflict', description: 'A user has at most 50 subscriptions.' },
  too_many_webhooks: { kind: 'conflict', description: 'A user has at most 10 webhooks.' },
  webhook_in_use: { kind: 'conflict', description: 'Subscriptions still deliver to this webhook; change them first.' },
});

export type NotificationErrorCode = (typeof notificationErrors.list)[number];
