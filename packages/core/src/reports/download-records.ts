import { NotFoundError } from '../errors.js';
import type { ReportActor, ReportDeps } from './report-deps.js';
import { reportKeys } from './report-keys.js';
import type { DownloadRecord, TermsAcceptance } from './report-model.js';
import { parseRecord as parse } from './report-records.js';

/** A principal's own downloads and the trace-back of one download to its acceptance (this organization only). */

export async function myDownloads(
  deps: ReportDeps,
  actor: ReportActor,
  options: { cursor?: string; limit?: number },
): Promise<{ items: DownloadRecord[]; nextCursor?: string }> {
  const page = await deps.store.query(reportKeys.downloadsOf(actor.orgId, actor.userId), {
    index: 'gsi1',
    descending: true,
    limit: Math.min(Math.max(options.limit ?? 25, 1), 100),
    ...(options.cursor ? { cursor: options.cursor } : {}),
  });
  return {
    items: page.items.flatMap((item) => parse<DownloadRecord>(item) ?? []),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

/** Trace-back: only within the caller's org (another org's id is simply not found). */
export async function traceDownload(
  deps: ReportDeps,
  orgId: string,
  downloadId: string,
): Promise<{ download: DownloadRecord; acceptance?: TermsAcceptance }> {
  const download = parse<DownloadRecord>(await deps.store.get(reportKeys.download(orgId, downloadId)));
  if (!download) throw new NotFoundError(`No download ${downloadId}.`);
  const acceptance = parse<TermsAcceptance>(await deps.store.get(reportKeys.acceptance(orgId, download.acceptanceId)));
  return { download, ...(acceptance ? { acceptance } : {}) };
}

export async function getAcceptance(deps: ReportDeps, orgId: string, acceptanceId: string): Promise<TermsAcceptance> {
  const acceptance = parse<TermsAcceptance>(await deps.store.get(reportKeys.acceptance(orgId, acceptanceId)));
  if (!acceptance) throw new NotFoundError(`No acceptance ${acceptanceId}.`);
  return acceptance;
}
