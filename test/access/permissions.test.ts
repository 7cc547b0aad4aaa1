import { describe, expect, it } from 'vitest';
import { demoAdminTotpSecret, exampleCorpSeed, seedOrganization } from '../../packages/cli/src/demo-seed.js';
import { accessTestApp, codeAt, requester } from './directory-test-kit.js';

const passwords = Object.fromEntries(exampleCorpSeed.users.map((u) => [u.email, u.password]));

async function demoApp() {
  const made = await accessTestApp();
  await seedOrganization(made.deps, exampleCorpSeed);
  const call = requester(made.app);
  const signIn = async (email: string, totpSecret?: string) => {
    const body = {
      email,
      password: passwords[email],
      ...(totpSecret ? { totp: codeAt(totpSecret, made.clock) } : {}),
    };
    return (await call('POST', '/api/session', { body })).body.token as string;
  };
  return { ...made, call, signIn };
}

const questions = [
  { action: 'portal:ManageOrganization', resource: 'arn:portal:{orgId}::organization' },
  { action: 'portal:ListReports', resource: 'arn:portal:{orgId}:{accountId}:report/*' },
  { action: 'portal:AcceptAgreement', resource: 'arn:portal:{orgId}:{accountId}:agreement/agr-baa' },
];

describe('POST /api/permissions', () => {
  it('answers each question with the decision the routes would get, filled in for the caller', async () => {
    const { call, signIn } = await demoApp();
    const admin = await signIn('admin@example.com', demoAdminTotpSecret);
    const engineer = await signIn('engineer@example.com');

    const asAdmin = await call('POST', '/api/permissions', { token: admin, body: { questions } });
    const asEngineer = await call('POST', '/api/permissions', { token: engineer, body: { questions } });
    const engineerGate = await call('POST', '/api/org/units', { token: engineer, body: { name: 'X' } });

    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.items.map((a: { allowed: boolean }) => a.allowed)).toEqual([true, true, true]);
    expect(asAdmin.body.items[0].resource).toBe('arn:portal:o-examplecorp::organization');
    expect(asEngineer.body.items.map((a: { decision: string }) => a.decision)).toEqual([
      'ImplicitDeny',
      'Allow',
      'ExplicitDeny', // the Sandbox OU's guardrail
    ]);
    expect(asEngineer.body.items[1].resource).toBe('arn:portal:o-examplecorp:555555555555:report/*');
    // The route itself agrees with the answer.
    expect(engineerGate.status).toBe(403);
  });

  it('records nothing in the ledger, where the same denial by a route is recorded', async () => {
    const { call, signIn, ledger } = await demoApp();
    const engineer = await signIn('engineer@example.com');
    const before = ledger.entries.length;

    const asked = await call('POST', '/api/permissions', { token: engineer, body: { questions } });
    const afterQuestion = ledger.entries.length;
    await call('POST', '/api/org/units', { token: engineer, body: { name: 'X' } });

    expect(asked.status).toBe(200);
    expect(afterQuestion).toBe(before);
    expect(ledger.entries.slice(afterQuestion).map((e) => e.action)).toEqual(['access:Denied']);
  });

  it('answers for an assumed role with only its permissions, and uses the report condition keys', async () => {
    const { call, signIn } = await demoApp();
    const auditor = await signIn('auditor@example.com');
    const role = await call('POST', '/api/session/role', {
      token: auditor,
      body: { roleId: 'role-complianceofficer' },
    });
    const roleToken = role.body.token as string;
    const roleQuestions = [
      { action: 'portal:AcceptAgreement', resource: 'arn:portal:{orgId}:{accountId}:agreement/agr-baa' },
      { action: 'portal:ReadLedger', resource: 'arn:portal:{orgId}::ledger' },
      {
        action: 'portal:DownloadReport',
        resource: 'arn:portal:{orgId}:{accountId}:report/rpt-1',
        context: { 'portal:ReportCategory': 'SOC', 'portal:ReportSeries': 'SOC 2' },
      },
    ];

    const answered = await call('POST', '/api/permissions', { token: roleToken, body: { questions: roleQuestions } });

    expect(answered.status).toBe(200);
    expect(answered.body.items.map((a: { allowed: boolean }) => a.allowed)).toEqual([true, false, true]);
  });

  it('refuses anonymous callers, unknown actions, other placeholders and too many questions', async () => {
    const { call, signIn } = await demoApp();
    const engineer = await signIn('engineer@example.com');
    const many = Array.from({ length: 51 }, () => questions[0]);

    const anonymous = await call('POST', '/api/permissions', { body: { questions } });
    const unknown = await call('POST', '/api/permissions', {
      token: engineer,
      body: { questions: [{ action: 'portal:DoEverything', resource: '*' }] },
    });
    const placeholder = await call('POST', '/api/permissions', {
      token: engineer,
      body: { questions: [{ action: 'portal:GetReport', resource: 'arn:portal:{orgId}::report/{id}' }] },
    });
    const tooMany = await call('POST', '/api/permissions', { token: engineer, body: { questions: many } });

    expect(anonymous.status).toBe(401);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('body.questions.0.action');
    expect(placeholder.status).toBe(400);
    expect(placeholder.body.errors[0].path).toBe('body.questions.0.resource');
    expect(tooMany.status).toBe(400);
  });
});
