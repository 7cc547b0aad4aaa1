import type { AppDeps } from '@evidence-portal/api';
import { HttpWebhookTransport, LogEmailSender } from '@evidence-portal/aws';
import {
  AddressAllowList,
  createSubscription,
  createWebhook,
  type DeliveryPolicy,
  fanOutReportPublications,
  type LedgerAppendInput,
  type LedgerEntry,
  listFeed,
  listWebhookDeliveries,
  notificationKeys,
  type ReportActor,
  type ReportService,
  reportAvailableAction,
  runNotificationJob,
  systemActor,
  type TermsRevision,
} from '@evidence-portal/core';
import { afterEach, describe, expect, it } from 'vitest';
import { operator, samplePdf } from '../reports/report-fixtures.js';
import { createTestApp } from '../support/app.js';
import { startLocalReceiver } from './local-receiver.js';
import { recordingLogger } from './support.js';

const admin = systemActor('test-setup');
const receivers: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** Customer orgs sort before and after the publisher (`o-operator`), as the ledger registry lists them. */
const alpha = 'o-alpha';
const bravo = 'o-bravo';

/**
 * The real app deps (real AccessService, ledger, reports over DynamoDB Local and S3) with three real
 * organizations: two customers and the publisher, each with users who subscribe to `report.published`.
 */
async function world(policy: Partial<DeliveryPolicy> = {}) {
  const allowList = new AddressAllowList(['127.0.0.1']);
  const { deps } = await createTestApp({ overrides: { webhookAllowList: allowList } });
  const { logger, lines } = recordingLogger();
  const directory = { store: deps.store, clock: deps.clock, ids: deps.ids, ledger: deps.ledger };
  const { organizations, users, policies } = deps;
  const notifications = { ...directory, urlPolicy: { stage: 'test', allowList } };

  await deps.reports.grantPublisher({ orgId: operator.orgId, operator: true, companies: [] });
  const terms = await deps.reports.publishTerms(operator, { title: 'Access terms', text: 'Keep it confidential.' });
  const orgs = new Map<string, { rootId: string; managementAccountId: string }>();
  for (const orgId of [alpha, bravo, operator.orgId]) {
    const org = await organizations.createOrganization({ orgId, name: `Org ${orgId}`, actor: admin });
    orgs.set(orgId, org);
  }

  /** An active user who may read reports, subscribed to report.published on the feed and a webhook of their own. */
  async function subscriber(orgId: string, name: string, options: { accountId?: string; answer?: () => number } = {}) {
    const org = orgs.get(orgId)!;
    const { user } = await users.createUser(
      orgId,
      {
        email: `${name}@${orgId}.example`,
        displayName: name,
        accountId: options.accountId ?? org.managementAccountId,
        password: 'a long enough test passphrase 42',
        userId: `u-${name}`,
      },
      admin,
    );
    await policies.attach(orgId, { type: 'user', id: user.userId }, 'ReportsReadOnly', admin);
    const receiver = await startLocalReceiver(options.answer);
    receivers.push(receiver);
    const owner = { orgId, userId: user.userId, email: user.email };
    const { webhook } = await createWebhook(notifications, owner, { url: receiver.url });
    await createSubscription(notifications, owner, {
      kinds: ['report.published'],
      filters: {},
      channels: ['feed', 'webhook'],
      webhookId: webhook.webhookId,
    });
    return { owner, receiver, webhook };
  }

  const baseJob = {
    store: deps.store,
    clock: deps.clock,
    logger,
    transport: new HttpWebhookTransport({ allowHttp: true, allowList }),
    email: new LogEmailSender(logger),
    authorizer: deps.authorizer,
    policy,
  };
  /** One scheduled run; `ledger` lets a test inject a failure into the fan-out's appends. */
  const job = (ledger: Pick<AppDeps['ledger'], 'append' | 'organizations'> = deps.ledger) =>
    runNotificationJob({ ...baseJob, ledger });

  async function entries(orgId: string, action: string): Promise<LedgerEntry[]> {
    const found: LedgerEntry[] = [];
    for await (const entry of deps.ledger.entries(orgId)) if (entry.action === action) found.push(entry);
    return found;
  }

  const feed = async (owner: { orgId: string; userId: string; email: string }) =>
    (await listFeed(deps.store, owner, { limit: 50 })).items;

  return { deps, lines, orgs, policies, terms, subscriber, job, entries, feed };
}

