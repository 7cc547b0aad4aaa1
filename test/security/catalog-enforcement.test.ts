import {
  type AuthorizationDecision,
  type Authorizer,
  type Principal,
  portalActions,
  principalForUser,
  systemActor,
} from '@evidence-portal/core';
import { MemoryStore } from '@evidence-portal/core/memory-store';
import { beforeAll, describe, expect, it } from 'vitest';
import { portalOperatorSeed, seedOrganization } from '../../packages/cli/src/demo-seed.js';
import { samplePdf } from '../reports/report-fixtures.js';
import { createTestApp } from '../support/app.js';
import { asPrincipal } from '../support/principal.js';

/**
 * Every action of the policy catalog is asked by the operation that performs it, and the simulator and
 * the API cannot disagree (issue 15, item 2). The test walks the app's own OpenAPI document, so a route
 * added later is walked too:
 *
 * 1. For each operation it finds, by denying, every catalog action the operation asks, in order: the
 *    authorizer answers ExplicitDeny for any action not yet known, the route must answer 403, and the
 *    denied action is recorded; then that action is allowed and the request repeated, until the route gets
 *    past authorization (its effect happens only in that last run).
 * 2. Each (action, route) pair found is then proven with a REAL policy: a customer policy denying exactly
 *    that action, attached to the caller, flips the route to 403 `explicit_deny`, and the simulator answers
 *    ExplicitDeny for the same question.
 * 3. An operation declaring `action`/`use-case` must ask its declared action; every catalog action must
 *    be asked by some operation.
 *
 * A route needing real objects (a report, an agreement revision) gets a sample request below; any other
 * is probed with a request built from its OpenAPI schema.
 */

/** Catalog actions whose operations do not exist yet on this branch (issue 14 builds evidence bundles). */
const awaitingOperation = new Set<string>([]);

/** Operations that answer authorization questions rather than perform acts (the console's permissions endpoint). */
const answersQuestions = new Set(['post /api/permissions']);

const orgId = portalOperatorSeed.orgId;
const managementAccount = portalOperatorSeed.managementAccount.accountId;

interface Sample {
  path?: string;
  body?: unknown;
  query?: Record<string, string>;
}

type Schema = {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  format?: string;
  minimum?: number;
  minLength?: number;
  minItems?: number;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  default?: unknown;
};
interface OperationDoc {
  'x-portal-authorization': { kind: string; action?: string };
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface Document {
  paths: Record<string, Record<string, OperationDoc>>;
  components?: { schemas?: Record<string, Schema> };
}

/** A minimal value of a JSON schema: required properties only, first enum values, smallest numbers. */
function sampleOf(schema: Schema | undefined, doc: Document, depth = 0): unknown {
  if (!schema || depth > 8) return undefined;
  if (schema.$ref) return sampleOf(doc.components?.schemas?.[schema.$ref.split('/').pop() ?? ''], doc, depth + 1);
  if (schema.default !== undefined) return schema.default;
  if (schema.enum) return schema.enum[0];
  const alternative = schema.anyOf?.[0] ?? schema.oneOf?.[0] ?? schema.allOf?.[0];
  if (alternative) return sampleOf(alternative, doc, depth + 1);
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(
        (schema.required ?? []).map((key) => [key, sampleOf(schema.properties?.[key], doc, depth + 1)]),
      );
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sampleOf(schema.items, doc, depth + 1));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'string':
      if (schema.format === 'date') return '2026-01-01';
      if (schema.format === 'date-time') return '2026-01-01T00:00:00Z';
      return 'probe'.padEnd(schema.minLength ?? 0, 'e');
    default:
      return undefined;
  }
}

