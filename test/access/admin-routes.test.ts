import { loggingMailer } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { demoAdminTotpSecret, exampleCorpSeed, seedOrganization } from '../../packages/cli/src/demo-seed.js';
import { accessTestApp, capturingLogger, codeAt, requester } from './directory-test-kit.js';

const passwords = Object.fromEntries(exampleCorpSeed.users.map((u) => [u.email, u.password]));

async function signedIn() {
  const logger = capturingLogger();
  // The local mail adapter as the local server wires it: the log line is redacted, the outbox has the link.
  const outbox: Array<{ to: string; text: string }> = [];
  const made = await accessTestApp({ logger, mailer: loggingMailer(logger, (message) => outbox.push(message)) });
  await seedOrganization(made.deps, exampleCorpSeed);
  const call = requester(made.app);
  const admin = (
    await call('POST', '/api/session', {
      body: {
        email: 'admin@example.com',
        password: passwords['admin@example.com'],
        totp: codeAt(demoAdminTotpSecret, made.clock),
      },
    })
  ).body.token as string;
  const engineer = (
    await call('POST', '/api/session', {
      body: { email: 'engineer@example.com', password: passwords['engineer@example.com'] },
    })
  ).body.token as string;
  return { ...made, call, admin, engineer, logger, outbox };
}

describe('organization admin routes', () => {
  it('lets the admin read the tree and all accounts (management included); the engineer gets 403, anonymous 401', async () => {
    const { call, admin, engineer, logger } = await signedIn();

    const accounts = await call('GET', '/api/org/accounts', { token: admin });
    const tree = await call('GET', '/api/org', { token: admin });
    const engineerUsers = await call('GET', '/api/org/users', { token: engineer });
    const anonymous = await call('GET', '/api/org/accounts');

    expect(accounts.status).toBe(200);
    expect(accounts.body.items.map((a: { accountId: string }) => a.accountId).sort()).toEqual([
      '111111111111',
      '222222222222',
      '333333333333',
      '444444444444',
      '555555555555',
    ]);
    expect(tree.body.root.units.map((u: { name: string }) => u.name)).toEqual(['Production', 'Sandbox']);
    expect(engineerUsers.status).toBe(403);
    expect(engineerUsers.body.code).toBe('implicit_deny');
    expect(anonymous.status).toBe(401);
    const denial = logger.lines.find((line) => line.message === 'access denied');
    expect(denial?.fields).toMatchObject({ action: 'portal:DescribeAccess', principal: { userId: 'u-demoengineer' } });
    expect(JSON.stringify(logger.lines)).not.toContain(engineer);
    expect(JSON.stringify(logger.lines)).not.toContain(passwords['engineer@example.com']);
  });

  it('validates policies on save (one error per problem, with a suggestion) and attaches valid ones', async () => {
    const { call, admin } = await signedIn();

    const invalid = await call('POST', '/api/org/policies', {
      token: admin,
      body: {
        name: 'Broken',
        document: {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'A', Effect: 'Permit', Action: 'portal:GetReprt', Resource: '*' },
            { Sid: 'B', Effect: 'Allow', Action: 'portal:ListReports', Resource: 'arn:nope' },
          ],
        },
      },
    });
    const valid = await call('POST', '/api/org/policies', {
      token: admin,
      body: {
        name: 'LedgerReaders',
        document: {
          Version: '2012-10-17',
          Statement: [{ Sid: 'Read', Effect: 'Allow', Action: 'portal:ReadLedger', Resource: '*' }],
        },
      },
    });
    const attached = await call('POST', '/api/org/attachments', {
      token: admin,
      body: { targetType: 'group', targetId: 'g-engineers', policy: valid.body.policyId },
    });
    const duplicateName = await call('POST', '/api/org/policies', {
      token: admin,
      body: { name: 'ledgerreaders', document: valid.body.document },
    });

    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.length).toBeGreaterThanOrEqual(3);
    expect(invalid.body.errors.every((e: { path: string }) => e.path.startsWith('document'))).toBe(true);
    expect(JSON.stringify(invalid.body.errors)).toMatch(/portal:GetReport/);
    expect(valid.status).toBe(201);
    expect(attached.status).toBe(201);
    expect(duplicateName.status).toBe(409);
  });

  it('simulates a denied action and names the statement that denied it', async () => {
    const { call, admin } = await signedIn();

    const simulated = await call('POST', '/api/org/simulate', {
      token: admin,
      body: {
        principal: 'engineer@example.com',
        roleId: 'role-complianceofficer',
        action: 'portal:AcceptAgreement',
        resource: 'arn:portal:o-examplecorp:555555555555:agreement/agr-baa',
      },
    });
    const allowed = await call('POST', '/api/org/simulate', {
      token: admin,
      body: { principal: 'u-demoauditor', action: 'portal:GetReport', resource: '*' },
    });

    expect(simulated.status).toBe(200);
    expect(simulated.body.decision).toBe('ExplicitDeny');
    expect(simulated.body.matchedStatements).toContainEqual(
      expect.objectContaining({ policy: 'DenyAgreementChangesInSandbox', sid: 'NoAgreementsOrEvidenceInSandbox' }),
    );
    expect(allowed.body.decision).toBe('Allow');
  });

  it('reports credentials per user and analyzes who can act', async () => {
    const { call, clock } = await signedIn();
    clock.advance(3 * 86_400_000);
    const admin = (
      await call('POST', '/api/session', {
        body: {
          email: 'admin@example.com',
          password: passwords['admin@example.com'],
          totp: codeAt(demoAdminTotpSecret, clock),
        },
      })
    ).body.token as string;

    const report = await call('GET', '/api/org/credential-report', { token: admin });
    const analysis = await call(
      'GET',
      `/api/org/access-analysis?action=portal:AcceptAgreement&resource=${encodeURIComponent('arn:portal:o-examplecorp:333333333333:agreement/agr-baa')}`,
      { token: admin },
    );

    expect(report.status).toBe(200);
    const byEmail = Object.fromEntries(report.body.items.map((row: { email: string }) => [row.email, row]));
    expect(Object.keys(byEmail).sort()).toEqual(['admin@example.com', 'auditor@example.com', 'engineer@example.com']);
    expect(byEmail['admin@example.com']).toMatchObject({ mfaEnabled: true, passwordAgeDays: 3, activeSessions: 1 });
    expect(byEmail['engineer@example.com'].activeSessions).toBe(0);
    expect(byEmail['auditor@example.com']).toMatchObject({ mfaEnabled: false, lastSignInAt: null });
    expect(byEmail['engineer@example.com'].lastSignInAt).toBe('2026-03-02T09:00:00.000Z');
    expect(analysis.body.items.map((p: { id: string }) => p.id).sort()).toEqual([
      'role-complianceofficer',
      'u-demoadmin',
    ]);
  });

  it('invites a user whose link sets the first password; extra fields are refused', async () => {
    const { call, admin, logger, outbox } = await signedIn();

    const invited = await call('POST', '/api/org/users', {
      token: admin,
      body: { email: 'external.auditor@audit.example', displayName: 'Ext Auditor', accountId: '333333333333' },
    });
    const mail = logger.lines.find((line) => line.message.startsWith('email'));
    const token = /token=([A-Za-z0-9_-]+)/.exec(outbox.at(-1)?.text ?? '')?.[1] ?? '';
    const weak = await call('POST', '/api/session/password', { body: { token, newPassword: 'qwerty' } });
    const set = await call('POST', '/api/session/password', { body: { token, newPassword: 'Lumen-Quartz-Ridge-64' } });
    const reused = await call('POST', '/api/session/password', {
      body: { token, newPassword: 'Lumen-Quartz-Ridge-65' },
    });
    const signIn = await call('POST', '/api/session', {
      body: {
        organization: 'o-examplecorp',
        email: 'external.auditor@audit.example',
        password: 'Lumen-Quartz-Ridge-64',
      },
    });
    // Prototype keys never become tag keys (a `constructor` tag answered 500, `__proto__` vanished).
    const reservedTags = await Promise.all(
      ['constructor', '__proto__', 'prototype'].map((key) =>
        call('POST', '/api/org/users', {
          token: admin,
          body: {
            email: `tags.${key}@example.com`,
            displayName: 'Tags',
            accountId: '333333333333',
            tags: { [key]: 'x' },
          },
        }),
      ),
    );
    const smuggled = await call('POST', '/api/org/units', {
      token: admin,
      body: { name: 'X', parentId: 'r-examplecorp', orgId: 'o-other' },
    });

    expect(invited.status).toBe(201);
    expect(invited.body.status).toBe('invited');
    expect(weak.status).toBe(400);
    expect(set.status).toBe(204);
    expect(reused.status).toBe(404);
    expect(signIn.status).toBe(201);
    expect(smuggled.status).toBe(400);
    expect(reservedTags.map((r) => [r.status, r.body.errors?.[0]?.path])).toEqual([
      [400, 'body.tags.constructor'],
      [400, 'body.tags.__proto__'],
      [400, 'body.tags.prototype'],
    ]);
    expect(String(mail?.fields.text)).toContain('#token=[redacted]');
    expect(String(mail?.fields.text)).not.toContain(token);
  });
});

