import type { AppDeps } from '@evidence-portal/api';
import { type Authorizer, directoryKeys, type Principal } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.js';
import { byTier } from '../support/context.js';
import { allowAllAuthorizer, asPrincipal, testPrincipal } from '../support/principal.js';

const orgId = 'o-routes';
const management = '200000000001';
const member = '200000000002';

async function portal(overrides: Partial<AppDeps> = {}) {
  const { app, deps } = await createTestApp({ overrides: { authorizer: allowAllAuthorizer, ...overrides } });
  const joinedAt = '2026-01-01T00:00:00.000Z';
  await deps.store.put({ ...directoryKeys.org(orgId), type: 'Organization', orgId, managementAccountId: management });
  for (const accountId of [management, member]) {
    await deps.store.put({ ...directoryKeys.account(orgId, accountId), type: 'Account', accountId, joinedAt });
  }
  // This organization publishes the agreements it then accepts (the catalog needs a publisher grant).
  await deps.reports.publishers.grantFromDeployment(orgId, { operator: true, companies: [] }, 'test');
  const as = (overrides: Partial<Principal> = {}) => {
    const client = asPrincipal(app, testPrincipal({ orgId, accountId: management, ...overrides }));
    return {
      get: async (path: string): Promise<Response> => client.request(path),
      post: async (path: string, body: unknown): Promise<Response> =>
        client.request(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'route-test' },
          body: JSON.stringify(body),
        }),
    };
  };
  const admin = as();
  async function publish(body: Record<string, unknown> = {}) {
    const created = await admin.post('/api/agreements', {
      name: 'HIPAA BAA',
      type: 'BAA',
      subjects: ['account', 'organization'],
      ...body,
    });
    const agreement = (await created.json()) as { id: string };
    const revision = await admin.post(`/api/agreements/${agreement.id}/revisions`, {
      effectiveDate: '2026-01-01',
      markdown: '# BAA\n\nRevision 1.',
    });
    return { id: agreement.id, revision: (await revision.json()) as { id: string; sha256: string } };
  }
  return { app, deps, as, admin, publish };
}

