import type { AppDeps } from '@evidence-portal/api';
import {
  type AcceptanceType,
  loadPdfTools,
  type NewReport,
  type Principal,
  type Report,
  type ReportService,
  type ReportVersion,
  type TermsRevision,
} from '@evidence-portal/core';
import { testPrincipal } from '../support/principal.js';

export const operator: Principal = testPrincipal({
  orgId: 'o-operator',
  accountId: '999999999999',
  userId: 'u-publisher',
  email: 'publisher@operator.example',
  displayName: 'Pat Publisher',
});

export const auditorA: Principal = testPrincipal({
  orgId: 'o-alpha',
  accountId: '111111111111',
  userId: 'u-ana',
  email: 'ana.auditor@alpha.example',
  displayName: 'Ana Auditor',
});

export const colleagueA: Principal = testPrincipal({
  orgId: 'o-alpha',
  accountId: '111111111111',
  userId: 'u-carl',
  email: 'carl@alpha.example',
  displayName: 'Carl Colleague',
});

export const auditorB: Principal = testPrincipal({
  orgId: 'o-bravo',
  accountId: '222222222222',
  userId: 'u-bea',
  email: 'bea@bravo.example',
  displayName: 'Bea Bravo',
});

let smallPdf: Promise<Uint8Array> | undefined;
/** A short, valid report PDF (generated once per test file). */
export function samplePdf(): Promise<Uint8Array> {
  smallPdf ??= loadPdfTools().then(({ generateDemoReportPdf }) =>
    generateDemoReportPdf({
      title: 'SOC 2 Type II Report',
      company: 'Example Cloud',
      series: 'SOC 2 Type II',
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      pages: 4,
    }),
  );
  return smallPdf;
}

export interface PublishedReport {
  report: Report;
  version: ReportVersion;
  terms: TermsRevision;
}

/** Publishes a report with one COMPLETE version through the service (the upload goes straight to the blob store). */
export async function publishReport(
  deps: Pick<AppDeps, 'blobs'> & { reports: ReportService },
  options: Partial<NewReport> & {
    pdf?: Uint8Array;
    periodEnd?: string;
    acceptanceType?: AcceptanceType;
    terms?: TermsRevision;
    reacceptAfterDays?: number;
  } = {},
): Promise<PublishedReport> {
  const { reports, blobs } = deps;
  await reports.grantPublisher({ orgId: operator.orgId, operator: true, companies: [] });
  const terms =
    options.terms ??
    (await reports.publishTerms(operator, {
      title: 'Example Cloud Report Access Terms',
      text: 'You will keep this report confidential and use it only to assess Example Cloud.',
      ...(options.reacceptAfterDays !== undefined ? { reacceptAfterDays: options.reacceptAfterDays } : {}),
    }));
  const report = await reports.createReport(operator, {
    name: options.name ?? 'Example Cloud SOC 2 Type II',
    description: options.description ?? 'Controls relevant to security and availability.',
    category: options.category ?? 'SOC',
    series: options.series ?? 'SOC 2 Type II',
    company: options.company ?? 'Example Cloud',
    thirdParty: options.thirdParty ?? false,
  });
  const periodEnd = options.periodEnd ?? '2025-12-31';
  const created = await reports.createVersion(operator, report.id, {
    expectedSequence: report.sequence,
    periodStart: `${Number(periodEnd.slice(0, 4)) - 1}${periodEnd.slice(4)}`,
    periodEnd,
    effectiveDate: periodEnd,
    termsRevisionId: terms.revisionId,
    acceptanceType: options.acceptanceType ?? 'EXPLICIT',
  });
  await blobs.put('reports', created.version.fileKey, options.pdf ?? (await samplePdf()), {
    contentType: 'application/pdf',
  });
  const version = await reports.finalizeVersion(operator, report.id, created.version.version);
  return { report: await reports.get(report.id, operator.orgId), version, terms };
}
