import type { AppDeps } from '@evidence-portal/api';
import {
  type Authorizer,
  createUlidGenerator,
  evaluatePolicies,
  type PolicyDocument,
  type Principal,
  publicAlias,
  systemCaller,
} from '@evidence-portal/core';
import { MemoryStore } from '@evidence-portal/core/memory-store';
import { describe, expect, it } from 'vitest';
import { seedLargeCatalog } from '../reports/catalog-seed.js';
import { createTestApp } from '../support/app.js';
import { asPrincipal, testPrincipal } from '../support/principal.js';

const everything: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};
const readOnly: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['portal:List*', 'portal:Get*'], Resource: '*' }],
};

/** Decides by the policy of the principal's user id (`u-admin` everything, anyone else read-only). */
const byUser: Authorizer = {
  authorize: async (principal, action, resource, context = {}) =>
    evaluatePolicies({
      action,
      resource,
      context,
      identityPolicies: [{ name: 'test', document: principal.userId === 'u-admin' ? everything : readOnly }],
      guardrails: [],
      guardrailsApply: false,
    }),
};

async function portal() {
  const store = new MemoryStore();
  const { app, deps } = await createTestApp({ overrides: { store, authorizer: byUser } as Partial<AppDeps> });
  const [report] = await seedLargeCatalog(store, createUlidGenerator(deps.clock), {
    versions: 1,
    versionsPerReport: 1,
  });
  await deps.reports.backfillAliases();
  await deps.reports.publishers.grantFromDeployment('o-operator', { operator: true, companies: [] }, 'test');
  const agreement = await deps.agreements.create(systemCaller('o-operator', 'test'), {
    name: 'HIPAA BAA',
    type: 'BAA',
    subjects: ['account'],
  });
  const as = (overrides: Partial<Principal> = {}) => {
    const client = asPrincipal(app, testPrincipal({ orgId: 'o-a', userId: 'u-admin', ...overrides }));
    const send = (method: string, path: string, body?: unknown) =>
      client.request(path, {
        method,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
    return {
      get: (path: string) => send('GET', path),
      post: (path: string, body: unknown) => send('POST', path, body),
      delete: (path: string) => send('DELETE', path),
    };
  };
  return { deps, as, reportId: (report as { id: string }).id, agreementId: agreement.agreementId };
}

describe('tag routes', () => {
  it('tags, lists and untags a report and an agreement, answering the tags after each act', async () => {
    const { as, deps, reportId, agreementId } = await portal();
    const admin = as();
    for (const path of [`/api/reports/${reportId}/tags`, `/api/agreements/${agreementId}/tags`]) {
      const empty = await admin.get(path);
      const tagged = await admin.post(path, { tags: { owner: 'risk', env: 'prod' } });
      const untagged = await admin.delete(`${path}?tagKeys=env&tagKeys=absent`);
      const single = await admin.delete(`${path}?tagKeys=owner`);

      expect(empty.status).toBe(200);
      expect(((await empty.json()) as { tags: object }).tags).toEqual({});
      expect(tagged.status).toBe(200);
      expect(await tagged.json()).toMatchObject({
        resourceArn: expect.stringMatching(/^arn:portal:o-a:/),
        tags: { owner: 'risk', env: 'prod' },
      });
      expect(((await untagged.json()) as { tags: object }).tags).toEqual({ owner: 'risk' });
      expect(((await single.json()) as { tags: object }).tags).toEqual({});
    }
    const actions = (await deps.ledger.list('o-a')).items.map((entry) => entry.action);
    expect(actions.filter((action) => action === 'tag:ResourceTagged')).toHaveLength(2);
    expect(actions.filter((action) => action === 'tag:ResourceUntagged')).toHaveLength(4);
  });

  it("keeps one organization's tags from another, and answers another's or a missing resource 404", async () => {
    const { as, reportId } = await portal();
    await as().post(`/api/reports/${reportId}/tags`, { tags: { owner: 'a' } });

    const other = as({ orgId: 'o-b', userId: 'u-admin' });
    expect(((await (await other.get(`/api/reports/${reportId}/tags`)).json()) as { tags: object }).tags).toEqual({});
    for (const path of [
      '/api/reports/rpt-missing/tags',
      '/api/agreements/agr-missing/tags',
      '/api/reports/a%2Fb/tags',
    ]) {
      const missing = await other.post(path, { tags: { a: 'b' } });
      expect(missing.status, path).toBe(404);
      expect(missing.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(((await (await as().get(`/api/reports/${reportId}/tags`)).json()) as { tags: object }).tags).toEqual({
      owner: 'a',
    });
  });

  it('refuses invalid tags with field errors where the client sent them, writing nothing', async () => {
    const { as, deps, reportId } = await portal();
    const admin = as();
    const path = `/api/reports/${reportId}/tags`;
    await admin.post(path, { tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])) });
    const before = (await deps.ledger.list('o-a')).items.length;

    const reserved = await admin.post(path, { tags: { 'aws:team': 'x' } });
    const badValue = await admin.post(path, { tags: { ok: 'semi;colon' } });
    const tooMany = await admin.post(path, { tags: { fiftyFirst: 'v' } });
    const noKeys = await admin.delete(path);

    expect(reserved.status).toBe(400);
    expect(reserved.headers.get('content-type')).toContain('application/problem+json');
    expect(((await reserved.json()) as { errors: Array<{ path: string }> }).errors[0]?.path).toBe('body.tags.aws:team');
    expect(badValue.status).toBe(400);
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({
      errors: [{ path: 'body.tags', message: expect.stringContaining('at most 50') }],
    });
    expect(noKeys.status).toBe(400);
    expect((await deps.ledger.list('o-a')).items).toHaveLength(before);
  });

  it('asks portal:TagResource and portal:UntagResource: a read-only principal lists but cannot change', async () => {
    const { as, reportId, agreementId } = await portal();
    await as().post(`/api/agreements/${agreementId}/tags`, { tags: { owner: 'privacy' } });
    const reader = as({ userId: 'u-reader' });

    const listed = await reader.get(`/api/agreements/${agreementId}/tags`);
    const tag = await reader.post(`/api/reports/${reportId}/tags`, { tags: { a: 'b' } });
    const untag = await reader.delete(`/api/agreements/${agreementId}/tags?tagKeys=owner`);

    expect(((await listed.json()) as { tags: object }).tags).toEqual({ owner: 'privacy' });
    expect(tag.status).toBe(403);
    expect(((await tag.json()) as { code: string }).code).toBe('implicit_deny');
    expect(untag.status).toBe(403);
  });

  it('the Artifact alias of the same report names the same tags (core resolution)', async () => {
    const { as, deps, reportId } = await portal();
    await as().post(`/api/reports/${reportId}/tags`, { tags: { owner: 'a' } });
    const caller = {
      kind: 'principal' as const,
      principal: testPrincipal({ orgId: 'o-a', userId: 'u-admin' }),
      origin: {},
    };

    const byAlias = await deps.tags.list(caller, {
      resourceArn: `arn:aws:artifact:us-east-1::report/${publicAlias('report', reportId)}`,
    });
    expect(byAlias.tags).toEqual({ owner: 'a' });
  });
});