describe('agreement routes', () => {
  it('publishes an agreement and lists it with its latest revision', async () => {
    const { admin, publish } = await portal();
    const { id, revision } = await publish();

    const list = await admin.get('/api/agreements');
    const detail = await admin.get(`/api/agreements/${id}`);

    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: Array<{ id: string }> }).items.map((a) => a.id)).toEqual([id]);
    expect(detail.status).toBe(200);
    expect(await detail.json()).toMatchObject({
      id,
      name: 'HIPAA BAA',
      type: 'BAA',
      latestRevision: { id: revision.id, sha256: revision.sha256, effectiveDate: '2026-01-01' },
      revisions: [{ id: revision.id }],
    });
    expect(revision.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('records acts of an assumed-role session as role-session acts in the ledger', async () => {
    const { as, deps } = await portal();
    const officer = as({ role: { roleId: 'role-officer', name: 'ComplianceOfficer' } });

    const created = await officer.post('/api/agreements', { name: 'DPA', type: 'DPA', subjects: ['account'] });
    const { id } = (await created.json()) as { id: string };
    await officer.post(`/api/agreements/${id}/revisions`, { effectiveDate: '2026-01-01', markdown: '# DPA' });

    const entries = (await deps.ledger.list(orgId)).items.filter((entry) => entry.action.startsWith('agreement:'));
    expect(created.status).toBe(201);
    expect(entries.map((entry) => [entry.action, entry.actor.type, entry.actor.id])).toEqual([
      ['agreement:RevisionPublished', 'role-session', 'u-test'],
      ['agreement:Created', 'role-session', 'u-test'],
    ]);
  });

  it('accepts org-wide from the management account with MFA and answers coverage for any account and instant', async () => {
    const { admin, publish, deps } = await portal();
    const { id, revision } = await publish();
    const before = deps.clock.now().toISOString();

    const accepted = await admin.post(`/api/agreements/${id}/acceptances`, {
      scope: 'organization',
      revisionId: revision.id,
    });
    const body = (await accepted.json()) as { acceptanceId: string };
    const now = await admin.get(`/api/coverage?accountId=${member}&agreementId=${id}`);
    const past = await admin.get(
      `/api/coverage?accountId=${member}&agreementId=${id}&at=${encodeURIComponent(before)}`,
    );
    const matrix = await admin.get('/api/coverage/matrix');
    const history = await admin.get(`/api/agreements/${id}/acceptances`);

    expect(accepted.status).toBe(201);
    expect(body).toMatchObject({ scope: 'organization', revisionId: revision.id, userAgent: 'route-test' });
    expect(await now.json()).toMatchObject({ covered: true, via: 'organization', revisionId: revision.id });
    expect(await past.json()).toMatchObject({ covered: false });
    const cells = (
      (await matrix.json()) as { accounts: Array<{ accountId: string; coverage: Record<string, unknown> }> }
    ).accounts;
    expect(cells.map((row) => [row.accountId, row.coverage[id]])).toEqual([
      [management, expect.objectContaining({ covered: true, via: 'organization' })],
      [member, expect.objectContaining({ covered: true, via: 'organization' })],
    ]);
    expect(((await history.json()) as { items: Array<{ acceptanceId: string }> }).items).toEqual([
      expect.objectContaining({ acceptanceId: body.acceptanceId, status: 'active' }),
    ]);
    const entries = await deps.ledger.list(orgId, { action: 'agreement:Accepted' });
    expect(entries.items.map((entry) => entry.details.acceptanceId)).toEqual([body.acceptanceId]);
  });

  it('answers 403 saying why without MFA or from a member account, 409 for a stale revision', async () => {
    const { as, admin, publish } = await portal();
    const { id, revision } = await publish();
    await admin.post(`/api/agreements/${id}/revisions`, { effectiveDate: '2026-02-01', markdown: 'Revision 2.' });

    const noMfa = await as({ mfaPresent: false }).post(`/api/agreements/${id}/acceptances`, {
      scope: 'account',
      revisionId: revision.id,
    });
    const fromMember = await as({ accountId: member }).post(`/api/agreements/${id}/acceptances`, {
      scope: 'organization',
      revisionId: revision.id,
    });
    const stale = await admin.post(`/api/agreements/${id}/acceptances`, {
      scope: 'organization',
      revisionId: revision.id,
    });

    expect(noMfa.status).toBe(403);
    expect(noMfa.headers.get('content-type')).toContain('application/problem+json');
    expect(await noMfa.json()).toMatchObject({ code: 'mfa_required', detail: expect.stringMatching(/MFA/) });
    expect(fromMember.status).toBe(403);
    expect(await fromMember.json()).toMatchObject({
      code: 'management_account_required',
      detail: expect.stringMatching(/management account/),
    });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ code: 'revision_not_latest' });
  });

  it('asks authorize once, in the use case, for the exact target: the organization, another account, or its own', async () => {
    const asked: string[] = [];
    const ownAccountOnly: Authorizer = {
      async authorize(principal, action, resource) {
        asked.push(`${action} ${resource}`);
        const own = resource.startsWith(`arn:portal:${principal.orgId}:${principal.accountId}:`);
        return own || action === 'portal:PublishAgreement'
          ? { decision: 'Allow', reason: 'own account', matchedStatements: [] }
          : { decision: 'ImplicitDeny', reason: 'no statement allows it', matchedStatements: [] };
      },
    };
    const { admin, publish } = await portal({ authorizer: ownAccountOnly });
    const { id, revision } = await publish();

    const orgWide = await admin.post(`/api/agreements/${id}/acceptances`, {
      scope: 'organization',
      revisionId: revision.id,
    });
    const other = await admin.post(`/api/agreements/${id}/acceptances`, {
      scope: 'account',
      accountId: member,
      revisionId: revision.id,
    });
    const own = await admin.post(`/api/agreements/${id}/acceptances`, { scope: 'account', revisionId: revision.id });

    expect([orgWide.status, other.status, own.status]).toEqual([403, 403, 201]);
    expect(await orgWide.json()).toMatchObject({ code: 'implicit_deny' });
    expect(asked.filter((question) => question.startsWith('portal:AcceptAgreement'))).toEqual([
      `portal:AcceptAgreement arn:portal:${orgId}::agreement/${id}`,
      `portal:AcceptAgreement arn:portal:${orgId}:${member}:agreement/${id}`,
      `portal:AcceptAgreement arn:portal:${orgId}:${management}:agreement/${id}`,
    ]);
  });

  it('answers another organization’s acceptance id like a missing one (404)', async () => {
    const { admin, as, publish } = await portal();
    const { id, revision } = await publish();
    const accepted = (await (
      await admin.post(`/api/agreements/${id}/acceptances`, { scope: 'organization', revisionId: revision.id })
    ).json()) as { acceptanceId: string };

    const mine = await admin.get(`/api/agreements/${id}/acceptances/${accepted.acceptanceId}`);
    const stranger = as({ orgId: 'o-stranger' });
    const foreign = await stranger.get(`/api/agreements/${id}/acceptances/${accepted.acceptanceId}`);
    const missing = await stranger.get(`/api/agreements/${id}/acceptances/acc-missing`);

    expect(mine.status).toBe(200);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual(await missing.json());
  });

  it('puts the NDA step before the text of an agreement that requires it', async () => {
    const { admin, publish } = await portal();
    const { id, revision } = await publish({ name: 'GDPR DPA', type: 'DPA', ndaText: 'Keep this confidential.' });

    const blocked = await admin.get(`/api/agreements/${id}/revisions/${revision.id}`);
    const nda = (await (await admin.get(`/api/agreements/${id}/nda`)).json()) as { required: boolean; sha256: string };
    const accepted = await admin.post(`/api/agreements/${id}/nda/acceptances`, { sha256: nda.sha256 });
    const text = await admin.get(`/api/agreements/${id}/revisions/${revision.id}`);

    expect(blocked.status).toBe(403);
    expect(await blocked.json()).toMatchObject({ code: 'nda_required' });
    expect(nda.required).toBe(true);
    expect(accepted.status).toBe(201);
    expect(text.status).toBe(200);
    expect(await text.json()).toMatchObject({ id: revision.id, markdown: '# BAA\n\nRevision 1.' });
  });

  it('lets exactly one of many concurrent org-wide acceptances win; the rest get 409', async () => {
    const { admin, publish, deps } = await portal();
    const { id, revision } = await publish();

    const statuses = await Promise.all(
      Array.from({ length: byTier(20, 200) }, () =>
        admin
          .post(`/api/agreements/${id}/acceptances`, { scope: 'organization', revisionId: revision.id })
          .then((r) => r.status),
      ),
    );
    const accepted = await deps.ledger.list(orgId, { action: 'agreement:Accepted' });

    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(statuses.length - 1);
    expect(accepted.items).toHaveLength(1);
  });
});
