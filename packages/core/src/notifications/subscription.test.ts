import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../ledger/ledger-writer.js';
import { kindOfAction, notificationKindNames, notificationKinds } from './notification-kinds.js';
import { matchSubscriptions, type Subscription } from './subscription.js';

function entry(overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    orgId: 'o-1',
    seq: 7,
    time: '2026-05-01T10:00:00.000Z',
    actor: { type: 'user', id: 'u-pub' },
    action: 'report:VersionPublished',
    subject: 'arn:portal:o-1:*:report/r-1',
    details: { reportCategory: 'SOC', reportSeries: 'SOC 2' },
    leaf: '',
    ...overrides,
  };
}

function subscription(overrides: Partial<Subscription> = {}): Subscription {
  return {
    subscriptionId: 'sub-1',
    orgId: 'o-1',
    userId: 'u-1',
    email: 'u1@example.com',
    kinds: ['report.published'],
    filters: {},
    channels: ['feed'],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('notification kinds', () => {
  it('maps every listed ledger action to its kind and unknown actions to none', () => {
    expect(kindOfAction('report:Published')).toBe('report.published');
    expect(kindOfAction('report:VersionPublished')).toBe('report.published');
    expect(kindOfAction('agreement:RevisionPublished')).toBe('agreement.revision');
    expect(kindOfAction('agreement:CoverageLost')).toBe('coverage.lost');
    expect(kindOfAction('evidence:ExportFinished')).toBe('export.finished');
    expect(kindOfAction('report:Downloaded')).toBeUndefined();
    for (const [kind, actions] of Object.entries(notificationKinds)) {
      for (const action of actions) expect(kindOfAction(action)).toBe(kind);
    }
  });
});

describe('matchSubscriptions', () => {
  it('matches by kind and leaves out other kinds', () => {
    // prepare
    const wanted = subscription({ subscriptionId: 'a' });
    const other = subscription({ subscriptionId: 'b', kinds: ['coverage.lost'] });
    // act
    const matches = matchSubscriptions(entry(), [wanted, other]);
    // assert
    expect(matches.map((m) => [m.subscription.subscriptionId, m.kind])).toEqual([['a', 'report.published']]);
  });

  it('applies category, series and account filters, and an entry lacking a filtered facet does not match', () => {
    const byCategory = subscription({ subscriptionId: 'cat', filters: { reportCategory: 'SOC' } });
    const wrongCategory = subscription({ subscriptionId: 'iso', filters: { reportCategory: 'ISO' } });
    const bySeries = subscription({ subscriptionId: 'series', filters: { reportSeries: 'SOC 2' } });
    const byAccount = subscription({ subscriptionId: 'acct', filters: { accountId: '123456789012' } });
    const both = subscription({ subscriptionId: 'both', filters: { reportCategory: 'SOC', reportSeries: 'SOC 1' } });
    const all = [byCategory, wrongCategory, bySeries, byAccount, both];

    expect(matchSubscriptions(entry(), all).map((m) => m.subscription.subscriptionId)).toEqual(['cat', 'series']);
    const withAccount = entry({ accountId: '123456789012' });
    expect(matchSubscriptions(withAccount, all).map((m) => m.subscription.subscriptionId)).toEqual([
      'cat',
      'series',
      'acct',
    ]);
    // `category`/`series` detail names are read too (one place decides the facets).
    const altNames = entry({ details: { category: 'SOC', series: 'SOC 1' } });
    expect(matchSubscriptions(altNames, all).map((m) => m.subscription.subscriptionId)).toEqual(['cat', 'both']);
  });

  it('never matches another organization, an unmapped action, or an entry older than the subscription', () => {
    const s = subscription();
    expect(matchSubscriptions(entry({ orgId: 'o-2' }), [s])).toEqual([]);
    expect(matchSubscriptions(entry({ action: 'report:Downloaded' }), [s])).toEqual([]);
    expect(matchSubscriptions(entry({ time: '2025-12-31T23:59:59.999Z' }), [s])).toEqual([]);
  });

  it('property: a match always means same org, a named kind and every set filter equal', () => {
    const kind = fc.constantFrom(...notificationKindNames);
    const action = fc.constantFrom(
      ...Object.values(notificationKinds).flat(),
      'report:Downloaded',
      'org:PolicyChanged',
    );
    const facet = fc.option(fc.constantFrom('A', 'B'), { nil: undefined });
    fc.assert(
      fc.property(
        fc.record({ action, orgId: fc.constantFrom('o-1', 'o-2'), category: facet, series: facet, account: facet }),
        fc.array(
          fc.record({
            kinds: fc.uniqueArray(kind, { minLength: 1 }),
            orgId: fc.constantFrom('o-1', 'o-2'),
            category: facet,
            series: facet,
            account: facet,
          }),
          { maxLength: 6 },
        ),
        (e, subs) => {
          const ledgerEntry = entry({
            action: e.action,
            orgId: e.orgId,
            details: {
              ...(e.category ? { reportCategory: e.category } : {}),
              ...(e.series ? { reportSeries: e.series } : {}),
            },
            ...(e.account ? { accountId: e.account } : {}),
          });
          const subscriptions = subs.map((s, i) =>
            subscription({
              subscriptionId: `s${i}`,
              orgId: s.orgId,
              kinds: s.kinds,
              filters: {
                ...(s.category ? { reportCategory: s.category } : {}),
                ...(s.series ? { reportSeries: s.series } : {}),
                ...(s.account ? { accountId: s.account } : {}),
              },
            }),
          );
          const matched = new Set(
            matchSubscriptions(ledgerEntry, subscriptions).map((m) => m.subscription.subscriptionId),
          );
          subs.forEach((s, i) => {
            const expected =
              s.orgId === e.orgId &&
              kindOfAction(e.action) !== undefined &&
              s.kinds.includes(kindOfAction(e.action)!) &&
              (s.category === undefined || s.category === e.category) &&
              (s.series === undefined || s.series === e.series) &&
              (s.account === undefined || s.account === e.account);
            expect(matched.has(`s${i}`)).toBe(expected);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
