import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CatalogSort, catalogSorts, queryCatalog } from './catalog-query.js';
import { freshness } from './report-freshness.js';
import type { Report } from './report-model.js';
import { reportView } from './report-records.js';

const reportArb = fc
  .record({
    id: fc.uuid(),
    name: fc.constantFrom('Alpha SOC 2', 'beta ISO', 'Gamma PCI', 'alpha soc 2', 'Δelta'),
    category: fc.constantFrom('SOC', 'ISO', 'PCI'),
    year: fc.integer({ min: 2019, max: 2026 }),
    updatedAt: fc.constantFrom('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'),
    thirdParty: fc.boolean(),
  })
  .map(
    (r): Report => ({
      id: r.id,
      name: r.name,
      description: 'Independent audit',
      category: r.category,
      series: `${r.category} series`,
      company: 'Example',
      thirdParty: r.thirdParty,
      state: 'PUBLISHED',
      publisherOrgId: 'o-op',
      sequence: 1,
      versionCount: 1,
      latest: {
        version: 1,
        periodStart: `${r.year - 1}-07-01`,
        periodEnd: `${r.year}-06-30`,
        effectiveDate: `${r.year}-08-01`,
        acceptanceType: 'EXPLICIT',
        termsRevisionId: 'tr-1',
        pageCount: 10,
        publishedAt: r.updatedAt,
      },
      periods: [[`${r.year - 1}-07-01`, `${r.year}-06-30`]],
      createdAt: r.updatedAt,
      updatedAt: r.updatedAt,
    }),
  );

describe('queryCatalog', () => {
  it('walks every matching report exactly once, in sort order, whatever the page size and sort', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(reportArb, { selector: (r) => r.id, maxLength: 60 }),
        fc.integer({ min: 1, max: 10 }),
        fc.constantFrom<CatalogSort>(...catalogSorts),
        fc.option(fc.constantFrom('SOC', 'ISO', 'PCI'), { nil: undefined }),
        (reports, limit, sort, category) => {
          const seen: string[] = [];
          let cursor: string | undefined;
          do {
            const page = queryCatalog(reports, {
              limit,
              sort,
              ...(category ? { category } : {}),
              ...(cursor ? { cursor } : {}),
            });
            expect(page.items.length).toBeLessThanOrEqual(limit);
            seen.push(...page.items.map((r) => r.id));
            cursor = page.nextCursor;
          } while (cursor);
          const all = queryCatalog(reports, { limit: 100, sort, ...(category ? { category } : {}) });
          const expected = reports.filter((r) => !category || r.category === category);
          expect(new Set(seen).size).toBe(seen.length);
          expect(seen.sort()).toEqual(expected.map((r) => r.id).sort());
          if (expected.length <= 100) expect(all.items).toHaveLength(expected.length);
          // A frozen read keeps its sorted order across requests: the same pages, twice over.
          const frozen = Object.freeze([...reports]);
          for (let round = 0; round < 2; round++) {
            const again: string[] = [];
            let next: string | undefined;
            do {
              const page = queryCatalog(frozen, {
                limit,
                sort,
                ...(category ? { category } : {}),
                ...(next ? { cursor: next } : {}),
              });
              again.push(...page.items.map((r) => r.id));
              next = page.nextCursor;
            } while (next);
            expect(again.sort()).toEqual(seen);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('searches words across name, description and series, and filters by period overlap', () => {
    const [a, b] = fc.sample(reportArb, { numRuns: 2, seed: 7 }) as [Report, Report];
    const reports = [
      { ...a, id: 'a', name: 'Example SOC 2', periods: [['2024-01-01', '2024-12-31']] as Array<[string, string]> },
      { ...b, id: 'b', name: 'Example ISO', periods: [['2022-01-01', '2022-12-31']] as Array<[string, string]> },
    ];
    expect(queryCatalog(reports, { q: 'example soc' }).items.map((r) => r.id)).toEqual(['a']);
    expect(queryCatalog(reports, { q: 'INDEPENDENT' }).items).toHaveLength(2);
    expect(queryCatalog(reports, { periodFrom: '2022-06-01', periodTo: '2023-01-01' }).items.map((r) => r.id)).toEqual([
      'b',
    ]);
    expect(() => queryCatalog(reports, { cursor: 'garbage!' })).toThrow(/cursor/i);
  });
});

describe('freshness', () => {
  it('lapses 12 months after the period end and warns 30 days before', () => {
    expect(freshness('2025-06-30', new Date('2026-06-15T00:00:00Z'))).toEqual({
      lapsesOn: '2026-06-30',
      lapsed: false,
      lapsingSoon: true,
    });
    expect(freshness('2025-03-31', new Date('2026-06-15T00:00:00Z'))).toMatchObject({
      lapsed: true,
      lapsingSoon: false,
    });
    expect(freshness('2026-03-31', new Date('2026-06-15T00:00:00Z'))).toMatchObject({
      lapsed: false,
      lapsingSoon: false,
    });
    expect(freshness('2024-02-29', new Date('2024-03-01T00:00:00Z')).lapsesOn).toBe('2025-02-28');
  });
});

describe('reportView', () => {
  it('keeps a view for the day only: the same report read the next day shows its new freshness', () => {
    const [sample] = fc.sample(reportArb, { numRuns: 1, seed: 3 }) as [Report];
    const report: Report = {
      ...sample,
      latest: { ...(sample.latest as NonNullable<Report['latest']>), periodEnd: '2025-06-30' },
    };
    const before = reportView(report, new Date('2026-06-29T23:59:59Z'));
    expect(before).toMatchObject({ bridgeLetterDue: false, lapsingSoon: true, lapsesOn: '2026-06-30' });
    expect(reportView(report, new Date('2026-06-29T08:00:00Z'))).toBe(before);
    expect(reportView(report, new Date('2026-06-30T00:00:00Z'))).toMatchObject({
      bridgeLetterDue: true,
      lapsingSoon: false,
    });
  });
});
