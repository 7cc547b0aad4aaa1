import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Authorizer, ManualClock } from '@evidence-portal/core';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.js';
import { allowAllAuthorizer, asPrincipal } from '../support/principal.js';
import { auditorA, auditorB, colleagueA, publishReport } from './report-fixtures.js';

const artifacts = join(import.meta.dirname, '../artifacts');

async function setup(overrides: { authorizer?: Authorizer } = {}) {
  const clock = new ManualClock(new Date('2026-05-01T09:00:00Z'));
  const { app, deps, tableName } = await createTestApp({
    overrides: { authorizer: allowAllAuthorizer, clock, ...overrides },
  });
  const published = await publishReport(deps);
  const base = `/api/reports/${published.report.id}/versions/${published.version.version}`;
  return { app, deps, clock, published, base, tableName };
}

async function acceptAs(app: ReturnType<typeof asPrincipal>, base: string, revisionId: string) {
  const response = await app.request(`${base}/terms/acceptances`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'vitest-auditor' },
    body: JSON.stringify({ revisionId }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { termToken: string; expiresAt: string; acceptanceId: string };
}

describe('report terms and term tokens', () => {
  it('refuses a download without a token with a 403 naming the terms to accept', async () => {
    const { app, published, base } = await setup();
    const ana = asPrincipal(app, auditorA);

    const response = await ana.request(`${base}/download`);

    expect(response.status).toBe(403);
    const body = (await response.json()) as { code: string; detail: string };
    expect(body.code).toBe('terms_not_accepted');
    expect(body.detail).toContain(published.terms.title);
    expect(body.detail).toContain(published.terms.revisionId);
  });

  it('shows the terms, refuses a stale revision with 409 and issues a 15-minute token', async () => {
    const { app, published, base } = await setup();
    const ana = asPrincipal(app, auditorA);

    const terms = await ana.request(`${base}/terms`);
    const stale = await ana.request(`${base}/terms/acceptances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ revisionId: 'tr-OLD' }),
    });
    const token = await acceptAs(ana, base, published.terms.revisionId);

    expect(await terms.json()).toMatchObject({
      revisionId: published.terms.revisionId,
      sha256: published.terms.sha256,
      acceptanceType: 'EXPLICIT',
      accepted: false,
    });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { code: string }).code).toBe('terms_revision_stale');
    expect(Date.parse(token.expiresAt) - Date.parse('2026-05-01T09:00:00Z')).toBe(15 * 60 * 1000);
  });

  it('refuses a token of another user or another report with 403, an expired one with 403, a reused one with 409', async () => {
    const { app, deps, clock, published, base } = await setup();
    const other = await publishReport(deps, { name: 'Example Cloud ISO 27001', category: 'ISO', series: 'ISO 27001' });
    const ana = asPrincipal(app, auditorA);
    const carl = asPrincipal(app, colleagueA);
    const token = await acceptAs(ana, base, published.terms.revisionId);
    const otherBase = `/api/reports/${other.report.id}/versions/1`;

    const byColleague = await carl.request(`${base}/download?termToken=${token.termToken}`);
    const forOtherReport = await ana.request(`${otherBase}/download?termToken=${token.termToken}`);
    const first = await ana.request(`${base}/download?termToken=${token.termToken}`);
    const reused = await ana.request(`${base}/download?termToken=${token.termToken}`);
    const late = await acceptAs(ana, base, published.terms.revisionId);
    clock.advance(15 * 60 * 1000 + 1);
    const expired = await ana.request(`${base}/download?termToken=${late.termToken}`);

    expect(byColleague.status).toBe(403);
    expect(((await byColleague.json()) as { code: string }).code).toBe('term_token_invalid');
    expect(forOtherReport.status).toBe(403);
    expect(first.status).toBe(200);
    expect(reused.status).toBe(409);
    expect(((await reused.json()) as { code: string; detail: string }).code).toBe('term_token_used');
    expect(expired.status).toBe(403);
    expect(((await expired.json()) as { code: string }).code).toBe('term_token_expired');
  });

  it('keeps one acceptance while it stands and records a new one after the re-acceptance period', async () => {
    const clock = new ManualClock(new Date('2026-05-01T09:00:00Z'));
    const { app, deps } = await createTestApp({ overrides: { authorizer: allowAllAuthorizer, clock } });
    const published = await publishReport(deps, { reacceptAfterDays: 365 });
    const base = `/api/reports/${published.report.id}/versions/1`;
    const ana = asPrincipal(app, auditorA);

    const first = await acceptAs(ana, base, published.terms.revisionId);
    const again = await acceptAs(ana, base, published.terms.revisionId);
    clock.advance(366 * 86_400_000);
    const afterYear = await acceptAs(ana, base, published.terms.revisionId);
    const old = await ana.request(`/api/report-acceptances/${first.acceptanceId}`);

    expect(again.acceptanceId).toBe(first.acceptanceId);
    expect(afterYear.acceptanceId).not.toBe(first.acceptanceId);
    expect(old.status).toBe(200);
    expect(await old.json()).toMatchObject({
      acceptanceId: first.acceptanceId,
      userId: auditorA.userId,
      revisionId: published.terms.revisionId,
      termsSha256: published.terms.sha256,
      userAgent: 'vitest-auditor',
    });
  });
});

describe('watermarked download', () => {
  it('streams a PDF with the email and download id on every page, valid for qpdf, rendered with the mark', async () => {
    const { app, published, base } = await setup();
    const ana = asPrincipal(app, auditorA);
    const token = await acceptAs(ana, base, published.terms.revisionId);

    const response = await ana.request(`${base}/download?termToken=${token.termToken}`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const downloadId = response.headers.get('x-download-id') ?? '';
    expect(downloadId).toMatch(/^dl-/);
    const dir = mkdtempSync(join(tmpdir(), 'report-download-'));
    const path = join(dir, 'copy.pdf');
    writeFileSync(path, new Uint8Array(await response.arrayBuffer()));
    const pages = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1);
    expect(pages).toHaveLength(published.version.pageCount ?? 0);
    for (const page of pages) {
      expect(page).toContain(auditorA.email);
      expect(page).toContain(downloadId);
    }
    expect(execFileSync('qpdf', ['--check', path], { encoding: 'utf8' })).toContain(
      'No syntax or stream encoding errors',
    );
    mkdirSync(artifacts, { recursive: true });
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '50',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      path,
      join(artifacts, 'download-page-1'),
    ]);
  });

  it('lets one token yield exactly one download under concurrent requests', async () => {
    const { app, published, base } = await setup();
    const ana = asPrincipal(app, auditorA);
    const token = await acceptAs(ana, base, published.terms.revisionId);

    const responses = await Promise.all(
      Array.from({ length: 4 }, () => ana.request(`${base}/download?termToken=${token.termToken}`)),
    );

    expect(responses.map((response) => response.status).sort()).toEqual([200, 409, 409, 409]);
    const mine = (await (await ana.request('/api/downloads')).json()) as { items: unknown[] };
    expect(mine.items).toHaveLength(1);
  });

  it('redirects to a short-lived URL of the stored watermarked copy outside local stages (the AWS path)', async () => {
    const first = await setup();
    const { app } = await createTestApp({
      tableName: first.tableName,
      overrides: { ...first.deps, settings: { ...first.deps.settings, stage: 'sandbox' } },
    });
    const ana = asPrincipal(app, auditorA);
    const token = await acceptAs(ana, first.base, first.published.terms.revisionId);

    const response = await ana.request(`${first.base}/download?termToken=${token.termToken}`);
    const location = response.headers.get('location') ?? '';
    const copy = await fetch(location);
    const bytes = new Uint8Array(await copy.arrayBuffer());

    expect(response.status).toBe(302);
    expect(location).toContain('X-Amz-Expires=60');
    expect(copy.status).toBe(200);
    expect((await PDFDocument.load(bytes)).getKeywords()).toMatch(/download:dl-/);
  });

  it('resolves the download id back to who, when, which version and terms (trace-back) and lists my downloads', async () => {
    const { app, published, base } = await setup();
    const ana = asPrincipal(app, auditorA);
    const token = await acceptAs(ana, base, published.terms.revisionId);
    const download = await ana.request(`${base}/download?termToken=${token.termToken}`);
    const downloadId = download.headers.get('x-download-id') ?? '';

    const trace = await ana.request(`/api/downloads/${downloadId}`);
    const mine = await ana.request('/api/downloads');

    expect(trace.status).toBe(200);
    expect(await trace.json()).toMatchObject({
      download: {
        downloadId,
        userId: auditorA.userId,
        email: auditorA.email,
        accountId: auditorA.accountId,
        reportId: published.report.id,
        version: 1,
        termsRevisionId: published.terms.revisionId,
        acceptanceId: token.acceptanceId,
        downloadedAt: '2026-05-01T09:00:00.000Z',
      },
      acceptance: { acceptanceId: token.acceptanceId, revisionId: published.terms.revisionId },
    });
    const list = (await mine.json()) as { items: Array<{ downloadId: string }> };
    expect(list.items.map((item) => item.downloadId)).toEqual([downloadId]);
  });

  it('records acceptance, download and publish in the ledger with category and series', async () => {
    const { app, deps, published, base } = await setup();
    const ana = asPrincipal(app, auditorA);
    const token = await acceptAs(ana, base, published.terms.revisionId);
    await ana.request(`${base}/download?termToken=${token.termToken}`);

    const customer = await deps.ledger.list(auditorA.orgId);
    const publisher = await deps.ledger.list('o-operator');

    expect(customer.items.map((entry) => entry.action).sort()).toEqual(['report:Downloaded', 'report:TermsAccepted']);
    expect(customer.items[0]?.details).toMatchObject({ category: 'SOC', series: 'SOC 2 Type II' });
    expect(publisher.items.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['report:Published', 'report:VersionPublished']),
    );
  });

  it('hides one org’s downloads and acceptances from another org (404, like missing)', async () => {
    const { app, published, base } = await setup();
    const ana = asPrincipal(app, auditorA);
    const bea = asPrincipal(app, auditorB);
    const token = await acceptAs(ana, base, published.terms.revisionId);
    const download = await ana.request(`${base}/download?termToken=${token.termToken}`);
    const downloadId = download.headers.get('x-download-id') ?? '';

    const trace = await bea.request(`/api/downloads/${downloadId}`);
    const acceptance = await bea.request(`/api/report-acceptances/${token.acceptanceId}`);
    const missing = await bea.request('/api/downloads/dl-01JQ0000000000000000000000');
    const beaList = (await (await bea.request('/api/downloads')).json()) as { items: unknown[] };
    const beaToken = await bea.request(`${base}/download?termToken=${token.termToken}`);

    expect(trace.status).toBe(404);
    expect(acceptance.status).toBe(404);
    expect(await trace.json()).toMatchObject({ code: 'not_found' });
    expect(missing.status).toBe(404);
    expect(beaList.items).toEqual([]);
    expect(beaToken.status).toBe(403);
  });
});

describe('catalog authorization by category', () => {
  it('lists and serves only the categories a policy allows', async () => {
    const socOnly: Authorizer = {
      async authorize(_principal, _action, _resource, context) {
        const category = context?.['portal:ReportCategory'];
        return category === undefined || category === 'SOC'
          ? { decision: 'Allow', reason: 'SOC only', matchedStatements: [] }
          : { decision: 'ImplicitDeny', reason: 'only SOC reports are allowed', matchedStatements: [] };
      },
    };
    const { app, deps } = await createTestApp({ overrides: { authorizer: socOnly } });
    const soc = await publishReport(deps, { name: 'SOC 2 report', category: 'SOC' });
    const pci = await publishReport(deps, { name: 'PCI DSS AOC', category: 'PCI', series: 'PCI DSS v4.0' });
    const ana = asPrincipal(app, auditorA);

    const list = (await (await ana.request('/api/reports')).json()) as { items: Array<{ id: string }> };
    const pciDetail = await ana.request(`/api/reports/${pci.report.id}`);
    const pciTerms = await ana.request(`/api/reports/${pci.report.id}/versions/1/terms`);
    const socDetail = await ana.request(`/api/reports/${soc.report.id}`);

    expect(list.items.map((item) => item.id)).toEqual([soc.report.id]);
    expect(pciDetail.status).toBe(403);
    expect(pciTerms.status).toBe(403);
    expect(socDetail.status).toBe(200);
  });
});
