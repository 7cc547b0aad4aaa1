import { describe, expect, it } from 'vitest';
import { agreementFixture, memberAccount } from '../../../../test/agreements/agreement-fixture.js';

const day = 86_400_000;
const otherMember = '100000000003';

describe('terminate (use case, in memory)', () => {
  it('ends org coverage except for accounts with their own acceptance, keeping every record', async () => {
    const f = await agreementFixture();
    await f.createOrg([memberAccount, otherMember]);
    const { agreement, revision } = await f.publishBaa();
    const id = agreement.agreementId;
    await f.service.accept(f.caller(), { agreementId: id, scope: 'organization', revisionId: revision.revisionId });
    f.advance(day);
    const own = await f.service.accept(f.caller({ accountId: otherMember }), {
      agreementId: id,
      scope: 'account',
      accountId: otherMember,
      revisionId: revision.revisionId,
    });
    f.advance(day);
    const terminated = await f.service.terminate(f.caller(), { agreementId: id, scope: 'organization' });
    const afterwards = new Date(f.clock.now().getTime() + 1).toISOString();
    const before = new Date(f.clock.now().getTime() - 1).toISOString();

    expect(await f.coverageOf(memberAccount, id, afterwards)).toEqual({ covered: false });
    expect(await f.coverageOf(memberAccount, id, before)).toMatchObject({ covered: true, via: 'organization' });
    expect(await f.coverageOf(otherMember, id, afterwards)).toMatchObject({
      covered: true,
      via: 'account',
      acceptanceId: own.acceptanceId,
    });
    const history = await f.service.history(f.caller(), { agreementId: id });
    expect(history.map((h) => [h.scope, h.status])).toEqual([
      ['account', 'active'],
      ['organization', 'terminated'],
    ]);
    expect(history[1]).toMatchObject({ acceptanceId: terminated.acceptanceId, endedAt: f.clock.now().toISOString() });
    await expect(f.service.terminate(f.caller(), { agreementId: id, scope: 'organization' })).rejects.toMatchObject({
      code: 'not_accepted',
    });
  });

  it('needs MFA and a member of the organization, as accepting does', async () => {
    const f = await agreementFixture();
    await f.createOrg([memberAccount]);
    const { agreement, revision } = await f.publishBaa();
    const id = agreement.agreementId;
    await f.service.accept(f.caller(), { agreementId: id, scope: 'account', revisionId: revision.revisionId });

    await expect(
      f.service.terminate(f.caller({ mfaPresent: false }), { agreementId: id, scope: 'account' }),
    ).rejects.toMatchObject({ code: 'mfa_required' });
    await expect(
      f.service.terminate(f.caller(), { agreementId: id, scope: 'account', accountId: '999999999999' }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});