/** The request of an operation: its sample when it has one, else built from its schema. */
function requestOf(method: string, template: string, op: OperationDoc, doc: Document, sample: Sample | undefined) {
  const path = sample?.path ?? template.replace(/\{[^}]+\}/g, 'probe');
  const query = new URLSearchParams(
    sample?.query ??
      Object.fromEntries(
        (op.parameters ?? [])
          .filter((p) => p.in === 'query' && p.required)
          .map((p) => [p.name, String(sampleOf(p.schema, doc))]),
      ),
  ).toString();
  const bodySchema = op.requestBody?.content?.['application/json']?.schema;
  const body = sample?.body ?? (bodySchema ? sampleOf(bodySchema, doc) : undefined);
  return {
    url: `${path}${query ? `?${query}` : ''}`,
    init: {
      method: method.toUpperCase(),
      ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    },
  };
}

/**
 * Delegates to the real access module, and records what is asked. In `denyUnknown` mode it answers
 * ExplicitDeny for every action outside `allowed` (and remembers which one it denied first).
 */
function recordingAuthorizer() {
  const spy = {
    real: undefined as Authorizer | undefined,
    denyUnknown: false,
    allowed: new Set<string>(),
    denied: undefined as string | undefined,
    async authorize(
      principal: Principal,
      action: string,
      resource: string,
      context?: Record<string, unknown>,
    ): Promise<AuthorizationDecision> {
      if (spy.denyUnknown && !spy.allowed.has(action)) {
        spy.denied ??= action;
        return { decision: 'ExplicitDeny', reason: `probe denies ${action}`, matchedStatements: [] };
      }
      return (spy.real as Authorizer).authorize(principal, action, resource, context as never);
    },
  };
  return spy;
}

const denyCodes = new Set(['explicit_deny', 'implicit_deny']);

