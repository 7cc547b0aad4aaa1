import { type Principal, principalForUser, systemActor } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { exampleCorpSeed, seedOrganization } from '../../packages/cli/src/demo-seed.js';
import { directoryTestDeps } from './directory-test-kit.js';

const orgId = exampleCorpSeed.orgId;
const actor = systemActor('test');
const agreementIn = (accountId: string) => `arn:portal:${orgId}:${accountId}:agreement/agr-baa`;

async function seeded() {
  const deps = await directoryTestDeps();
  await seedOrganization(deps.portal, exampleCorpSeed);
  const { users, access, policies } = deps.portal;
  const as = async (userId: string, role?: { roleId: string; name: string }): Promise<Principal> =>
    principalForUser(await users.get(orgId, userId), {
      mfaPresent: true,
      sessionId: 's-test',
      ...(role ? { role } : {}),
    });
  return { deps, users, access, policies, as };
}

const officer = { roleId: 'role-complianceofficer', name: 'ComplianceOfficer' };

describe('AccessService', () => {
  it('allows through identity policies and denies by default', async () => {
    const { access, as } = await seeded();
    const engineer = await as('u-demoengineer');

    const read = await access.authorize(engineer, 'portal:GetReport', `arn:portal:${orgId}:*:report/r-soc2`);
    const manage = await access.authorize(engineer, 'portal:ManageAccess', `arn:portal:${orgId}::user/*`);

    expect(read.decision).toBe('Allow');
    expect(manage.decision).toBe('ImplicitDeny');
  });

  it("binds member accounts by the guardrails on their path, and a role session keeps only the role's permissions", async () => {
    const { access, as, deps } = await seeded();
    const engineerAsOfficer = await as('u-demoengineer', officer);
    const auditorAsOfficer = await as('u-demoauditor', officer);
    const auditor = await as('u-demoauditor');

    const sandboxDenied = await access.authorize(
      engineerAsOfficer,
      'portal:AcceptAgreement',
      agreementIn('555555555555'),
    );
    const healthcareAllowed = await access.authorize(
      auditorAsOfficer,
      'portal:AcceptAgreement',
      agreementIn('333333333333'),
    );
    const exportOwn = await access.authorize(
      auditor,
      'portal:ExportEvidence',
      `arn:portal:${orgId}:333333333333:evidence-bundle/b-1`,
    );
    const exportAsRole = await access.authorize(
      auditorAsOfficer,
      'portal:ExportEvidence',
      `arn:portal:${orgId}:333333333333:evidence-bundle/b-1`,
    );
    const exportOtherOu = await access.authorize(
      auditor,
      'portal:ExportEvidence',
      `arn:portal:${orgId}:222222222222:evidence-bundle/b-1`,
    );

    expect(sandboxDenied.decision).toBe('ExplicitDeny');
    expect(sandboxDenied.matchedStatements).toContainEqual(
      expect.objectContaining({
        policy: 'DenyAgreementChangesInSandbox',
        sid: 'NoAgreementsOrEvidenceInSandbox',
        source: 'guardrail',
      }),
    );
    expect(healthcareAllowed.decision).toBe('Allow');
    expect(exportOwn.decision).toBe('Allow');
    expect(exportAsRole.decision).toBe('ImplicitDeny');
    expect(exportOtherOu.decision).toBe('ImplicitDeny');
    // The worth-keeping denial (an agreement change) is in the ledger; reads are not.
    expect(deps.ledger.entries.filter((e) => e.action === 'access:Denied').map((e) => e.details?.action)).toEqual([
      'portal:AcceptAgreement',
      'portal:ExportEvidence',
      'portal:ExportEvidence',
    ]);
  });

  it('does not bind the management account by guardrails, as SCPs do not', async () => {
    const { access, as, policies } = await seeded();
    const denyAll = await policies.createPolicy(
      orgId,
      {
        name: 'DenyEverything',
        document: {
          Version: '2012-10-17',
          Statement: [{ Sid: 'Nothing', Effect: 'Deny', Action: 'portal:*', Resource: '*' }],
        },
      },
      actor,
    );
    await policies.attachGuardrail(orgId, 'r-examplecorp', denyAll.policyId, actor);

    const admin = await access.authorize(await as('u-demoadmin'), 'portal:ManageAccess', `arn:portal:${orgId}::user/*`);
    const auditor = await access.authorize(
      await as('u-demoauditor'),
      'portal:GetReport',
      `arn:portal:${orgId}:*:report/r-1`,
    );

    expect(admin.decision).toBe('Allow');
    expect(auditor.decision).toBe('ExplicitDeny');
  });

  it('ends a time-boxed grant at its expiry without anyone acting, and records grant and expiry', async () => {
    const { access, as, policies, deps } = await seeded();
    const expiresAt = new Date(deps.clock.now().getTime() + 3600_000).toISOString();
    await policies.attach(orgId, { type: 'user', id: 'u-demoauditor' }, 'AgreementsFullAccess', actor, { expiresAt });
    const auditor = await as('u-demoauditor');

    const during = await access.authorize(auditor, 'portal:TerminateAgreement', agreementIn('333333333333'));
    deps.clock.advance(3600_000);
    const after = await access.authorize(auditor, 'portal:TerminateAgreement', agreementIn('333333333333'));

    expect(during.decision).toBe('Allow');
    expect(after.decision).toBe('ImplicitDeny');
    const actions = deps.ledger.entries.map((e) => e.action);
    expect(actions).toContain('access:GrantCreated');
    expect(deps.ledger.entries.find((e) => e.action === 'access:GrantExpired')?.details).toMatchObject({
      targetId: 'u-demoauditor',
      expiredAt: expiresAt,
    });
  });

  it('denies a deactivated user at once', async () => {
    const { access, as, users } = await seeded();
    const engineer = await as('u-demoengineer');
    await users.deactivate(orgId, 'u-demoengineer', actor);

    const decision = await access.authorize(engineer, 'portal:GetReport', `arn:portal:${orgId}:*:report/r-1`);

    expect(decision.decision).toBe('ImplicitDeny');
  });

  it('access analysis: who can AcceptAgreement on a Healthcare account, and on a Sandbox account', async () => {
    const { access } = await seeded();

    const healthcare = await access.analyze(orgId, 'portal:AcceptAgreement', agreementIn('333333333333'));
    const sandbox = await access.analyze(orgId, 'portal:AcceptAgreement', agreementIn('555555555555'));

    const expected = ['role:role-complianceofficer:333333333333', 'user:u-demoadmin:111111111111'];
    // The engineer may assume the role too, but that session acts from the Sandbox account, whose guardrail denies.
    expect(healthcare.map((p) => `${p.type}:${p.id}:${p.accountId}`).sort()).toEqual(expected);
    expect(sandbox.map((p) => `${p.type}:${p.id}:${p.accountId}`).sort()).toEqual(expected);
    expect(healthcare.some((p) => p.id === 'u-demoauditor' || p.id === 'u-demoengineer')).toBe(false);
  });
});
