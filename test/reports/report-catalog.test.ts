import type { AppDeps } from '@evidence-portal/api';
import { createUlidGenerator, ManualClock } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { CountingStore } from '../agreements/counting-store.js';
import { createTestApp } from '../support/app.js';
import { byTier } from '../support/context.js';
import { allowAllAuthorizer, asPrincipal } from '../support/principal.js';
import { seedLargeCatalog } from './catalog-seed.js';
import { auditorA, publishReport } from './report-fixtures.js';

interface ListBody {
  items: Array<{ id: string; name: string; bridgeLetterDue: boolean; lapsingSoon: boolean }>;
  nextCursor?: string;
}

describe('report catalog at scale', () => {
  // The timeout is a ceiling, not a timing: seeding thousands of versions is slow on a loaded 2-core machine.
  it(`answers list and detail with at most 2 store calls over ${byTier(2000, 10_000)} versions`, async () => {
    const first = await createTestApp();
    const counting = new CountingStore(first.deps.store);
    const { app, deps } = await createTestApp({
      tableName: first.tableName,
      overrides: { store: counting, authorizer: allowAllAuthorizer },
    });
    const reports = await seedLargeCatalog(first.deps.store, deps.ids, {
      versions: byTier(2000, 10_000),
      versionsPerReport: 10,
    });
    const ana = asPrincipal(app, auditorA);
    const measure = async (path: string) => {
      counting.reset();
      const response = await ana.request(path);
      expect(response.status, path).toBe(200);
      return { calls: counting.calls, body: await response.json() };
    };

    const coldList = await measure('/api/reports?limit=100');
    const warmList = await measure('/api/reports?q=availability&category=ISO&sort=-periodEnd');
    const filtered = await measure(
      '/api/reports?series=PCI%20DSS%20v4.0&thirdParty=true&periodFrom=2018-01-01&periodTo=2018-12-31',
    );
    const detail = await measure(`/api/reports/${reports[7]?.id}`);
    const versions = await measure(`/api/reports/${reports[7]?.id}/versions`);

    expect(coldList.calls).toBeLessThanOrEqual(2);
    expect(warmList.calls).toBeLessThanOrEqual(2);
    expect(filtered.calls).toBeLessThanOrEqual(2);
    expect(detail.calls).toBeLessThanOrEqual(2);
    expect(versions.calls).toBeLessThanOrEqual(2);
    expect((coldList.body as ListBody).items).toHaveLength(100);
    expect((versions.body as { items: unknown[] }).items).toHaveLength(10);
    const iso = (warmList.body as ListBody).items;
    expect(iso.length).toBeGreaterThan(0);
    expect(iso.every((item) => item.name.includes('ISO'))).toBe(true);
  }, 180_000);

  it('pages through the whole catalog once, in order, with a stable cursor even as reports are added', async () => {
    const { app, deps } = await createTestApp({ overrides: { authorizer: allowAllAuthorizer } });
    const seeded = await seedLargeCatalog(deps.store, deps.ids, { versions: 120, versionsPerReport: 2 });
    const ana = asPrincipal(app, auditorA);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const response = await ana.request(`/api/reports?limit=7&sort=name${cursor ? `&cursor=${cursor}` : ''}`);
      const body = (await response.json()) as ListBody;
      seen.push(...body.items.map((item) => item.id));
      cursor = body.nextCursor;
      if (pages === 2) await publishReport(deps as AppDeps, { name: 'aaa first by name, added mid-walk' });
      pages++;
    } while (cursor);

    const expected = [...seeded]
      .sort((a, b) =>
        a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0,
      )
      .map((report) => report.id);
    expect(seen).toEqual(expected);
    const badCursor = await ana.request('/api/reports?cursor=bm90LWEtY3Vyc29y');
    expect(badCursor.status).toBe(400);
  });

  it('flags a report whose newest period ended over 12 months ago (bridge letter due) and one lapsing within 30 days', async () => {
    const clock = new ManualClock(new Date('2026-06-15T00:00:00Z'));
    const { app, deps } = await createTestApp({
      overrides: { authorizer: allowAllAuthorizer, clock, ids: createUlidGenerator(clock) },
    });
    const stale = await publishReport(deps, { name: 'Stale', periodEnd: '2025-03-31' });
    const lapsing = await publishReport(deps, { name: 'Lapsing', periodEnd: '2025-06-30' });
    const fresh = await publishReport(deps, { name: 'Fresh', periodEnd: '2026-03-31' });
    const ana = asPrincipal(app, auditorA);

    const list = (await (await ana.request('/api/reports')).json()) as ListBody;
    const flags = Object.fromEntries(list.items.map((item) => [item.id, [item.bridgeLetterDue, item.lapsingSoon]]));
    const versions = (await (await ana.request(`/api/reports/${lapsing.report.id}/versions`)).json()) as {
      items: Array<{ lapsesOn: string; lapsingSoon: boolean }>;
    };

    expect(flags[stale.report.id]).toEqual([true, false]);
    expect(flags[lapsing.report.id]).toEqual([false, true]);
    expect(flags[fresh.report.id]).toEqual([false, false]);
    expect(versions.items[0]).toMatchObject({ lapsesOn: '2026-06-30', lapsingSoon: true });
  });
});