describe('every catalog action is enforced by the operation that performs it', () => {
  const spy = recordingAuthorizer();
  let made: Awaited<ReturnType<typeof createTestApp>>;
  let app: ReturnType<typeof asPrincipal>;
  let reader: ReturnType<typeof asPrincipal>;
  let agreementPath = '';
  let principal: Principal;
  let document: Document;
  const samples = new Map<string, Sample | (() => Sample)>();

  beforeAll(async () => {
    made = await createTestApp({ overrides: { store: new MemoryStore(), authorizer: spy } });
    const { deps } = made;
    spy.real = deps.access;
    await seedOrganization(deps, {
      ...portalOperatorSeed,
      groups: [
        ...portalOperatorSeed.groups,
        { groupId: 'g-readers', name: 'Readers', policies: ['AuditorReadOnly', 'ReportsReadOnly'] },
      ],
      users: [
        ...portalOperatorSeed.users,
        {
          userId: 'u-reader',
          email: 'reader@example.net',
          displayName: 'Rita Reader',
          accountId: managementAccount,
          password: 'Marble-Thistle-Canyon-91',
          groups: ['g-readers'],
        },
      ],
    });
    await deps.reports.publishers.grantFromDeployment(orgId, { operator: true, companies: [] }, 'test');
    const actor = systemActor('test');
    const everything = await deps.policies.createPolicy(
      orgId,
      {
        name: 'ProbeAllowsEverything',
        document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
      },
      actor,
    );
    await deps.policies.attach(orgId, { type: 'user', id: 'u-demopublisher' }, everything.policyId, actor);
    principal = principalForUser(await deps.users.get(orgId, 'u-demopublisher'), {
      mfaPresent: true,
      sessionId: 's-probe',
    });
    app = asPrincipal(made.app, principal);
    reader = asPrincipal(
      made.app,
      principalForUser(await deps.users.get(orgId, 'u-reader'), { mfaPresent: true, sessionId: 's-reader' }),
    );
    document = (await (await made.app.request('/api/openapi.json')).json()) as Document;

    // Real objects for the routes that read them before they ask.
    const call = async (method: string, url: string, body?: unknown) => {
      const response = await app.request(url, {
        method,
        ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
      });
      const json = response.headers.get('content-type')?.includes('json') ? await response.json() : {};
      expect(response.status, `${method} ${url}: ${JSON.stringify(json)}`).toBeLessThan(300);
      // biome-ignore lint/suspicious/noExplicitAny: setup reads ids from the answers
      return json as any;
    };
    const terms = await call('POST', '/api/report-terms', { title: 'Probe terms', text: 'Keep it confidential.' });
    const report = await call('POST', '/api/reports', {
      name: 'Probe SOC 2',
      description: 'A report the probe reads',
      category: 'SOC',
      series: 'SOC 2 Type II',
      company: 'Example Cloud',
      thirdParty: false,
      state: 'PUBLISHED',
    });
    const created = await call('POST', `/api/reports/${report.id}/versions`, {
      expectedSequence: report.sequence,
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      effectiveDate: '2025-12-31',
      termsRevisionId: terms.revisionId,
      acceptanceType: 'EXPLICIT',
    });
    const uploaded = await fetch(created.upload.url, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf' },
      body: await samplePdf(),
    });
    expect(uploaded.status).toBe(200);
    const v = created.version.version;
    await call('POST', `/api/reports/${report.id}/versions/${v}/finalize`);
    const accepted = await call('POST', `/api/reports/${report.id}/versions/${v}/terms/acceptances`, {
      revisionId: terms.revisionId,
    });
    const agreement = await call('POST', '/api/agreements', {
      name: 'Probe BAA',
      type: 'BAA',
      subjects: ['account', 'organization'],
      ndaText: 'Keep the BAA confidential.',
    });
    const revision = await call('POST', `/api/agreements/${agreement.id}/revisions`, {
      effectiveDate: '2026-01-01',
      markdown: '# Probe BAA',
    });
    const role = await call('POST', '/api/org/roles', {
      name: 'ProbeRole',
      trust: { users: ['u-demopublisher'], groups: [] },
    });
    let downloadId = 'probe';
    const reportPath = `/api/reports/${report.id}`;
    agreementPath = `/api/agreements/${agreement.id}`;
    const own = { scope: 'account', accountId: managementAccount };
    for (const [key, sample] of Object.entries<Sample | (() => Sample)>({
      'post /api/session/role': { body: { roleId: role.roleId } },
      'get /api/reports/{id}': { path: reportPath },
      'get /api/reports/{id}/versions': { path: `${reportPath}/versions` },
      'get /api/reports/{id}/versions/{v}/terms': { path: `${reportPath}/versions/${v}/terms` },
      'post /api/reports/{id}/versions/{v}/terms/acceptances': {
        path: `${reportPath}/versions/${v}/terms/acceptances`,
        body: { revisionId: terms.revisionId },
      },
      'get /api/reports/{id}/versions/{v}/download': {
        path: `${reportPath}/versions/${v}/download`,
        query: { termToken: accepted.termToken },
      },
      'get /api/downloads/{downloadId}': () => ({ path: `/api/downloads/${downloadId}` }),
      'get /api/agreements/{id}': { path: agreementPath },
      'post /api/agreements': { body: { name: 'Probe DPA', type: 'DPA', subjects: ['account'] } },
      'post /api/agreements/{id}/revisions': {
        path: `${agreementPath}/revisions`,
        body: { effectiveDate: '2026-02-01', markdown: '# Probe BAA, second revision' },
      },
      'get /api/agreements/{id}/revisions/{revisionId}': {
        path: `${agreementPath}/revisions/${revision.id}`,
      },
      'get /api/agreements/{id}/nda': { path: `${agreementPath}/nda` },
      'post /api/agreements/{id}/nda/acceptances': {
        path: `${agreementPath}/nda/acceptances`,
        body: { sha256: '0'.repeat(64) },
      },
      'post /api/agreements/{id}/acceptances': {
        path: `${agreementPath}/acceptances`,
        body: { ...own, revisionId: revision.id },
      },
      'post /api/agreements/{id}/terminations': { path: `${agreementPath}/terminations`, body: own },
      'get /api/agreements/{id}/acceptances': { path: `${agreementPath}/acceptances` },
      'get /api/agreements/{id}/acceptances/{acceptanceId}': { path: `${agreementPath}/acceptances/acc-probe` },
      'get /api/coverage': { query: { accountId: managementAccount, agreementId: agreement.id } },
      'get /api/reports/{id}/tags': { path: `${reportPath}/tags` },
      'post /api/reports/{id}/tags': { path: `${reportPath}/tags`, body: { tags: { probe: 'yes' } } },
      'delete /api/reports/{id}/tags': { path: `${reportPath}/tags`, query: { tagKeys: 'probe' } },
      'get /api/agreements/{id}/tags': { path: `${agreementPath}/tags` },
      'post /api/agreements/{id}/tags': { path: `${agreementPath}/tags`, body: { tags: { probe: 'yes' } } },
      'delete /api/agreements/{id}/tags': { path: `${agreementPath}/tags`, query: { tagKeys: 'probe' } },
      'patch /api/me/access-keys/{accessKeyId}': {
        path: '/api/me/access-keys/AKIAPROBEPROBEPROBE2',
        body: { status: 'Inactive' },
      },
      'delete /api/me/access-keys/{accessKeyId}': { path: '/api/me/access-keys/AKIAPROBEPROBEPROBE2' },
      'post /api/evidence-bundles': { body: { purpose: 'Probe audit', ledger: { fromSeq: 1, toSeq: 1 } } },
      'get /api/evidence-bundles/{id}': { path: '/api/evidence-bundles/eb-probe' },
      'get /api/evidence-bundles/{id}/download': { path: '/api/evidence-bundles/eb-probe/download' },
    })) {
      samples.set(key, sample);
    }
    // The download probe's own (last, allowed) run leaves a record for the trace-back route.
    afterRun.set('get /api/reports/{id}/versions/{v}/download', (response) => {
      downloadId = response.headers.get('x-download-id') ?? downloadId;
    });
  });

  const afterRun = new Map<string, (response: Response) => void>();

  it('finds the actions each operation asks, proves each with a real Deny policy and covers the catalog', async () => {
    const { deps } = made;
    const actor = systemActor('test');
    const denyPolicies = new Map<string, string>();
    const denyPolicyOf = async (action: string) => {
      const known = denyPolicies.get(action);
      if (known) return known;
      const policy = await deps.policies.createPolicy(
        orgId,
        {
          name: `ProbeDenies${action.slice('portal:'.length)}`,
          document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: action, Resource: '*' }] },
        },
        actor,
      );
      denyPolicies.set(action, policy.policyId);
      return policy.policyId;
    };

    const askedBy = new Map<string, string[]>();
    const failures: string[] = [];
    let pairs = 0;
    let operations = 0;
    for (const [template, methods] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        operations++;
        const key = `${method} ${template}`;
        const declared = op['x-portal-authorization'];
        if (declared.kind === 'public' || answersQuestions.has(key)) continue;
        const given = samples.get(key);
        const sample = typeof given === 'function' ? given() : given;
        const { url, init } = requestOf(method, template, op, document, sample);
        const asked: string[] = [];
        spy.allowed = new Set();
        for (let round = 0; round < 6; round++) {
          spy.denyUnknown = true;
          spy.denied = undefined;
          const probe = await app.request(url, init);
          const denied = spy.denied as string | undefined;
          if (denied === undefined) break;
          const body = (await probe.json().catch(() => ({}))) as { code?: string };
          if (probe.status !== 403 || !denyCodes.has(body.code ?? '')) {
            failures.push(`${key}: denying ${denied} answered ${probe.status} ${body.code ?? ''}, not 403`);
            break;
          }
          asked.push(denied);
          // The same question with the real evaluator: a policy denying exactly this action.
          spy.denyUnknown = false;
          const policyId = await denyPolicyOf(denied);
          const target = { type: 'user' as const, id: principal.userId };
          await deps.policies.attach(orgId, target, policyId, actor);
          // The spy lets it through now (and denies anything after it): the real Deny policy must refuse it.
          spy.allowed = new Set(asked);
          spy.denyUnknown = true;
          spy.denied = undefined;
          const real = await app.request(url, init);
          const spyDenied = spy.denied as string | undefined;
          const realBody = (await real.json().catch(() => ({}))) as { code?: string; detail?: string };
          const simulated = await deps.access.simulate(orgId, {
            principal: principal.userId,
            action: denied,
            resource: '*',
          });
          await deps.policies.detach(orgId, target, policyId, actor);
          if (real.status !== 403 || realBody.code !== 'explicit_deny' || spyDenied !== undefined) {
            failures.push(`${key}: a Deny policy on ${denied} answered ${real.status} ${realBody.code ?? ''}`);
          } else if (simulated.decision !== 'ExplicitDeny') {
            failures.push(`${key}: the simulator answers ${simulated.decision} for a Deny on ${denied}`);
          } else {
            pairs++;
          }
        }
        spy.denyUnknown = false;
        // The allowed run: its effect happens now, once.
        const done = await app.request(url, init);
        afterRun.get(key)?.(done);
        const doneBody = (await done
          .clone()
          .json()
          .catch(() => ({}))) as { code?: string };
        if (denyCodes.has(doneBody.code ?? '')) failures.push(`${key}: allowed everything, still ${doneBody.code}`);
        askedBy.set(key, asked);
        if ((declared.kind === 'action' || declared.kind === 'use-case') && !asked.includes(declared.action ?? '')) {
          failures.push(
            `${key}: declares ${declared.action} but asks [${asked.join(', ')}] (status ${done.status} ${JSON.stringify(doneBody)})`,
          );
        }
      }
    }
    const asked = new Set([...askedBy.values()].flat());
    for (const action of portalActions) {
      if (awaitingOperation.has(action)) {
        if (asked.has(action)) failures.push(`${action} is asked now: remove it from awaitingOperation`);
        continue;
      }
      if (!asked.has(action)) failures.push(`${action} is in the catalog but no operation asks it`);
    }
    for (const action of asked) {
      if (!portalActions.includes(action)) failures.push(`${action} is asked but not in the catalog`);
    }
    const routesAsking = [...askedBy.values()].filter((list) => list.length > 0).length;
    console.info(
      `catalog enforcement: ${portalActions.length} catalog actions (${asked.size} asked, ` +
        `${awaitingOperation.size} awaiting their operation) × ${operations} operations ` +
        `(${routesAsking} ask an action): ${pairs} (action, operation) pairs proven with a Deny policy`,
    );
    expect(failures).toEqual([]);
  });

  it('read-only principals (AuditorReadOnly + ReportsReadOnly) read, but change nothing', async () => {
    const send = async (method: string, url: string, body?: unknown) => {
      const response = await reader.request(url, {
        method,
        ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
      });
      return { status: response.status, code: ((await response.json().catch(() => ({}))) as { code?: string }).code };
    };
    spy.denyUnknown = false;

    const refused = [
      await send('POST', '/api/webhooks', { url: 'https://hooks.example.com/portal' }),
      await send('POST', '/api/subscriptions', { kinds: ['agreement.accepted'], channels: ['feed'] }),
      await send('POST', `${agreementPath}/nda/acceptances`, { sha256: '0'.repeat(64) }),
      await send('POST', '/api/ledger/checkpoints'),
    ];
    const allowed = [await send('GET', '/api/ledger/verify'), await send('GET', '/api/notifications')];

    expect(refused).toEqual(Array(refused.length).fill({ status: 403, code: 'implicit_deny' }));
    expect(allowed.map((answer) => answer.status)).toEqual([200, 200]);
  });
});
