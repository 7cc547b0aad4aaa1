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

    // A first checkpoint, so the consistency proof at the end has two sizes to join.
    const firstCheckpoint = (await send({ method: 'POST', path: '/api/ledger/checkpoints', ...s, required: true }))
      .body;

    // Access keys.
    const key = (await send({ method: 'POST', path: '/api/me/access-keys', ...s, body: {}, required: true })).body;
    await send({ method: 'GET', path: '/api/me/access-keys', ...s, required: true });
    await send({
      method: 'PATCH',
      path: `/api/me/access-keys/${key.accessKeyId}`,
      ...s,
      body: { status: 'Inactive' },
      required: true,
    });
    await send({ method: 'DELETE', path: `/api/me/access-keys/${key.accessKeyId}`, ...s, required: true });

    // Organization structure and identity.
    const org = (await send({ method: 'GET', path: '/api/org', ...s, required: true })).body;
    const rootId = org.rootId ?? org.root?.unitId ?? org.organization?.rootId;
    const units = (await send({ method: 'GET', path: '/api/org/units', ...s, required: true })).body;
    const parentId = rootId ?? units.items?.[0]?.unitId ?? units.root?.unitId;
    const unit = (
      await send({
        method: 'POST',
        path: '/api/org/units',
        ...s,
        body: { name: 'Walk unit', parentId },
        required: true,
      })
    ).body;
    await send({ method: 'GET', path: '/api/org/accounts', ...s, required: true });
    const created = (
      await send({
        method: 'POST',
        path: '/api/org/accounts',
        ...s,
        body: { name: 'Walk account', accountId: '123456789012' },
        required: true,
      })
    ).body;
    const accountId = created.accountId ?? created.account?.accountId;
    await send({
      method: 'POST',
      path: `/api/org/accounts/${accountId}/move`,
      ...s,
      body: { destinationParentId: unit.unitId },
      required: true,
    });
    await send({ method: 'GET', path: '/api/org/users', ...s, required: true });
    const user = (
      await send({
        method: 'POST',
        path: '/api/org/users',
        ...s,
        body: { email: 'walk@example.net', displayName: 'Walker', accountId: account },
        required: true,
      })
    ).body;
    const userId = user.userId ?? user.user?.userId;
    await send({ method: 'GET', path: '/api/org/groups', ...s, required: true });
    const group = (
      await send({ method: 'POST', path: '/api/org/groups', ...s, body: { name: 'Walkers' }, required: true })
    ).body;
    await send({
      method: 'POST',
      path: `/api/org/groups/${group.groupId}/members`,
      ...s,
      body: { userId },
      required: true,
    });
    await send({ method: 'DELETE', path: `/api/org/groups/${group.groupId}/members/${userId}`, ...s, required: true });
    await send({ method: 'GET', path: '/api/org/roles', ...s, required: true });
    const role = (
      await send({
        method: 'POST',
        path: '/api/org/roles',
        ...s,
        body: { name: 'WalkRole', trust: { users: [publisher.userId], groups: [] } },
        required: true,
      })
    ).body;
    await send({
      method: 'POST',
      path: `/api/org/roles/${role.roleId}/grants`,
      ...s,
      body: { userId, expiresAt: '2026-03-03T00:00:00Z' },
      required: true,
    });
    await send({ method: 'GET', path: '/api/org/policies', ...s, required: true });
    const policy = (
      await send({
        method: 'POST',
        path: '/api/org/policies',
        ...s,
        body: {
          name: 'WalkPolicy',
          document: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'portal:GetReport', Resource: '*' }],
          },
        },
        required: true,
      })
    ).body;
    await send({ method: 'GET', path: `/api/org/policies/${policy.policyId}`, ...s, required: true });
    await send({ method: 'GET', path: '/api/org/attachments', ...s, required: true });
    await send({
      method: 'POST',
      path: '/api/org/attachments',
      ...s,
      body: { targetType: 'group', targetId: group.groupId, policy: policy.policyId },
      required: true,
    });
    await send({
      method: 'DELETE',
      path: `/api/org/attachments/group/${group.groupId}/${policy.policyId}`,
      ...s,
      required: true,
    });
    await send({ method: 'GET', path: '/api/org/guardrails', ...s, required: true });
    await send({
      method: 'POST',
      path: '/api/org/guardrails',
      ...s,
      body: { targetId: unit.unitId, policy: 'FullAccessGuardrail' },
      required: true,
    });
    await send({
      method: 'DELETE',
      path: `/api/org/guardrails/${unit.unitId}/FullAccessGuardrail`,
      ...s,
      required: true,
    });
    await send({
      method: 'POST',
      path: '/api/org/simulate',
      ...s,
      body: { principal: publisher.email, action: 'portal:GetReport', resource: '*' },
      required: true,
    });
    await send({ method: 'GET', path: '/api/org/credential-report', ...s, required: true });
    await send({
      method: 'GET',
      path: '/api/org/access-analysis?action=portal:GetReport&resource=*',
      ...s,
      required: true,
    });
    await send({ method: 'POST', path: `/api/org/users/${userId}/deactivate`, ...s, required: true });
    await send({ method: 'DELETE', path: `/api/org/accounts/${accountId}`, ...s, required: true });
    await send({ method: 'DELETE', path: `/api/org/units/${unit.unitId}`, ...s, required: true });
    await send({
      method: 'POST',
      path: '/api/organizations',
      ...s,
      body: { name: 'Walk Customer', adminEmail: 'admin@walk.example' },
      required: true,
    });

    // Reports: terms, a report, a version with its file, acceptance, download and its trace.
    const terms = (
      await send({
        method: 'POST',
        path: '/api/report-terms',
        ...s,
        body: { title: 'Walk terms', text: 'Keep it confidential.' },
        required: true,
      })
    ).body;
    const report = (
      await send({
        method: 'POST',
        path: '/api/reports',
        ...s,
        body: {
          name: 'Walk SOC 2',
          description: 'Walked',
          category: 'SOC',
          series: 'SOC 2 Type II',
          company: 'Example Cloud',
          thirdParty: false,
          state: 'PUBLISHED',
        },
        required: true,
      })
    ).body;
    const updated = (
      await send({
        method: 'PATCH',
        path: `/api/reports/${report.id}`,
        ...s,
        body: { expectedSequence: report.sequence, description: 'Walked twice' },
        required: true,
      })
    ).body;
    const version = (
      await send({
        method: 'POST',
        path: `/api/reports/${report.id}/versions`,
        ...s,
        body: {
          expectedSequence: updated.sequence,
          periodStart: '2025-01-01',
          periodEnd: '2025-12-31',
          effectiveDate: '2025-12-31',
          termsRevisionId: terms.revisionId,
          acceptanceType: 'EXPLICIT',
        },
        required: true,
      })
    ).body;
    const upload = await fetch(version.upload.url, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf' },
      body: await samplePdf(),
    });
    expect(upload.status).toBe(200);
    const v = version.version.version;
    await send({ method: 'POST', path: `/api/reports/${report.id}/versions/${v}/finalize`, ...s, required: true });
    await send({ method: 'GET', path: '/api/reports', ...s, required: true });
    await send({ method: 'GET', path: `/api/reports/${report.id}`, ...s, required: true });
    await send({ method: 'GET', path: `/api/reports/${report.id}/versions`, ...s, required: true });
    await send({ method: 'GET', path: `/api/reports/${report.id}/versions/${v}/terms`, ...s, required: true });
    const accepted = (
      await send({
        method: 'POST',
        path: `/api/reports/${report.id}/versions/${v}/terms/acceptances`,
        ...s,
        body: { revisionId: terms.revisionId },
        required: true,
      })
    ).body;
    const download = await send({
      method: 'GET',
      path: `/api/reports/${report.id}/versions/${v}/download?termToken=${encodeURIComponent(accepted.termToken)}`,
      ...s,
      required: true,
    });
    await send({ method: 'GET', path: '/api/downloads', ...s, required: true });
    await send({
      method: 'GET',
      path: `/api/downloads/${download.headers.get('x-download-id')}`,
      ...s,
      required: true,
    });
    await send({ method: 'GET', path: `/api/report-acceptances/${accepted.acceptanceId}`, ...s, required: true });
    const reportTags = `/api/reports/${report.id}/tags`;
    await send({
      method: 'POST',
      path: reportTags,
      ...s,
      body: { tags: { owner: 'walk', env: 'prod' } },
      required: true,
    });
    await send({ method: 'GET', path: reportTags, ...s, required: true });
    await send({ method: 'DELETE', path: `${reportTags}?tagKeys=env`, ...s, required: true });
    await send({ method: 'GET', path: '/api/publishers', ...s, required: true });
    await send({
      method: 'PUT',
      path: '/api/publishers/o-walkpublisher',
      ...s,
      body: { operator: false, companies: ['Walk Co'] },
      required: true,
    });
    await send({ method: 'DELETE', path: '/api/publishers/o-walkpublisher', ...s, required: true });

    // Agreements: publish, revise, NDA, accept, cover, terminate.
    const agreement = (
      await send({
        method: 'POST',
        path: '/api/agreements',
        ...s,
        body: {
          name: 'Walk BAA',
          type: 'BAA',
          subjects: ['account', 'organization'],
          ndaText: 'Keep the BAA confidential.',
        },
        required: true,
      })
    ).body;
    const a = `/api/agreements/${agreement.id}`;
    const revision = (
      await send({
        method: 'POST',
        path: `${a}/revisions`,
        ...s,
        body: { effectiveDate: '2026-01-01', markdown: '# Walk BAA' },
        required: true,
      })
    ).body;
    await send({ method: 'GET', path: '/api/agreements', ...s, required: true });
    await send({ method: 'GET', path: a, ...s, required: true });
    const nda = (await send({ method: 'GET', path: `${a}/nda`, ...s, required: true })).body;
    await send({ method: 'POST', path: `${a}/nda/acceptances`, ...s, body: { sha256: nda.sha256 }, required: true });
    await send({ method: 'GET', path: `${a}/revisions/${revision.id}`, ...s, required: true });
    const acceptance = (
      await send({
        method: 'POST',
        path: `${a}/acceptances`,
        ...s,
        body: { scope: 'account', accountId: account, revisionId: revision.id },
        required: true,
      })
    ).body;
    await send({ method: 'GET', path: `${a}/acceptances`, ...s, required: true });
    await send({
      method: 'GET',
      path: `${a}/acceptances/${acceptance.acceptanceId}`,
      ...s,
      required: true,
    });
    await send({
      method: 'GET',
      path: `/api/coverage?accountId=${account}&agreementId=${agreement.id}`,
      ...s,
      required: true,
    });
    await send({ method: 'GET', path: '/api/coverage/matrix', ...s, required: true });
    await send({ method: 'POST', path: `${a}/tags`, ...s, body: { tags: { owner: 'walk' } }, required: true });
    await send({ method: 'GET', path: `${a}/tags`, ...s, required: true });
    await send({ method: 'DELETE', path: `${a}/tags?tagKeys=owner&tagKeys=absent`, ...s, required: true });
    await send({
      method: 'POST',
      path: `${a}/terminations`,
      ...s,
      body: { scope: 'account', accountId: account },
      required: true,
    });

    // Notifications: a webhook, a subscription, the feed.
    await send({ method: 'GET', path: '/api/webhooks', ...s, required: true });
    const webhook = (
      await send({
        method: 'POST',
        path: '/api/webhooks',
        ...s,
        body: { url: 'http://127.0.0.1:9/walk' },
        required: true,
      })
    ).body.webhook;
    await send({ method: 'GET', path: `/api/webhooks/${webhook.webhookId}`, ...s, required: true });
    await send({
      method: 'PATCH',
      path: `/api/webhooks/${webhook.webhookId}`,
      ...s,
      body: { description: 'walked' },
      required: true,
    });
    await send({ method: 'GET', path: `/api/webhooks/${webhook.webhookId}/deliveries`, ...s, required: true });
    await send({ method: 'GET', path: '/api/subscriptions', ...s, required: true });
    const subscription = (
      await send({
        method: 'POST',
        path: '/api/subscriptions',
        ...s,
        body: { kinds: ['agreement.accepted'], channels: ['feed'] },
        required: true,
      })
    ).body;
    await send({ method: 'GET', path: `/api/subscriptions/${subscription.subscriptionId}`, ...s, required: true });
    await send({
      method: 'PUT',
      path: `/api/subscriptions/${subscription.subscriptionId}`,
      ...s,
      body: { kinds: ['agreement.accepted', 'agreement.terminated'], channels: ['feed'] },
      required: true,
    });
    await send({ method: 'DELETE', path: `/api/subscriptions/${subscription.subscriptionId}`, ...s, required: true });
    await send({ method: 'DELETE', path: `/api/webhooks/${webhook.webhookId}`, ...s, required: true });
    // A feed subscription kept, and the delivery job run, so the feed has an entry to mark read.
    await send({
      method: 'POST',
      path: '/api/subscriptions',
      ...s,
      body: { kinds: ['agreement.accepted', 'agreement.terminated'], channels: ['feed'] },
      required: true,
    });
    await send({
      method: 'POST',
      path: `${a}/acceptances`,
      ...s,
      body: { scope: 'account', accountId: account, revisionId: revision.id },
      required: true,
    });
    await jobs.deliverNotifications();
    const feed = (await send({ method: 'GET', path: '/api/notifications', ...s, required: true })).body;
    await send({ method: 'GET', path: '/api/notifications/unread-count', ...s, required: true });
    await send({
      method: 'POST',
      path: `/api/notifications/${feed.items[0].notificationId}/read`,
      ...s,
      required: true,
    });

    // The ledger: list, verify, export, checkpoints and proofs.
    await send({ method: 'GET', path: '/api/ledger', ...s, required: true });
    await send({ method: 'GET', path: '/api/ledger/verify', ...s, required: true });
    await send({ method: 'GET', path: '/api/ledger/export', ...s, required: true });
    const checkpoint = (await send({ method: 'POST', path: '/api/ledger/checkpoints', ...s, required: true })).body;
    await send({ method: 'GET', path: '/api/ledger/checkpoints/latest', ...s, required: true });
    await send({ method: 'GET', path: '/api/ledger/checkpoints', ...s, required: true });
    await send({
      method: 'GET',
      path: `/api/ledger/proofs/inclusion?seq=1&size=${checkpoint.size}`,
      ...s,
      required: true,
    });
    await send({
      method: 'GET',
      path: `/api/ledger/proofs/consistency?from=${firstCheckpoint.size}&to=${checkpoint.size}`,
      ...s,
      required: true,
    });

    // Evidence bundles.
    const bundle = (
      await send({
        method: 'POST',
        path: '/api/evidence-bundles',
        ...s,
        body: { purpose: 'Walk audit', ledger: { fromSeq: 1, toSeq: 1 } },
        required: true,
      })
    ).body;
    await jobs.runQueuedExports();
    await send({ method: 'GET', path: '/api/evidence-bundles', ...s, required: true });
    await send({ method: 'GET', path: `/api/evidence-bundles/${bundle.bundleId}`, ...s, required: true });
    await send({ method: 'GET', path: `/api/evidence-bundles/${bundle.bundleId}/download`, ...s, required: true });

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
    const roleSession = (
      await send({ method: 'POST', path: '/api/session/role', ...s, body: { roleId: role.roleId }, required: true })
    ).body;
    await send({ method: 'DELETE', path: '/api/session', token: roleSession.token, required: true });
    await send({ method: 'DELETE', path: '/api/session', ...s, required: true });

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
