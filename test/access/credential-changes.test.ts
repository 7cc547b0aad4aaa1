import { silentLogger } from '@evidence-portal/api';
import { composePortal, createUlidGenerator, type Mailer, ManualClock, systemActor } from '@evidence-portal/core';
import { MemoryStore } from '@evidence-portal/core/memory-store';
import { describe, expect, it } from 'vitest';
import { CountingStore } from '../agreements/counting-store.js';
import { recordingLedger, startOfTest } from './directory-test-kit.js';

const organization = 'o-credentials';
const password = 'Harbor-Crimson-Tundra-71';

/** The identity use cases over the in-memory store, with a mailer that keeps what it sends. */
async function identity() {
  const clock = new ManualClock(startOfTest);
  const store = new CountingStore(new MemoryStore());
  const sent: Array<{ to: string; text: string }> = [];
  const mailer: Mailer = { send: async (message) => void sent.push(message) };
  const ports = { store, clock, ids: createUlidGenerator(clock), ledger: recordingLedger(store) };
  const portal = composePortal({
    ...ports,
    blobs: undefined as never,
    logger: silentLogger,
    mail: { mailer, siteOrigin: 'https://portal.example' },
  });
  await portal.organizations.createOrganization({
    orgId: organization,
    name: 'Credentials',
    managementAccountId: '700000000001',
    actor: systemActor('test'),
  });
  const { user } = await portal.users.createUser(
    organization,
    { email: 'dana@credentials.example', displayName: 'Dana', accountId: '700000000001', password },
    systemActor('test'),
  );
  await portal.users.createRole(
    organization,
    { name: 'Helper', roleId: 'role-helper', trust: { users: [user.userId] } },
    systemActor('test'),
  );
  const signIn = (pw = password) =>
    portal.sessions.signIn({ organization, email: 'dana@credentials.example', password: pw, clientIp: '198.51.100.7' });
  const alive = async (token: string) => (await portal.sessions.authenticate(token)) !== undefined;
  return { portal, store, clock, sent, user, signIn, alive };
}

describe('sessions end with their credential', () => {
  it('a password change ends every other session (and role sessions assumed from them); the changing one stays', async () => {
    const { portal, signIn, alive } = await identity();
    const other = await signIn();
    const current = await signIn();
    const { principal } = (await portal.sessions.authenticate(other.token)) ?? {};
    const role = await portal.sessions.assumeRole(principal as never, other.token, 'role-helper');
    const currentPrincipal = (await portal.sessions.authenticate(current.token))?.principal;

    await portal.users.changeOwnPassword(currentPrincipal as never, current.token, {
      currentPassword: password,
      newPassword: 'Tidal-Violet-Compass-93',
    });

    expect(await alive(other.token)).toBe(false);
    expect(await alive(role.token)).toBe(false);
    expect(await alive(current.token)).toBe(true);
    expect(await portal.sessions.activeSessionCount(organization, current.user.userId)).toBe(1);
  });

  it('a password reset ends every session', async () => {
    const { portal, signIn, alive, sent } = await identity();
    const session = await signIn();
    await portal.users.requestPasswordReset({
      organization,
      email: 'dana@credentials.example',
      clientIp: '198.51.100.7',
    });
    await portal.users.deliverAccountMail();
    const token = /token=([A-Za-z0-9_-]+)/.exec(sent[0]?.text ?? '')?.[1] ?? '';

    await portal.users.redeemOneTimeToken(token, 'Tidal-Violet-Compass-93');

    expect(await alive(session.token)).toBe(false);
  });

  it("a role session ends with its parent's sign-out", async () => {
    const { portal, signIn, alive } = await identity();
    const parent = await signIn();
    const principal = (await portal.sessions.authenticate(parent.token))?.principal;
    const role = await portal.sessions.assumeRole(principal as never, parent.token, 'role-helper');
    const before = await alive(role.token);

    await portal.sessions.revoke(parent.token, principal);

    expect(before).toBe(true);
    expect(await alive(role.token)).toBe(false);
  });
});

describe('password reset', () => {
  it('does the same work for a known and an unknown email, and mails only from the queue', async () => {
    const { portal, store, sent } = await identity();
    const workOf = async (email: string, clientIp: string) => {
      store.reset();
      await portal.users.requestPasswordReset({ organization, email, clientIp });
      return { ...store.byMethod, mails: sent.length };
    };

    const known = await workOf('dana@credentials.example', '198.51.100.7');
    const unknown = await workOf('nobody@credentials.example', '198.51.100.8');
    const otherOrganization = await workOf('dana@credentials.example', '198.51.100.9');
    const mailedBeforeTheJob = sent.length;
    await portal.users.deliverAccountMail();

    expect(unknown).toEqual(known);
    expect(otherOrganization).toEqual(known);
    expect(mailedBeforeTheJob).toBe(0);
    expect(sent.map((mail) => mail.to)).toEqual(['dana@credentials.example', 'dana@credentials.example']);
  });

  it('limits requests per email (3 an hour) and per address (10 an hour); only the newest link works', async () => {
    const { portal, sent, clock } = await identity();
    const request = (email: string, clientIp: string) =>
      portal.users.requestPasswordReset({ organization, email, clientIp }).then(
        () => 'queued',
        (error: { code?: string }) => error.code,
      );

    const perEmail = [];
    for (let i = 0; i < 60; i++) perEmail.push(await request('dana@credentials.example', `203.0.113.${i + 1}`));
    const perAddress = [];
    for (let i = 0; i < 12; i++) perAddress.push(await request(`someone${i}@credentials.example`, '198.51.100.7'));
    await portal.users.deliverAccountMail();
    const tokens = sent.map((mail) => /token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] ?? '');
    const older = await portal.users.redeemOneTimeToken(tokens[0] ?? '', 'Tidal-Violet-Compass-93').catch((e) => e);
    await portal.users.redeemOneTimeToken(tokens[2] ?? '', 'Tidal-Violet-Compass-93');
    clock.advance(3600 * 1000);
    const nextHour = await request('dana@credentials.example', '203.0.113.1');

    expect(perEmail.filter((answer) => answer === 'queued')).toHaveLength(3);
    expect(perEmail.slice(3).every((answer) => answer === 'reset_rate_limited')).toBe(true);
    expect(perAddress.filter((answer) => answer === 'queued')).toHaveLength(10);
    expect(perAddress.slice(10)).toEqual(['reset_rate_limited', 'reset_rate_limited']);
    expect(sent).toHaveLength(3);
    expect(older).toMatchObject({ name: 'NotFoundError' });
    expect(nextHour).toBe('queued');
  });
});