/** Creates a report (optionally unpublished) and publishes `versions` complete versions of it. */
async function publish(
  deps: { reports: ReportService; blobs: AppDeps['blobs'] },
  terms: TermsRevision,
  options: { state?: 'PUBLISHED' | 'UNPUBLISHED'; reportId?: string } = {},
) {
  const actor: ReportActor = operator;
  let report = options.reportId
    ? await deps.reports.get(options.reportId, operator.orgId)
    : await deps.reports.createReport(actor, {
        name: 'Example Cloud SOC 2 Type II',
        description: 'Controls relevant to security.',
        category: 'SOC',
        series: 'SOC 2 Type II',
        company: 'Example Cloud',
        thirdParty: false,
        ...(options.state ? { state: options.state } : {}),
      });
  const year = 2024 + report.versionCount;
  const { version } = await deps.reports.createVersion(actor, report.id, {
    expectedSequence: report.sequence,
    periodStart: `${year}-01-01`,
    periodEnd: `${year}-12-31`,
    effectiveDate: `${year + 1}-01-15`,
    termsRevisionId: terms.revisionId,
    acceptanceType: 'EXPLICIT',
  });
  await deps.blobs.put('reports', version.fileKey, await samplePdf(), { contentType: 'application/pdf' });
  await deps.reports.finalizeVersion(actor, report.id, version.version);
  report = await deps.reports.get(report.id, operator.orgId);
  return { report, version: version.version };
}

const payloadOf = (body: string) =>
  JSON.parse(body) as { orgId: string; type: string; entry: { action: string; details: Record<string, unknown> } };

