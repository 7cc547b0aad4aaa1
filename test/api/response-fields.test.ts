import { buildJobs } from '@evidence-portal/api';
import { AddressAllowList, ManualClock, systemActor, totpCode } from '@evidence-portal/core';
import { MemoryStore } from '@evidence-portal/core/memory-store';
import { beforeAll, describe, expect, it } from 'vitest';
import { portalOperatorSeed, seedOrganization } from '../../packages/cli/src/demo-seed.js';
import { samplePdf } from '../reports/report-fixtures.js';
import { createTestApp } from '../support/app.js';
import { type OpenApiDocument, responseContract } from '../support/response-contract.js';

/**
 * The response contract over the whole API (issue 15, item 17): every operation of `/api/openapi.json` is
 * called, in an order that makes each one succeed, as a signed-in publisher allowed everything (its own
 * sessions, MFA and access keys included). Each answer must use a status the operation declares, with a
 * content type it declares for that status, and a JSON body may hold only keys its schema declares (nested
 * objects and arrays too). An operation that never succeeded is named: a new route gets a step below.
 *
 * Test apps already hold the answers other tests receive to the same contract (test/support/app.ts); this
 * walk is what makes it cover every operation, successes included.
 */

const orgId = portalOperatorSeed.orgId;
const account = portalOperatorSeed.managementAccount.accountId;
const publisher = portalOperatorSeed.users[0] as { readonly userId: string; email: string; password: string };

/** Operations this walk does not bring to success, and why (each one still has its answer checked). */
const notReached = new Map<string, string>([
  // A reset token is only ever mailed; the walk checks the 400 of a made-up one.
  ['post /api/session/password', 'the reset token exists only in the mail'],
]);

interface Step {
  method: string;
  path: string;
  body?: unknown;
  token?: string | undefined;
  /** When the answer is not a success, the walk stops here: a later step needs what this one makes. */
  required?: boolean;
}

