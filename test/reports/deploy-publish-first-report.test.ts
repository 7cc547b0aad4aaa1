import { bootstrapDeployment, ManualClock } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { codeAt, requester } from '../access/directory-test-kit.js';
import { createTestApp } from '../support/app.js';
import { samplePdf } from './report-fixtures.js';

/**
 * docs/deploy.md §5–§6 end to end, through the API alone: bootstrap a deployment, sign in as its
 * first admin (new password, MFA), give yourself the publishing policy, publish terms, a report and
 * a version (presigned upload to the bucket, finalize), then make a vendor organization a publisher.
 */
describe('deploy guide §6: publish a first report', () => {
  it('lets the bootstrapped operator admin publish, and grant a vendor, with nothing written by hand', async () => {
    const clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));
    const { app, deps } = await createTestApp({ overrides: { clock } });
    const call = requester(app);
    // §5: `evidence admin bootstrap` runs exactly this.
    const boot = await bootstrapDeployment(deps, { orgName: 'Portal Operator', adminEmail: 'ops@operator.example' });
    const password = 'Harbor-Quartz-Lantern-58';
    const first = await call('POST', '/api/session', {
      body: {
        organization: boot.organization.orgId,
        email: 'ops@operator.example',
        password: boot.oneTimePassword,
        newPassword: password,
      },
    });
    const enrol = await call('POST', '/api/me/mfa', { token: first.body.token, body: { password } });
    await call('POST', '/api/me/mfa/confirm', {
      token: first.body.token,
      body: { totp: codeAt(enrol.body.secret, clock) },
    });
    clock.advance(31_000);
    const session = await call('POST', '/api/session', {
      body: {
        organization: boot.organization.orgId,
        email: 'ops@operator.example',
        password,
        totp: codeAt(enrol.body.secret, clock),
      },
    });
    const token = session.body.token as string;
    const beforePolicy = await call('POST', '/api/report-terms', { token, body: { title: 'T', text: 'Keep it.' } });

    // §6: the admin may hand its publishing on with a policy of the org (never more than it holds).
    const policy = await call('POST', '/api/org/policies', {
      token,
      body: {
        name: 'CatalogPublisher',
        document: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['portal:PublishReport', 'portal:ManagePublishers'],
              Resource: '*',
            },
          ],
        },
      },
    });
    const attach = await call('POST', '/api/org/attachments', {
      token,
      body: { targetType: 'user', targetId: boot.adminUserId, policy: policy.body.policyId },
    });
    const terms = await call('POST', '/api/report-terms', {
      token,
      body: { title: 'Report access terms', text: 'You will keep this report confidential.' },
    });
    const report = await call('POST', '/api/reports', {
      token,
      body: {
        name: 'Portal SOC 2 Type II',
        description: 'Security and availability.',
        category: 'SOC',
        series: 'SOC 2 Type II',
        company: 'Portal Operator',
        thirdParty: false,
      },
    });
    const version = await call('POST', `/api/reports/${report.body.id}/versions`, {
      token,
      body: {
        expectedSequence: report.body.sequence,
        periodStart: '2025-01-01',
        periodEnd: '2025-12-31',
        effectiveDate: '2026-01-15',
        termsRevisionId: terms.body.revisionId,
        acceptanceType: 'EXPLICIT',
      },
    });
    const upload = await fetch(version.body.upload.url, {
      method: 'PUT',
      headers: version.body.upload.headers,
      body: Buffer.from(await samplePdf()),
    });
    const finalized = await call(
      'POST',
      `/api/reports/${report.body.id}/versions/${version.body.version.version}/finalize`,
      {
        token,
      },
    );
    const vendor = await call('PUT', '/api/publishers/o-vendor-co', { token, body: { companies: ['Vendor Co'] } });
    const grants = await call('GET', '/api/publishers', { token });

    // Bootstrap attached CatalogOperator beside OrganizationAdmin: the operator's admin publishes at once.
    expect(beforePolicy.status).toBe(201);
    expect(policy.status).toBe(201);
    expect(attach.status).toBe(201);
    expect(terms.status).toBe(201);
    expect(report.status).toBe(201);
    expect(version.status).toBe(201);
    expect(upload.status).toBe(200);
    expect(finalized.status, JSON.stringify(finalized.body)).toBe(200);
    expect(finalized.body.uploadState).toBe('COMPLETE');
    expect(vendor.status).toBe(200);
    expect(vendor.body).toEqual({ orgId: 'o-vendor-co', operator: false, companies: ['Vendor Co'] });
    expect(grants.body.items).toEqual(
      expect.arrayContaining([
        { orgId: boot.organization.orgId, operator: true, companies: [] },
        { orgId: 'o-vendor-co', operator: false, companies: ['Vendor Co'] },
      ]),
    );
  });

  it('refuses grant changes from an organization that is not the operator, and self-demotion', async () => {
    const { deps } = await createTestApp();
    const actor = { type: 'user' as const, id: 'u-x', email: 'x@vendor.example', accountId: '111111111111' };
    await deps.reports.publishers.grantFromDeployment('o-operator', { operator: true, companies: [] });
    await deps.reports.publishers.grantFromDeployment('o-vendor', { operator: false, companies: ['Vendor'] });

    await expect(
      deps.reports.publishers.grant({ orgId: 'o-vendor', actor }, 'o-other', { operator: true, companies: [] }),
    ).rejects.toMatchObject({ code: 'not_the_operator' });
    await expect(deps.reports.publishers.revoke({ orgId: 'o-operator', actor }, 'o-operator')).rejects.toMatchObject({
      code: 'own_operator_grant',
    });
    await deps.reports.publishers.revoke({ orgId: 'o-operator', actor }, 'o-vendor');
    expect(await deps.reports.publishers.get('o-vendor')).toBeUndefined();
  });
});
