import { silentLogger } from '@evidence-portal/api';
import { createSubscription, createUlidGenerator, deliverNotifications, listFeed } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { agreementFixture, memberAccount, operator } from './agreement-fixture.js';

const unused = {
  async send(): Promise<never> {
    throw new Error('only the feed channel is subscribed');
  },
};

describe('agreement notifications (derived from ledger entries)', () => {
  it('delivers a new-revision notification and a coverage-lost notification to a subscriber’s feed', async () => {
    const f = await agreementFixture();
    await f.createOrg([memberAccount]);
    const owner = { orgId: f.orgId, userId: 'u-admin', email: 'admin@example.com' };
    const deps = { store: f.store, clock: f.clock, ids: createUlidGenerator(f.clock) };
    await createSubscription(deps, owner, {
      kinds: ['agreement.revision', 'coverage.lost'],
      filters: {},
      channels: ['feed'],
    });
    const { agreement, revision } = await f.publishBaa();
    await f.service.accept(f.caller(), {
      agreementId: agreement.agreementId,
      scope: 'organization',
      revisionId: revision.revisionId,
    });
    f.advance(1000);
    await f.service.publishRevision(operator, {
      agreementId: agreement.agreementId,
      effectiveDate: '2026-02-01',
      markdown: 'Revision 2.',
    });
    f.advance(1000);
    await f.removeAccount(memberAccount);

    await deliverNotifications(
      { store: f.store, clock: f.clock, logger: silentLogger, transport: unused, email: unused },
      f.orgId,
    );
    const feed = await listFeed(f.store, owner, { limit: 10 });

    expect(feed.items.map((item) => [item.kind, item.action, item.accountId])).toEqual([
      ['coverage.lost', 'agreement:CoverageLost', memberAccount],
      ['agreement.revision', 'agreement:RevisionPublished', undefined],
    ]);
  });
});
