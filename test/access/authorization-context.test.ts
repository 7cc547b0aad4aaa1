import {
  createLedger,
  createUlidGenerator,
  type Portal,
  type Principal,
  principalForUser,
  systemActor,
  systemClock,
} from '@evidence-portal/core';
import { MemoryStore } from '@evidence-portal/core/memory-store';
import { describe, expect, it } from 'vitest';
import { exampleCorpSeed, seedOrganization } from '../../packages/cli/src/demo-seed.js';
import { CountingStore } from '../agreements/counting-store.js';
import { testPortal } from '../support/portal.js';

const orgId = exampleCorpSeed.orgId;
const actor = systemActor('test');
const officer = { roleId: 'role-complianceofficer', name: 'ComplianceOfficer' };
const manageUsers = ['portal:ManageAccess', `arn:portal:${orgId}::user/*`] as const;
const readReport = ['portal:GetReport', `arn:portal:${orgId}:*:report/rpt-1`] as const;
const acceptInSandbox = ['portal:AcceptAgreement', `arn:portal:${orgId}:555555555555:agreement/agr-baa`] as const;

/**
 * Two runtimes over one store, as two Lambda instances are: `admin` changes access data, `reader`
 * answers the questions with its own cache of authorization contexts. Each question arrives with a
 * fresh principal, as each API request does.
 */
async function twoRuntimes() {
  const store = new CountingStore(new MemoryStore());
  const runtime = (): Portal =>
    testPortal({
      store,
      clock: systemClock,
      ids: createUlidGenerator(systemClock),
      ledger: createLedger({ store, clock: systemClock }),
    });
  const admin = runtime();
  const reader = runtime();
  await seedOrganization(admin, exampleCorpSeed);
  const principal = async (userId: string, role?: { roleId: string; name: string }): Promise<Principal> =>
    principalForUser(await reader.users.get(orgId, userId), {
      mfaPresent: true,
      sessionId: 's-request',
      ...(role ? { role } : {}),
    });
  const decide = async (userId: string, question: readonly [string, string], role?: typeof officer) =>
    (await reader.access.authorize(await principal(userId, role), question[0], question[1])).decision;
  return { store, admin, reader, principal, decide };
}

describe('authorization context: loaded once, cached behind the access stamp', () => {
  it('sees a change to each kind of access data at the very next request, in another runtime', async () => {
    const { admin, decide } = await twoRuntimes();
    const { policies, users, organizations } = admin;
    const engineer = 'u-demoengineer';
    // Warm the reader's cache for every question first: a stale cache would answer the old decision.
    expect(await decide(engineer, manageUsers)).toBe('ImplicitDeny');
    expect(await decide(engineer, manageUsers, officer)).toBe('ImplicitDeny');
    expect(await decide(engineer, readReport)).toBe('Allow');
    expect(await decide(engineer, acceptInSandbox, officer)).toBe('ExplicitDeny');

    // Policies and their attachments.
    const policy = await policies.createPolicy(
      orgId,
      {
        name: 'ManageUsers',
        document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: manageUsers[0], Resource: '*' }] },
      },
      actor,
    );
    await policies.attach(orgId, { type: 'user', id: engineer }, policy.policyId, actor);
    expect(await decide(engineer, manageUsers)).toBe('Allow');
    await policies.detach(orgId, { type: 'user', id: engineer }, policy.policyId, actor);
    expect(await decide(engineer, manageUsers)).toBe('ImplicitDeny');

    // Group membership.
    await users.addMember(orgId, 'g-administrators', engineer, actor);
    expect(await decide(engineer, manageUsers)).toBe('Allow');
    await users.removeMember(orgId, 'g-administrators', engineer, actor);
    expect(await decide(engineer, manageUsers)).toBe('ImplicitDeny');

    // A role's policies, for a session of that role.
    await policies.attach(orgId, { type: 'role', id: officer.roleId }, policy.policyId, actor);
    expect(await decide(engineer, manageUsers, officer)).toBe('Allow');

    // Guardrails on the path.
    const denyReports = await policies.createPolicy(
      orgId,
      {
        name: 'NoReports',
        document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: readReport[0], Resource: '*' }] },
      },
      actor,
    );
    await policies.attachGuardrail(orgId, 'ou-sandbox', denyReports.policyId, actor);
    expect(await decide(engineer, readReport)).toBe('ExplicitDeny');
    await policies.detachGuardrail(orgId, 'ou-sandbox', denyReports.policyId, actor);
    expect(await decide(engineer, readReport)).toBe('Allow');

    // The OU tree: the sandbox account moves out of the sandbox guardrail's reach.
    await organizations.moveAccount(orgId, '555555555555', 'ou-production', actor);
    expect(await decide(engineer, acceptInSandbox, officer)).toBe('Allow');

    // The user.
    await users.deactivate(orgId, engineer, actor);
    expect(await decide(engineer, readReport)).toBe('ImplicitDeny');
  });

  it('sees a change made in this runtime even by a principal object it already asked with', async () => {
    const { admin, reader, principal } = await twoRuntimes();
    const engineer = await principal('u-demoengineer');
    expect((await admin.access.authorize(engineer, ...manageUsers)).decision).toBe('ImplicitDeny');
    expect((await reader.access.authorize(engineer, ...manageUsers)).decision).toBe('ImplicitDeny');

    await admin.users.addMember(orgId, 'g-administrators', 'u-demoengineer', actor);

    expect((await admin.access.authorize(engineer, ...manageUsers)).decision).toBe('Allow');
    expect((await reader.access.authorize(engineer, ...manageUsers)).decision).toBe('Allow');
  });

  it('costs one Store call per request however many questions it asks, once loaded', async () => {
    const { store, reader, principal } = await twoRuntimes();
    const auditor = await principal('u-demoauditor');
    const questions = Array.from(
      { length: 25 },
      (_, i) => ['portal:GetReport', `arn:portal:${orgId}:333333333333:report/rpt-${i}`] as const,
    );

    store.reset();
    await reader.access.authorize(auditor, ...readReport);
    const cold = store.calls;
    const fresh = await principal('u-demoauditor');
    store.reset();
    await reader.access.authorize(fresh, ...readReport);
    const one = store.calls;
    const request = await principal('u-demoauditor');
    store.reset();
    const decisions = await Promise.all(questions.map((question) => reader.access.authorize(request, ...question)));
    const list = store.calls;
    const sequential = await principal('u-demoauditor');
    store.reset();
    for (const question of questions) await reader.access.authorize(sequential, ...question);

    expect(decisions.every((decision) => decision.decision === 'Allow')).toBe(true);
    expect(cold).toBeGreaterThan(1);
    expect(one).toBe(1);
    expect(list).toBe(one);
    expect(store.calls).toBe(one);
    expect(store.byMethod).toEqual({ get: 1 });
  });
});
