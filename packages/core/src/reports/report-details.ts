import { type Caller, orgOf } from '../access/caller.js';
import { parseInput } from '../input.js';
import { getReport, reportVersions } from './read-reports.js';
import type { ReportDeps } from './report-deps.js';
import { type ReportInput, reportInput } from './report-inputs.js';
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
  const { reportId } = parseInput(reportInput, raw);
  const orgId = orgOf(caller);
  const report = await getReport(deps, reportId, orgId);
  await requireReportAllowed(deps.authorizer, caller, 'portal:GetReport', report);
  return reportVersions(deps, report, orgId);
}