describe('every operation answers only what its schema declares', () => {
  let made: Awaited<ReturnType<typeof createTestApp>>;
  let document: OpenApiDocument & {
    paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>>;
  };
  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));

  beforeAll(async () => {
    made = await createTestApp({
      overrides: { store: new MemoryStore(), clock, webhookAllowList: new AddressAllowList(['127.0.0.1']) },
    });
    const { deps } = made;
    await seedOrganization(deps, portalOperatorSeed);
    await deps.reports.publishers.grantFromDeployment(orgId, { operator: true, companies: [] }, 'test');
    const actor = systemActor('test');
    const everything = await deps.policies.createPolicy(
      orgId,
      {
        name: 'WalkAllowsEverything',
        document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
      },
      actor,
    );
    await deps.policies.attach(orgId, { type: 'user', id: publisher.userId }, everything.policyId, actor);
    document = (await (await made.app.fetch(new Request('http://portal.test/api/openapi.json'))).json()) as never;
  });

  it('walks every operation of the OpenAPI document; no answer carries an undeclared key or status', async () => {
    const contract = responseContract(document);
    const jobs = buildJobs(made.deps);
    const templates = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => ({
        key: `${method} ${path}`,
        method,
        pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        literal: path.split('/').filter((segment) => !segment.startsWith('{')).length,
        responses: item[method]?.responses ?? {},
      })),
    );
    const operationOf = (method: string, path: string) =>
      templates
        .filter((t) => t.method === method.toLowerCase() && t.pattern.test(path))
        .sort((a, b) => b.literal - a.literal)[0];

    const succeeded = new Set<string>();
    const failures: string[] = [];
    // biome-ignore lint/suspicious/noExplicitAny: the walk reads ids from the answers
    const send = async (step: Step): Promise<{ status: number; body: any; headers: Headers }> => {
      const url = new URL(step.path, 'http://portal.test');
      const headers: Record<string, string> = {};
      if (step.token) headers.authorization = `Bearer ${step.token}`;
      if (step.body !== undefined) headers['content-type'] = 'application/json';
      const response = await made.app.fetch(
        new Request(url, {
          method: step.method,
          headers,
          ...(step.body !== undefined ? { body: JSON.stringify(step.body) } : {}),
        }),
      );
      const operation = operationOf(step.method, url.pathname);
      const label = `${step.method} ${step.path} -> ${response.status}`;
      const contentType = response.headers.get('content-type') ?? '';
      const mediaType = contentType.split(';')[0]?.trim() ?? '';
      const text = await response.text();
      if (!operation) {
        failures.push(`${label}: no operation of the document`);
        return { status: response.status, body: {}, headers: response.headers };
      }
      const declared = operation.responses[String(response.status)];
      let body: unknown = {};
      if (!declared) failures.push(`${label}: status not declared (declared: ${Object.keys(operation.responses)})`);
      else if (text !== '' && !declared.content?.[mediaType]) {
        failures.push(`${label}: content type ${mediaType || '(none)'} not declared for this status`);
      }
      if (/^application\/([a-z.-]+\+)?json$/.test(mediaType) && text !== '') {
        body = JSON.parse(text);
        const undeclared = contract.undeclaredKeys(step.method, url.pathname, response.status, contentType, body);
        if (undeclared.length > 0) failures.push(`${label}: undeclared keys ${undeclared.join(', ')}`);
      }
      if (response.status < 400) succeeded.add(operation.key);
      else if (step.required) {
        throw new Error(`${label}: the walk needs this step to succeed: ${text.slice(0, 400)} ${failures}`);
      }
      return { status: response.status, body, headers: response.headers };
    };

    // Public and session operations.
    await send({ method: 'GET', path: '/api/health', required: true });
    await send({ method: 'GET', path: '/api/docs', required: true });
    await send({ method: 'GET', path: '/api/keys/signing', required: true });
    const signIn = async () =>
      (
        await send({
          method: 'POST',
          path: '/api/session',
          body: { organization: orgId, email: publisher.email, password: publisher.password },
          required: true,
        })
      ).body.token as string;
    let token = await signIn();
    const auth = { token };
    await send({ method: 'GET', path: '/api/me', ...auth, required: true });
    await send({
      method: 'POST',
      path: '/api/permissions',
      ...auth,
      required: true,
      body: { questions: [{ action: 'portal:GetReport', resource: '*' }] },
    });
    await send({
      method: 'POST',
      path: '/api/session/password-reset',
      body: { organization: orgId, email: publisher.email },
      required: true,
    });
    await send({
      method: 'POST',
      path: '/api/session/password',
      body: { token: 'made-up-token', newPassword: 'Lumen-Quartz-Ridge-64' },
    });

    // MFA: enrol, confirm, step a session up with a later code.
    const enrolment = (
      await send({
        method: 'POST',
        path: '/api/me/mfa',
        ...auth,
        body: { password: publisher.password },
        required: true,
      })
    ).body;
    await send({
      method: 'POST',
      path: '/api/me/mfa/confirm',
      ...auth,
      body: { totp: totpCode(enrolment.secret, clock.now()) },
      required: true,
    });
    // The session signed in before enrolment steps up with a later code.
    clock.advance(60_000);
    await send({
      method: 'POST',
      path: '/api/session/mfa',
      token,
      body: { totp: totpCode(enrolment.secret, clock.now()) },
      required: true,
    });
    await send({
      method: 'POST',
      path: '/api/me/password',
      token,
      body: { currentPassword: publisher.password, newPassword: 'Lumen-Quartz-Ridge-64' },
      required: true,
    });
    clock.advance(60_000);
    token = (
      await send({
        method: 'POST',
        path: '/api/session',
        body: {
          organization: orgId,
          email: publisher.email,
          password: 'Lumen-Quartz-Ridge-64',
          totp: totpCode(enrolment.secret, clock.now()),
        },
        required: true,
      })
    ).body.token;
    const s = { token };
    /** A step of the walk as the signed-in publisher, which the walk needs to succeed. */
    const walk = (method: string, path: string, body?: unknown) =>
      send({ method, path, ...s, ...(body !== undefined ? { body } : {}), required: true });

    // A first checkpoint, so the consistency proof at the end has two sizes to join.
    const firstCheckpoint = (await walk('POST', '/api/ledger/checkpoints')).body;

    // Access keys.
    const key = (await walk('POST', '/api/me/access-keys', {})).body;
    await walk('GET', '/api/me/access-keys');
    await walk('PATCH', `/api/me/access-keys/${key.accessKeyId}`, { status: 'Inactive' });
    await walk('DELETE', `/api/me/access-keys/${key.accessKeyId}`);

    // Organization structure and identity.
    const org = (await walk('GET', '/api/org')).body;
    const rootId = org.rootId ?? org.root?.unitId ?? org.organization?.rootId;
    const units = (await walk('GET', '/api/org/units')).body;
    const parentId = rootId ?? units.items?.[0]?.unitId ?? units.root?.unitId;
    const unit = (await walk('POST', '/api/org/units', { name: 'Walk unit', parentId })).body;
    await walk('GET', '/api/org/accounts');
    const created = (await walk('POST', '/api/org/accounts', { name: 'Walk account', accountId: '123456789012' })).body;
    const accountId = created.accountId ?? created.account?.accountId;
    await walk('POST', `/api/org/accounts/${accountId}/move`, { destinationParentId: unit.unitId });
    await walk('GET', '/api/org/users');
    const user = (
      await walk('POST', '/api/org/users', { email: 'walk@example.net', displayName: 'Walker', accountId: account })
    ).body;
    const userId = user.userId ?? user.user?.userId;
    await walk('GET', '/api/org/groups');
    const group = (await walk('POST', '/api/org/groups', { name: 'Walkers' })).body;
    await walk('POST', `/api/org/groups/${group.groupId}/members`, { userId });
    await walk('DELETE', `/api/org/groups/${group.groupId}/members/${userId}`);
    await walk('GET', '/api/org/roles');
    const role = (
      await walk('POST', '/api/org/roles', { name: 'WalkRole', trust: { users: [publisher.userId], groups: [] } })
    ).body;
    await walk('POST', `/api/org/roles/${role.roleId}/grants`, { userId, expiresAt: '2026-03-03T00:00:00Z' });
    await walk('GET', '/api/org/policies');
    const policy = (
      await walk('POST', '/api/org/policies', {
        name: 'WalkPolicy',
        document: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'portal:GetReport', Resource: '*' }],
        },
      })
    ).body;
    await walk('GET', `/api/org/policies/${policy.policyId}`);
    await walk('GET', '/api/org/attachments');
    await walk('POST', '/api/org/attachments', {
      targetType: 'group',
      targetId: group.groupId,
      policy: policy.policyId,
    });
    await walk('DELETE', `/api/org/attachments/group/${group.groupId}/${policy.policyId}`);
    await walk('GET', '/api/org/guardrails');
    await walk('POST', '/api/org/guardrails', { targetId: unit.unitId, policy: 'FullAccessGuardrail' });
    await walk('DELETE', `/api/org/guardrails/${unit.unitId}/FullAccessGuardrail`);
    await walk('POST', '/api/org/simulate', { principal: publisher.email, action: 'portal:GetReport', resource: '*' });
    await walk('GET', '/api/org/credential-report');
    await walk('GET', '/api/org/access-analysis?action=portal:GetReport&resource=*');
    await walk('POST', `/api/org/users/${userId}/deactivate`);
    await walk('DELETE', `/api/org/accounts/${accountId}`);
    await walk('DELETE', `/api/org/units/${unit.unitId}`);
    await walk('POST', '/api/organizations', { name: 'Walk Customer', adminEmail: 'admin@walk.example' });

    // Reports: terms, a report, a version with its file, acceptance, download and its trace.
    const terms = (await walk('POST', '/api/report-terms', { title: 'Walk terms', text: 'Keep it confidential.' }))
      .body;
    const report = (
      await walk('POST', '/api/reports', {
        name: 'Walk SOC 2',
        description: 'Walked',
        category: 'SOC',
        series: 'SOC 2 Type II',
        company: 'Example Cloud',
        thirdParty: false,
        state: 'PUBLISHED',
      })
    ).body;
    const updated = (
      await walk('PATCH', `/api/reports/${report.id}`, {
        expectedSequence: report.sequence,
        description: 'Walked twice',
      })
    ).body;
    const version = (
      await walk('POST', `/api/reports/${report.id}/versions`, {
        expectedSequence: updated.sequence,
        periodStart: '2025-01-01',
        periodEnd: '2025-12-31',
        effectiveDate: '2025-12-31',
        termsRevisionId: terms.revisionId,
        acceptanceType: 'EXPLICIT',
      })
    ).body;
    const upload = await fetch(version.upload.url, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf' },
      body: await samplePdf(),
    });
    expect(upload.status).toBe(200);
    const v = version.version.version;
    await walk('POST', `/api/reports/${report.id}/versions/${v}/finalize`);
    await walk('GET', '/api/reports');
    await walk('GET', `/api/reports/${report.id}`);
    await walk('GET', `/api/reports/${report.id}/versions`);
    await walk('GET', `/api/reports/${report.id}/versions/${v}/terms`);
    const accepted = (
      await walk('POST', `/api/reports/${report.id}/versions/${v}/terms/acceptances`, { revisionId: terms.revisionId })
    ).body;
    const download = await walk(
      'GET',
      `/api/reports/${report.id}/versions/${v}/download?termToken=${encodeURIComponent(accepted.termToken)}`,
    );
    await walk('GET', '/api/downloads');
    await walk('GET', `/api/downloads/${download.headers.get('x-download-id')}`);
    await walk('GET', `/api/report-acceptances/${accepted.acceptanceId}`);
    const reportTags = `/api/reports/${report.id}/tags`;
    await walk('POST', reportTags, { tags: { owner: 'walk', env: 'prod' } });
    await walk('GET', reportTags);
    await walk('DELETE', `${reportTags}?tagKeys=env`);
    await walk('GET', '/api/publishers');
    await walk('PUT', '/api/publishers/o-walkpublisher', { operator: false, companies: ['Walk Co'] });
    await walk('DELETE', '/api/publishers/o-walkpublisher');

    // Agreements: publish, revise, NDA, accept, cover, terminate.
    const agreement = (
      await walk('POST', '/api/agreements', {
        name: 'Walk BAA',
        type: 'BAA',
        subjects: ['account', 'organization'],
        ndaText: 'Keep the BAA confidential.',
      })
    ).body;
    const a = `/api/agreements/${agreement.id}`;
    const revision = (await walk('POST', `${a}/revisions`, { effectiveDate: '2026-01-01', markdown: '# Walk BAA' }))
      .body;
    await walk('GET', '/api/agreements');
    await walk('GET', a);
    const nda = (await walk('GET', `${a}/nda`)).body;
    await walk('POST', `${a}/nda/acceptances`, { sha256: nda.sha256 });
    await walk('GET', `${a}/revisions/${revision.id}`);
    const acceptance = (
      await walk('POST', `${a}/acceptances`, { scope: 'account', accountId: account, revisionId: revision.id })
    ).body;
    await walk('GET', `${a}/acceptances`);
    await walk('GET', `${a}/acceptances/${acceptance.acceptanceId}`);
    await walk('GET', `/api/coverage?accountId=${account}&agreementId=${agreement.id}`);
    await walk('GET', '/api/coverage/matrix');
    await walk('POST', `${a}/tags`, { tags: { owner: 'walk' } });
    await walk('GET', `${a}/tags`);
    await walk('DELETE', `${a}/tags?tagKeys=owner&tagKeys=absent`);
    await walk('POST', `${a}/terminations`, { scope: 'account', accountId: account });

    // Notifications: a webhook, a subscription, the feed.
    await walk('GET', '/api/webhooks');
    const webhook = (await walk('POST', '/api/webhooks', { url: 'http://127.0.0.1:9/walk' })).body.webhook;
    await walk('GET', `/api/webhooks/${webhook.webhookId}`);
    await walk('PATCH', `/api/webhooks/${webhook.webhookId}`, { description: 'walked' });
    await walk('GET', `/api/webhooks/${webhook.webhookId}/deliveries`);
    await walk('GET', '/api/subscriptions');
    const subscription = (
      await walk('POST', '/api/subscriptions', { kinds: ['agreement.accepted'], channels: ['feed'] })
    ).body;
    await walk('GET', `/api/subscriptions/${subscription.subscriptionId}`);
    await walk('PUT', `/api/subscriptions/${subscription.subscriptionId}`, {
      kinds: ['agreement.accepted', 'agreement.terminated'],
      channels: ['feed'],
    });
    await walk('DELETE', `/api/subscriptions/${subscription.subscriptionId}`);
    await walk('DELETE', `/api/webhooks/${webhook.webhookId}`);
    // A feed subscription kept, and the delivery job run, so the feed has an entry to mark read.
    await walk('POST', '/api/subscriptions', {
      kinds: ['agreement.accepted', 'agreement.terminated'],
      channels: ['feed'],
    });
    await walk('POST', `${a}/acceptances`, { scope: 'account', accountId: account, revisionId: revision.id });
    await jobs.deliverNotifications();
    const feed = (await walk('GET', '/api/notifications')).body;
    await walk('GET', '/api/notifications/unread-count');
    await walk('POST', `/api/notifications/${feed.items[0].notificationId}/read`);

    // The ledger: list, verify, export, checkpoints and proofs.
    await walk('GET', '/api/ledger');
    await walk('GET', '/api/ledger/verify');
    await walk('GET', '/api/ledger/export');
    const checkpoint = (await walk('POST', '/api/ledger/checkpoints')).body;
    await walk('GET', '/api/ledger/checkpoints/latest');
    await walk('GET', '/api/ledger/checkpoints');
    await walk('GET', `/api/ledger/proofs/inclusion?seq=1&size=${checkpoint.size}`);
    await walk('GET', `/api/ledger/proofs/consistency?from=${firstCheckpoint.size}&to=${checkpoint.size}`);

    // Evidence bundles.
    const bundle = (
      await walk('POST', '/api/evidence-bundles', { purpose: 'Walk audit', ledger: { fromSeq: 1, toSeq: 1 } })
    ).body;
    await jobs.runQueuedExports();
    await walk('GET', '/api/evidence-bundles');
    await walk('GET', `/api/evidence-bundles/${bundle.bundleId}`);
    await walk('GET', `/api/evidence-bundles/${bundle.bundleId}/download`);

    // Compliance inquiries: ask (text, and a questionnaire in human review), read, rate, export, answer.
    const asked = (
      await send({
        method: 'POST',
        path: '/api/compliance-inquiries',
        ...s,
        body: {
          name: 'Walk inquiry',
          inquiryContent: { query: 'Is there a SOC 2 Type II report?' },
          tags: { walk: 'yes' },
        },
        required: true,
      })
    ).body;
    const reviewed = (
      await send({
        method: 'POST',
        path: '/api/compliance-inquiries',
        ...s,
        body: {
          name: 'Walk questionnaire',
          inquiryContent: {
            fileContent: { content: Buffer.from('Question\nDo you encrypt backups?\n').toString('base64') },
          },
          supportMode: 'FULL_SUPPORT',
        },
        required: true,
      })
    ).body;
    const inquiryPath = `/api/compliance-inquiries/${asked.id}`;
    await send({ method: 'GET', path: '/api/compliance-inquiries', ...s, required: true });
    await send({ method: 'GET', path: inquiryPath, ...s, required: true });
    await send({ method: 'GET', path: `${inquiryPath}/queries`, ...s, required: true });
    await send({
      method: 'POST',
      path: `${inquiryPath}/feedback`,
      ...s,
      body: {
        queryIdentifier: 1,
        rating: 'THUMBS_UP',
        responseRevisionId: 0,
        reasonCodes: ['OTHER'],
        comment: 'Walked.',
      },
      required: true,
    });
    await send({
      method: 'POST',
      path: `${inquiryPath}/exports`,
      ...s,
      body: { includeCitations: true },
      required: true,
    });
    await send({ method: 'GET', path: '/api/compliance-inquiry-reviews', ...s, required: true });
    const reviewPath = `/api/compliance-inquiry-reviews/${orgId}/${reviewed.id}`;
    await send({ method: 'GET', path: reviewPath, ...s, required: true });
    await send({
      method: 'POST',
      path: `${reviewPath}/queries/1/answer`,
      ...s,
      body: { response: 'Yes, with AES-256.', reportIds: [report.id] },
      required: true,
    });

    // A role session, then sign-outs.
    const roleSession = (await walk('POST', '/api/session/role', { roleId: role.roleId })).body;
    await send({ method: 'DELETE', path: '/api/session', token: roleSession.token, required: true });
    await walk('DELETE', '/api/session');

    const missing = templates
      .map((template) => template.key)
      .filter((key) => !succeeded.has(key) && !notReached.has(key));
    const reachedAnyway = [...notReached.keys()].filter((key) => succeeded.has(key));
    console.info(
      `response contract: ${templates.length} operations, ${succeeded.size} brought to success and checked, ` +
        `${notReached.size} checked on a refusal only`,
    );
    expect({ failures, missing, reachedAnyway }).toEqual({ failures: [], missing: [], reachedAnyway: [] });
  });
});
