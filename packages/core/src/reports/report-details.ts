import { type Caller, orgOf } from '../access/caller.js';
import { NotFoundError } from '../errors.js';
import { parseInput } from '../input.js';
import { getReport, reportVersion, reportVersions } from './read-reports.js';
import type { ReportDeps } from './report-deps.js';
import {
  type ReportInput,
  type ReportVersionOrNewestInput,
  reportInput,
  reportVersionOrNewestInput,
} from './report-inputs.js';
import type { Report, ReportVersion } from './report-model.js';
import { requireReportAllowed } from './report-question.js';
import { type ReportVersionView, type ReportView, reportView } from './report-records.js';

/**
 * GET /api/reports/{id}: the report, its newest version and freshness. Another organization's
 * unpublished report answers like a missing one; a visible one the caller may not read is 403.
 */
export async function reportDetails(deps: ReportDeps, caller: Caller, raw: ReportInput): Promise<ReportView> {
  const { reportId } = parseInput(reportInput, raw);
  const report = await getReport(deps, reportId, orgOf(caller));
  await requireReportAllowed(deps.authorizer, caller, 'portal:GetReport', report);
  return reportView(report, deps.clock.now());
}

/** GET /api/reports/{id}/versions: complete versions, newest first (the publisher also sees the others). */
export async function versionsOfReport(
  deps: ReportDeps,
  caller: Caller,
  raw: ReportInput,
): Promise<ReportVersionView[]> {
  return (await reportWithVersions(deps, caller, raw)).versions;
}

/** The report and its versions, as `versionsOfReport` reads and asks (the Artifact ListReportVersions). */
export async function reportWithVersions(
  deps: ReportDeps,
  caller: Caller,
  raw: ReportInput,
): Promise<{ report: ReportView; versions: ReportVersionView[] }> {
  const { reportId } = parseInput(reportInput, raw);
  const orgId = orgOf(caller);
  const report = await getReport(deps, reportId, orgId);
  await requireReportAllowed(deps.authorizer, caller, 'portal:GetReport', report);
  return { report: reportView(report, deps.clock.now()), versions: await reportVersions(deps, report, orgId) };
}

/**
 * The report and version a use case names (its newest when `version` is omitted), once the caller may
 * `action` the report: the one place the version-level use cases read and ask. A version not yet
 * downloadable is missing to customers (read-reports.ts).
 */
export async function allowedReportVersion(
  deps: ReportDeps,
  caller: Caller,
  action: `portal:${string}`,
  input: ReportVersionOrNewestInput,
): Promise<{ report: Report; version: ReportVersion }> {
  const orgId = orgOf(caller);
  let versionNumber = input.version;
  if (versionNumber === undefined) {
    versionNumber = (await getReport(deps, input.reportId, orgId)).latest?.version;
    if (versionNumber === undefined) throw new NotFoundError(`Report ${input.reportId} has no version yet.`);
  }
  const found = await reportVersion(deps, input.reportId, versionNumber, orgId);
  await requireReportAllowed(deps.authorizer, caller, action, found.report);
  return found;
}

/** One version's metadata (the Artifact GetReportMetadata), after `portal:GetReport` on the report. */
export async function reportVersionDetails(
  deps: ReportDeps,
  caller: Caller,
  raw: ReportVersionOrNewestInput,
): Promise<{ report: Report; version: ReportVersion }> {
  return allowedReportVersion(deps, caller, 'portal:GetReport', parseInput(reportVersionOrNewestInput, raw));
}
