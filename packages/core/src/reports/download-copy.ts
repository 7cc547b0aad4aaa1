import { z } from 'zod';
import type { Caller } from '../access/caller.js';
import { parseInput } from '../input.js';
import { downloadReport } from './download-report.js';
import { reportVersion } from './read-reports.js';
import type { PendingCopy } from './report-copy.js';
import type { ReportDeps } from './report-deps.js';
import { reportVersionInput } from './report-inputs.js';
import type { DownloadRecord } from './report-model.js';
import { personOf, requireReportAllowed } from './report-question.js';

/** GET /api/reports/{id}/versions/{v}/download: the query. */
export const downloadCopyQuery = z.object({ termToken: z.string().max(256).optional() });
export const downloadCopyInput = reportVersionInput.extend(downloadCopyQuery.shape);
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
  const { report } = await reportVersion(deps, input.reportId, input.version, principal.orgId);
  await requireReportAllowed(deps.authorizer, caller, 'portal:DownloadReport', report);
  return downloadReport(deps, principal, input.reportId, input.version, input.termToken);
}
