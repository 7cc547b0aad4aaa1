import { ConflictError, NotFoundError, OrganizationService, systemActor } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { directoryTestDeps } from './directory-test-kit.js';

const actor = systemActor('test');

describe('organization tree', () => {
  it('builds root -> nested OUs -> accounts with exactly one management account, and records each change', async () => {
    const deps = await directoryTestDeps();
    const orgs = deps.portal.organizations;
    const org = await orgs.createOrganization({ name: 'Acme', managementAccountId: '100000000001', actor });
    const production = await orgs.createUnit(org.orgId, { name: 'Production', parentId: org.rootId }, actor);
    const healthcare = await orgs.createUnit(org.orgId, { name: 'Healthcare', parentId: production.unitId }, actor);
    await orgs.addAccount(
      org.orgId,
      { name: 'Records', accountId: '100000000002', parentId: healthcare.unitId },
      actor,
    );
    await orgs.addAccount(org.orgId, { name: 'Loose' }, actor);

    const { root } = await orgs.tree(org.orgId);
    const accounts = await orgs.listAccounts(org.orgId);

    expect(accounts.filter((a) => a.isManagement).map((a) => a.accountId)).toEqual(['100000000001']);
    expect(accounts).toHaveLength(3);
    expect(accounts.every((a) => /^\d{12}$/.test(a.accountId))).toBe(true);
    expect(root.units.map((u) => u.name)).toEqual(['Production']);
    expect(root.units[0]?.units[0]?.accounts.map((a) => a.accountId)).toEqual(['100000000002']);
    expect(await orgs.pathTo(org.orgId, '100000000002')).toEqual([
      org.rootId,
      production.unitId,
      healthcare.unitId,
      '100000000002',
    ]);
    expect(deps.ledger.entries.map((e) => e.action)).toEqual([
      'org:OrganizationCreated',
      'org:UnitCreated',
      'org:UnitCreated',
      'org:AccountJoined',
      'org:AccountJoined',
    ]);
    expect(deps.ledger.entries[3]?.details?.at).toBe('2026-03-02T09:00:00.000Z');
  });

  it('moves an account and removes one: both are ledger entries with their time; the management account stays', async () => {
    const deps = await directoryTestDeps();
    const orgs = deps.portal.organizations;
    const org = await orgs.createOrganization({ name: 'Acme', managementAccountId: '200000000001', actor });
    const sandbox = await orgs.createUnit(org.orgId, { name: 'Sandbox', parentId: org.rootId }, actor);
    await orgs.addAccount(org.orgId, { name: 'Dev', accountId: '200000000002' }, actor);

    deps.clock.advance(60_000);
    await orgs.moveAccount(org.orgId, '200000000002', sandbox.unitId, actor);
    deps.clock.advance(60_000);
    await orgs.removeAccount(org.orgId, '200000000002', actor);

    const moved = deps.ledger.entries.find((e) => e.action === 'org:AccountMoved');
    const left = deps.ledger.entries.find((e) => e.action === 'org:AccountLeft');
    expect(moved?.details).toMatchObject({ from: org.rootId, to: sandbox.unitId, at: '2026-03-02T09:01:00.000Z' });
    expect(left).toMatchObject({ accountId: '200000000002', details: { at: '2026-03-02T09:02:00.000Z' } });
    expect((await orgs.listAccounts(org.orgId)).map((a) => a.accountId)).toEqual(['200000000001']);
    await expect(orgs.removeAccount(org.orgId, '200000000001', actor)).rejects.toBeInstanceOf(ConflictError);
    await expect(orgs.removeAccount(org.orgId, '200000000002', actor)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps account ids unique within an organization and refuses unknown parents; failed changes write nothing', async () => {
    const deps = await directoryTestDeps();
    const orgs = deps.portal.organizations;
    const a = await orgs.createOrganization({ name: 'A', managementAccountId: '300000000001', actor });
    const b = await orgs.createOrganization({ name: 'B', managementAccountId: '300000000002', actor });
    await orgs.addAccount(a.orgId, { name: 'Shared id', accountId: '300000000003' }, actor);
    const recorded = deps.ledger.entries.length;

    await expect(orgs.addAccount(a.orgId, { name: 'Taken', accountId: '300000000003' }, actor)).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(orgs.addAccount(b.orgId, { name: 'Orphan', parentId: 'ou-missing' }, actor)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    // Another org's account answers exactly like a missing one.
    await expect(orgs.moveAccount(b.orgId, '300000000003', b.rootId, actor)).rejects.toBeInstanceOf(NotFoundError);
    await expect(orgs.createUnit(b.orgId, { name: 'Cross', parentId: a.rootId }, actor)).rejects.toBeInstanceOf(
      NotFoundError,
    );

    expect((await orgs.listAccounts(b.orgId)).map((x) => x.accountId)).toEqual(['300000000002']);
    expect(deps.ledger.entries.length).toBe(recorded);
    // Another organization's id is a name in another namespace (docs/access.md): B may use it too.
    await orgs.addAccount(b.orgId, { name: 'Same id, other organization', accountId: '300000000003' }, actor);
    expect((await orgs.listAccounts(b.orgId)).map((x) => x.accountId)).toEqual(['300000000002', '300000000003']);
  });

  it('deletes only empty units', async () => {
    const deps = await directoryTestDeps();
    const orgs = deps.portal.organizations;
    const org = await orgs.createOrganization({ name: 'Acme', managementAccountId: '400000000001', actor });
    const unit = await orgs.createUnit(org.orgId, { name: 'Busy', parentId: org.rootId }, actor);
    await orgs.addAccount(org.orgId, { name: 'In it', accountId: '400000000002', parentId: unit.unitId }, actor);

    await expect(orgs.deleteUnit(org.orgId, unit.unitId, actor)).rejects.toMatchObject({ code: 'unit_not_empty' });
    await orgs.moveAccount(org.orgId, '400000000002', org.rootId, actor);
    await orgs.deleteUnit(org.orgId, unit.unitId, actor);

    expect(await orgs.listUnits(org.orgId)).toEqual([]);
  });
});

describe('membership listeners', () => {
  it('tells agreement coverage when an account joins and leaves, with the times', async () => {
    const deps = await directoryTestDeps();
    const calls: string[] = [];
    const orgs = new OrganizationService({
      ...deps,
      membership: {
        async onAccountJoined(orgId, accountId, at) {
          calls.push(`joined ${orgId} ${accountId} ${at}`);
        },
        async onAccountLeft(orgId, accountId, at, joinedAt) {
          calls.push(`left ${orgId} ${accountId} ${at} (joined ${joinedAt})`);
        },
      },
    });
    const org = await orgs.createOrganization({ name: 'Acme', managementAccountId: '500000000001', actor });

    await orgs.addAccount(org.orgId, { name: 'Member', accountId: '500000000002' }, actor);
    deps.clock.advance(3_600_000);
    await orgs.removeAccount(org.orgId, '500000000002', actor);

    expect(calls).toEqual([
      `joined ${org.orgId} 500000000002 2026-03-02T09:00:00.000Z`,
      `left ${org.orgId} 500000000002 2026-03-02T10:00:00.000Z (joined 2026-03-02T09:00:00.000Z)`,
    ]);
  });
});
