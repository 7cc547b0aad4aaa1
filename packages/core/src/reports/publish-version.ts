import { reportArn } from '../access/resources.js';
import { ConditionFailedError, ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { LedgerAppendInput } from '../ledger/ledger-writer.js';
import { ownReport, writeReport } from './publish-report.js';
import { termsRevision } from './read-reports.js';
import { type ReportActor, type ReportDeps, reportActorOf } from './report-deps.js';
import { reportKeys } from './report-keys.js';
import type { Report, ReportVersion } from './report-model.js';
import { reportEntryKeys } from './report-question.js';
import {
  type NewVersion,
  parseRecord as parse,
  staleReport,
  type UploadInstructions,
  versionItem,
} from './report-records.js';

/** Report versions: registration with a presigned upload, then validation to COMPLETE or FAILED. */

/** Registers a version in PROCESSING and answers where to upload its PDF. */
export async function createVersion(
  deps: ReportDeps,
  actor: ReportActor,
  reportId: string,
  input: NewVersion,
): Promise<{ version: ReportVersion; upload: UploadInstructions }> {
  const { report, chunk } = await ownReport(deps, actor, reportId);
  if (report.sequence !== input.expectedSequence) throw staleReport(reportId);
  if (input.periodStart > input.periodEnd) {
    throw new ValidationError('The reporting period ends before it starts', [
      { path: 'body.periodEnd', message: 'must not precede periodStart' },
    ]);
  }
  await termsRevision(deps, input.termsRevisionId).catch((error: unknown) => {
    if (error instanceof NotFoundError) {
      throw new ValidationError('Unknown terms revision', [
        { path: 'body.termsRevisionId', message: 'no such terms revision' },
      ]);
    }
    throw error;
  });
  const now = deps.clock.now();
  const number = report.versionCount + 1;
  const version: ReportVersion = {
    reportId,
    version: number,
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    effectiveDate: input.effectiveDate,
    termsRevisionId: input.termsRevisionId,
    acceptanceType: input.acceptanceType,
    uploadState: 'PROCESSING',
    statusMessage: 'Waiting for the file upload.',
    fileKey: `originals/${reportId}/${number}/${deps.ids.newId()}.pdf`,
    createdAt: now.toISOString(),
    sequence: 1,
  };
  const next: Report = {
    ...report,
    versionCount: number,
    sequence: report.sequence + 1,
    updatedAt: now.toISOString(),
  };
  await writeReport(deps, next, report.sequence, chunk, [
    {
      kind: 'put',
      item: versionItem(version),
      condition: { kind: 'notExists' },
    },
  ]);
  const url = await deps.blobs.presignPut('reports', version.fileKey, {
    expiresInSeconds: deps.settings.uploadUrlTtlSeconds,
    contentType: 'application/pdf',
  });
  return {
    version,
    upload: {
      url,
      method: 'PUT',
      headers: { 'content-type': 'application/pdf' },
      expiresAt: new Date(now.getTime() + deps.settings.uploadUrlTtlSeconds * 1000).toISOString(),
    },
  };
}

async function readBlob(deps: ReportDeps, key: string): Promise<Uint8Array> {
  const blob = await deps.blobs.get('reports', key);
  const chunks: Buffer[] = [];
  for await (const chunk of blob.body) chunks.push(Buffer.from(chunk as Uint8Array));
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * The upload-validation job's entry: resolves an uploaded object key to its version and finalizes it
 * as the publishing org's system actor. Keys it does not know are ignored (undefined).
 */
export async function finalizeUpload(
  deps: ReportDeps,
  fileKey: string,
  jobName = 'report-validation',
): Promise<ReportVersion | undefined> {
  const match = /^originals\/(rpt-[0-9a-z]+)\/(\d+)\//.exec(fileKey);
  if (!match?.[1] || !match[2]) return undefined;
  const report = parse<Report>(await deps.store.get(reportKeys.report(match[1]), { consistent: true }));
  if (!report) return undefined;
  const actor: ReportActor = {
    orgId: report.publisherOrgId,
    accountId: '',
    userId: jobName,
    email: '',
    system: true,
  };
  try {
    return await finalizeVersion(deps, actor, report.id, Number(match[2]));
  } catch (error) {
    // Already finalized (the publisher called finalize first): nothing left to do.
    if (error instanceof ConflictError && error.code === 'version_already_final') return undefined;
    throw error;
  }
}

/**
 * Validates the uploaded file. A bad file ends FAILED with its reason and never reaches the
 * catalog; a good one becomes COMPLETE and, when newest, the report's current version.
 */
export async function finalizeVersion(
  deps: ReportDeps,
  actor: ReportActor,
  reportId: string,
  versionNumber: number,
): Promise<ReportVersion> {
  const { report, chunk } = await ownReport(deps, actor, reportId);
  const storedVersion = await deps.store.get(reportKeys.version(reportId, versionNumber), { consistent: true });
  const version = parse<ReportVersion>(storedVersion);
  if (!version) throw new NotFoundError(`No version ${versionNumber} of report ${reportId}.`);
  if (version.uploadState !== 'PROCESSING') {
    throw new ConflictError(`Version ${versionNumber} is already ${version.uploadState}.`, 'version_already_final');
  }
  const head = await deps.blobs.head('reports', version.fileKey);
  if (!head) throw new ConflictError('No file has been uploaded for this version yet.', 'upload_missing');
  const now = deps.clock.now().toISOString();
  const pdfWork = deps.pdfWork;
  const check =
    head.contentLength !== undefined && head.contentLength > deps.settings.maxReportBytes
      ? ({
          ok: false,
          reason: `The file is ${head.contentLength} bytes; the limit is ${deps.settings.maxReportBytes} bytes.`,
        } as const)
      : await readBlob(deps, version.fileKey)
          .then((bytes) => {
            // Read first: the work may take the bytes to another thread (the view is then empty).
            const size = bytes.byteLength;
            return pdfWork.validate(bytes, { maxBytes: deps.settings.maxReportBytes }).then((result) => ({
              result,
              size,
            }));
          })
          .then(({ result, size }) => (result.ok ? { ...result, size } : result));
  if (!check.ok) {
    const failed: ReportVersion = {
      ...version,
      uploadState: 'FAILED',
      statusMessage: check.reason,
      uploadedAt: now,
      sequence: version.sequence + 1,
    };
    await deps.store
      .put(versionItem(failed), { kind: 'equals', attribute: 'sequence', value: version.sequence })
      .catch((error: unknown) => {
        throw error instanceof ConditionFailedError
          ? new ConflictError('The version changed meanwhile; reload it.', 'stale_version')
          : error;
      });
    return failed;
  }
  // Downloads stamp from this description; written before the version is downloadable.
  await deps.copies.storePreparation(
    version.fileKey,
    check.prepared ?? {
      format: 'evidence-portal/unprepared@1',
      sha256: check.sha256,
      unsupported: check.fastPathUnsupported ?? 'not prepared',
    },
  );
  const complete: ReportVersion = {
    ...version,
    uploadState: 'COMPLETE',
    statusMessage: publishedMessage(check),
    sha256: check.sha256,
    size: check.size,
    pageCount: check.pageCount,
    uploadedAt: now,
    sequence: version.sequence + 1,
  };
  const firstVersion = report.latest === undefined;
  const newest = firstVersion || (report.latest?.version ?? 0) < versionNumber;
  const next: Report = {
    ...report,
    sequence: report.sequence + 1,
    updatedAt: now,
    periods: [...report.periods, [complete.periodStart, complete.periodEnd]],
    ...(newest
      ? {
          latest: {
            version: versionNumber,
            periodStart: complete.periodStart,
            periodEnd: complete.periodEnd,
            effectiveDate: complete.effectiveDate,
            acceptanceType: complete.acceptanceType,
            termsRevisionId: complete.termsRevisionId,
            pageCount: check.pageCount,
            publishedAt: now,
          },
        }
      : {}),
  };
  const details = {
    ...reportEntryKeys(report),
    reportId,
    name: report.name,
    version: versionNumber,
  };
  const subject = reportArn(actor.orgId, reportId, actor.accountId);
  const versionPublished: LedgerAppendInput = {
    orgId: actor.orgId,
    actor: reportActorOf(actor),
    action: 'report:VersionPublished',
    subject,
    details: { ...details, sha256: check.sha256, pageCount: check.pageCount },
  };
  // The writes go with the first entry of the act; a first version's second entry follows it (one
  // append carries one entry).
  const first: LedgerAppendInput = firstVersion
    ? { orgId: actor.orgId, actor: reportActorOf(actor), action: 'report:Published', subject, details }
    : versionPublished;
  await writeReport(
    deps,
    next,
    report.sequence,
    chunk,
    [
      {
        kind: 'put',
        item: versionItem(complete),
        condition: { kind: 'equals', attribute: 'sequence', value: version.sequence },
      },
    ],
    first,
  );
  if (firstVersion) await deps.ledger.append(versionPublished);
  return complete;
}

/** What the publisher reads about a validated file: signatures and the delivery path are worth knowing. */
function publishedMessage(check: { signatures: number; fastPathUnsupported?: string }): string {
  const parts = ['Validated and published.'];
  if (check.signatures > 0) {
    parts.push(
      `Digitally signed (${check.signatures} signature${check.signatures > 1 ? 's' : ''}): each copy is the signed file plus an incremental update, so the signature stays valid and readers show the document as changed after signing.`,
    );
  }
  if (check.fastPathUnsupported) {
    parts.push(`Copies are made by a full rewrite (${check.fastPathUnsupported}), which invalidates any signature.`);
  }
  return parts.join(' ');
}
