import { systemActor, systemCaller } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { exampleCorpSeed, portalOperatorSeed, seedOrganization } from '../../packages/cli/src/demo-seed.js';
import { accessTestApp, codeAt, requester } from './directory-test-kit.js';

const onboarding = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'portal:CreateOrganization', Resource: '*' }],
};

describe('onboarding another customer organization (operator only)', () => {
  it('lets the operator create one whose admin signs in with the one-time password; customer admins never can', async () => {
    const made = await accessTestApp();
    const { deps, clock } = made;
    await seedOrganization(deps, exampleCorpSeed);
    await seedOrganization(deps, portalOperatorSeed);
    await deps.reports.grantPublisher({ orgId: portalOperatorSeed.orgId, operator: true, companies: [] });
    // Both organizations give their user a policy allowing the action: only the operator's may use it.
    for (const [orgId, userId] of [
      [portalOperatorSeed.orgId, 'u-demopublisher'],
      [exampleCorpSeed.orgId, 'u-demoadmin'],
    ] as const) {
      const policy = await deps.policies.createPolicy(
        orgId,
        { name: 'Onboarding', document: onboarding },
        systemActor('test'),
      );
      await deps.policies.attach(orgId, { type: 'user', id: userId }, policy.policyId, systemActor('test'));
    }
    const call = requester(made.app);
    const publisher = (
      await call('POST', '/api/session', {
        body: { email: 'publisher@example.net', password: 'Juniper-Beacon-Quarry-64' },
      })
    ).body.token as string;
    const admin = exampleCorpSeed.users.find((u) => u.email === 'admin@example.com');
    const customer = (
      await call('POST', '/api/session', {
        body: { email: admin?.email, password: admin?.password, totp: codeAt(admin?.totpSecret ?? '', clock) },
      })
    ).body.token as string;
    const body = { name: 'Acme Health', adminEmail: 'root@acme.example' };

    const created = await call('POST', '/api/organizations', { token: publisher, body });
    const refused = await call('POST', '/api/organizations', { token: customer, body });
    const firstSignIn = await call('POST', '/api/session', {
      body: {
        organization: created.body.organization?.orgId,
        email: 'root@acme.example',
        password: created.body.oneTimePassword,
      },
    });
    const fromCli = await deps.onboardOrganization(systemCaller(portalOperatorSeed.orgId, 'cli'), {
      name: 'Beta Labs',
      adminEmail: 'root@beta.example',
    });

    expect(created.status).toBe(201);
    expect(created.body.organization.orgId).toMatch(/^o-/);
    expect(firstSignIn.status).toBe(403);
    expect(firstSignIn.body.code).toBe('password_change_required');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('not_the_operator');
    expect(fromCli.organization.name).toBe('Beta Labs');
    expect(await deps.store.get({ pk: 'DEPLOYMENT', sk: 'BOOTSTRAP' })).toBeUndefined();
  }, 120_000);
});
