import { HttpWebhookTransport, LogEmailSender } from '@evidence-portal/aws';
import {
  AddressAllowList,
  createSubscription,
  createWebhook,
  type DeliveryPolicy,
  deliverAllNotifications,
  deliverNotifications,
  getWebhook,
  listFeed,
  listWebhookDeliveries,
  notificationKeys,
  signatureHeader,
  verifyWebhookSignature,
} from '@evidence-portal/core';
import { afterEach, describe, expect, it } from 'vitest';
import { byTier } from '../support/context.js';
import { startLocalReceiver } from './local-receiver.js';
import { notificationWorld, recordingLogger } from './support.js';

const receivers: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function setup(answer: () => number, policy: Partial<DeliveryPolicy> = {}) {
  const world = await notificationWorld();
  const receiver = await startLocalReceiver(answer);
  receivers.push(receiver);
  const { logger, lines } = recordingLogger();
  const owner = { orgId: world.orgId, userId: 'u-alice', email: 'alice@example.com' };
  const { webhook, secret } = await createWebhook(world, owner, { url: receiver.url, description: 'ci' });
  await createSubscription(world, owner, {
    kinds: ['report.published'],
    filters: { reportCategory: 'SOC' },
    channels: ['feed', 'webhook', 'email'],
    webhookId: webhook.webhookId,
  });
  const worker = {
    store: world.store,
    clock: world.clock,
    logger,
    transport: new HttpWebhookTransport({ allowHttp: true, allowList: new AddressAllowList(['127.0.0.1']) }),
    email: new LogEmailSender(logger),
    policy,
  };
  const publish = (name: string, category = 'SOC') => {
    world.clock.advance(1000);
    return world.ledger.append({
      orgId: world.orgId,
      actor: { type: 'user', id: 'u-publisher' },
      action: 'report:VersionPublished',
      subject: `arn:portal:${world.orgId}:*:report/${name}`,
      details: { reportCategory: category, name },
    });
  };
  return { ...world, receiver, lines, owner, webhook, secret, worker, publish };
}

