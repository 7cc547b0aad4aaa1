import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReportService, systemCaller } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.js';
import { allowAllAuthorizer, asPrincipal } from '../support/principal.js';
import { auditorA, operator, publishReport, samplePdf } from './report-fixtures.js';

const maxReportBytes = 200_000;

async function setup() {
  const first = await createTestApp({ overrides: { authorizer: allowAllAuthorizer } });
  // The same table and ledger, with a small size limit so "oversize" is cheap to produce.
  const reports = new ReportService({ ...first.deps, maxReportBytes });
  const { app, deps } = await createTestApp({
    tableName: first.tableName,
    overrides: { authorizer: allowAllAuthorizer, ledger: first.deps.ledger, reports },
  });
  await reports.grantPublisher({ orgId: operator.orgId, operator: true, companies: [] });
  return { app, deps, publisher: asPrincipal(app, operator), customer: asPrincipal(app, auditorA) };
}

const post = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

async function newReportWithVersion(publisher: ReturnType<typeof asPrincipal>) {
  const terms = (await (
    await publisher.request('/api/report-terms', post({ title: 'Access terms', text: 'Keep it confidential.' }))
  ).json()) as { revisionId: string };
  const created = await publisher.request(
    '/api/reports',
    post({
      name: 'Example Cloud PCI DSS AOC',
      description: 'Attestation of compliance.',
      category: 'PCI',
      series: 'PCI DSS v4.0',
      company: 'Example Cloud',
      thirdParty: false,
    }),
  );
  expect(created.status).toBe(201);
  const report = (await created.json()) as { id: string; sequence: number };
  const version = await publisher.request(
    `/api/reports/${report.id}/versions`,
    post({
      expectedSequence: report.sequence,
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      effectiveDate: '2026-01-15',
      termsRevisionId: terms.revisionId,
      acceptanceType: 'EXPLICIT',
    }),
  );
  expect(version.status).toBe(201);
  const body = (await version.json()) as {
    version: { version: number; uploadState: string };
    upload: { url: string; headers: Record<string, string> };
  };
  return { report, terms, ...body };
}

async function upload(url: string, bytes: Uint8Array) {
  const response = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/pdf' }, body: bytes });
  expect(response.status).toBe(200);
}

