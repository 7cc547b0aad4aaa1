import { describe, expect, it } from 'vitest';
import { demoAgreementIds, seedDemoAgreements } from '../../packages/cli/src/demo-agreements.js';
import { agreementFixture, memberAccount } from './agreement-fixture.js';

describe('demo agreements', () => {
  it('seeds a two-revision BAA, a DPA behind an NDA, an addendum and one account’s own BAA, once', async () => {
    const f = await agreementFixture();
    await f.createOrg([memberAccount]);
    const deps = { agreements: f.service };
    const options = {
      orgId: f.orgId,
      accountWithOwnBaa: memberAccount,
      acceptedBy: { userId: 'u-admin', email: 'admin@example.com' },
      publisherOrgId: 'o-operator',
    };

    const first = await seedDemoAgreements(deps, options);
    const second = await seedDemoAgreements(deps, options);
    const agreements = await f.service.list(f.caller());
    const baa = agreements.find((a) => a.agreementId === demoAgreementIds.baa);
    const coverage = await f.coverageOf(memberAccount, demoAgreementIds.baa);

    expect(first.created.sort()).toEqual(Object.values(demoAgreementIds).sort());
    expect(second.created).toEqual([]);
    expect(agreements.map((a) => [a.type, a.ndaRequired]).sort()).toEqual([
      ['BAA', false],
      ['DPA', true],
      ['addendum', false],
    ]);
    expect(baa?.revisions).toHaveLength(2);
    expect(coverage).toMatchObject({ covered: true, via: 'account', revisionId: baa?.latestRevision?.revisionId });
  });
});
