import {
  type Authorizer,
  type BlobStore,
  conditionBounds,
  createLedger,
  createUlidGenerator,
  principalCaller,
  principalForUser,
  systemActor,
  systemClock,
} from '@evidence-portal/core';
import { MemoryStore } from '@evidence-portal/core/memory-store';
import { describe, expect, it } from 'vitest';
import { exampleCorpSeed, seedOrganization } from '../../packages/cli/src/demo-seed.js';
import { CountingStore } from '../agreements/counting-store.js';
import { byTier } from '../support/context.js';
import { testPortal } from '../support/portal.js';
import { categoryReaderPolicy, seedLargeCatalog } from './catalog-seed.js';

const orgId = exampleCorpSeed.orgId;
const actor = systemActor('test');
const versions = byTier(2000, 10_000);

/** Counts the questions asked; `bounds: false` hides `conditionBounds`, as a replacing authorizer would. */
function countingAuthorizer(inner: Required<Authorizer>, options: { bounds: boolean }) {
  const counter = { questions: 0 };
  const authorizer: Authorizer = {
    authorize: (...question) => {
      counter.questions++;
      return inner.authorize(...question);
    },
    ...(options.bounds ? { conditionBounds: (...args) => inner.conditionBounds(...args) } : {}),
  };
  return { authorizer, counter };
}

/**
 * Catalog filters the caller's policies imply are pushed into the query (issue 13): a caller allowed
 * portal:ListReports only for some categories has only those partitions read and asked about, with
 * the same page as asking about every report, and no more Store calls.
 */
describe('catalog search: the policies’ category bounds pushed into the query', () => {
  it(`asks only about the PCI partition of ${versions} versions, same page, same Store calls`, async () => {
    const store = new CountingStore(new MemoryStore());
    const ports = {
      store,
      clock: systemClock,
      ids: createUlidGenerator(systemClock),
      ledger: createLedger({ store, clock: systemClock }),
      blobs: {} as BlobStore,
    };
    const admin = testPortal(ports);
    await seedOrganization(admin, exampleCorpSeed);
    const reports = await seedLargeCatalog(store, ports.ids, { versions, versionsPerReport: 10 });
    const pci = reports.filter((report) => report.category === 'PCI');
    const policy = await admin.policies.createPolicy(
      orgId,
      {
        name: 'PciReportsOnly',
        document: categoryReaderPolicy('PCI'),
      },
      actor,
    );
    const { user } = await admin.users.createUser(
      orgId,
      {
        email: 'pci.reader@example.com',
        displayName: 'PCI Reader',
        accountId: '111111111111',
        password: 'Correct-Horse-Battery-Staple-9',
      },
      actor,
    );
    await admin.policies.attach(orgId, { type: 'user', id: user.userId }, policy.policyId, actor);

    const run = async (bounds: boolean) => {
      const counting = countingAuthorizer(admin.access as Required<Authorizer>, { bounds });
      const portal = testPortal({ ...ports, authorizer: counting.authorizer });
      const caller = principalCaller(principalForUser(user, { mfaPresent: true, sessionId: 's-pci' }));
      await portal.reports.listReports(caller, { limit: 10 }); // loads the catalog and the policy set
      store.reset();
      counting.counter.questions = 0;
      const page = await portal.reports.listReports(caller, { limit: 10 });
      const second = page.nextCursor
        ? await portal.reports.listReports(caller, { limit: 10, cursor: page.nextCursor })
        : { items: [] };
      return { page, second, questions: counting.counter.questions, storeCalls: store.calls };
    };
    const pushed = await run(true);
    const everything = await run(false);

    expect(pushed.page.items.map((report) => report.id)).toEqual(everything.page.items.map((report) => report.id));
    expect(pushed.second.items.map((report) => report.id)).toEqual(everything.second.items.map((report) => report.id));
    expect([...pushed.page.items, ...pushed.second.items].every((report) => report.category === 'PCI')).toBe(true);
    expect(pushed.page.items).toHaveLength(10);
    expect(pushed.second.items.length).toBeGreaterThan(0);
    // Asked only about PCI reports (each page: until it and one more are found); without the bounds,
    // about every report in page order until as many PCI ones turn up (1 in 10 of the catalog is PCI).
    expect(pushed.questions).toBeLessThanOrEqual(Math.min(pci.length + 1, 2 * 11));
    expect(everything.questions).toBeGreaterThanOrEqual(5 * pushed.questions);
    expect(pushed.storeCalls).toBeLessThanOrEqual(everything.storeCalls);
    expect(pushed.storeCalls).toBeLessThanOrEqual(4);
    console.info(
      `catalog pushdown over ${reports.length} reports / ${versions} versions (${pci.length} PCI): ` +
        `${pushed.questions} questions with the bounds, ${everything.questions} without; ` +
        `Store calls for two pages ${pushed.storeCalls} vs ${everything.storeCalls}`,
    );
  }, 180_000);

  it('bounds a key only when every Allow statement covering the action restricts it to literals', () => {
    const doc = (...Statement: object[]) => ({ name: 'p', document: { Version: '2012-10-17', Statement } }) as never;
    const keys = ['portal:ReportCategory', 'portal:ReportSeries'];
    const soc = { StringEquals: { 'portal:ReportCategory': ['SOC', 'ISO'] } };
    const bounded = conditionBounds(
      [doc({ Effect: 'Allow', Action: 'portal:ListReports', Resource: '*', Condition: soc })],
      'portal:ListReports',
      keys,
    );
    expect([...(bounded.get('portal:ReportCategory') ?? [])]).toEqual(['SOC', 'ISO']);
    expect(bounded.has('portal:ReportSeries')).toBe(false);
    // Another statement covering the action without the restriction: unbounded.
    const open = conditionBounds(
      [
        doc({ Effect: 'Allow', Action: 'portal:List*', Resource: '*', Condition: soc }),
        doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
      ],
      'portal:ListReports',
      keys,
    );
    expect(open.size).toBe(0);
    // Statements of other actions, Deny statements, variables and set qualifiers do not bound.
    const others = conditionBounds(
      [
        doc({ Effect: 'Allow', Action: 'portal:GetReport', Resource: '*' }),
        doc({ Effect: 'Deny', Action: '*', Resource: '*' }),
        doc({
          Effect: 'Allow',
          Action: 'artifact:ListReports',
          Resource: '*',
          Condition: { 'ForAnyValue:StringEquals': { 'artifact:ReportCategory': 'SOC' } },
        }),
        doc({
          Effect: 'Allow',
          Action: 'portal:ListReports',
          Resource: '*',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a JS template
          Condition: { StringEquals: { 'artifact:ReportSeries': '${aws:PrincipalTag/series}' } },
        }),
      ],
      'portal:ListReports',
      keys,
    );
    expect(others.size).toBe(0);
    // Nothing covering the action: nothing can be allowed.
    const none = conditionBounds(
      [doc({ Effect: 'Allow', Action: 'portal:GetReport', Resource: '*' })],
      'portal:ListReports',
      keys,
    );
    expect(none.get('portal:ReportCategory')?.size).toBe(0);
  });
});
