import { publicAlias } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { seedDemoReports } from '../../packages/cli/src/demo-reports.js';
import { createTestApp } from '../support/app.js';
import { allowAllAuthorizer, asPrincipal } from '../support/principal.js';
import { auditorA } from './report-fixtures.js';

describe('demo reports', () => {
  it('seeds a realistic catalog once: 12+ reports, versions, a vendor report, a stale one, a 300-page one', async () => {
    const { app, deps } = await createTestApp({ overrides: { authorizer: allowAllAuthorizer } });

    const seeded = await seedDemoReports(deps);
    const again = await seedDemoReports(deps);
    const ana = asPrincipal(app, auditorA);
    const list = (await (await ana.request('/api/reports?limit=100')).json()) as {
      items: Array<{
        id: string;
        name: string;
        thirdParty: boolean;
        versionCount: number;
        bridgeLetterDue: boolean;
        lapsingSoon: boolean;
        latest: { pageCount: number; termsRevisionId: string };
      }>;
    };

    expect(seeded).toBeGreaterThanOrEqual(12);
    expect(again).toBe(0);
    expect(list.items).toHaveLength(seeded);
    expect(list.items.filter((item) => item.thirdParty)).toHaveLength(1);
    expect(list.items.filter((item) => item.versionCount >= 2).length).toBeGreaterThanOrEqual(3);
    expect(list.items.some((item) => item.bridgeLetterDue)).toBe(true);
    expect(list.items.some((item) => item.lapsingSoon)).toBe(true);
    expect(list.items.some((item) => item.latest.pageCount === 300)).toBe(true);
    const soc2 = list.items.find((item) => item.name === 'Example Cloud SOC 2 Type II');
    const versions = (await (await ana.request(`/api/reports/${soc2?.id}/versions`)).json()) as {
      items: Array<{ termsRevisionId: string }>;
    };
    expect(new Set(versions.items.map((v) => v.termsRevisionId)).size).toBe(2);

    // Each report's public alias is stored with it and resolved by key; a report created before alias items
    // existed (its item deleted here) is found again after the backfill, which writes only what is missing.
    const reports = await deps.reports.catalog.all();
    const first = reports[0] as (typeof reports)[number];
    await deps.store.delete({ pk: `REPORTALIAS#${publicAlias('report', first.id)}`, sk: 'ALIAS' });
    const missing = await deps.reports.idOfAlias(publicAlias('report', first.id)).catch((e) => e);
    const written = await deps.reports.backfillAliases();
    const writtenAgain = await deps.reports.backfillAliases();
    const resolved = await Promise.all(
      reports.map((report) => deps.reports.idOfAlias(publicAlias('report', report.id))),
    );
    expect(missing).toMatchObject({ name: 'NotFoundError' });
    expect([written, writtenAgain]).toEqual([1, 0]);
    expect(resolved).toEqual(reports.map((report) => report.id));
    // A ceiling for generating and publishing the whole demo catalog (incl. a 300-page PDF) on a loaded machine.
  }, 180_000);
});
