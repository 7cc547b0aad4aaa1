import { describe, expect, it } from 'vitest';
import { actorOf } from '../access/actor.js';
import { type Caller, orgOf, principalCaller, systemCaller } from '../access/caller.js';
import { evaluatePolicies } from '../access/policy/evaluate-policies.js';
import type { PolicyDocument } from '../access/policy/policy-document.js';
import type { Authorizer, Principal } from '../access/principal.js';
import { reportArn } from '../access/resources.js';
import { ManualClock } from '../ids.js';
import { createLedger } from '../ledger/ledger.js';
import type { LedgerEntry } from '../ledger/ledger-writer.js';
import { MemoryStore } from '../ports/memory-store.js';
import { publicAlias } from '../public-alias.js';
import { initialTagOps, tagItemKeys } from './tag-records.js';
import { createTaggableResourceRegistry, type TaggableResourceType } from './taggable-resources.js';
import { createResourceTagging } from './tags.js';

const account = '111111111111';
const allowAll: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

/** Reports r-shared (published: every org sees it) and r-draft (only o-a, its publisher, sees it). */
const reports: TaggableResourceType = {
  type: 'report',
  artifactType: 'report',
  async find(caller, id) {
    const orgId = caller.kind === 'system' ? caller.orgId : caller.principal.orgId;
    if (id !== 'r-shared' && !(id === 'r-draft' && orgId === 'o-a')) return undefined;
    return { type: 'report', id, arn: reportArn(orgId, id, account), context: { 'portal:ReportCategory': 'SOC' } };
  },
  async findByAlias(caller, alias) {
    return alias === publicAlias('report', 'r-shared') ? this.find(caller, 'r-shared') : undefined;
  },
};

function fixture(policy: PolicyDocument = allowAll) {
  const store = new MemoryStore();
  const clock = new ManualClock(new Date('2026-12-01T00:00:00.000Z'));
  const ledger = createLedger({ store, clock });
  const authorizer: Authorizer = {
    authorize: async (_principal, action, resource, context = {}) =>
      evaluatePolicies({
        action,
        resource,
        context,
        identityPolicies: [{ name: 'test', document: policy }],
        guardrails: [],
        guardrailsApply: false,
      }),
  };
  const tags = createResourceTagging({
    store,
    ledger,
    authorizer,
    resources: createTaggableResourceRegistry([reports]),
  });
  const principal = (orgId: string): Principal => ({
    orgId,
    accountId: account,
    userId: `u-${orgId}`,
    email: `admin@${orgId}.example`,
    displayName: 'Admin',
    sessionId: 's-1',
    mfaPresent: true,
    tags: {},
  });
  const caller = (orgId = 'o-a'): Caller => principalCaller(principal(orgId), { sourceIp: '203.0.113.9' });
  async function entries(orgId = 'o-a'): Promise<LedgerEntry[]> {
    const all: LedgerEntry[] = [];
    for await (const entry of ledger.entries(orgId)) all.push(entry);
    return all;
  }
  return { store, ledger, tags, caller, entries, principal };
}

const shared = (orgId = 'o-a') => reportArn(orgId, 'r-shared');