describe('report fan-out to customer organizations (DynamoDB Local, real access module)', () => {
  it('announces a published version once per customer org, resumes after a crash between orgs, and never in the publisher org', async () => {
    // prepare: subscribers in both customers and in the publisher; a first run places the fan-out cursor
    const w = await world();
    const alice = await w.subscriber(alpha, 'alice');
    const dora = await w.subscriber(bravo, 'dora');
    const pat = await w.subscriber(operator.orgId, 'pat');
    const first = await w.job();
    expect(first.fanOut).toMatchObject({ publishers: 1, customers: 3, announced: 0 });
    const { report } = await publish(w.deps, w.terms);

    // act: the fan-out crashes on the second customer org (after alpha got its entry)
    let crashes = 1;
    const flaky = {
      organizations: () => w.deps.ledger.organizations(),
      append: (input: LedgerAppendInput) => {
        if (input.orgId === bravo && input.action === reportAvailableAction && crashes-- > 0) {
          return Promise.reject(new Error('injected crash between organizations'));
        }
        return w.deps.ledger.append(input);
      },
    };
    const crashed = await w.job(flaky);

    // assert: alpha is announced (and delivered in the same run), bravo not yet, the failure is logged
    expect(crashed.fanOut?.failedPublishers).toEqual([operator.orgId]);
    expect(w.lines.some((l) => l.message === 'report fan-out failed for a publisher')).toBe(true);
    expect(await w.entries(alpha, reportAvailableAction)).toHaveLength(1);
    expect(await w.entries(bravo, reportAvailableAction)).toHaveLength(0);
    expect(alice.receiver.received).toHaveLength(1);

    // act: the next runs resume (alpha's append replays its token), then find nothing new
    await w.job();
    await w.job();
    // a crash after appending but before the cursor moved: the cursor goes back, the tokens hold
    await w.deps.store.put({ ...notificationKeys.reportFanOutCursor(operator.orgId), seq: 0 });
    const rewound = await fanOutReportPublications({ ...w.deps, ledger: w.deps.ledger });
    expect(rewound.announced).toBeGreaterThan(0);
    await w.job();

    // assert: exactly one announcement per customer org, none in the publisher's own ledger
    const [inAlpha] = await w.entries(alpha, reportAvailableAction);
    const [publishedEntry] = await w.entries(operator.orgId, 'report:Published');
    expect(await w.entries(alpha, reportAvailableAction)).toHaveLength(1);
    expect(await w.entries(bravo, reportAvailableAction)).toHaveLength(1);
    expect(await w.entries(operator.orgId, reportAvailableAction)).toHaveLength(0);
    expect(inAlpha).toMatchObject({
      orgId: alpha,
      actor: { type: 'system', id: 'report-fan-out' },
      subject: `arn:portal:${alpha}::report/${report.id}`,
      details: {
        reportId: report.id,
        version: 1,
        category: 'SOC',
        series: 'SOC 2 Type II',
        title: 'Example Cloud SOC 2 Type II',
        newReport: true,
        publisherOrgId: operator.orgId,
        publisherSeq: publishedEntry?.seq,
      },
    });

    // assert: each customer subscriber got it once in the feed and once by webhook
    for (const { owner, receiver } of [alice, dora]) {
      const items = await w.feed(owner);
      expect(items.map((i) => [i.kind, i.action])).toEqual([['report.published', reportAvailableAction]]);
      expect(receiver.received).toHaveLength(1);
      expect(payloadOf(receiver.received[0]!.body)).toMatchObject({
        orgId: owner.orgId,
        type: 'report.published',
        entry: { action: reportAvailableAction, details: { reportId: report.id, version: 1 } },
      });
    }
    // the publisher's subscriber hears only of its own ledger's entries (no announcement, no duplicate)
    expect((await w.feed(pat.owner)).map((i) => i.action)).toEqual(['report:VersionPublished', 'report:Published']);

    // act: a second version of the same report
    await publish(w.deps, w.terms, { reportId: report.id });
    await w.job();
    await w.job();

    // assert: one more announcement per customer, one more entry for the publisher's subscriber
    expect(
      (await w.entries(bravo, reportAvailableAction)).map((e) => [e.details.version, e.details.newReport]),
    ).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(await w.feed(alice.owner)).toHaveLength(2);
    expect(alice.receiver.received).toHaveLength(2);
    expect(await w.feed(dora.owner)).toHaveLength(2);
    expect((await w.feed(pat.owner)).map((i) => i.action)).toEqual([
      'report:VersionPublished',
      'report:VersionPublished',
      'report:Published',
    ]);
    expect(await w.entries(operator.orgId, reportAvailableAction)).toHaveLength(0);
  });

  it('does not announce a version of an unpublished report', async () => {
    const w = await world();
    const alice = await w.subscriber(alpha, 'alice');
    await w.job();

    await publish(w.deps, w.terms, { state: 'UNPUBLISHED' });
    const run = await w.job();

    expect(run.fanOut).toMatchObject({ announced: 0, failedPublishers: [] });
    expect(run.fanOut?.notAnnounced).toBeGreaterThan(0);
    expect(await w.entries(alpha, reportAvailableAction)).toHaveLength(0);
    expect(await w.entries(bravo, reportAvailableAction)).toHaveLength(0);
    expect(await w.feed(alice.owner)).toHaveLength(0);
  });

  it('withholds the notification from a subscriber denied the report (identity Deny, guardrail) and logs the skip', async () => {
    // prepare: three subscribers in one customer org; bob has an explicit Deny, carol's account a Deny guardrail
    const w = await world();
    const org = w.orgs.get(alpha)!;
    const member = await w.deps.organizations.addAccount(alpha, { name: 'Member', accountId: '555555555555' }, admin);
    const alice = await w.subscriber(alpha, 'alice');
    const bob = await w.subscriber(alpha, 'bob');
    const carol = await w.subscriber(alpha, 'carol', { accountId: member.accountId });
    const denyReports = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 'portal:GetReport', Resource: '*' }],
    };
    const deny = await w.policies.createPolicy(alpha, { name: 'NoReports', document: denyReports }, admin);
    await w.policies.attach(alpha, { type: 'user', id: 'u-bob' }, deny.policyId, admin);
    await w.policies.attachGuardrail(alpha, member.accountId, deny.policyId, admin);
    expect(org.managementAccountId).not.toBe(member.accountId);
    await w.job();

    // act
    await publish(w.deps, w.terms);
    const run = await w.job();

    // assert: alice gets it; bob and carol get no feed item and no request, their logs say why
    expect(run.totals.withheld).toBe(2);
    expect(await w.feed(alice.owner)).toHaveLength(1);
    expect(alice.receiver.received).toHaveLength(1);
    for (const denied of [bob, carol]) {
      expect(await w.feed(denied.owner)).toEqual([]);
      expect(denied.receiver.received).toEqual([]);
      const log = await listWebhookDeliveries(w.deps.store, denied.owner, denied.webhook.webhookId, { limit: 10 });
      expect(log.items).toHaveLength(1);
      expect(log.items[0]).toMatchObject({ status: 'skipped', kind: 'report.published' });
      expect(log.items[0]?.attempts).toEqual([
        expect.objectContaining({
          outcome: 'skipped',
          error: 'access denied (ExplicitDeny for portal:GetReport)',
        }),
      ]);
    }
    const withheld = w.lines.filter((l) => l.message.startsWith('notification withheld'));
    expect(withheld.map((l) => String(l.fields.userId)).sort()).toEqual(['u-bob', 'u-carol']);

    // act again: nothing is re-sent or re-logged
    const again = await w.job();
    expect(again.totals).toMatchObject({ feedItems: 0, webhookDeliveries: 0, attempts: 0, withheld: 0 });
  });

  it('re-checks access before a retry: a subscriber who lost access after a failed attempt is not sent it', async () => {
    // prepare: erin's receiver fails the first attempt; the retry is due 1 ms later
    const w = await world({ baseDelayMs: 1, maxDelayMs: 1 });
    let calls = 0;
    const erin = await w.subscriber(alpha, 'erin', { answer: () => (++calls === 1 ? 500 : 200) });
    await w.job();
    await publish(w.deps, w.terms);
    const run = await w.job();
    expect(run.totals).toMatchObject({ attempts: 1, retried: 1 });
    expect(await w.feed(erin.owner)).toHaveLength(1);

    // act: erin loses access, then the retry comes due
    const deny = await w.policies.createPolicy(
      alpha,
      {
        name: 'NoSocReports',
        document: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Deny',
              Action: 'portal:GetReport',
              Resource: '*',
              Condition: { StringEquals: { 'portal:ReportCategory': 'SOC' } },
            },
          ],
        },
      },
      admin,
    );
    await w.policies.attach(alpha, { type: 'user', id: 'u-erin' }, deny.policyId, admin);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const retry = await w.job();

    // assert: no second request; the delivery is settled as skipped, with the reason
    expect(retry.totals).toMatchObject({ attempts: 0, withheld: 1 });
    expect(erin.receiver.received).toHaveLength(1);
    const log = await listWebhookDeliveries(w.deps.store, erin.owner, erin.webhook.webhookId, { limit: 10 });
    expect(log.items[0]?.status).toBe('skipped');
    expect(log.items[0]?.attempts.map((a) => [a.outcome, a.status, a.error])).toEqual([
      ['failed', 500, 'receiver answered 500'],
      ['skipped', undefined, 'access denied (ExplicitDeny for portal:GetReport)'],
    ]);
    const stored = await w.deps.store.get(
      notificationKeys.webhookDelivery(alpha, erin.webhook.webhookId, log.items[0]!.seq),
    );
    expect(stored?.status).toBe('skipped');
  });
});
