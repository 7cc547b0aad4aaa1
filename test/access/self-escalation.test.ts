import { principalForUser, systemActor } from '@evidence-portal/core';
import { MemoryStore } from '@evidence-portal/core/memory-store';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleCorpSeed, seedOrganization } from '../../packages/cli/src/demo-seed.js';
import { asPrincipal } from '../support/principal.js';
import { accessTestApp } from './directory-test-kit.js';

const orgId = exampleCorpSeed.orgId;
const actor = systemActor('test');

/**
 * Issue 15, item 3: attachments, detachments, guardrails and grants are asked about the target as well
 * as the policy, and nobody hands out more than they hold.
 */
async function seeded() {
  const made = await accessTestApp({ store: new MemoryStore() });
  const { deps } = made;
  await seedOrganization(deps, exampleCorpSeed);
  const grantTo = async (userId: string, name: string, resources: string[]) => {
    const policy = await deps.policies.createPolicy(
      orgId,
      {
        name,
        document: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['portal:ManageAccess', 'portal:DescribeAccess'], Resource: resources },
          ],
        },
      },
      actor,
    );
    await deps.policies.attach(orgId, { type: 'user', id: userId }, policy.policyId, actor);
  };
  const as = async (userId: string) => {
    const client = asPrincipal(
      made.app,
      principalForUser(await deps.users.get(orgId, userId), { mfaPresent: true, sessionId: `s-${userId}` }),
    );
    return async (method: string, url: string, body?: unknown) => {
      const response = await client.request(url, {
        method,
        ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
      });
      const json = (await response.json().catch(() => ({}))) as { code?: string };
      return { status: response.status, code: json.code };
    };
  };
  return { ...made, grantTo, as };
}

describe('no self-escalation through attachments, guardrails and grants', () => {
  // One organization for the file (seeding hashes passwords); each test gives a different user its rights.
  let grantTo: Awaited<ReturnType<typeof seeded>>['grantTo'];
  let as: Awaited<ReturnType<typeof seeded>>['as'];
  let made: Awaited<ReturnType<typeof seeded>>;
  beforeAll(async () => {
    made = await seeded();
    ({ grantTo, as } = made);
  });
  const simulateAsAdmin = async (body: Record<string, unknown>) => {
    const client = asPrincipal(
      made.app,
      principalForUser(await made.deps.users.get(orgId, 'u-demoadmin'), { mfaPresent: true, sessionId: 's-sim' }),
    );
    const response = await client.request('/api/org/simulate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return ((await response.json()) as { decision: string }).decision;
  };

  it('asks about the target principal: ManageAccess on policy/* alone attaches nothing to anyone', async () => {
    await grantTo('u-demoengineer', 'PolicyManager', [`arn:portal:${orgId}::policy/*`]);
    const engineer = await as('u-demoengineer');

    const toSelf = await engineer('POST', '/api/org/attachments', {
      targetType: 'user',
      targetId: 'u-demoengineer',
      policy: 'OrganizationAdmin',
    });
    const detach = await engineer('DELETE', '/api/org/attachments/group/g-administrators/OrganizationAdmin');

    expect(toSelf).toEqual({ status: 403, code: 'implicit_deny' });
    expect(detach).toEqual({ status: 403, code: 'implicit_deny' });
  });

  it('refuses handing out more than the caller holds, to itself or anyone, and allows what it holds', async () => {
    await grantTo('u-demoauditor', 'UserAndPolicyManager', [
      `arn:portal:${orgId}::policy/*`,
      `arn:portal:${orgId}::user/*`,
      `arn:portal:${orgId}::role/*`,
    ]);
    // The auditor holds AuditorReadOnly and ReportsReadOnly, and may now manage users, policies and roles.
    const auditor = await as('u-demoauditor');
    const admin = await as('u-demoadmin');
    const attach = (caller: typeof auditor, targetId: string, policy: string) =>
      caller('POST', '/api/org/attachments', { targetType: 'user', targetId, policy });

    const escalate = await attach(auditor, 'u-demoauditor', 'OrganizationAdmin');
    const escalateOther = await attach(auditor, 'u-demoengineer', 'AgreementsFullAccess');
    const delegateHeld = await attach(auditor, 'u-demoengineer', 'ReportsReadOnly');
    const roleGrant = await auditor('POST', '/api/org/roles/role-complianceofficer/grants', {
      userId: 'u-demoauditor',
      expiresAt: '2026-03-03T09:00:00Z',
    });
    const adminDelegates = await attach(admin, 'u-demoauditor', 'AgreementsFullAccess');

    expect(escalate).toEqual({ status: 403, code: 'exceeds_caller_permissions' });
    expect(escalateOther).toEqual({ status: 403, code: 'exceeds_caller_permissions' });
    expect(delegateHeld.status).toBe(201);
    expect(roleGrant).toEqual({ status: 403, code: 'exceeds_caller_permissions' });
    expect(adminDelegates.status).toBe(201);
  });

  it('asks guardrail changes about the node they sit on', async () => {
    await grantTo('u-demoengineer', 'GuardrailManager', [`arn:portal:${orgId}::guardrail/*`]);
    const engineer = await as('u-demoengineer');
    const admin = await as('u-demoadmin');

    // The engineer sits in the Sandbox OU, whose guardrail denies it agreement changes.
    const lift = await engineer('DELETE', '/api/org/guardrails/ou-sandbox/p-sandboxguardrail');
    const byAdmin = await admin('DELETE', '/api/org/guardrails/ou-sandbox/p-sandboxguardrail');

    expect(lift).toEqual({ status: 403, code: 'implicit_deny' });
    expect(byAdmin.status).toBe(204);
  });

  it('fills aws:username, aws:userid, aws:PrincipalArn and aws:EpochTime, and simulates with context entries (item 16)', async () => {
    const { deps } = made;
    const policy = await deps.policies.createPolicy(
      orgId,
      {
        name: 'KeysUnderTest',
        document: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'ByName',
              Effect: 'Deny',
              Action: 'portal:ListDownloads',
              Resource: '*',
              Condition: {
                StringEquals: { 'aws:username': 'engineer@example.com', 'aws:userid': 'u-demoengineer' },
                ArnEquals: { 'aws:PrincipalArn': `arn:portal:${orgId}::user/u-demoengineer` },
                NumericGreaterThan: { 'aws:EpochTime': 1_700_000_000 },
              },
            },
            {
              Sid: 'BySeries',
              Effect: 'Deny',
              Action: 'portal:GetReport',
              Resource: '*',
              Condition: { StringEquals: { 'portal:ReportSeries': 'SOC 2' } },
            },
          ],
        },
      },
      actor,
    );
    await deps.policies.attach(orgId, { type: 'user', id: 'u-demoengineer' }, policy.policyId, actor);
    const simulate = (action: string, context?: Record<string, string>) =>
      simulateAsAdmin({ principal: 'engineer@example.com', action, resource: '*', context });

    expect(await simulate('portal:ListDownloads')).toBe('ExplicitDeny');
    expect(await simulate('portal:GetReport')).toBe('Allow');
    expect(await simulate('portal:GetReport', { 'portal:ReportSeries': 'SOC 2' })).toBe('ExplicitDeny');
  });
});