describe('resource tags (use cases, in memory)', () => {
  it('tags, lists and untags a report, each change a ledger entry with the item', async () => {
    const f = fixture();
    const tagged = await f.tags.tag(f.caller(), { resourceArn: shared(), tags: { owner: 'risk', env: 'prod' } });
    await f.tags.tag(f.caller(), { resourceArn: shared(), tags: { env: 'staging', 'cost center': '42' } });
    const listed = await f.tags.list(f.caller(), { resourceArn: shared() });
    await f.tags.untag(f.caller(), { resourceArn: shared(), tagKeys: ['owner', 'absent'] });
    const after = await f.tags.list(f.caller(), { resourceArn: shared() });

    expect(tagged).toMatchObject({
      resourceType: 'report',
      resourceId: 'r-shared',
      tags: { owner: 'risk', env: 'prod' },
    });
    expect(listed.tags).toEqual({ owner: 'risk', env: 'staging', 'cost center': '42' });
    expect(after.tags).toEqual({ env: 'staging', 'cost center': '42' });
    const log = await f.entries();
    expect(log.map((entry) => entry.action)).toEqual([
      'tag:ResourceTagged',
      'tag:ResourceTagged',
      'tag:ResourceUntagged',
    ]);
    expect(log[0]).toMatchObject({
      subject: reportArn('o-a', 'r-shared', account),
      actor: actorOf(f.principal('o-a')),
      details: {
        resourceType: 'report',
        resourceId: 'r-shared',
        tags: { owner: 'risk', env: 'prod' },
        sourceIp: '203.0.113.9',
      },
    });
    expect(log[2]?.details).toMatchObject({ tagKeys: ['owner', 'absent'] });
    expect(await f.store.get(tagItemKeys.item('o-a', 'report', 'r-shared'))).toMatchObject({ version: 3 });
  });

  it("keeps each organization's tags to itself, and removes the item with the last tag", async () => {
    const f = fixture();
    await f.tags.tag(f.caller('o-a'), { resourceArn: shared('o-a'), tags: { owner: 'a' } });

    expect((await f.tags.list(f.caller('o-b'), { resourceArn: shared('o-b') })).tags).toEqual({});
    await f.tags.tag(f.caller('o-b'), { resourceArn: shared('o-b'), tags: { owner: 'b' } });
    expect((await f.tags.list(f.caller('o-a'), { resourceArn: shared('o-a') })).tags).toEqual({ owner: 'a' });
    expect(await f.entries('o-b')).toHaveLength(1);

    await f.tags.untag(f.caller('o-a'), { resourceArn: shared('o-a'), tagKeys: ['owner'] });
    expect(await f.store.get(tagItemKeys.item('o-a', 'report', 'r-shared'))).toBeUndefined();
    expect((await f.tags.list(f.caller('o-b'), { resourceArn: shared('o-b') })).tags).toEqual({ owner: 'b' });
  });

  it('answers unknown, invisible and other organizations\u2019 resources alike: not found', async () => {
    const f = fixture();
    const notFound = { code: 'not_found' };
    for (const resourceArn of [
      reportArn('o-b', 'r-missing'),
      reportArn('o-b', 'r-draft'), // o-a's unpublished report
      reportArn('o-a', 'r-shared'), // another organization's ARN
      'arn:portal:o-b::ledger',
      'arn:aws:artifact:us-east-1::report/report-0000000000000000',
      'arn:aws:artifact:us-east-1::agreement/agreement-0000000000000000',
    ]) {
      await expect(f.tags.list(f.caller('o-b'), { resourceArn }), resourceArn).rejects.toMatchObject(notFound);
      await expect(f.tags.tag(f.caller('o-b'), { resourceArn, tags: { a: 'b' } })).rejects.toMatchObject(notFound);
    }
    await expect(f.tags.list(f.caller('o-b'), { resourceArn: 'report/r-shared' })).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ path: 'resourceArn' })],
    });
    expect(await f.entries('o-b')).toEqual([]);
  });

  it('resolves the Artifact ARN ListReports answers to the same tags', async () => {
    const f = fixture();
    const artifactArn = `arn:aws:artifact:eu-west-1::report/${publicAlias('report', 'r-shared')}`;
    await f.tags.tag(f.caller(), { resourceArn: artifactArn, tags: { source: 'boto3' } });

    expect((await f.tags.list(f.caller(), { resourceArn: shared() })).tags).toEqual({ source: 'boto3' });
  });

  it('refuses what the model refuses, reserved aws: keys and a 51st tag, writing nothing', async () => {
    const f = fixture();
    const invalid = { code: 'validation_failed' };
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    await f.tags.tag(f.caller(), { resourceArn: shared(), tags: fifty });
    const before = await f.entries();

    const refused: Record<string, string>[] = [
      { 'aws:owner': 'x' },
      { 'AWS:owner': 'x' },
      { 'bad#key': 'x' },
      { ok: 'bad;value' },
      { ['k'.repeat(129)]: 'x' },
      { ok: 'v'.repeat(257) },
      {},
      JSON.parse('{"__proto__": "x"}'),
      { ...fifty, one: 'more' },
    ];
    for (const tags of refused) {
      await expect(f.tags.tag(f.caller(), { resourceArn: shared(), tags }), JSON.stringify(tags)).rejects.toMatchObject(
        invalid,
      );
    }
    await expect(f.tags.tag(f.caller(), { resourceArn: shared(), tags: { new: 'v' } })).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [expect.objectContaining({ path: 'tags', message: expect.stringContaining('at most 50') })],
    });
    await expect(f.tags.untag(f.caller(), { resourceArn: shared(), tagKeys: [] })).rejects.toMatchObject(invalid);
    // Overwriting existing keys is within the limit.
    await f.tags.tag(f.caller(), { resourceArn: shared(), tags: { k0: 'changed' } });

    expect(await f.entries()).toHaveLength(before.length + 1);
    expect(Object.keys((await f.tags.list(f.caller(), { resourceArn: shared() })).tags)).toHaveLength(50);
  });

  it('asks authorize with aws:RequestTag, aws:TagKeys and aws:ResourceTag', async () => {
    const f = fixture({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['portal:TagResource', 'portal:UntagResource'], Resource: '*' },
        {
          Effect: 'Deny',
          Action: 'portal:TagResource',
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestTag/env': 'prod' } },
        },
        {
          Effect: 'Deny',
          Action: 'portal:UntagResource',
          Resource: '*',
          Condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['owner'] } },
        },
        {
          Effect: 'Allow',
          Action: 'portal:ListTagsForResource',
          Resource: '*',
          Condition: { StringEquals: { 'aws:ResourceTag/visible': 'yes', 'portal:ReportCategory': 'SOC' } },
        },
      ],
    });
    const denied = { code: 'explicit_deny' };
    await expect(f.tags.tag(f.caller(), { resourceArn: shared(), tags: { env: 'prod' } })).rejects.toMatchObject(
      denied,
    );
    await f.tags.tag(f.caller(), { resourceArn: shared(), tags: { env: 'dev', owner: 'me' } });
    await expect(f.tags.untag(f.caller(), { resourceArn: shared(), tagKeys: ['env', 'owner'] })).rejects.toMatchObject(
      denied,
    );
    await expect(f.tags.list(f.caller(), { resourceArn: shared() })).rejects.toMatchObject({ code: 'implicit_deny' });

    await f.tags.tag(f.caller(), { resourceArn: shared(), tags: { visible: 'yes' } });
    await f.tags.untag(f.caller(), { resourceArn: shared(), tagKeys: ['env'] });
    expect((await f.tags.list(f.caller(), { resourceArn: shared() })).tags).toEqual({ owner: 'me', visible: 'yes' });
  });

  it('loses no change to concurrent tag calls', async () => {
    const f = fixture();
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        f.tags.tag(f.caller(), { resourceArn: shared(), tags: { [`k${i}`]: `${i}` } }),
      ),
    );

    expect(Object.keys((await f.tags.list(f.caller(), { resourceArn: shared() })).tags).sort()).toEqual([
      'k0',
      'k1',
      'k2',
      'k3',
      'k4',
      'k5',
    ]);
    expect(await f.entries()).toHaveLength(6);
  });

  it('lets another module register a type and write tags in its own transaction (initialTagOps)', async () => {
    const f = fixture();
    const inquiries = new Set<string>();
    f.tags.resources.register({
      type: 'evidence-bundle',
      find: async (caller, id) =>
        inquiries.has(id)
          ? { type: 'evidence-bundle', id, arn: `arn:portal:${orgOf(caller)}:${account}:evidence-bundle/${id}` }
          : undefined,
    });
    expect(() => f.tags.resources.register(reports)).toThrow(/twice/);
    expect(() => initialTagOps('o-a', { type: 'evidence-bundle', id: 'b-1' }, { 'aws:x': 'y' })).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
    expect(initialTagOps('o-a', { type: 'evidence-bundle', id: 'b-1' }, {})).toEqual([]);

    await f.ledger.append({
      orgId: 'o-a',
      actor: actorOf(f.principal('o-a')),
      action: 'test:Created',
      subject: 'arn:portal:o-a:111111111111:evidence-bundle/b-1',
      alsoWrite: initialTagOps('o-a', { type: 'evidence-bundle', id: 'b-1' }, { case: '7' }),
    });
    inquiries.add('b-1');
    const arn = `arn:portal:o-a:${account}:evidence-bundle/b-1`;

    expect((await f.tags.list(f.caller(), { resourceArn: arn })).tags).toEqual({ case: '7' });
    await f.tags.tag(systemCaller('o-a', 'test'), { resourceArn: arn, tags: { more: 'yes' } });
    expect((await f.tags.list(f.caller(), { resourceArn: arn })).tags).toEqual({ case: '7', more: 'yes' });
    expect(f.tags.resources.types()).toEqual(['report', 'evidence-bundle']);
  });
});
