import { ConflictError } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { byTier } from '../support/context.js';
import { agreementFixture, managementAccount, memberAccount } from './agreement-fixture.js';

const day = 86_400_000;
const otherMember = '100000000003';

/**
 * The agreements use cases on DynamoDB Local, for what only the real adapter can show: Store-call and
 * item budgets, and concurrency. Their behaviour is tested beside the code, on the in-memory store
 * (packages/core/src/agreements/*.test.ts).
 */
describe('agreements on DynamoDB Local', () => {
  it('records an org-wide acceptance as one record in a constant number of items, and covers joiners at once', async () => {
    const f = await agreementFixture({ store: 'dynamo' });
    await f.createOrg([memberAccount]);
    const { agreement, revision } = await f.publishBaa();
    await f.entries(); // the ledger exists already, as in any live organization
    f.advance(day);

    f.store.reset();
    const acceptance = await f.service.accept(f.caller({}, { sourceIp: '203.0.113.9', userAgent: 'vitest' }), {
      agreementId: agreement.agreementId,
      scope: 'organization',
      revisionId: revision.revisionId,
    });
    const written = f.store.itemsWritten;

    f.advance(day);
    await f.addAccount(otherMember);
    const joinedAt = f.clock.now().toISOString();
    f.advance(1000);
    f.store.reset();
    const coverage = await f.coverageOf(otherMember, agreement.agreementId);
    const coverageCalls = f.store.calls;

    expect(written).toBeLessThanOrEqual(6);
    expect(coverageCalls).toBeLessThanOrEqual(2);
    expect(coverage).toMatchObject({
      covered: true,
      via: 'organization',
      since: joinedAt,
      revisionId: revision.revisionId,
      acceptanceId: acceptance.acceptanceId,
    });
    const accepted = (await f.entries()).filter((entry) => entry.action === 'agreement:Accepted');
    expect(accepted).toHaveLength(1);
    expect(accepted[0]?.details).toMatchObject({
      acceptanceId: acceptance.acceptanceId,
      scope: 'organization',
      revisionId: revision.revisionId,
      sha256: revision.sha256,
      sourceIp: '203.0.113.9',
      userAgent: 'vitest',
    });
  });

  it(
    'keeps exactly one active org-wide acceptance under concurrent acceptances',
    async () => {
      const racers = byTier(20, 200);
      const rounds = byTier(1, 100);
      const f = await agreementFixture({ store: 'dynamo' });
      await f.createOrg();
      for (let round = 0; round < rounds; round++) {
        const { agreement, revision } = await f.publishBaa(`BAA round ${round}`);
        const results = await Promise.allSettled(
          Array.from({ length: racers }, () =>
            f.service.accept(f.caller(), {
              agreementId: agreement.agreementId,
              scope: 'organization',
              revisionId: revision.revisionId,
            }),
          ),
        );
        const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
        const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
        const accepted = (await f.entries()).filter(
          (entry) => entry.action === 'agreement:Accepted' && entry.details.agreementId === agreement.agreementId,
        );
        const history = await f.service.history(f.caller(), { agreementId: agreement.agreementId });

        expect(won).toHaveLength(1);
        expect(lost.every((error) => error instanceof ConflictError)).toBe(true);
        expect(accepted.map((entry) => entry.details.acceptanceId)).toEqual([won[0]?.acceptanceId]);
        expect(history.filter((h) => h.status === 'active')).toHaveLength(1);
        expect(history).toHaveLength(1);
      }
      // Soak: 100 rounds x 200 racers on DynamoDB Local passed the 10-minute default at load 8-16; slow, not stuck.
    },
    byTier(120_000, 2_700_000),
  );

  it('reads the coverage matrix in a number of calls that does not grow with the accounts', async () => {
    const f = await agreementFixture({ store: 'dynamo' });
    const few = Array.from({ length: 5 }, (_, i) => String(200000000000 + i));
    const many = Array.from({ length: 40 }, (_, i) => String(300000000000 + i));
    await f.createOrg(few);
    const { agreement, revision } = await f.publishBaa();
    await f.service.accept(f.caller(), {
      agreementId: agreement.agreementId,
      scope: 'organization',
      revisionId: revision.revisionId,
    });
    const at = f.clock.now().toISOString();

    f.store.reset();
    const small = await f.service.matrix(f.caller(), { at });
    const smallCalls = f.store.calls;
    for (const accountId of many) await f.addAccount(accountId);
    f.store.reset();
    const large = await f.service.matrix(f.caller(), {});
    const largeCalls = f.store.calls;

    expect(small.accounts).toHaveLength(6);
    expect(large.accounts).toHaveLength(46);
    expect(largeCalls).toBe(smallCalls);
    expect(
      large.accounts.find((a) => a.accountId === managementAccount)?.coverage[agreement.agreementId],
    ).toMatchObject({
      covered: true,
      via: 'organization',
    });
  });
});
