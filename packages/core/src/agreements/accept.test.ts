import { describe, expect, it } from 'vitest';
import {
  agreementFixture,
  managementAccount,
  memberAccount,
  operator,
} from '../../../../test/agreements/agreement-fixture.js';
import type { Authorizer } from '../access/principal.js';
import { ConflictError, ForbiddenError, ValidationError } from '../errors.js';

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => error,
  );

/** Records every question and answers Allow, except for the resources in `deny`. */
function recordingAuthorizer(deny: string[] = []) {
  const asked: string[] = [];
  const authorizer: Authorizer = {
    async authorize(_principal, action, resource) {
      asked.push(`${action} ${resource}`);
      return deny.includes(resource)
        ? { decision: 'ExplicitDeny', reason: 'denied by the test', matchedStatements: [] }
        : { decision: 'Allow', reason: 'allowed by the test', matchedStatements: [] };
    },
  };
  return { asked, authorizer };
}

describe('accept (use case, in memory)', () => {
  it('asks authorize once, for the exact target: the caller’s account, another account, or the organization', async () => {
    const { asked, authorizer } = recordingAuthorizer();
    const f = await agreementFixture({ authorizer });
    await f.createOrg([memberAccount]);
    const { agreement, revision } = await f.publishBaa();
    const id = agreement.agreementId;
    asked.length = 0;

    await f.service.accept(f.caller(), { agreementId: id, scope: 'account', revisionId: revision.revisionId });
    await f.service.terminate(f.caller(), { agreementId: id, scope: 'account' });
    await f.service.accept(f.caller(), {
      agreementId: id,
      scope: 'account',
      accountId: memberAccount,
      revisionId: revision.revisionId,
    });
    await f.service.accept(f.caller(), { agreementId: id, scope: 'organization', revisionId: revision.revisionId });

    expect(asked).toEqual([
      `portal:AcceptAgreement arn:portal:${f.orgId}:${managementAccount}:agreement/${id}`,
      `portal:TerminateAgreement arn:portal:${f.orgId}:${managementAccount}:agreement/${id}`,
      `portal:AcceptAgreement arn:portal:${f.orgId}:${memberAccount}:agreement/${id}`,
      `portal:AcceptAgreement arn:portal:${f.orgId}::agreement/${id}`,
    ]);
  });

  it('refuses a denied target before anything is read or written (403 explicit_deny naming the resource)', async () => {
    const denied = 'arn:portal:o-customer::agreement/agr-x';
    const { authorizer } = recordingAuthorizer([denied]);
    const f = await agreementFixture({ authorizer });
    await f.createOrg();
    await f.service.create(operator, { agreementId: 'agr-x', name: 'BAA', type: 'BAA', subjects: ['organization'] });

    const outcome = await refusal(
      f.service.accept(f.caller(), { agreementId: 'agr-x', scope: 'organization', revisionId: 'rev-1' }),
    );

    expect(outcome).toBeInstanceOf(ForbiddenError);
    expect(outcome).toMatchObject({ code: 'explicit_deny', message: expect.stringContaining(denied) });
    expect((await f.entries()).filter((entry) => entry.action === 'agreement:Accepted')).toEqual([]);
  });

  it('refuses without MFA, from a member account for org scope, and for a revision that is not the latest', async () => {
    const f = await agreementFixture();
    await f.createOrg();
    const { agreement, revision } = await f.publishBaa();
    const input = {
      agreementId: agreement.agreementId,
      scope: 'organization' as const,
      revisionId: revision.revisionId,
    };

    const noMfa = await refusal(f.service.accept(f.caller({ mfaPresent: false }), input));
    const fromMember = await refusal(f.service.accept(f.caller({ accountId: memberAccount }), input));
    f.advance(1000);
    const second = await f.service.publishRevision(operator, {
      agreementId: agreement.agreementId,
      effectiveDate: '2026-02-01',
      markdown: 'Revision 2.',
    });
    const stale = await refusal(f.service.accept(f.caller(), input));

    expect(noMfa).toBeInstanceOf(ForbiddenError);
    expect(noMfa).toMatchObject({ code: 'mfa_required', message: expect.stringMatching(/MFA/) });
    expect(fromMember).toMatchObject({
      code: 'management_account_required',
      message: expect.stringMatching(/management account/),
    });
    expect(stale).toBeInstanceOf(ConflictError);
    expect(stale).toMatchObject({ code: 'revision_not_latest', message: expect.stringContaining(second.revisionId) });
    expect((await f.entries()).filter((entry) => entry.action === 'agreement:Accepted')).toEqual([]);
  });

  it('checks its input against the schema it exports, naming each field (one path convention)', async () => {
    const f = await agreementFixture();
    await f.createOrg();
    const { agreement, revision } = await f.publishBaa();

    const both = await refusal(
      f.service.accept(f.caller(), {
        agreementId: agreement.agreementId,
        scope: 'organization',
        accountId: memberAccount,
        revisionId: revision.revisionId,
      }),
    );
    const malformed = await refusal(
      f.service.accept(f.caller(), {
        agreementId: agreement.agreementId,
        scope: 'account',
        accountId: '12',
        revisionId: revision.revisionId,
      }),
    );

    expect(both).toBeInstanceOf(ValidationError);
    expect((both as ValidationError).errors).toEqual([
      { path: 'accountId', message: 'omit it for organization scope' },
    ]);
    expect((malformed as ValidationError).errors).toEqual([{ path: 'accountId', message: 'must be 12 digits' }]);
  });

  it('records the acceptance with its origin and the actor of the session, and covers accounts that join later', async () => {
    const f = await agreementFixture();
    await f.createOrg([memberAccount]);
    const { agreement, revision } = await f.publishBaa();
    const officer = f.caller(
      { role: { roleId: 'role-officer', name: 'Officer' } },
      { sourceIp: '203.0.113.9', userAgent: 'vitest' },
    );

    const acceptance = await f.service.accept(officer, {
      agreementId: agreement.agreementId,
      scope: 'organization',
      revisionId: revision.revisionId,
    });
    f.advance(1000);
    await f.addAccount('100000000007');

    const [entry] = (await f.entries()).filter((e) => e.action === 'agreement:Accepted');
    expect(entry?.actor).toMatchObject({ type: 'role-session', id: 'u-test' });
    expect(entry?.details).toMatchObject({
      acceptanceId: acceptance.acceptanceId,
      sourceIp: '203.0.113.9',
      userAgent: 'vitest',
    });
    expect(acceptance).toMatchObject({ status: 'active', acceptedBy: { role: 'Officer' }, sourceIp: '203.0.113.9' });
    expect(await f.coverageOf('100000000007', agreement.agreementId)).toMatchObject({
      covered: true,
      via: 'organization',
    });
  });
});
