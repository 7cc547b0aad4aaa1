import { loggingMailer } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { demoAdminTotpSecret, exampleCorpSeed, seedOrganization } from '../../packages/cli/src/demo-seed.js';
import { accessTestApp, capturingLogger, codeAt, requester } from '../access/directory-test-kit.js';

const passwords = Object.fromEntries(exampleCorpSeed.users.map((u) => [u.email, u.password]));

describe('the log stream', () => {
  it('never carries a token, a password or a secret, through sign-in, invitation, MFA, password change and reset', async () => {
    const logger = capturingLogger();
    const outbox: Array<{ to: string; text: string }> = [];
    // The local adapter exactly as the local server wires it: redacted log line, whole message to its outbox.
    const mailer = loggingMailer(logger, (message) => outbox.push(message));
    const made = await accessTestApp({ logger, mailer });
    await seedOrganization(made.deps, exampleCorpSeed);
    const call = requester(made.app);
    const { clock } = made;
    const secrets: string[] = [demoAdminTotpSecret, ...Object.values(passwords)];
    const keep = (value: unknown) => {
      if (typeof value === 'string' && value.length >= 6) secrets.push(value);
      return value as string;
    };
    const linkToken = () => keep(/token=([A-Za-z0-9_-]+)/.exec(outbox.at(-1)?.text ?? '')?.[1]);

    const admin = keep(
      (
        await call('POST', '/api/session', {
          body: {
            email: 'admin@example.com',
            password: passwords['admin@example.com'],
            totp: codeAt(demoAdminTotpSecret, clock),
          },
        })
      ).body.token,
    );
    await call('POST', '/api/session', {
      body: { email: 'admin@example.com', password: keep('Wrong-Guess-Password-1') },
    });
    await call('POST', '/api/org/users', {
      token: admin,
      body: { email: 'erin@example.com', displayName: 'Erin', accountId: '222222222222' },
    });
    const first = keep('Lumen-Quartz-Ridge-64');
    expect(
      (await call('POST', '/api/session/password', { body: { token: linkToken(), newPassword: first } })).status,
    ).toBe(204);
    const erin = { organization: 'o-examplecorp', email: 'erin@example.com' };
    const session = keep((await call('POST', '/api/session', { body: { ...erin, password: first } })).body.token);
    const enrol = await call('POST', '/api/me/mfa', { token: session, body: { password: first } });
    keep(enrol.body.secret);
    keep(enrol.body.otpauthUri);
    const confirm = await call('POST', '/api/me/mfa/confirm', {
      token: session,
      body: { totp: codeAt(enrol.body.secret, clock) },
    });
    for (const code of confirm.body.recoveryCodes as string[]) keep(code);
    const second = keep('Tidal-Violet-Compass-93');
    await call('POST', '/api/me/password', { token: session, body: { currentPassword: first, newPassword: second } });
    await call('POST', '/api/session/password-reset', { body: erin });
    await made.deps.users.deliverAccountMail();
    const third = keep('Granite-Harbor-Lantern-73');
    expect(
      (await call('POST', '/api/session/password', { body: { token: linkToken(), newPassword: third } })).status,
    ).toBe(204);
    await call('DELETE', '/api/session', { token: session });

    const stream = JSON.stringify(logger.lines);
    expect(outbox).toHaveLength(2);
    expect(logger.lines.filter((line) => line.message.startsWith('email'))).toHaveLength(2);
    expect(stream).toContain('token=[redacted]');
    expect(secrets.length).toBeGreaterThan(20);
    for (const secret of secrets) expect(stream, 'a secret reached the log').not.toContain(secret);
  });
});
