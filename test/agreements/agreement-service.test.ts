import { ConflictError, ForbiddenError, NotFoundError } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { byTier } from '../support/context.js';
import { agreementFixture, managementAccount, memberAccount, operator } from './agreement-fixture.js';

const day = 86_400_000;
const otherMember = '100000000003';

describe('AgreementService on DynamoDB Local', () => {
  it('records an org-wide acceptance as one record in a constant number of items, and covers joiners at once', async () => {
    const f = await agreementFixture();
    await f.createOrg([memberAccount]);
    const { agreement, revision } = await f.publishBaa();
    await f.entries(); // the ledger exists already, as in any live organization
    f.advance(day);

    f.store.reset();
    const acceptance = await f.service.accept(
      agreement.agreementId,
      { scope: 'organization', revisionId: revision.revisionId },
      f.principal(),
      { sourceIp: '203.0.113.9', userAgent: 'vitest' },
    );
    const written = f.store.itemsWritten;

    f.advance(day);
    await f.addAccount(otherMember);
    const joinedAt = f.clock.now().toISOString();
    f.advance(1000);
    f.store.reset();
    const coverage = await f.service.coverage(f.orgId, otherMember, agreement.agreementId, f.clock.now().toISOString());
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

  it('refuses without MFA, from a member account for org scope, and for a revision that is not the latest', async () => {
    const f = await agreementFixture();
    await f.createOrg();
    const { agreement, revision } = await f.publishBaa();
    const input = { scope: 'organization' as const, revisionId: revision.revisionId };

    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => 'accepted',
        (error: unknown) => error,
      );
    const noMfa = await refusal(f.service.accept(agreement.agreementId, input, f.principal({ mfaPresent: false })));
    const fromMember = await refusal(
      f.service.accept(agreement.agreementId, input, f.principal({ accountId: memberAccount })),
    );
    f.advance(1000);
    const second = await f.service.publishRevision(
      agreement.agreementId,
      { effectiveDate: '2026-02-01', markdown: 'Revision 2.' },
      operator,
    );
    const stale = await refusal(f.service.accept(agreement.agreementId, input, f.principal()));

    expect(noMfa).toBeInstanceOf(ForbiddenError);
    expect(noMfa).toMatchObject({ code: 'mfa_required', message: expect.stringMatching(/MFA/) });
    expect(fromMember).toMatchObject({
      code: 'management_account_required',
      message: expect.stringMatching(/management account/),
    });
    expect(stale).toBeInstanceOf(ConflictError);
    expect(stale).toMatchObject({
      code: 'revision_not_latest',
      message: expect.stringContaining(second.revisionId),
    });
    expect((await f.entries()).filter((entry) => entry.action === 'agreement:Accepted')).toEqual([]);
  });

  it('ends org coverage on termination except for accounts with their own acceptance, keeping every record', async () => {
    const f = await agreementFixture();
    await f.createOrg([memberAccount, otherMember]);
    const { agreement, revision } = await f.publishBaa();
    const id = agreement.agreementId;
    await f.service.accept(id, { scope: 'organization', revisionId: revision.revisionId }, f.principal());
    f.advance(day);
    const own = await f.service.accept(
      id,
      { scope: 'account', accountId: otherMember, revisionId: revision.revisionId },
      f.principal({ accountId: otherMember }),
    );
    f.advance(day);
    const terminated = await f.service.terminate(id, { scope: 'organization' }, f.principal());
    const afterwards = new Date(f.clock.now().getTime() + 1).toISOString();
    const before = new Date(f.clock.now().getTime() - 1).toISOString();

    expect(await f.service.coverage(f.orgId, memberAccount, id, afterwards)).toEqual({ covered: false });
    expect(await f.service.coverage(f.orgId, memberAccount, id, before)).toMatchObject({
      covered: true,
      via: 'organization',
    });
    expect(await f.service.coverage(f.orgId, otherMember, id, afterwards)).toMatchObject({
      covered: true,
      via: 'account',
      acceptanceId: own.acceptanceId,
    });
    const history = await f.service.history(f.orgId, id);
    expect(history.map((h) => [h.scope, h.status])).toEqual([
      ['account', 'active'],
      ['organization', 'terminated'],
    ]);
    expect(history[1]).toMatchObject({ acceptanceId: terminated.acceptanceId, endedAt: f.clock.now().toISOString() });
    await expect(f.service.terminate(id, { scope: 'organization' }, f.principal())).rejects.toMatchObject({
      code: 'not_accepted',
    });
  });

  it('raises CoverageLost when an account leaves, once per agreement it loses, and answers the past from facts', async () => {
    const f = await agreementFixture();
    await f.createOrg([memberAccount, otherMember]);
    const baa = await f.publishBaa('HIPAA BAA');
    const dpa = await f.publishBaa('GDPR DPA');
    for (const { agreement, revision } of [baa, dpa]) {
      await f.service.accept(
        agreement.agreementId,
        { scope: 'organization', revisionId: revision.revisionId },
        f.principal(),
      );
    }
    // otherMember keeps the DPA through its own acceptance, so it loses only the BAA.
    await f.service.accept(
      dpa.agreement.agreementId,
      { scope: 'account', accountId: otherMember, revisionId: dpa.revision.revisionId },
      f.principal({ accountId: otherMember }),
    );
    const whileMember = f.clock.now().toISOString();
    f.advance(day);

    const lost = await f.removeAccount(otherMember);
    const again = await f.service.onAccountLeft(f.orgId, otherMember, f.clock.now().toISOString());
    const now = f.clock.now().toISOString();

    expect(lost.map((entry) => [entry.action, entry.accountId, entry.details.agreementId])).toEqual([
      ['agreement:CoverageLost', otherMember, baa.agreement.agreementId],
    ]);
    expect(again.map((entry) => entry.seq)).toEqual(lost.map((entry) => entry.seq));
    expect((await f.entries()).filter((entry) => entry.action === 'agreement:CoverageLost')).toHaveLength(1);
    expect(await f.service.coverage(f.orgId, otherMember, baa.agreement.agreementId, now)).toEqual({ covered: false });
    expect(await f.service.coverage(f.orgId, otherMember, baa.agreement.agreementId, whileMember)).toMatchObject({
      covered: true,
      via: 'organization',
    });
    expect(await f.service.coverage(f.orgId, otherMember, dpa.agreement.agreementId, now)).toMatchObject({
      covered: true,
      via: 'account',
    });
  });

  it('marks acceptances outdated on a new revision, tells the organization, and keeps the old record on re-acceptance', async () => {
    const f = await agreementFixture();
    await f.createOrg();
    const { agreement, revision } = await f.publishBaa();
    const id = agreement.agreementId;
    const first = await f.service.accept(id, { scope: 'organization', revisionId: revision.revisionId }, f.principal());
    f.advance(day);

    const second = await f.service.publishRevision(
      id,
      { effectiveDate: '2026-03-01', markdown: 'Revision 2.' },
      operator,
    );
    const outdated = await f.service.acceptance(f.orgId, id, first.acceptanceId);
    const stillCovered = await f.service.coverage(f.orgId, memberAccount, id, f.clock.now().toISOString());
    const notice = (await f.entries()).filter((entry) => entry.action === 'agreement:RevisionPublished');
    f.advance(day);
    const reaccepted = await f.service.accept(
      id,
      { scope: 'organization', revisionId: second.revisionId },
      f.principal(),
    );
    const history = await f.service.history(f.orgId, id);

    expect(outdated).toMatchObject({ status: 'active', revisionOutdated: true, latestRevisionId: second.revisionId });
    expect(stillCovered).toMatchObject({ covered: true, revisionId: revision.revisionId, revisionOutdated: true });
    expect(notice).toHaveLength(1);
    expect(notice[0]?.details).toMatchObject({
      revisionId: second.revisionId,
      previousRevisionId: revision.revisionId,
      outdatedAcceptances: [{ acceptanceId: first.acceptanceId, scope: 'organization' }],
    });
    expect(history.map((h) => [h.acceptanceId, h.status, h.revisionId])).toEqual([
      [reaccepted.acceptanceId, 'active', second.revisionId],
      [first.acceptanceId, 'superseded', revision.revisionId],
    ]);
  });

  it('answers another organization\u2019s acceptance id exactly like a missing one', async () => {
    const f = await agreementFixture();
    await f.createOrg();
    const { agreement, revision } = await f.publishBaa();
    const mine = await f.service.accept(
      agreement.agreementId,
      { scope: 'organization', revisionId: revision.revisionId },
      f.principal(),
    );

    const refusal = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => error,
      );
    const foreign = await refusal(f.service.acceptance('o-other', agreement.agreementId, mine.acceptanceId));
    const missing = await refusal(f.service.acceptance('o-other', agreement.agreementId, 'acc-nope'));

    expect(foreign).toBeInstanceOf(NotFoundError);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((foreign as Error).message).toBe((missing as Error).message);
  });

  it('keeps exactly one active org-wide acceptance under concurrent acceptances', async () => {
    const racers = byTier(20, 200);
    const rounds = byTier(1, 100);
    const f = await agreementFixture();
    await f.createOrg();
    for (let round = 0; round < rounds; round++) {
      const { agreement, revision } = await f.publishBaa(`BAA round ${round}`);
      const results = await Promise.allSettled(
        Array.from({ length: racers }, () =>
          f.service.accept(
            agreement.agreementId,
            { scope: 'organization', revisionId: revision.revisionId },
            f.principal(),
          ),
        ),
      );
      const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      const accepted = (await f.entries()).filter(
        (entry) => entry.action === 'agreement:Accepted' && entry.details.agreementId === agreement.agreementId,
      );
      const history = await f.service.history(f.orgId, agreement.agreementId);

      expect(won).toHaveLength(1);
      expect(lost.every((error) => error instanceof ConflictError)).toBe(true);
      expect(accepted.map((entry) => entry.details.acceptanceId)).toEqual([won[0]?.acceptanceId]);
      expect(history.filter((h) => h.status === 'active')).toHaveLength(1);
      expect(history).toHaveLength(1);
    }
  });

  it('reads the coverage matrix in a number of calls that does not grow with the accounts', async () => {
    const f = await agreementFixture();
    const few = Array.from({ length: 5 }, (_, i) => String(200000000000 + i));
    const many = Array.from({ length: 40 }, (_, i) => String(300000000000 + i));
    await f.createOrg(few);
    const { agreement, revision } = await f.publishBaa();
    await f.service.accept(
      agreement.agreementId,
      { scope: 'organization', revisionId: revision.revisionId },
      f.principal(),
    );
    const at = f.clock.now().toISOString();

    f.store.reset();
    const small = await f.service.matrix(f.orgId, at);
    const smallCalls = f.store.calls;
    for (const accountId of many) await f.addAccount(accountId);
    f.store.reset();
    const large = await f.service.matrix(f.orgId, f.clock.now().toISOString());
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
