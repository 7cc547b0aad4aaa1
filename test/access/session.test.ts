import { ConflictError } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { demoAdminTotpSecret, exampleCorpSeed, seedOrganization } from '../../packages/cli/src/demo-seed.js';
import { accessTestApp, codeAt, requester } from './directory-test-kit.js';

const passwords = Object.fromEntries(exampleCorpSeed.users.map((u) => [u.email, u.password]));

async function demoApp() {
  const made = await accessTestApp();
  await seedOrganization(made.deps, exampleCorpSeed);
  return { ...made, call: requester(made.app) };
}

describe('sessions', () => {
  it('signs in with a cookie and a bearer token, answers /api/me, and sign-out revokes', async () => {
    const { call } = await demoApp();

    const signIn = await call('POST', '/api/session', {
      body: { email: 'Engineer@Example.com', password: passwords['engineer@example.com'] },
    });
    const token = signIn.body.token as string;
    const cookie = signIn.headers.get('set-cookie') ?? '';
    const me = await call('GET', '/api/me', { token });
    const viaCookie = await call('GET', '/api/me', { headers: { cookie: `theme=dark; __Host-session=${token}` } });
    const signOut = await call('DELETE', '/api/session', { token });
    const after = await call('GET', '/api/me', { token });

    expect(signIn.status).toBe(201);
    expect(token).toMatch(/^ps_[A-Za-z0-9_-]{43}$/);
    expect(cookie).toContain(`__Host-session=${token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      user: { email: 'engineer@example.com', userId: 'u-demoengineer' },
      account: { accountId: '555555555555', name: 'Developer Sandbox' },
      groups: [{ groupId: 'g-engineers', name: 'Engineers' }],
      mfaPresent: false,
    });
    expect(me.body.role).toBeUndefined();
    expect(viaCookie.status).toBe(200);
    expect(signOut.status).toBe(204);
    expect(after.status).toBe(401);
  });

  it('refuses wrong passwords and unknown emails alike, and stores only the token hash', async () => {
    const { call, deps } = await demoApp();

    const wrong = await call('POST', '/api/session', {
      body: { email: 'engineer@example.com', password: 'nope-nope-nope' },
    });
    const unknown = await call('POST', '/api/session', {
      body: { organization: 'o-examplecorp', email: 'ghost@example.com', password: 'nope-nope-nope' },
    });
    const good = await call('POST', '/api/session', {
      body: { email: 'engineer@example.com', password: passwords['engineer@example.com'] },
    });
    const stored = await deps.store.get({ pk: `SESSION#${good.body.token}`, sk: 'SESSION' });

    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.code).toBe('invalid_credentials');
    expect(unknown.body.detail).toBe(wrong.body.detail);
    expect(stored).toBeUndefined();
  });

  it('expires sessions by the clock (8 hours) without anyone acting', async () => {
    const { call, clock } = await demoApp();
    const { body } = await call('POST', '/api/session', {
      body: { email: 'engineer@example.com', password: passwords['engineer@example.com'] },
    });

    clock.advance(8 * 3600 * 1000 - 1000);
    const before = await call('GET', '/api/me', { token: body.token });
    clock.advance(2000);
    const after = await call('GET', '/api/me', { token: body.token });

    expect(before.status).toBe(200);
    expect(after.status).toBe(401);
  });

  it('asks for TOTP when enrolled, accepts ±1 step, refuses a replayed code', async () => {
    const { call, clock } = await demoApp();
    const credentials = { email: 'admin@example.com', password: passwords['admin@example.com'] };

    const noCode = await call('POST', '/api/session', { body: credentials });
    const previousStep = await call('POST', '/api/session', {
      body: { ...credentials, totp: codeAt(demoAdminTotpSecret, clock, -1) },
    });
    const current = codeAt(demoAdminTotpSecret, clock, 0);
    const first = await call('POST', '/api/session', { body: { ...credentials, totp: current } });
    const replay = await call('POST', '/api/session', { body: { ...credentials, totp: current } });
    const older = await call('POST', '/api/session', {
      body: { ...credentials, totp: codeAt(demoAdminTotpSecret, clock, -1) },
    });
    const next = await call('POST', '/api/session', {
      body: { ...credentials, totp: codeAt(demoAdminTotpSecret, clock, 1) },
    });
    const tooFar = await call('POST', '/api/session', {
      body: { ...credentials, totp: codeAt(demoAdminTotpSecret, clock, 3) },
    });
    const me = await call('GET', '/api/me', { token: first.body.token });

    expect(noCode.status).toBe(401);
    expect(noCode.body.code).toBe('totp_required');
    expect(previousStep.status).toBe(201);
    expect(first.status).toBe(201);
    expect(first.body.mfaPresent).toBe(true);
    expect(replay.body.code).toBe('invalid_mfa_code');
    expect(older.body.code).toBe('invalid_mfa_code');
    expect(next.status).toBe(201);
    expect(tooFar.body.code).toBe('invalid_mfa_code');
    expect(me.body.mfaPresent).toBe(true);
  });

  it('locks an account after repeated failures (429 with Retry-After), then lets it in when the window ends', async () => {
    const { call, clock } = await demoApp();
    const email = 'engineer@example.com';
    for (let i = 0; i < 5; i++) {
      const failed = await call('POST', '/api/session', { body: { email, password: `wrong-password-${i}` } });
      expect(failed.status).toBe(401);
    }

    const locked = await call('POST', '/api/session', { body: { email, password: passwords[email] } });
    clock.advance(15 * 60 * 1000);
    const later = await call('POST', '/api/session', { body: { email, password: passwords[email] } });

    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('sign_in_locked');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(later.status).toBe(201);
  });

  it('steps up a session that lacks MFA, and refuses a wrong code', async () => {
    const { call, clock } = await demoApp();
    const body = { email: 'engineer@example.com', password: passwords['engineer@example.com'] };
    const a = (await call('POST', '/api/session', { body })).body.token as string;
    const b = (await call('POST', '/api/session', { body })).body.token as string;

    // Enrolment needs the current password: a stolen session cannot bind the thief's authenticator.
    const withoutPassword = await call('POST', '/api/me/mfa', { token: a });
    const wrongPassword = await call('POST', '/api/me/mfa', { token: a, body: { password: 'not-my-password' } });
    const enrol = await call('POST', '/api/me/mfa', {
      token: a,
      body: { password: passwords['engineer@example.com'] },
    });
    const secret = enrol.body.secret as string;
    const confirm = await call('POST', '/api/me/mfa/confirm', { token: a, body: { totp: codeAt(secret, clock) } });
    const beforeStepUp = await call('GET', '/api/me', { token: b });
    const wrong = await call('POST', '/api/session/mfa', { token: b, body: { totp: '000000' } });
    clock.advance(30_000);
    const stepUp = await call('POST', '/api/session/mfa', { token: b, body: { totp: codeAt(secret, clock) } });
    const afterStepUp = await call('GET', '/api/me', { token: b });

    expect(withoutPassword.status).toBe(400);
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.body.errors).toEqual([{ path: 'password', message: 'is not your current password' }]);
    expect(enrol.status).toBe(201);
    expect(enrol.body.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(confirm.status).toBe(200);
    expect(confirm.body.recoveryCodes).toHaveLength(10);
    expect(beforeStepUp.body.mfaPresent).toBe(false);
    expect(wrong.status).toBe(401);
    expect(stepUp.status).toBe(200);
    expect(afterStepUp.body.mfaPresent).toBe(true);
  });

  it("assumes a role: a new session with only the role's permissions; untrusted users are refused", async () => {
    const { call } = await demoApp();
    const auditor = (
      await call('POST', '/api/session', {
        body: { email: 'auditor@example.com', password: passwords['auditor@example.com'] },
      })
    ).body.token as string;
    const engineer = (
      await call('POST', '/api/session', {
        body: { email: 'engineer@example.com', password: passwords['engineer@example.com'] },
      })
    ).body.token as string;

    const assumed = await call('POST', '/api/session/role', {
      token: auditor,
      body: { roleId: 'role-complianceofficer' },
    });
    const me = await call('GET', '/api/me', { token: assumed.body.token });
    const missing = await call('POST', '/api/session/role', { token: engineer, body: { roleId: 'role-nosuchrole' } });
    const extra = await call('POST', '/api/session/role', {
      token: engineer,
      body: { roleId: 'role-complianceofficer', durationSeconds: 99999 },
    });

    expect(assumed.status).toBe(201);
    expect(assumed.body.role).toEqual({ roleId: 'role-complianceofficer', name: 'ComplianceOfficer' });
    expect(Date.parse(assumed.body.expiresAt)).toBeLessThanOrEqual(Date.parse('2026-03-02T10:00:00Z'));
    expect(me.body.role).toEqual({ roleId: 'role-complianceofficer', name: 'ComplianceOfficer' });
    expect(missing.status).toBe(404);
    expect(extra.status).toBe(400);
  });
});

