import {
  type AuthorizationDecision,
  reportDecision as askAboutReport,
  type DownloadRecord,
  isoDateField,
  type Report,
  type ReportVersion,
  type ReportVersionView,
  type ReportView,
  reportErrors,
  reportIdPattern,
  requireReportAllowed,
  type TermsAcceptance,
  type VersionSummary,
} from '@evidence-portal/core';
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { callerOf } from '../route-kit.js';
import { problemsFor } from '../schemas.js';

const problem = problemsFor([reportErrors]);

export const reportIdParam = z
  .string()
  .regex(reportIdPattern, 'not a report id')
  .openapi({
    param: { name: 'id', in: 'path' },
    example: 'rpt-01jq4x9m2k8d7f6e5c4b3a2z1y',
  });
export const versionParam = z
  .string()
  .regex(/^[1-9]\d{0,5}$/, 'not a version number')
  .openapi({ param: { name: 'v', in: 'path' }, example: '2' });
export const isoDate = isoDateField;
export { json, jsonBody, principalOf } from '../route-kit.js';

export const reportProblems = {
  400: problem(400, 'Invalid input: `errors` lists each problem'),
  401: problem(401, 'No session'),
  403: problem(403, 'Not allowed (the detail says why)'),
  404: problem(404, 'No such report, version or record'),
};
export const reportWriteProblems = {
  ...reportProblems,
  409: problem(409, 'Conflicts with the current state (stale sequence or terms revision, token used)'),
};

const VersionSummarySchema = z.object({
  version: z.number().int(),
  periodStart: z.string(),
  periodEnd: z.string(),
  effectiveDate: z.string(),
  acceptanceType: z.enum(['EXPLICIT', 'PASSTHROUGH']),
  termsRevisionId: z.string(),
  pageCount: z.number().int(),
  publishedAt: z.string(),
});

export const ReportSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    category: z.string(),
    series: z.string(),
    company: z.string(),
    thirdParty: z.boolean(),
    state: z.enum(['PUBLISHED', 'UNPUBLISHED']),
    publisherOrgId: z.string(),
    sequence: z.number().int().openapi({ description: 'Send it back as `expectedSequence` when changing the report' }),
    versionCount: z.number().int(),
    latest: VersionSummarySchema.optional(),
    periods: z.array(z.tuple([z.string(), z.string()])),
    createdAt: z.string(),
    updatedAt: z.string(),
    bridgeLetterDue: z.boolean().openapi({ description: 'The newest period ended more than 12 months ago' }),
    lapsesOn: z.string().optional(),
    lapsingSoon: z.boolean().openapi({ description: 'The newest version lapses within 30 days' }),
  })
  .openapi('Report');

export const ReportVersionSchema = z
  .object({
    reportId: z.string(),
    version: z.number().int(),
    periodStart: z.string(),
    periodEnd: z.string(),
    effectiveDate: z.string(),
    termsRevisionId: z.string(),
    acceptanceType: z.enum(['EXPLICIT', 'PASSTHROUGH']),
    uploadState: z.enum(['PROCESSING', 'COMPLETE', 'FAILED']),
    statusMessage: z.string(),
    sha256: z.string().optional(),
    size: z.number().int().optional(),
    pageCount: z.number().int().optional(),
    createdAt: z.string(),
    uploadedAt: z.string().optional(),
    sequence: z.number().int(),
    lapsesOn: z.string().optional(),
    lapsingSoon: z.boolean().optional(),
    lapsed: z.boolean().optional(),
  })
  .openapi('ReportVersion');

export const AcceptanceSchema = z
  .object({
    acceptanceId: z.string(),
    orgId: z.string(),
    userId: z.string(),
    email: z.string(),
    accountId: z.string(),
    reportId: z.string(),
    version: z.number().int(),
    revisionId: z.string(),
    termsSha256: z.string(),
    acceptanceType: z.enum(['EXPLICIT', 'PASSTHROUGH']),
    acceptedAt: z.string(),
    ip: z.string().optional(),
    userAgent: z.string().optional(),
  })
  .openapi('ReportTermsAcceptance');

export const DownloadSchema = z
  .object({
    downloadId: z.string(),
    orgId: z.string(),
    userId: z.string(),
    email: z.string(),
    displayName: z.string(),
    accountId: z.string(),
    reportId: z.string(),
    reportName: z.string(),
    category: z.string(),
    series: z.string(),
    version: z.number().int(),
    termsRevisionId: z.string(),
    acceptanceId: z.string(),
    downloadedAt: z.string(),
    sourceSha256: z.string(),
    deliveredSha256: z.string(),
  })
  .openapi('ReportDownload');

