import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverageStory } from '../../../../test/agreements/coverage-story.js';
import {
  type AcceptanceFact,
  type CoverageFacts,
  effectiveCoverage,
  type MembershipInterval,
  type RevisionFact,
} from './effective-coverage.js';

const day = (n: number, hour = 0) => new Date(Date.UTC(2026, 0, 1 + n, hour)).toISOString();
const noon = (n: number) => day(n, 12);

/**
 * The story: the org accepts the BAA on day 1; B joins on day 3; C has its own BAA from day 2;
 * the org terminates on day 5; B leaves on day 6; a new revision on day 7. M is the management account,
 * A a member from the start.
 */
function storyFacts(): CoverageFacts {
  const acceptances: AcceptanceFact[] = [
    {
      acceptanceId: 'acc-org',
      agreementId: 'baa',
      scope: 'organization',
      revisionId: 'rev-1',
      acceptedAt: day(1),
      endedAt: day(5),
    },
    {
      acceptanceId: 'acc-c',
      agreementId: 'baa',
      scope: 'account',
      accountId: 'C',
      revisionId: 'rev-1',
      acceptedAt: day(2),
    },
  ];
  const memberships = new Map<string, MembershipInterval[]>([
    ['M', [{ joinedAt: day(0) }]],
    ['A', [{ joinedAt: day(0) }]],
    ['B', [{ joinedAt: day(3), leftAt: day(6) }]],
    ['C', [{ joinedAt: day(0) }]],
  ]);
  const revisions = new Map<string, RevisionFact[]>([
    [
      'baa',
      [
        { revisionId: 'rev-1', publishedAt: day(0) },
        { revisionId: 'rev-2', publishedAt: day(7) },
      ],
    ],
  ]);
  return { acceptances, memberships, revisions };
}

const story = coverageStory;

function describeCoverage(facts: CoverageFacts, accountId: string, at: string): string {
  const coverage = effectiveCoverage(facts, accountId, 'baa', at);
  if (!coverage.covered) return '-';
  const sinceDay = Math.round((Date.parse(coverage.since) - Date.parse(day(0))) / 86_400_000);
  const via = coverage.via === 'organization' ? 'org' : 'account';
  return `${via} ${coverage.revisionId} ${sinceDay}${coverage.revisionOutdated ? ' outdated' : ''}`;
}

describe('effectiveCoverage', () => {
  const facts = storyFacts();
  const cases = Object.entries(story).flatMap(([accountId, days]) =>
    days.map((expected, n) => ({ accountId, n, expected })),
  );

  it.each(cases)('story: account $accountId on day $n is $expected', ({ accountId, n, expected }) => {
    expect(describeCoverage(facts, accountId, noon(n))).toBe(expected);
  });

  it('names the acceptance that covers, so the answer is traceable to one record', () => {
    expect(effectiveCoverage(facts, 'B', 'baa', noon(3))).toMatchObject({ acceptanceId: 'acc-org' });
    expect(effectiveCoverage(facts, 'C', 'baa', noon(3))).toMatchObject({ acceptanceId: 'acc-c' });
  });

  it('treats every interval as half-open: at the instant of an end, coverage has already ended', () => {
    expect(effectiveCoverage(facts, 'B', 'baa', day(3)).covered).toBe(true);
    expect(effectiveCoverage(facts, 'A', 'baa', day(5)).covered).toBe(false);
    expect(effectiveCoverage(facts, 'A', 'baa', new Date(Date.parse(day(5)) - 1).toISOString()).covered).toBe(true);
    expect(effectiveCoverage(facts, 'A', 'baa', day(1)).covered).toBe(true);
  });

  it('does not cover an account for another agreement', () => {
    expect(effectiveCoverage(facts, 'A', 'dpa', noon(2))).toEqual({ covered: false });
  });

  it('starts org coverage again from the re-join instant when an account comes back', () => {
    const rejoin: CoverageFacts = {
      ...facts,
      acceptances: [
        { acceptanceId: 'x', agreementId: 'baa', scope: 'organization', revisionId: 'rev-1', acceptedAt: day(1) },
      ],
      memberships: new Map([['B', [{ joinedAt: day(2), leftAt: day(3) }, { joinedAt: day(5) }]]]),
    };
    expect(describeCoverage(rejoin, 'B', noon(2))).toBe('org rev-1 2');
    expect(describeCoverage(rejoin, 'B', noon(4))).toBe('-');
    expect(describeCoverage(rejoin, 'B', noon(6))).toBe('org rev-1 5');
  });

  it('covers through an org acceptance exactly when the account is a member and the acceptance is in force', () => {
    const instant = fc.integer({ min: 0, max: 20 }).map((n) => day(n));
    fc.assert(
      fc.property(
        instant,
        fc.option(instant, { nil: undefined }),
        instant,
        fc.option(instant, { nil: undefined }),
        instant,
        (acceptedAt, endedAt, joinedAt, leftAt, at) => {
          const subject: CoverageFacts = {
            acceptances: [
              {
                acceptanceId: 'o',
                agreementId: 'baa',
                scope: 'organization',
                revisionId: 'r',
                acceptedAt,
                ...(endedAt ? { endedAt } : {}),
              },
            ],
            memberships: new Map([['X', [{ joinedAt, ...(leftAt ? { leftAt } : {}) }]]]),
            revisions: new Map(),
          };
          const inForce = acceptedAt <= at && (endedAt === undefined || endedAt > at);
          const member = joinedAt <= at && (leftAt === undefined || leftAt > at);
          expect(effectiveCoverage(subject, 'X', 'baa', at).covered).toBe(inForce && member);
        },
      ),
    );
  });
});
