import {
  agreementKeys,
  ManualClock,
  type Principal,
  principalCaller,
  systemActor,
  systemCaller,
} from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { seedOrganization } from '../packages/cli/src/demo-seed.js';
import { otherCoSeed } from './security/second-organization.js';
import { createTestApp } from './support/app.js';
import { allowAllAuthorizer } from './support/principal.js';

const actor = systemActor('test');

/**
 * The composition root wires account joins and departures to the agreements module once, so every
 * runtime that goes through it — the API, the demo seed, bootstrap, jobs — gets that wiring.
 */
describe('composition', () => {
  it('records seeded account joins for coverage and raises CoverageLost when a composed removal takes an account out', async () => {
    const clock = new ManualClock(new Date('2026-04-01T00:00:00.000Z'));
    // The subject is the wiring, not policies: the seeded organization has no users to decide for.
    const { deps } = await createTestApp({ overrides: { clock, authorizer: allowAllAuthorizer } });
    const orgId = otherCoSeed.orgId;
    const member = otherCoSeed.accounts[0]?.accountId ?? '';
    await seedOrganization(deps, { ...otherCoSeed, users: [], roles: [] });
    const joinRecorded = await deps.store.get(agreementKeys.membership(orgId, member), { consistent: true });

    const operator = systemCaller('o-operator', 'test');
    const agreement = await deps.agreements.create(operator, {
      name: 'BAA',
      type: 'BAA',
      subjects: ['account', 'organization'],
    });
    const revision = await deps.agreements.publishRevision(operator, {
      agreementId: agreement.agreementId,
      effectiveDate: '2026-04-01',
      markdown: '# BAA',
    });
    const admin: Principal = {
      orgId,
      accountId: otherCoSeed.managementAccount.accountId,
      userId: 'u-admin',
      email: 'admin@other.example',
      displayName: 'Admin',
      sessionId: 's-1',
      mfaPresent: true,
      tags: {},
    };
    await deps.agreements.accept(principalCaller(admin), {
      agreementId: agreement.agreementId,
      scope: 'organization',
      revisionId: revision.revisionId,
    });
    clock.advance(60_000);
    await deps.organizations.removeAccount(orgId, member, actor);

    const lost = (await deps.ledger.list(orgId, { action: 'agreement:CoverageLost' })).items;
    expect(joinRecorded?.intervals).toEqual([{ joinedAt: '2026-04-01T00:00:00.000Z' }]);
    expect(lost.map((entry) => [entry.accountId, entry.details.agreementId])).toEqual([
      [member, agreement.agreementId],
    ]);
  });
});
