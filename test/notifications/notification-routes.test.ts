import { randomUUID } from 'node:crypto';
import { LogEmailSender } from '@evidence-portal/aws';
import { AddressAllowList, deliverNotifications } from '@evidence-portal/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLedger } from '../../packages/core/src/ledger/ledger.js';
import { createTestApp } from '../support/app.js';
import { byTier } from '../support/context.js';
import { allowAllAuthorizer, asPrincipal, testPrincipal } from '../support/principal.js';
import { recordingLogger } from './support.js';

async function setup() {
  const { app, deps } = await createTestApp({
    overrides: { authorizer: allowAllAuthorizer, webhookAllowList: new AddressAllowList(['127.0.0.1']) },
  });
  const orgId = `o-${randomUUID().slice(0, 8)}`;
  const as = (userId: string, org = orgId) => {
    const client = asPrincipal(app, testPrincipal({ orgId: org, userId, email: `${userId}@example.com` }));
    return (method: string, path: string, body?: unknown) =>
      client.request(path, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
  };
  return { app, deps, orgId, alice: as('u-alice'), bob: as('u-bob'), eve: as('u-alice', `${orgId}-other`) };
}

describe('notification routes', () => {
  it('need a session', async () => {
    const { app } = await setup();
    for (const path of ['/api/notifications', '/api/subscriptions', '/api/webhooks']) {
      const response = await app.request(path);
      expect(response.status, path).toBe(401);
    }
  });

  it('webhooks: refuse private targets, show the secret once, and are invisible to other users and tenants', async () => {
    const { alice, bob, eve } = await setup();
    // refusals
    for (const url of [
      'https://10.0.0.1/x',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]:8080/x',
      'https://localhost/x',
    ]) {
      const refused = await alice('POST', '/api/webhooks', { url });
      expect(refused.status, url).toBe(400);
      expect(((await refused.json()) as { errors: Array<{ path: string }> }).errors[0]?.path).toBe('url');
    }
    // create
    const created = await alice('POST', '/api/webhooks', { url: 'http://127.0.0.1:9/hook', description: 'ci' });
    expect(created.status).toBe(201);
    const { webhook, secret } = (await created.json()) as { webhook: { webhookId: string }; secret: string };
    expect(secret).toMatch(/^whsec_/);
    const shown = await (await alice('GET', `/api/webhooks/${webhook.webhookId}`)).text();
    expect(shown).not.toContain(secret);
    expect(await (await alice('GET', '/api/webhooks')).text()).not.toContain(secret);
    // isolation: another user, another tenant
    for (const other of [bob, eve]) {
      expect((await other('GET', `/api/webhooks/${webhook.webhookId}`)).status).toBe(404);
      expect((await other('GET', `/api/webhooks/${webhook.webhookId}/deliveries`)).status).toBe(404);
      expect((await other('PATCH', `/api/webhooks/${webhook.webhookId}`, { enabled: false })).status).toBe(404);
      expect((await other('DELETE', `/api/webhooks/${webhook.webhookId}`)).status).toBe(404);
      expect(((await (await other('GET', '/api/webhooks')).json()) as { items: unknown[] }).items).toEqual([]);
    }
    // owner disables and re-enables
    const disabled = await alice('PATCH', `/api/webhooks/${webhook.webhookId}`, { enabled: false });
    expect(await disabled.json()).toMatchObject({ enabled: false, disabledReason: 'disabled by its owner' });
    const enabled = await alice('PATCH', `/api/webhooks/${webhook.webhookId}`, { enabled: true });
    expect(await enabled.json()).toMatchObject({ enabled: true, consecutiveFailures: 0 });
    expect((await alice('GET', `/api/webhooks/${webhook.webhookId}/deliveries`)).status).toBe(200);
  });

  it('subscriptions: validate their webhook, are per user, and keep a used webhook from deletion', async () => {
    const { alice, bob, eve } = await setup();
    const created = await alice('POST', '/api/webhooks', { url: 'http://127.0.0.1:9/hook' });
    const { webhook } = (await created.json()) as { webhook: { webhookId: string } };

    const noHook = await alice('POST', '/api/subscriptions', { kinds: ['coverage.lost'], channels: ['webhook'] });
    expect(noHook.status).toBe(400);
    const othersHook = await bob('POST', '/api/subscriptions', {
      kinds: ['coverage.lost'],
      channels: ['webhook'],
      webhookId: webhook.webhookId,
    });
    expect(othersHook.status).toBe(400);
    const badKind = await alice('POST', '/api/subscriptions', { kinds: ['everything'], channels: ['feed'] });
    expect(badKind.status).toBe(400);

    const subscribed = await alice('POST', '/api/subscriptions', {
      kinds: ['coverage.lost', 'agreement.revision'],
      filters: { accountId: '123456789012' },
      channels: ['feed', 'webhook'],
      webhookId: webhook.webhookId,
    });
    expect(subscribed.status).toBe(201);
    const subscription = (await subscribed.json()) as { subscriptionId: string };
    expect(subscription).toMatchObject({ filters: { accountId: '123456789012' }, channels: ['feed', 'webhook'] });

    for (const other of [bob, eve]) {
      expect((await other('GET', `/api/subscriptions/${subscription.subscriptionId}`)).status).toBe(404);
      expect((await other('DELETE', `/api/subscriptions/${subscription.subscriptionId}`)).status).toBe(404);
      expect(
        (
          await other('PUT', `/api/subscriptions/${subscription.subscriptionId}`, {
            kinds: ['coverage.lost'],
            channels: ['feed'],
          })
        ).status,
      ).toBe(404);
    }
    const inUse = await alice('DELETE', `/api/webhooks/${webhook.webhookId}`);
    expect(inUse.status).toBe(409);
    expect(((await inUse.json()) as { code: string }).code).toBe('webhook_in_use');

    const replaced = await alice('PUT', `/api/subscriptions/${subscription.subscriptionId}`, {
      kinds: ['export.finished'],
      channels: ['feed'],
    });
    expect(await replaced.json()).toMatchObject({ kinds: ['export.finished'], channels: ['feed'], filters: {} });
    expect((await alice('DELETE', `/api/webhooks/${webhook.webhookId}`)).status).toBe(204);
    expect((await alice('DELETE', `/api/subscriptions/${subscription.subscriptionId}`)).status).toBe(204);
    expect(((await (await alice('GET', '/api/subscriptions')).json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('feed: pages newest first, counts unread, marks read, and is private to its user', async () => {
    // prepare: alice subscribes, three matching entries land in the ledger, the worker runs
    const { alice, bob, deps, orgId } = await setup();
    expect((await alice('POST', '/api/subscriptions', { kinds: ['export.finished'], channels: ['feed'] })).status).toBe(
      201,
    );
    const ledger = createLedger({ store: deps.store, clock: deps.clock });
    for (const bundle of ['b1', 'b2', 'b3']) {
      await ledger.append({
        orgId,
        actor: { type: 'system', id: 'evidence-export' },
        action: 'evidence:ExportFinished',
        subject: `arn:portal:${orgId}:111111111111:evidence-bundle/${bundle}`,
        details: { bundleId: bundle },
      });
    }
    const { logger } = recordingLogger();
    await deliverNotifications(
      {
        store: deps.store,
        clock: deps.clock,
        logger,
        email: new LogEmailSender(logger),
        transport: { send: async () => ({ ok: false, error: 'no webhooks in this test' }) },
      },
      orgId,
    );

    // act + assert: paging
    const first = (await (await alice('GET', '/api/notifications?limit=2')).json()) as {
      items: Array<{ notificationId: string; seq: number; read: boolean }>;
      nextCursor?: string;
      unreadCount: number;
    };
    expect(first.items.map((i) => i.seq)).toEqual([3, 2]);
    expect(first.unreadCount).toBe(3);
    expect(first.nextCursor).toBeDefined();
    const second = (await (
      await alice('GET', `/api/notifications?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`)
    ).json()) as { items: Array<{ seq: number }>; nextCursor?: string };
    expect(second.items.map((i) => i.seq)).toEqual([1]);
    expect((await alice('GET', '/api/notifications?cursor=not-a-cursor')).status).toBe(400);

    // mark read (twice: idempotent), other users cannot
    const target = first.items[0]!.notificationId;
    expect((await bob('POST', `/api/notifications/${target}/read`)).status).toBe(404);
    const read = await alice('POST', `/api/notifications/${target}/read`);
    expect(await read.json()).toMatchObject({ seq: 3, read: true });
    expect((await alice('POST', `/api/notifications/${target}/read`)).status).toBe(200);
    expect(await (await alice('GET', '/api/notifications/unread-count')).json()).toEqual({ unreadCount: 2 });
    const unread = (await (await alice('GET', '/api/notifications?unread=true')).json()) as {
      items: Array<{ seq: number }>;
    };
    expect(unread.items.map((i) => i.seq)).toEqual([2, 1]);
    const bobs = (await (await bob('GET', '/api/notifications')).json()) as { items: unknown[]; unreadCount: number };
    expect(bobs).toMatchObject({ items: [], unreadCount: 0 });
  });
});

describe('notification routes under hostile input (signed in)', () => {
  it('answer every hostile id, query and body with a 4xx problem or a success, never a 500', async () => {
    const { alice } = await setup();
    const hostile = fc.oneof(
      fc.constantFrom('', '__proto__', '../../etc/passwd', '%00', '\u0000', 'x'.repeat(500), '😀', 'null', '-1'),
      fc.string({ maxLength: 40 }),
    );
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({
        kinds: fc.oneof(fc.array(fc.oneof(hostile, fc.constant('report.published'))), hostile),
        channels: fc.oneof(fc.array(fc.oneof(hostile, fc.constantFrom('feed', 'webhook', 'email'))), hostile),
        filters: fc.oneof(fc.dictionary(hostile, hostile), hostile),
        webhookId: hostile,
        url: fc.oneof(hostile, fc.constantFrom('https://10.1.2.3/', 'http://[fe80::1]/', 'https://a.example.com/')),
        enabled: fc.oneof(fc.boolean(), hostile),
      }),
    );
    const routes: Array<[string, string]> = [
      ['GET', '/api/notifications'],
      ['POST', '/api/notifications/{id}/read'],
      ['POST', '/api/subscriptions'],
      ['PUT', '/api/subscriptions/{id}'],
      ['GET', '/api/subscriptions/{id}'],
      ['DELETE', '/api/subscriptions/{id}'],
      ['POST', '/api/webhooks'],
      ['PATCH', '/api/webhooks/{id}'],
      ['GET', '/api/webhooks/{id}/deliveries'],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        // Empty and dot segments change the route itself (the contract test covers those without the session wrapper).
        hostile.filter((id) => !['', '.', '..'].includes(id)),
        fc.array(fc.tuple(fc.constantFrom('cursor', 'limit', 'unread'), hostile), { maxLength: 3 }),
        body,
        async ([method, template], id, query, json) => {
          const path = template.replace('{id}', encodeURIComponent(id));
          const search = query.length ? `?${new URLSearchParams(query)}` : '';
          const response = await alice(method, `${path}${search}`, method === 'GET' ? undefined : json);
          const text = await response.text();
          expect(response.status, `${method} ${path}${search} -> ${text.slice(0, 200)}`).toBeLessThan(500);
          if (response.status >= 400) expect(response.headers.get('content-type')).toMatch(/problem\+json/);
        },
      ),
      { numRuns: byTier(60, 1000) },
    );
  });
});
