import {
  createSubscription,
  createWebhook,
  deleteWebhook,
  listSubscriptions,
  listWebhooks,
} from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { byTier, tier } from '../support/context.js';
import { notificationWorld } from './support.js';

/**
 * Issue 15, item 11: per-user quotas hold under concurrency, on DynamoDB Local's real transactions.
 * Fast tier: one burst per kind; soak: 100 bursts of webhooks, each on a fresh user, plus churn.
 */
describe('per-user quotas are enforced in the write', () => {
  it('concurrent webhook creates past the limit leave exactly 10; deleting gives a place back', async () => {
    const world = await notificationWorld();
    const bursts = byTier(1, 100);
    const concurrent = byTier(13, 30);
    let refused = 0;
    for (let round = 0; round < bursts; round++) {
      const owner = { orgId: world.orgId, userId: `u-quota${round}`, email: `q${round}@example.com` };
      const results = await Promise.allSettled(
        Array.from({ length: concurrent }, (_, i) =>
          createWebhook(world, owner, { url: `https://hooks.example.com/${round}/${i}` }),
        ),
      );
      const kept = await listWebhooks(world.store, owner);
      const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code?: string }).code] : []));
      refused += codes.length;
      expect(kept).toHaveLength(10);
      expect(new Set(codes)).toEqual(new Set(['too_many_webhooks']));
      if (round === 0) {
        await deleteWebhook(world.store, owner, kept[0]?.webhookId ?? '');
        await createWebhook(world, owner, { url: 'https://hooks.example.com/again' });
        await expect(createWebhook(world, owner, { url: 'https://hooks.example.com/over' })).rejects.toMatchObject({
          code: 'too_many_webhooks',
        });
      }
    }
    if (tier() === 'soak') console.info(`webhook quota soak: ${bursts} bursts x ${concurrent}, ${refused} refused`);
  });

  it('concurrent subscription creates past the limit leave exactly 50', async () => {
    const world = await notificationWorld();
    const owner = { orgId: world.orgId, userId: 'u-subs', email: 'subs@example.com' };
    const input = { kinds: ['agreement.accepted' as const], channels: ['feed' as const], filters: {} };
    // Fast tier: most of the quota is filled one by one, then a burst crosses the limit; soak: one burst of 60.
    const prefilled = byTier(47, 0);
    for (let i = 0; i < prefilled; i++) await createSubscription(world, owner, input);
    const burst = 60 - prefilled - byTier(-2, 0);
    const results = await Promise.allSettled(
      Array.from({ length: burst }, () => createSubscription(world, owner, input)),
    );

    expect(await listSubscriptions(world, owner)).toHaveLength(50);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r.reason as { code?: string }).code)).toEqual(
      Array(prefilled + burst - 50).fill('too_many_subscriptions'),
    );
  }, 120_000);
});
