import { describe, expect, it } from 'vitest';
import { agreementFixture, managementAccount, operator } from '../../../../test/agreements/agreement-fixture.js';
import { coverageStory } from '../../../../test/agreements/coverage-story.js';

const accountA = '100000000002';
const accountB = '100000000003';
const accountC = '100000000004';
const dayMs = 86_400_000;
const start = Date.parse('2026-01-01T00:00:00.000Z');
const day = (n: number, hour = 0) => new Date(start + n * dayMs + hour * 3_600_000).toISOString();

const accounts = { M: managementAccount, A: accountA, B: accountB, C: accountC } as const;
const story = Object.fromEntries(
  Object.entries(coverageStory).map(([letter, days]) => [accounts[letter as keyof typeof accounts], days]),
);

describe('point-in-time coverage story through the use cases (in memory)', () => {
  it('answers every account on every day 0..8 after the acts happened, from the stored facts', async () => {
    const f = await agreementFixture({ start: day(0) });
    await f.createOrg([accountA, accountC]);
    const { agreement, revision } = await f.publishBaa();
    const id = agreement.agreementId;
    f.clock.set(new Date(day(1)));
    await f.service.accept(f.caller(), { agreementId: id, scope: 'organization', revisionId: revision.revisionId });
    f.clock.set(new Date(day(2)));
    await f.service.accept(f.caller({ accountId: accountC }), {
      agreementId: id,
      scope: 'account',
      accountId: accountC,
      revisionId: revision.revisionId,
    });
    f.clock.set(new Date(day(3)));
    await f.addAccount(accountB);
    f.clock.set(new Date(day(5)));
    await f.service.terminate(f.caller(), { agreementId: id, scope: 'organization' });
    f.clock.set(new Date(day(6)));
    const lost = await f.removeAccount(accountB);
    f.clock.set(new Date(day(7)));
    await f.service.publishRevision(operator, {
      agreementId: id,
      effectiveDate: '2026-01-08',
      markdown: 'Revision 2.',
    });
    f.clock.set(new Date(day(9)));

    const answers: Record<string, string[]> = {};
    for (const accountId of Object.keys(story)) {
      answers[accountId] = [];
      for (let n = 0; n <= 8; n++) {
        const coverage = await f.coverageOf(accountId, id, day(n, 12));
        const cell = !coverage.covered
          ? '-'
          : `${coverage.via === 'organization' ? 'org' : 'account'} ${coverage.revisionId === revision.revisionId ? 'rev-1' : coverage.revisionId} ${Math.round((Date.parse(coverage.since) - start) / dayMs)}${coverage.revisionOutdated ? ' outdated' : ''}`;
        answers[accountId]?.push(cell);
      }
    }

    expect(answers).toEqual(story);
    // B left on day 6 after the org terminated on day 5: it had no org coverage left to lose.
    expect(lost).toEqual([]);
  });
});