describe('publishing a report version', () => {
  it('creates, uploads to the presigned URL, finalizes to COMPLETE and appears in the catalog', async () => {
    const { publisher, customer } = await setup();
    const { report, version, upload: target } = await newReportWithVersion(publisher);
    const before = (await (await customer.request('/api/reports')).json()) as { items: unknown[] };

    await upload(target.url, await samplePdf());
    const finalized = await publisher.request(
      `/api/reports/${report.id}/versions/${version.version}/finalize`,
      post({}),
    );
    const after = (await (await customer.request('/api/reports')).json()) as {
      items: Array<{ id: string; latest: unknown }>;
    };

    expect(version.uploadState).toBe('PROCESSING');
    expect(before.items).toEqual([]);
    expect(finalized.status).toBe(200);
    expect(await finalized.json()).toMatchObject({ uploadState: 'COMPLETE', pageCount: 4, size: expect.any(Number) });
    expect(after.items.map((item) => item.id)).toEqual([report.id]);
    expect(after.items[0]?.latest).toMatchObject({ version: 1, periodEnd: '2025-12-31', effectiveDate: '2026-01-15' });
  });

  it('ends non-PDF, encrypted, truncated and oversize files FAILED with a reason; catalog unchanged, never downloadable', async () => {
    const { publisher, customer, deps } = await setup();
    const good = await publishReport(deps);
    const catalogBefore = await (await customer.request('/api/reports')).text();
    const pdf = await samplePdf();
    const dir = mkdtempSync(join(tmpdir(), 'bad-pdf-'));
    writeFileSync(join(dir, 'plain.pdf'), pdf);
    execFileSync('qpdf', ['--encrypt', 'u', 'o', '256', '--', join(dir, 'plain.pdf'), join(dir, 'enc.pdf')]);
    const oversize = new Uint8Array(maxReportBytes + 1);
    oversize.set(pdf);
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['non-PDF', new TextEncoder().encode('PK\u0003\u0004 a zip, not a pdf'), /Not a PDF/],
      ['encrypted', readFileSync(join(dir, 'enc.pdf')), /encrypted/],
      ['truncated', pdf.subarray(0, Math.floor(pdf.length * 0.6)), /truncated/],
      ['oversize', oversize, /limit/],
    ];

    for (const [name, bytes, reason] of cases) {
      const { report, version, upload: target } = await newReportWithVersion(publisher);
      await upload(target.url, bytes);
      const finalized = await publisher.request(
        `/api/reports/${report.id}/versions/${version.version}/finalize`,
        post({}),
      );
      const body = (await finalized.json()) as { uploadState: string; statusMessage: string };
      expect(body.uploadState, name).toBe('FAILED');
      expect(body.statusMessage, name).toMatch(reason);
      const terms = await customer.request(`/api/reports/${report.id}/versions/1/terms`);
      const download = await customer.request(`/api/reports/${report.id}/versions/1/download`);
      expect(terms.status, name).toBe(404);
      expect(download.status, name).toBe(404);
    }

    expect(await (await customer.request('/api/reports')).text()).toBe(catalogBefore);
    expect(JSON.parse(catalogBefore).items.map((item: { id: string }) => item.id)).toEqual([good.report.id]);
  });

  it('keeps earlier versions downloadable after a new one and refuses a stale sequence with 409', async () => {
    const { publisher, customer, deps } = await setup();
    const first = await publishReport(deps);
    const current = (await (await publisher.request(`/api/reports/${first.report.id}`)).json()) as { sequence: number };
    const second = await deps.reports.createVersion(operator, first.report.id, {
      expectedSequence: current.sequence,
      periodStart: '2026-01-01',
      periodEnd: '2026-06-30',
      effectiveDate: '2026-07-15',
      termsRevisionId: first.terms.revisionId,
      acceptanceType: 'PASSTHROUGH',
    });
    await deps.blobs.put('reports', second.version.fileKey, await samplePdf());
    await deps.reports.finalizeVersion(operator, first.report.id, 2);

    const stale = await publisher.request(`/api/reports/${first.report.id}`, {
      ...post({ expectedSequence: current.sequence, name: 'Renamed' }),
      method: 'PATCH',
    });
    const versions = (await (await customer.request(`/api/reports/${first.report.id}/versions`)).json()) as {
      items: Array<{ version: number; acceptanceType: string }>;
    };
    const detail = (await (await customer.request(`/api/reports/${first.report.id}`)).json()) as {
      latest: { version: number };
    };
    const token = (await (
      await customer.request(
        `/api/reports/${first.report.id}/versions/1/terms/acceptances`,
        post({ revisionId: first.terms.revisionId }),
      )
    ).json()) as { termToken: string };
    const oldCopy = await customer.request(
      `/api/reports/${first.report.id}/versions/1/download?termToken=${token.termToken}`,
    );

    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { code: string }).code).toBe('stale_sequence');
    expect(versions.items.map((item) => item.version)).toEqual([2, 1]);
    expect(detail.latest.version).toBe(2);
    expect(oldCopy.status).toBe(200);
  });

  it('lets the upload-validation job finalize by object key as a system actor (and ignore unknown keys)', async () => {
    const { publisher, deps } = await setup();
    const { report, version, upload: target } = await newReportWithVersion(publisher);
    await upload(target.url, await samplePdf());
    const stored = await deps.reports.getReportVersions(systemCaller(operator.orgId, 'test'), { reportId: report.id });
    const fileKey = stored[0]?.fileKey ?? '';

    const finalized = await deps.reports.finalizeUpload(fileKey);
    const replay = await deps.reports.finalizeUpload(fileKey);
    const unknown = await deps.reports.finalizeUpload('elsewhere/x.pdf');
    const ledger = await deps.ledger.list(operator.orgId, { action: 'report:VersionPublished' });

    expect(finalized).toMatchObject({ version: version.version, uploadState: 'COMPLETE' });
    expect(replay).toBeUndefined();
    expect(unknown).toBeUndefined();
    expect(ledger.items.at(0)?.actor).toMatchObject({ type: 'system', id: 'report-validation' });
  });

  it('lets only publishers publish: an org without a grant is refused, a vendor only for its company', async () => {
    const { deps } = await setup();
    const vendor = { ...auditorA, orgId: 'o-vendor' };
    await deps.reports.grantPublisher({ orgId: 'o-vendor', operator: false, companies: ['Vendor Co'] });

    const noGrant = await deps.reports
      .createReport(auditorA, {
        name: 'x',
        description: '',
        category: 'SOC',
        series: 'SOC 2',
        company: 'Example Cloud',
        thirdParty: true,
      })
      .catch((error: unknown) => error);
    const otherCompany = await deps.reports
      .createReport(vendor, {
        name: 'x',
        description: '',
        category: 'SOC',
        series: 'SOC 2',
        company: 'Example Cloud',
        thirdParty: true,
      })
      .catch((error: unknown) => error);
    const own = await deps.reports.createReport(vendor, {
      name: 'Vendor Co SOC 2',
      description: '',
      category: 'SOC',
      series: 'SOC 2',
      company: 'Vendor Co',
      thirdParty: true,
    });

    expect(noGrant).toMatchObject({ name: 'ForbiddenError', code: 'not_a_publisher' });
    expect(otherCompany).toMatchObject({ name: 'ForbiddenError', code: 'not_a_publisher' });
    expect(own).toMatchObject({ thirdParty: true, publisherOrgId: 'o-vendor' });
  });

  it('serializes concurrent writes: of two versions created from one sequence exactly one wins', async () => {
    const { deps } = await setup();
    const { report, terms } = await publishReport(deps);
    const attempt = () =>
      deps.reports.createVersion(operator, report.id, {
        expectedSequence: report.sequence,
        periodStart: '2026-01-01',
        periodEnd: '2026-06-30',
        effectiveDate: '2026-07-01',
        termsRevisionId: terms.revisionId,
        acceptanceType: 'EXPLICIT',
      });

    const results = await Promise.allSettled([attempt(), attempt()]);

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected');
    expect(rejected?.status === 'rejected' && rejected.reason).toMatchObject({ code: 'stale_sequence' });
  });
});
