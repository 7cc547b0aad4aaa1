import { describe, expect, it } from 'vitest';
import { agreementFixture, memberAccount } from '../../../../test/agreements/agreement-fixture.js';

const day = 86_400_000;
const otherMember = '100000000003';

describe('account departures (the organization module’s listener, in memory)', () => {
  it('raises CoverageLost once per agreement the account loses, idempotently, and answers the past from facts', async () => {
    const f = await agreementFixture();
    await f.createOrg([memberAccount, otherMember]);
    const baa = await f.publishBaa('HIPAA BAA');
    const dpa = await f.publishBaa('GDPR DPA');
    for (const { agreement, revision } of [baa, dpa]) {
      await f.service.accept(f.caller(), {
        agreementId: agreement.agreementId,
        scope: 'organization',
        revisionId: revision.revisionId,
      });
    }
    // otherMember keeps the DPA through its own acceptance, so it loses only the BAA.
    await f.service.accept(f.caller({ accountId: otherMember }), {
      agreementId: dpa.agreement.agreementId,
      scope: 'account',
      accountId: otherMember,
      revisionId: dpa.revision.revisionId,
    });
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
    expect(await f.coverageOf(otherMember, baa.agreement.agreementId, now)).toEqual({ covered: false });
    expect(await f.coverageOf(otherMember, baa.agreement.agreementId, whileMember)).toMatchObject({
      covered: true,
      via: 'organization',
    });
    expect(await f.coverageOf(otherMember, dpa.agreement.agreementId, now)).toMatchObject({
      covered: true,
      via: 'account',
    });
  });
});
