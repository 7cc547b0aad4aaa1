import { downloadArn } from '../access/resources.js';
import {
  ConditionFailedError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TransactionConflictError,
} from '../errors.js';
import { sha256Hex } from '../sha256.js';
import { reportVersion, termsRevision } from './read-reports.js';
import type { PendingCopy } from './report-copy.js';
import { type ReportActor, type ReportDeps, reportActorOf } from './report-deps.js';
import { reportKeys } from './report-keys.js';
import type { DownloadRecord } from './report-model.js';
import { reportEntryKeys } from './report-question.js';
import { downloadFilename } from './report-records.js';

/**
 * Redeems a term token for one watermarked copy. No token -> 403 naming the terms; a token for
 * another principal or version, or expired -> 403; already used -> 409. The token's use and the
 * download record are one transaction, so a token yields exactly one download. The copy's size
 * and SHA-256 are known before the record is written; its bytes flow only after it is.
 */
export async function downloadReport(
  deps: ReportDeps,
  actor: ReportActor & { displayName: string },
  reportId: string,
  versionNumber: number,
  termToken: string | undefined,
): Promise<{ record: DownloadRecord; copy: PendingCopy }> {
  const { report, version } = await reportVersion(deps, reportId, versionNumber, actor.orgId);
  if (version.uploadState !== 'COMPLETE') throw new NotFoundError(`No version ${versionNumber} of report ${reportId}.`);
  if (!termToken) {
    const terms = await termsRevision(deps, version.termsRevisionId);
    throw new ForbiddenError(
      `Accept the terms "${terms.title}" (revision ${terms.revisionId}) first: POST /api/reports/${reportId}/versions/${versionNumber}/terms/acceptances, then download with the termToken it returns.`,
      'terms_not_accepted',
    );
  }
  const tokenKey = reportKeys.termToken(sha256Hex(termToken));
  const token = await deps.store.get(tokenKey, { consistent: true });
  if (
    !token ||
    token.orgId !== actor.orgId ||
    token.userId !== actor.userId ||
    token.reportId !== reportId ||
    token.version !== versionNumber
  ) {
    throw new ForbiddenError('This term token was not issued to you for this report version.', 'term_token_invalid');
  }
  const now = deps.clock.now();
  if (Date.parse(String(token.expiresAt)) <= now.getTime()) {
    throw new ForbiddenError('The term token expired; accept the terms again for a new one.', 'term_token_expired');
  }
  if (token.used === true) throw tokenUsed();
  if (token.revisionId !== version.termsRevisionId) {
    throw new ForbiddenError(
      'The terms changed since this token was issued; accept the current terms.',
      'term_token_invalid',
    );
  }

  const downloadId = `dl-${deps.ids.newId()}`;
  const copy = await deps.copies.make(version, {
    email: actor.email,
    displayName: actor.displayName,
    accountId: actor.accountId,
    time: now,
    downloadId,
    termsRevision: version.termsRevisionId,
  });
  const record: DownloadRecord = {
    downloadId,
    orgId: actor.orgId,
    userId: actor.userId,
    email: actor.email,
    displayName: actor.displayName,
    accountId: actor.accountId,
    reportId,
    reportName: report.name,
    category: report.category,
    series: report.series,
    version: versionNumber,
    termsRevisionId: version.termsRevisionId,
    acceptanceId: String(token.acceptanceId),
    downloadedAt: now.toISOString(),
    sourceSha256: version.sha256 ?? '',
    deliveredSha256: copy.sha256,
  };
  try {
    await deps.ledger.append({
      orgId: actor.orgId,
      actor: reportActorOf(actor),
      action: 'report:Downloaded',
      subject: downloadArn(actor.orgId, actor.accountId, downloadId),
      accountId: actor.accountId,
      details: {
        ...reportEntryKeys(report),
        reportId,
        version: versionNumber,
        downloadId,
        termsRevisionId: version.termsRevisionId,
        deliveredSha256: record.deliveredSha256,
      },
      alsoWrite: [
        {
          kind: 'put',
          item: { ...token, ...tokenKey, used: true, usedAt: record.downloadedAt, downloadId },
          condition: { kind: 'equals', attribute: 'used', value: false },
        },
        {
          kind: 'put',
          item: {
            ...reportKeys.download(actor.orgId, downloadId),
            gsi1pk: reportKeys.downloadsOf(actor.orgId, actor.userId),
            gsi1sk: `${record.downloadedAt}#${downloadId}`,
            data: JSON.stringify(record),
          },
          condition: { kind: 'notExists' },
        },
      ],
    });
  } catch (error) {
    copy.abort();
    if (error instanceof ConditionFailedError || error instanceof TransactionConflictError) throw tokenUsed();
    throw error;
  }
  return { record, copy };
}

function tokenUsed(): ConflictError {
  return new ConflictError(
    'This term token was already used for a download; ask for a new one (POST .../terms/acceptances) — your acceptance still stands.',
    'term_token_used',
  );
}

/**
 * Streams the copy into the bucket and answers a short-lived URL for it (the AWS delivery path:
 * API Gateway buffers responses, so the bytes go to S3, never through the function's memory whole).
 */
export async function presignedCopy(deps: ReportDeps, record: DownloadRecord, copy: PendingCopy): Promise<string> {
  const key = `downloads/${record.orgId}/${record.downloadId}.pdf`;
  await deps.blobs.put('reports', key, copy.body, {
    contentType: 'application/pdf',
    contentLength: copy.size,
    metadata: { downloadid: record.downloadId },
  });
  return deps.blobs.presignGet('reports', key, {
    expiresInSeconds: deps.settings.downloadUrlTtlSeconds,
    downloadFilename: downloadFilename(record),
  });
}
