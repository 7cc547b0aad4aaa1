import {
  createSubscription,
  deleteSubscription,
  listSubscriptions,
  type NotificationKind,
  type NotificationOwner,
  notificationArn,
  requireAllowed,
  subscriptionArn,
} from '@evidence-portal/core';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { baseRequestContext } from '../middleware/authorization-gate.js';
import { callerOf, principalOf } from '../route-kit.js';
import { parseBody } from './artifact-input.js';

/** What Artifact notifies about: new reports (and versions) and new agreement revisions. */
export const artifactNotificationKinds: NotificationKind[] = ['report.published', 'agreement.revision'];

const ownerOf = (c: Context<AppEnv>): NotificationOwner => {
  const { orgId, userId, email } = principalOf(c);
  return { orgId, userId, email };
};

async function status(c: Context<AppEnv>) {
  const subscriptions = await listSubscriptions(c.get('deps'), ownerOf(c));
  return subscriptions.length > 0 ? 'SUBSCRIBED' : 'NOT_SUBSCRIBED';
}

/**
 * GetAccountSettings / PutAccountSettings (botocore's model), mapped onto the caller's own notification
 * subscriptions, as the portal's /api/subscriptions routes keep them: SUBSCRIBED while the caller has
 * any subscription. Subscribing adds one for Artifact's kinds (report.published, agreement.revision;
 * feed and email) when there is none; unsubscribing deletes every subscription of the caller, so nothing
 * is notified any more. Asks portal:ListNotifications / portal:ManageSubscriptions.
 */
export function artifactAccountSettings() {
  const app = new Hono<AppEnv>();

  app.get('/v1/account-settings/get', async (c) => {
    const { orgId } = principalOf(c);
    const deps = c.get('deps');
    await requireAllowed(
      deps.authorizer,
      callerOf(c),
      'portal:ListNotifications',
      notificationArn(orgId, '*'),
      baseRequestContext(c),
    );
    return c.json({ accountSettings: { notificationSubscriptionStatus: await status(c) } });
  });

  app.put('/v1/account-settings/put', async (c) => {
    const input = await parseBody(
      c,
      z.object({ notificationSubscriptionStatus: z.enum(['SUBSCRIBED', 'NOT_SUBSCRIBED']).optional() }),
      {},
    );
    const { orgId } = principalOf(c);
    const deps = c.get('deps');
    await requireAllowed(
      deps.authorizer,
      callerOf(c),
      'portal:ManageSubscriptions',
      subscriptionArn(orgId, '*'),
      baseRequestContext(c),
    );
    const wanted = input.notificationSubscriptionStatus;
    const owner = ownerOf(c);
    const current = await listSubscriptions(deps, owner);
    if (wanted === 'SUBSCRIBED' && current.length === 0) {
      await createSubscription(deps, owner, {
        kinds: artifactNotificationKinds,
        filters: {},
        channels: ['feed', 'email'],
      });
    } else if (wanted === 'NOT_SUBSCRIBED') {
      for (const subscription of current) await deleteSubscription(deps, owner, subscription.subscriptionId);
    }
    // What the caller asked for is now true; without a status the settings stay as they were.
    const now = wanted ?? (current.length > 0 ? 'SUBSCRIBED' : 'NOT_SUBSCRIBED');
    return c.json({ accountSettings: { notificationSubscriptionStatus: now } });
  });

  return app;
}
