import { type Authorizer, evaluatePolicies } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.js';
import { asPrincipal, testPrincipal } from '../support/principal.js';
import { auditorA, publishReport } from './report-fixtures.js';

/**
 * The policy, evaluated by the real policy engine: everything on reports, and
 * portal:GetDownload only on `pattern` (one account's downloads).
 */
function getDownloadOnlyOn(pattern: string): Authorizer {
  const policy = {
    name: 'TraceOneAccount',
    document: {
      Version: '2012-10-17' as const,
      Statement: [
        { Effect: 'Allow' as const, Action: ['portal:*Report*', 'portal:ListDownloads'], Resource: ['*'] },
        { Effect: 'Allow' as const, Action: ['portal:GetDownload'], Resource: [pattern] },
      ],
    },
  };
  return {
    async authorize(_principal, action, resource, context) {
      return evaluatePolicies({
        action,
        resource,
        context: context ?? {},
        identityPolicies: [policy],
        guardrails: [],
        guardrailsApply: false,
      });
    },
  };
}

describe('download trace-back scope', () => {
  it("authorizes on the download record's account, not the caller's", async () => {
    const { app, deps } = await createTestApp({
      overrides: { authorizer: getDownloadOnlyOn(`arn:portal:${auditorA.orgId}:555555555555:download/*`) },
    });
    const published = await publishReport(deps);
    const ana = asPrincipal(app, auditorA);
    const base = `/api/reports/${published.report.id}/versions/${published.version.version}`;
    const accepted = (await (
      await ana.request(`${base}/terms/acceptances`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ revisionId: published.terms.revisionId }),
      })
    ).json()) as { termToken: string };
    const download = await ana.request(`${base}/download?termToken=${accepted.termToken}`);
    const downloadId = String(download.headers.get('x-download-id'));
    await download.arrayBuffer();
    // A colleague in account 555555555555 whose policy covers that account's downloads only.
    const scoped = asPrincipal(
      app,
      testPrincipal({ orgId: auditorA.orgId, accountId: '555555555555', userId: 'u-scoped', email: 's@alpha.example' }),
    );

    const otherAccount = await scoped.request(`/api/downloads/${downloadId}`);

    expect(download.status).toBe(200);
    expect(otherAccount.status).toBe(403);
    expect(((await otherAccount.json()) as { code: string }).code).toBe('implicit_deny');
  });

  it('resolves the download for a caller allowed on the account it was made in, wherever the caller sits', async () => {
    const { app, deps } = await createTestApp({
      overrides: { authorizer: getDownloadOnlyOn(`arn:portal:${auditorA.orgId}:${auditorA.accountId}:download/*`) },
    });
    const published = await publishReport(deps);
    const ana = asPrincipal(app, auditorA);
    const base = `/api/reports/${published.report.id}/versions/${published.version.version}`;
    const accepted = (await (
      await ana.request(`${base}/terms/acceptances`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ revisionId: published.terms.revisionId }),
      })
    ).json()) as { termToken: string };
    const download = await ana.request(`${base}/download?termToken=${accepted.termToken}`);
    const downloadId = String(download.headers.get('x-download-id'));
    await download.arrayBuffer();
    const investigator = asPrincipal(
      app,
      testPrincipal({ orgId: auditorA.orgId, accountId: '555555555555', userId: 'u-sec', email: 'sec@alpha.example' }),
    );

    const trace = await investigator.request(`/api/downloads/${downloadId}`);
    const missing = await investigator.request('/api/downloads/dl-01JQ4X9M2K8D7F6E5C4B3A2Z1Y');

    expect(trace.status).toBe(200);
    expect(((await trace.json()) as { download: { accountId: string } }).download.accountId).toBe(auditorA.accountId);
    expect(missing.status).toBe(404);
  });
});