describe('bootstrap', () => {
  it('creates org, management account and admin once; first sign-in must change the password and enrol MFA', async () => {
    const { deps, call, clock } = await (async () => {
      const made = await accessTestApp();
      return { ...made, call: requester(made.app) };
    })();
    const result = await deps.bootstrap({ orgName: 'First Corp', adminEmail: 'root@first.example' });
    const organization = result.organization.orgId;
    const credentials = { organization, email: 'root@first.example', password: result.oneTimePassword };

    const mustChange = await call('POST', '/api/session', { body: credentials });
    const weak = await call('POST', '/api/session', { body: { ...credentials, newPassword: 'password123' } });
    const signIn = await call('POST', '/api/session', {
      body: { ...credentials, newPassword: 'Tidal-Violet-Compass-93' },
    });
    const token = signIn.body.token as string;
    const blocked = await call('GET', '/api/org/accounts', { token });
    const enrol = await call('POST', '/api/me/mfa', { token, body: { password: 'Tidal-Violet-Compass-93' } });
    const confirm = await call('POST', '/api/me/mfa/confirm', {
      token,
      body: { totp: codeAt(enrol.body.secret, clock) },
    });
    const accounts = await call('GET', '/api/org/accounts', { token });
    const oldPassword = await call('POST', '/api/session', { body: { ...credentials, totp: '123456' } });
    const recovery = confirm.body.recoveryCodes[0] as string;
    const viaRecovery = await call('POST', '/api/session', {
      body: { organization, email: credentials.email, password: 'Tidal-Violet-Compass-93', totp: recovery },
    });
    const recoveryAgain = await call('POST', '/api/session', {
      body: { organization, email: credentials.email, password: 'Tidal-Violet-Compass-93', totp: recovery },
    });

    expect(result.oneTimePassword.length).toBeGreaterThanOrEqual(20);
    expect(mustChange.status).toBe(403);
    expect(mustChange.body.code).toBe('password_change_required');
    expect(weak.status).toBe(400);
    expect(weak.body.errors.map((e: { message: string }) => e.message).join(' ')).toMatch(/at least 12|breached/);
    expect(signIn.body.enrolmentOnly).toBe(true);
    expect(blocked.status).toBe(401);
    expect(confirm.status).toBe(200);
    expect(accounts.status).toBe(200);
    expect(accounts.body.items).toEqual([
      expect.objectContaining({ accountId: result.organization.managementAccountId, isManagement: true }),
    ]);
    expect(oldPassword.status).toBe(401);
    expect(viaRecovery.status).toBe(201);
    expect(recoveryAgain.status).toBe(401);
    await expect(deps.bootstrap({ orgName: 'Second', adminEmail: 'other@first.example' })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });
});
