import { systemActor } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { byTier } from '../support/context.js';
import { codeAt, directoryTestDeps } from './directory-test-kit.js';

const organization = 'o-throttle';
const password = 'Harbor-Crimson-Tundra-71';
const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** A user of `o-throttle` (with MFA when asked), straight into the store. */
async function throttleDeps(options: { mfa?: boolean } = {}) {
  const deps = await directoryTestDeps();
  const { users } = deps.portal;
  const { user, ops } = await users.newUserOps(organization, {
    email: 'victim@example.com',
    displayName: 'Victim',
    accountId: '600000000001',
    password,
  });
  await deps.store.transact(ops);
  if (options.mfa) await users.enableMfaWithSecret(organization, user.userId, secret, systemActor('test'));
  const failures = () =>
    deps.ledger.entries.filter((entry) => entry.action === 'identity:SignInFailed' && entry.orgId === organization);
  return { ...deps, user, failures };
}

const attempt = (overrides: Record<string, string> = {}) => ({
  organization,
  email: 'victim@example.com',
  password,
  clientIp: '198.51.100.7',
  ...overrides,
});

describe('sign-in throttling', () => {
  it('locks an address after 20 failures across many emails, leaving other addresses free', async () => {
    const { portal } = await throttleDeps();
    for (let i = 0; i < 20; i++) {
      await expect(
        portal.sessions.signIn(
          attempt({ email: `guess${i}@example.com`, password: 'wrong-wrong-wrong', clientIp: '203.0.113.9' }),
        ),
      ).rejects.toMatchObject({ code: 'invalid_credentials' });
    }

    const fromAttacker = await portal.sessions.signIn(attempt({ clientIp: '203.0.113.9' })).catch((e: unknown) => e);
    const fromVictim = await portal.sessions.signIn(attempt());

    expect(fromAttacker).toMatchObject({ code: 'sign_in_locked' });
    expect(fromVictim.session.userId).toBe(fromVictim.user.userId);
  });

  it('checks at most 5 passwords per window however many wrong ones race (attempts reserved before the hash)', async () => {
    const { portal, clock, failures } = await throttleDeps();
    const concurrent = 40;
    const rounds = byTier(1, 100);
    const evaluated: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const before = failures().length;
      const answers = await Promise.all(
        Array.from({ length: concurrent }, (_, i) =>
          portal.sessions
            .signIn(attempt({ password: `wrong-password-${round}-${i}`, clientIp: `203.0.113.${(i % 200) + 1}` }))
            .then(
              () => 'signed-in',
              (error: { code?: string }) => error.code ?? 'error',
            ),
        ),
      );
      evaluated.push(failures().length - before);
      expect(answers.filter((code) => code === 'invalid_credentials')).toHaveLength(5);
      expect(answers.filter((code) => code === 'sign_in_locked')).toHaveLength(concurrent - 5);
      clock.advance(15 * 60 * 1000);
    }
    // Soak figures: every round of 40 checked exactly 5 passwords.
    expect(evaluated).toEqual(Array.from({ length: rounds }, () => 5));
  });

  it('does not lock the owner out: a right password and an unused TOTP code still get in while locked', async () => {
    const { portal, clock, failures } = await throttleDeps({ mfa: true });
    for (let i = 0; i < 5; i++) {
      await expect(
        portal.sessions.signIn(attempt({ password: `wrong-${i}-wrong`, clientIp: '203.0.113.9' })),
      ).rejects.toMatchObject({ code: 'invalid_credentials' });
    }

    const passwordOnly = await portal.sessions.signIn(attempt()).catch((e: unknown) => e);
    // Locked: a wrong password with a code, and a right password with a wrong code, answer alike.
    const guessWithCode = await portal.sessions
      .signIn(attempt({ password: 'wrong-again-wrong', totp: codeAt(secret, clock) }))
      .catch((e: unknown) => e);
    const wrongCode = await portal.sessions.signIn(attempt({ totp: '000000' })).catch((e: unknown) => e);
    const owner = await portal.sessions.signIn(attempt({ totp: codeAt(secret, clock) }));

    expect(passwordOnly).toMatchObject({ code: 'sign_in_locked' });
    expect(guessWithCode).toMatchObject({ code: 'sign_in_locked' });
    expect(wrongCode).toMatchObject({ code: 'sign_in_locked' });
    expect(owner.session.mfaPresent).toBe(true);
    expect(failures().map((entry) => entry.details?.factor)).toEqual([
      ...Array.from({ length: 6 }, () => 'password'),
      'mfa',
    ]);
  });

  it('keeps a user without MFA locked until the window ends, and lets a signed-in session step up while locked', async () => {
    const { portal, clock } = await throttleDeps();
    const earlier = await portal.sessions.signIn(attempt());
    for (let i = 0; i < 5; i++) {
      await expect(portal.sessions.signIn(attempt({ password: `wrong-${i}-wrong` }))).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
    }
    const locked = await portal.sessions.signIn(attempt({ totp: '123456' })).catch((e: unknown) => e);
    await portal.users.enableMfaWithSecret(organization, earlier.user.userId, secret, systemActor('test'));
    const stepUp = await portal.sessions.stepUp(earlier.token, codeAt(secret, clock));
    clock.advance(15 * 60 * 1000);
    const later = await portal.sessions.signIn(attempt({ totp: codeAt(secret, clock, 1) }));

    expect(locked).toMatchObject({ code: 'sign_in_locked' });
    expect(stepUp.mfaPresent).toBe(true);
    expect(later.session.mfaPresent).toBe(true);
  });
});
