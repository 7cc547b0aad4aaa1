import { describe, expect, it } from 'vitest';
import { agreementFixture, memberAccount, operator } from '../../../../test/agreements/agreement-fixture.js';
import { ValidationError } from '../errors.js';
import { publisherGrantItem } from '../reports/publisher-grants.js';
import { sha256Hex } from '../sha256.js';

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

  it('follows the reports model: a publisher grant, revisions only from the publishing organization (issue 15.1)', async () => {
    const f = await agreementFixture();
    await f.createOrg();
    // A customer admin whose own policy allows portal:PublishAgreement (the allow-all authorizer here) is
    // still not a publisher: the grant is the catalog's, not the customer's.
    const customerAdmin = f.caller();
    const operatorAdmin = f.caller({ orgId: 'o-operator', userId: 'u-operator' });
    await f.store.put(publisherGrantItem({ orgId: 'o-operator', operator: true, companies: [] }));
    const { agreement } = await f.publishBaa();

    const created = await f.service
      .create(customerAdmin, { name: 'Fake BAA', type: 'BAA', subjects: ['account'] })
      .catch((e: unknown) => e);
    const revised = await f.service
      .publishRevision(customerAdmin, {
        agreementId: agreement.agreementId,
        effectiveDate: '2026-02-01',
        markdown: 'Hijacked.',
      })
      .catch((e: unknown) => e);
    const byPublisher = await f.service.create(operatorAdmin, { name: 'DPA', type: 'DPA', subjects: ['account'] });
    // The BAA's publisher is o-operator (the fixture publishes it as the operator's trusted code).
    const ownRevision = await f.service.publishRevision(operatorAdmin, {
      agreementId: agreement.agreementId,
      effectiveDate: '2026-02-01',
      markdown: 'Revision 2.',
    });

    expect(created).toMatchObject({ code: 'not_a_publisher' });
    expect(revised).toMatchObject({ code: 'not_the_publisher' });
    expect(ownRevision.format).toBe('markdown');
    const otherPublisher = f.caller({ orgId: 'o-vendor', userId: 'u-vendor' });
    await f.store.put(publisherGrantItem({ orgId: 'o-vendor', operator: false, companies: ['Vendor'] }));
    const vendorRevision = await f.service
      .publishRevision(otherPublisher, {
        agreementId: byPublisher.agreementId,
        effectiveDate: '2026-02-01',
        markdown: 'x',
      })
      .catch((e: unknown) => e);
    expect(vendorRevision).toMatchObject({ code: 'not_the_publisher' });
  });

  it('caps a revision body and checks a pdf revision sha256 against the uploaded bytes (issue 15.1)', async () => {
    const f = await agreementFixture();
    const { agreement } = await f.publishBaa();
    const id = agreement.agreementId;
    const pdf = new TextEncoder().encode('%PDF-1.7 the agreement text');
    await f.blobs.put('reports', `agreements/${id}/rev-2.pdf`, pdf);
    await f.blobs.put('reports', 'reports/rpt-1/v1/original.pdf', pdf);

    const tooLong = await f.service
      .publishRevision(operator, { agreementId: id, effectiveDate: '2026-02-01', markdown: 'é'.repeat(70_000) })
      .catch((e: unknown) => e);
    const wrongDigest = await f.service
      .publishRevision(operator, {
        agreementId: id,
        effectiveDate: '2026-02-01',
        pdf: { blobKey: `agreements/${id}/rev-2.pdf`, sha256: '0'.repeat(64) },
      })
      .catch((e: unknown) => e);
    const notUploaded = await f.service
      .publishRevision(operator, {
        agreementId: id,
        effectiveDate: '2026-02-01',
        pdf: { blobKey: `agreements/${id}/none.pdf`, sha256: sha256Hex(pdf) },
      })
      .catch((e: unknown) => e);
    const someoneElsesObject = await f.service
      .publishRevision(operator, {
        agreementId: id,
        effectiveDate: '2026-02-01',
        pdf: { blobKey: 'reports/rpt-1/v1/original.pdf', sha256: sha256Hex(pdf) },
      })
      .catch((e: unknown) => e);
    const published = await f.service.publishRevision(operator, {
      agreementId: id,
      effectiveDate: '2026-02-01',
      pdf: { blobKey: `agreements/${id}/rev-2.pdf`, sha256: sha256Hex(pdf) },
    });

    const paths = (error: unknown) => (error as ValidationError).errors.map((e) => e.path);
    expect(tooLong).toBeInstanceOf(ValidationError);
    expect(paths(tooLong)).toEqual(['markdown']);
    expect(paths(wrongDigest)).toEqual(['pdf.sha256']);
    expect(paths(notUploaded)).toEqual(['pdf.blobKey']);
    expect(paths(someoneElsesObject)).toEqual(['pdf.blobKey']);
    expect(published).toMatchObject({ format: 'pdf', sha256: sha256Hex(pdf) });
  });
});