// Presenters: each lists the fields it answers. A version's storage key (`fileKey`) never leaves.
const presentSummary = (latest: VersionSummary): z.infer<typeof VersionSummarySchema> => ({
  version: latest.version,
  periodStart: latest.periodStart,
  periodEnd: latest.periodEnd,
  effectiveDate: latest.effectiveDate,
  acceptanceType: latest.acceptanceType,
  termsRevisionId: latest.termsRevisionId,
  pageCount: latest.pageCount,
  publishedAt: latest.publishedAt,
});

export const presentReport = (report: ReportView): z.infer<typeof ReportSchema> => ({
  id: report.id,
  name: report.name,
  description: report.description,
  category: report.category,
  series: report.series,
  company: report.company,
  thirdParty: report.thirdParty,
  state: report.state,
  publisherOrgId: report.publisherOrgId,
  sequence: report.sequence,
  versionCount: report.versionCount,
  latest: report.latest ? presentSummary(report.latest) : undefined,
  periods: report.periods.map(([start, end]) => [start, end] as [string, string]),
  createdAt: report.createdAt,
  updatedAt: report.updatedAt,
  bridgeLetterDue: report.bridgeLetterDue,
  lapsesOn: report.lapsesOn,
  lapsingSoon: report.lapsingSoon,
});

export const presentVersion = (
  version: ReportVersion & Partial<Pick<ReportVersionView, 'lapsesOn' | 'lapsingSoon' | 'lapsed'>>,
): z.infer<typeof ReportVersionSchema> => ({
  reportId: version.reportId,
  version: version.version,
  periodStart: version.periodStart,
  periodEnd: version.periodEnd,
  effectiveDate: version.effectiveDate,
  termsRevisionId: version.termsRevisionId,
  acceptanceType: version.acceptanceType,
  uploadState: version.uploadState,
  statusMessage: version.statusMessage,
  sha256: version.sha256,
  size: version.size,
  pageCount: version.pageCount,
  createdAt: version.createdAt,
  uploadedAt: version.uploadedAt,
  sequence: version.sequence,
  lapsesOn: version.lapsesOn,
  lapsingSoon: version.lapsingSoon,
  lapsed: version.lapsed,
});

export const presentTermsAcceptance = (acceptance: TermsAcceptance): z.infer<typeof AcceptanceSchema> => ({
  acceptanceId: acceptance.acceptanceId,
  orgId: acceptance.orgId,
  userId: acceptance.userId,
  email: acceptance.email,
  accountId: acceptance.accountId,
  reportId: acceptance.reportId,
  version: acceptance.version,
  revisionId: acceptance.revisionId,
  termsSha256: acceptance.termsSha256,
  acceptanceType: acceptance.acceptanceType,
  acceptedAt: acceptance.acceptedAt,
  ip: acceptance.ip,
  userAgent: acceptance.userAgent,
});

export const presentDownload = (record: DownloadRecord): z.infer<typeof DownloadSchema> => ({
  downloadId: record.downloadId,
  orgId: record.orgId,
  userId: record.userId,
  email: record.email,
  displayName: record.displayName,
  accountId: record.accountId,
  reportId: record.reportId,
  reportName: record.reportName,
  category: record.category,
  series: record.series,
  version: record.version,
  termsRevisionId: record.termsRevisionId,
  acceptanceId: record.acceptanceId,
  downloadedAt: record.downloadedAt,
  sourceSha256: record.sourceSha256,
  deliveredSha256: record.deliveredSha256,
});

/**
 * The reports module's question (core `reportDecision`: `authorize` with the report's category and
 * series) for operations that read the report themselves (the Artifact-compatible API).
 */
export function reportDecision(
  c: Context<AppEnv>,
  action: `portal:${string}`,
  report: Report,
): Promise<AuthorizationDecision['decision']> {
  return askAboutReport(c.get('deps').authorizer, callerOf(c), action, report);
}

/** A report the caller may not see answers like a missing one; a denied act on a visible one is 403. */
export function requireReportAction(c: Context<AppEnv>, action: `portal:${string}`, report: Report): Promise<void> {
  return requireReportAllowed(c.get('deps').authorizer, callerOf(c), action, report);
}
