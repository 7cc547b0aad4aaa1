import {
  createAgreements,
  createUlidGenerator,
  ledgerJoinLookup,
  OrganizationService,
  StoreMembershipHistory,
  systemActor,
} from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { allowAllAuthorizer } from '../support/principal.js';
import { agreementFixture, managementAccount } from './agreement-fixture.js';

const departing = '100000000009';

describe('coverage and the organization module', () => {
  it('raises CoverageLost for an account the org module removed, finding its join in the ledger', async () => {
    const f = await agreementFixture({ orgId: 'o-departure', store: 'dynamo' });
    const ids = createUlidGenerator(f.clock);
    const organizations = new OrganizationService({ store: f.store, clock: f.clock, ids, ledger: f.ledger });
    // The service as composed for the API: the membership history falls back to the ledger's joins.
    const agreements = createAgreements({
      store: f.store,
      clock: f.clock,
      ids,
      ledger: f.ledger,
      membership: new StoreMembershipHistory(f.store, ledgerJoinLookup(f.ledger)),
      authorizer: allowAllAuthorizer,
      blobs: f.blobs,
    });
    await organizations.createOrganization({
      name: 'Departure Corp',
      orgId: f.orgId,
      managementAccountId: managementAccount,
      actor: systemActor('test'),
    });
    f.advance(1000);
    await organizations.addAccount(f.orgId, { name: 'Leaving', accountId: departing }, systemActor('test'));
    const joinedAt = f.clock.now().toISOString();
    const { agreement, revision } = await f.publishBaa();
    f.advance(1000);
    await agreements.accept(f.caller(), {
      agreementId: agreement.agreementId,
      scope: 'organization',
      revisionId: revision.revisionId,
    });
    f.advance(1000);
    const whileMember = f.clock.now().toISOString();
    f.advance(1000);

    await organizations.removeAccount(f.orgId, departing, systemActor('test'));
    const leftAt = f.clock.now().toISOString();
    const lost = await agreements.onAccountLeft(f.orgId, departing, leftAt);

    expect(lost.map((entry) => [entry.action, entry.accountId, entry.details.agreementId])).toEqual([
      ['agreement:CoverageLost', departing, agreement.agreementId],
    ]);
    expect(await f.coverageOf(departing, agreement.agreementId, whileMember)).toMatchObject({
      covered: true,
      via: 'organization',
    });
    expect(await f.coverageOf(departing, agreement.agreementId, leftAt)).toEqual({ covered: false });
    expect(await new StoreMembershipHistory(f.store).intervals(f.orgId, departing)).toEqual([{ joinedAt, leftAt }]);
  });
});