describe('time-boxed role grants', () => {
  it('lets an invited auditor assume a role until the grant ends, then refuses at once', async () => {
    const { call, admin, clock, ledger } = await signedIn();
    const role = await call('POST', '/api/org/roles', {
      token: admin,
      body: { name: 'ExternalAudit', trust: {} },
    });
    await call('POST', '/api/org/attachments', {
      token: admin,
      body: { targetType: 'role', targetId: role.body.roleId, policy: 'AuditorReadOnly' },
    });
    const grant = await call('POST', `/api/org/roles/${role.body.roleId}/grants`, {
      token: admin,
      body: { userId: 'u-demoengineer', expiresAt: '2026-03-02T11:00:00Z' },
    });
    const engineer = async () =>
      (
        await call('POST', '/api/session', {
          body: { email: 'engineer@example.com', password: passwords['engineer@example.com'] },
        })
      ).body.token as string;

    const during = await call('POST', '/api/session/role', {
      token: await engineer(),
      body: { roleId: role.body.roleId },
    });
    const usersDuring = await call('GET', '/api/org/users', { token: during.body.token });
    clock.set(new Date('2026-03-02T11:00:00Z'));
    const usersAfter = await call('GET', '/api/org/users', { token: during.body.token });
    const after = await call('POST', '/api/session/role', {
      token: await engineer(),
      body: { roleId: role.body.roleId },
    });

    expect(grant.status).toBe(201);
    expect(during.status).toBe(201);
    expect(during.body.expiresAt).toBe('2026-03-02T10:00:00.000Z');
    expect(usersDuring.status).toBe(200);
    expect(usersAfter.status).toBe(401);
    expect(after.status).toBe(403);
    expect(after.body.code).toBe('role_not_trusted');
    expect(ledger.entries.filter((e) => e.action === 'access:GrantExpired').map((e) => e.details)).toEqual([
      { userId: 'u-demoengineer', expiredAt: '2026-03-02T11:00:00.000Z' },
    ]);
  });
});
