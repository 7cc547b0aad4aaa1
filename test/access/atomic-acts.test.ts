import {
  createLedger,
  createUlidGenerator,
  DependencyUnavailableError,
  type LedgerEntry,
  ManualClock,
  NotFoundError,
  systemActor,
} from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { dynamoStore, type LedgerFaults, quickToGiveUp } from '../agreements/agreement-fixture.js';
import { freshTable } from '../support/app.js';
import { testPortal } from '../support/portal.js';
import { startOfTest } from './directory-test-kit.js';

const orgId = 'o-atomic';
const management = '100000000001';
const member = '100000000002';
const actor = systemActor('test');

/**
 * The directory over the real store and ledger. The injected fault fails only DynamoDB transactions
 * that carry a ledger item, so a write made apart from its entry would still land.
 */
async function directory() {
  const faults: LedgerFaults = { armed: false, injected: 0 };
  const clock = new ManualClock(startOfTest);
  const store = dynamoStore(await freshTable(), faults);
  const ledger = createLedger({ store, clock, ...quickToGiveUp });
  const deps = { store, clock, ids: createUlidGenerator(clock), ledger };
  async function actions(): Promise<string[]> {
    const entries: LedgerEntry[] = [];
    for await (const entry of ledger.entries(orgId)) entries.push(entry);
    return entries.map((entry) => entry.action);
  }
  const { organizations, users, policies, sessions } = testPortal(deps);
  return { faults, actions, organizations, users, policies, sessions };
}

const unavailable = (act: Promise<unknown>) => expect(act).rejects.toBeInstanceOf(DependencyUnavailableError);

describe('directory acts and their ledger entries', () => {
  it('changes the organization tree only together with its entries', async () => {
    const { faults, actions, organizations } = await directory();
    const create = () =>
      organizations.createOrganization({ orgId, name: 'Atomic', managementAccountId: management, actor });
    const join = () => organizations.addAccount(orgId, { name: 'Member', accountId: member }, actor);

    faults.armed = true;
    await unavailable(create());
    await expect(organizations.get(orgId)).rejects.toBeInstanceOf(NotFoundError);
    faults.armed = false;
    await create();

    faults.armed = true;
    await unavailable(join());
    expect((await organizations.listAccounts(orgId)).map((a) => a.accountId)).toEqual([management]);
    // The account id was not claimed either: the same account joins once the ledger records again.
    faults.armed = false;
    await join();

    faults.armed = true;
    await unavailable(organizations.removeAccount(orgId, member, actor));
    expect((await organizations.listAccounts(orgId)).map((a) => a.accountId).sort()).toEqual([management, member]);
    faults.armed = false;
    await organizations.removeAccount(orgId, member, actor);

    expect(faults.injected).toBeGreaterThan(0);
    expect(await actions()).toEqual(['org:OrganizationCreated', 'org:AccountJoined', 'org:AccountLeft']);
  });

  it('creates users, attaches policies and changes passwords only together with their entries', async () => {
    const { faults, actions, organizations, users, policies, sessions } = await directory();
    await organizations.createOrganization({ orgId, name: 'Atomic', managementAccountId: management, actor });
    const email = 'dana@atomic.example';
    const password = 'Copper-Willow-Summit-58';
    const create = () =>
      users.createUser(
        orgId,
        { email, displayName: 'Dana', accountId: management, password, mustChangePassword: true },
        actor,
      );

    faults.armed = true;
    await unavailable(create());
    expect(await users.findByEmail(orgId, email)).toBeUndefined();
    faults.armed = false;
    // The email was not claimed either.
    const { user } = await create();

    const target = { type: 'user' as const, id: user.userId };
    faults.armed = true;
    await unavailable(policies.attach(orgId, target, 'ReportsReadOnly', actor));
    expect(await policies.listAttachments(orgId)).toEqual([]);
    await unavailable(users.deactivate(orgId, user.userId, actor));
    expect((await users.get(orgId, user.userId)).status).toBe('active');
    // First sign-in sets the new password; it must not stick without the sign-in's entry.
    const signIn = () =>
      sessions.signIn({
        organization: orgId,
        email,
        password,
        newPassword: 'Granite-Harbor-Lantern-73',
        clientIp: '203.0.113.7',
      });
    await unavailable(signIn());
    faults.armed = false;
    const signedIn = await signIn();
    await policies.attach(orgId, target, 'ReportsReadOnly', actor);

    expect(signedIn.user.mustChangePassword).toBe(false);
    expect((await policies.listAttachments(orgId)).map((a) => a.policyRef)).toEqual(['ReportsReadOnly']);
    expect(await actions()).toEqual([
      'org:OrganizationCreated',
      'identity:UserCreated',
      'identity:SignedIn',
      'access:PolicyAttached',
    ]);
  });
});
