import { ConflictError, DependencyUnavailableError } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { agreementFixture, type LedgerFaults, memberAccount, operator } from './agreement-fixture.js';

/**
 * Every act commits in the transaction of its ledger entry. The injected fault fails only DynamoDB
 * transactions that carry a ledger item, so a write made apart from the entry would still land and
 * these tests would see it.
 */
describe('agreement acts and their ledger entries', () => {
  it('creates no agreement when its entry cannot be recorded, and both once it can', async () => {
    const faults: LedgerFaults = { armed: true, injected: 0 };
    const f = await agreementFixture({ faults });
    const input = { name: 'Data Processing Addendum', type: 'DPA' as const, subjects: ['account' as const] };

    await expect(f.service.create(operator, { ...input, agreementId: 'agr-dpa' })).rejects.toBeInstanceOf(
      DependencyUnavailableError,
    );
    expect(faults.injected).toBeGreaterThan(0);
    expect(await f.service.list(operator)).toEqual([]);
    expect(await f.entries(operator.orgId)).toEqual([]);

    faults.armed = false;
    const created = await f.service.create(operator, { ...input, agreementId: 'agr-dpa' });

    expect(await f.service.list(operator)).toEqual([created]);
    expect((await f.entries(operator.orgId)).map((e) => [e.action, e.details.agreementId])).toEqual([
      ['agreement:Created', 'agr-dpa'],
    ]);
  });

  it('accepts and terminates only together with the entry: a failed append leaves coverage as it was', async () => {
    const faults: LedgerFaults = { armed: false, injected: 0 };
    const f = await agreementFixture({ faults });
    await f.createOrg([memberAccount]);
    const { agreement, revision } = await f.publishBaa();
    const id = agreement.agreementId;
    const now = () => f.clock.now().toISOString();
    const accept = () =>
      f.service.accept(f.caller(), { agreementId: id, scope: 'organization', revisionId: revision.revisionId });
    const terminate = () => f.service.terminate(f.caller(), { agreementId: id, scope: 'organization' });
    const history = () => f.service.history(f.caller(), { agreementId: id });

    faults.armed = true;
    await expect(accept()).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect(await history()).toEqual([]);
    expect(await f.coverageOf(memberAccount, id, now())).toEqual({ covered: false });

    faults.armed = false;
    const accepted = await accept();
    f.advance(60_000);
    faults.armed = true;
    await expect(terminate()).rejects.toBeInstanceOf(DependencyUnavailableError);
    expect((await history()).map((h) => h.status)).toEqual(['active']);
    expect(await f.coverageOf(memberAccount, id, now())).toMatchObject({
      covered: true,
      via: 'organization',
    });

    faults.armed = false;
    const terminated = await terminate();

    expect((await history()).map((h) => h.status)).toEqual(['terminated']);
    expect((await f.entries()).map((e) => [e.action, e.details.acceptanceId])).toEqual([
      ['agreement:Accepted', accepted.acceptanceId],
      ['agreement:Terminated', terminated.acceptanceId],
    ]);
  });

  it('records one of two concurrent terminations by different users and refuses the other', async () => {
    const f = await agreementFixture({ store: 'dynamo' });
    await f.createOrg([memberAccount]);
    const { agreement, revision } = await f.publishBaa();
    const id = agreement.agreementId;
    await f.service.accept(f.caller(), { agreementId: id, scope: 'organization', revisionId: revision.revisionId });

    const results = await Promise.allSettled(
      ['u-first', 'u-second'].map((userId) =>
        f.service.terminate(f.caller({ userId }), { agreementId: id, scope: 'organization' }),
      ),
    );

    const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    const terminations = (await f.entries()).filter((e) => e.action === 'agreement:Terminated');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(ConflictError);
    expect(terminations).toHaveLength(1);
    expect(terminations[0]?.details.at).toBe(won[0]?.terminatedAt);
  });
});
