import { describe, expect, it } from 'vitest';
import { agreementFixture, memberAccount, operator } from '../../../../test/agreements/agreement-fixture.js';
import { ValidationError } from '../errors.js';

const day = 86_400_000;

describe('publishRevision (use case, in memory)', () => {
  it('marks acceptances outdated, tells the organization, and keeps the old record on re-acceptance', async () => {
    const f = await agreementFixture();
    await f.createOrg();
    const { agreement, revision } = await f.publishBaa();
    const id = agreement.agreementId;
    const first = await f.service.accept(f.caller(), {
      agreementId: id,
      scope: 'organization',
      revisionId: revision.revisionId,
    });
    f.advance(day);

    const second = await f.service.publishRevision(operator, {
      agreementId: id,
      effectiveDate: '2026-03-01',
      markdown: 'Revision 2.',
    });
    const outdated = await f.service.acceptance(f.caller(), { agreementId: id, acceptanceId: first.acceptanceId });
    const stillCovered = await f.coverageOf(memberAccount, id);
    const notice = (await f.entries()).filter((entry) => entry.action === 'agreement:RevisionPublished');
    f.advance(day);
    const reaccepted = await f.service.accept(f.caller(), {
      agreementId: id,
      scope: 'organization',
      revisionId: second.revisionId,
    });
    const history = await f.service.history(f.caller(), { agreementId: id });

    expect(outdated).toMatchObject({ status: 'active', revisionOutdated: true, latestRevisionId: second.revisionId });
    expect(stillCovered).toMatchObject({ covered: true, revisionId: revision.revisionId, revisionOutdated: true });
    expect(notice).toHaveLength(1);
    expect(notice[0]?.details).toMatchObject({
      revisionId: second.revisionId,
      previousRevisionId: revision.revisionId,
      outdatedAcceptances: [{ acceptanceId: first.acceptanceId, scope: 'organization' }],
    });
    expect(history.map((h) => [h.acceptanceId, h.status, h.revisionId])).toEqual([
      [reaccepted.acceptanceId, 'active', second.revisionId],
      [first.acceptanceId, 'superseded', revision.revisionId],
    ]);
  });

  it('takes exactly one of markdown or a PDF, with a real date', async () => {
    const f = await agreementFixture();
    const { agreement } = await f.publishBaa();
    const refusal = (input: { effectiveDate: string; markdown?: string }) =>
      f.service.publishRevision(operator, { agreementId: agreement.agreementId, ...input }).catch((e: unknown) => e);
    const noText = await refusal({ effectiveDate: '2026-02-01' });
    const badDate = await refusal({ effectiveDate: '2026-02-30x', markdown: 'text' });

    expect(noText).toBeInstanceOf(ValidationError);
    expect((noText as ValidationError).errors).toEqual([
      { path: 'markdown', message: 'give exactly one of markdown or pdf' },
    ]);
    expect((badDate as ValidationError).errors.map((e) => e.path)).toEqual(['effectiveDate']);
  });
});