describe('notification delivery worker (DynamoDB Local, loopback receiver)', () => {
  it('delivers a matching ledger entry to the feed, a signed webhook and the email log, exactly once', async () => {
    // prepare
    const t = await setup(() => 200);
    const published = await t.publish('SOC 2 Type II');
    await t.publish('ISO 27001', 'ISO'); // filtered out by reportCategory
    t.clock.advance(1000);
    await t.ledger.append({
      orgId: t.orgId,
      actor: { type: 'user', id: 'u-bob' },
      action: 'report:Downloaded', // no kind: nobody can subscribe to it
      subject: `arn:portal:${t.orgId}:*:report/x`,
    });

    // act
    const report = await deliverNotifications(t.worker, t.orgId);

    // assert: one webhook call, signed per the documented scheme
    expect(report).toMatchObject({
      entriesProcessed: 3,
      feedItems: 1,
      webhookDeliveries: 1,
      emails: 1,
      delivered: 1,
      emailsSent: 1,
    });
    expect(t.receiver.received).toHaveLength(1);
    const call = t.receiver.received[0]!;
    const header = String(call.headers[signatureHeader.toLowerCase()]);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(header, call.body, t.secret, Math.floor(t.clock.now().getTime() / 1000))).toBe(true);
    expect(verifyWebhookSignature(header, call.body, 'whsec_wrong', Math.floor(t.clock.now().getTime() / 1000))).toBe(
      false,
    );
    const payload = JSON.parse(call.body) as { id: string; type: string; entry: { seq: number; action: string } };
    expect(payload.type).toBe('report.published');
    expect(payload.entry).toMatchObject({ seq: published.seq, action: 'report:VersionPublished' });
    expect(call.headers['x-evidence-event-id']).toBe(payload.id);

    const feed = await listFeed(t.store, t.owner, { limit: 10 });
    expect(feed.items.map((i) => [i.seq, i.kind, i.read])).toEqual([[published.seq, 'report.published', false]]);
    const emails = t.lines.filter((l) => l.message.startsWith('email'));
    expect(emails).toHaveLength(1);
    expect(emails[0]?.fields.email).toMatchObject({ to: 'alice@example.com' });

    // act again: nothing new, nothing repeated
    const again = await deliverNotifications(t.worker, t.orgId);
    expect(again).toMatchObject({
      entriesProcessed: 0,
      feedItems: 0,
      webhookDeliveries: 0,
      attempts: 0,
      emailsSent: 0,
    });

    // crash between fan-out and cursor advance: the cursor is back at 0, the items already exist
    await t.store.put({ ...notificationKeys.cursor(t.orgId), seq: 0, orgId: t.orgId });
    const replay = await deliverNotifications(t.worker, t.orgId);
    expect(replay).toMatchObject({
      entriesProcessed: 3,
      feedItems: 0,
      webhookDeliveries: 0,
      emails: 0,
      attempts: 0,
      emailsSent: 0,
    });
    expect(t.lines.filter((l) => l.message.startsWith('email'))).toHaveLength(1);
    expect(t.receiver.received).toHaveLength(1);
    expect((await listFeed(t.store, t.owner, { limit: 10 })).items).toHaveLength(1);
    const log = await listWebhookDeliveries(t.store, t.owner, t.webhook.webhookId, { limit: 10 });
    expect(log.items.map((d) => [d.seq, d.status, d.attempts.length])).toEqual([[published.seq, 'delivered', 1]]);
  });

  it('retries a failing receiver on the stored backoff schedule, logs the delivery failed, then disables the webhook', async () => {
    // prepare: 3 attempts per delivery (delays 60 s, 120 s), disabled after 2 failed deliveries in a row
    const t = await setup(() => 500, {
      maxAttempts: 3,
      baseDelayMs: 60_000,
      maxDelayMs: 3_600_000,
      disableAfterConsecutiveFailures: 2,
    });
    const runUntilSettled = async () => {
      const first = await deliverNotifications(t.worker, t.orgId);
      expect(first).toMatchObject({ attempts: 1, retried: 1 });
      // not due yet: nothing is sent
      t.clock.advance(59_999);
      expect(await deliverNotifications(t.worker, t.orgId)).toMatchObject({ attempts: 0 });
      t.clock.advance(1);
      expect(await deliverNotifications(t.worker, t.orgId)).toMatchObject({ attempts: 1, retried: 1 });
      t.clock.advance(119_999);
      expect(await deliverNotifications(t.worker, t.orgId)).toMatchObject({ attempts: 0 });
      t.clock.advance(1);
      return deliverNotifications(t.worker, t.orgId);
    };

    // act 1: the first delivery exhausts its attempts
    const entry1 = await t.publish('SOC 1');
    const settled1 = await runUntilSettled();

    // assert 1
    expect(settled1).toMatchObject({ attempts: 1, failed: 1, webhooksDisabled: [] });
    expect(t.receiver.received.map((r) => r.headers['x-evidence-delivery-attempt'])).toEqual(['1', '2', '3']);
    const [failed] = (await listWebhookDeliveries(t.store, t.owner, t.webhook.webhookId, { limit: 10 })).items;
    expect(failed).toMatchObject({ seq: entry1.seq, status: 'failed', backoffMs: [60_000, 120_000] });
    expect(failed?.nextAttemptAt).toBeUndefined();
    const times = failed!.attempts.map((a) => Date.parse(a.at));
    expect([times[1]! - times[0]!, times[2]! - times[1]!]).toEqual([60_000, 120_000]);
    expect(failed!.attempts.every((a) => a.outcome === 'failed' && a.status === 500)).toBe(true);
    expect(await getWebhook(t.store, t.owner, t.webhook.webhookId)).toMatchObject({
      enabled: true,
      consecutiveFailures: 1,
    });
    expect(t.lines.some((l) => l.message === 'webhook delivery failed' && l.fields.seq === entry1.seq)).toBe(true);

    // act 2: a second failed delivery reaches the threshold
    await t.publish('SOC 2');
    const settled2 = await runUntilSettled();

    // assert 2
    expect(settled2.webhooksDisabled).toEqual([t.webhook.webhookId]);
    expect(await getWebhook(t.store, t.owner, t.webhook.webhookId)).toMatchObject({
      enabled: false,
      consecutiveFailures: 2,
      disabledReason: '2 deliveries in a row failed',
    });
    expect(t.receiver.received).toHaveLength(6);

    // act 3: a disabled webhook is not called; its delivery is logged as failed
    const entry3 = await t.publish('SOC 3');
    const after = await deliverNotifications(t.worker, t.orgId);
    expect(after).toMatchObject({ attempts: 0, failed: 1 });
    expect(t.receiver.received).toHaveLength(6);
    const [latest] = (await listWebhookDeliveries(t.store, t.owner, t.webhook.webhookId, { limit: 1 })).items;
    expect(latest).toMatchObject({ seq: entry3.seq, status: 'failed' });
    expect(latest?.attempts[0]?.error).toBe('webhook disabled');
    // the feed still got all three
    expect((await listFeed(t.store, t.owner, { limit: 10 })).items).toHaveLength(3);
  });

  it('a success after failed attempts delivers and clears the failure count', async () => {
    // prepare: the receiver fails twice, then recovers
    let calls = 0;
    const t = await setup(() => (++calls <= 2 ? 503 : 200), { maxAttempts: 4, baseDelayMs: 1000 });
    await t.publish('SOC 2');
    // act
    await deliverNotifications(t.worker, t.orgId);
    t.clock.advance(1000);
    await deliverNotifications(t.worker, t.orgId);
    t.clock.advance(2000);
    const last = await deliverNotifications(t.worker, t.orgId);
    // assert
    expect(last).toMatchObject({ attempts: 1, delivered: 1 });
    const [delivery] = (await listWebhookDeliveries(t.store, t.owner, t.webhook.webhookId, { limit: 1 })).items;
    expect(delivery?.attempts.map((a) => a.outcome)).toEqual(['failed', 'failed', 'delivered']);
    expect(delivery?.status).toBe('delivered');
  });

  it('concurrent workers on one org send each delivery once and write each feed item once', async () => {
    // prepare
    const t = await setup(() => 200);
    const entries = byTier(5, 40);
    const workers = byTier(4, 16);
    for (let i = 0; i < entries; i++) await t.publish(`r${i}`);
    // act: several runs at once, then one more to pick up anything a loser of the cursor race left
    const reports = await Promise.all(Array.from({ length: workers }, () => deliverNotifications(t.worker, t.orgId)));
    await deliverNotifications(t.worker, t.orgId);
    // assert
    const seqs = t.receiver.received.map((r) => (JSON.parse(r.body) as { entry: { seq: number } }).entry.seq);
    expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: entries }, (_, i) => i + 1));
    expect(reports.reduce((sum, r) => sum + r.feedItems, 0)).toBe(entries);
    expect(reports.reduce((sum, r) => sum + r.webhookDeliveries, 0)).toBe(entries);
    expect((await listFeed(t.store, t.owner, { limit: 100 })).items).toHaveLength(entries);
    expect(t.lines.filter((l) => l.message.startsWith('email'))).toHaveLength(entries);
  });

  it('the timer job walks every organization with subscriptions', async () => {
    // prepare
    const t = await setup(() => 200);
    await t.publish('SOC 2');
    // act
    const run = await deliverAllNotifications(t.worker);
    // assert
    expect(run).toMatchObject({ orgs: 1, failedOrgs: [] });
    expect(run.totals).toMatchObject({ entriesProcessed: 1, delivered: 1, emailsSent: 1 });
    expect(t.receiver.received).toHaveLength(1);
  });
});
