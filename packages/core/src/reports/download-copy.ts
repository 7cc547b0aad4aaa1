import { z } from 'zod';
import type { Caller } from '../access/caller.js';
import { parseInput } from '../input.js';
import { downloadReport } from './download-report.js';
import type { PendingCopy } from './report-copy.js';
import type { ReportDeps } from './report-deps.js';
import { allowedReportVersion } from './report-details.js';
import { reportVersionOrNewestInput } from './report-inputs.js';
import type { DownloadRecord } from './report-model.js';
import { personOf } from './report-question.js';

/** GET /api/reports/{id}/versions/{v}/download: the query. */
export const downloadCopyQuery = z.object({ termToken: z.string().max(256).optional() });
/** The version is the newest when omitted (as the Artifact GetReport names one); the /api route always names it. */
export const downloadCopyInput = reportVersionOrNewestInput.extend(downloadCopyQuery.shape);
export type DownloadCopyInput = z.infer<typeof downloadCopyInput>;

/**
 * One watermarked copy for a term token (download-report.ts), after `portal:DownloadReport` on the
 * report: the download record is written before the copy's bytes flow.
 */
export async function downloadCopy(
  deps: ReportDeps,
  caller: Caller,
  raw: DownloadCopyInput,
): Promise<{ record: DownloadRecord; copy: PendingCopy }> {
  const input = parseInput(downloadCopyInput, raw);
  const principal = personOf(caller, 'Downloading a report');
  const { version } = await allowedReportVersion(deps, caller, 'portal:DownloadReport', input);
  return downloadReport(deps, principal, input.reportId, version.version, input.termToken);
}
