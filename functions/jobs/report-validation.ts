import { type AppDeps, buildDeps, buildJobs, loadConfig, type PortalJobs } from '@evidence-portal/api';

/**
 * What this job reads. In AWS: SQS records whose body is the EventBridge "Object Created" event of the
 * reports bucket (stacks/jobs.ts); a plain S3 event notification is accepted too.
 */
interface UploadEvent {
  Records?: Array<{ body?: string; messageId?: string; s3?: { object?: { key?: string } } }>;
}

/** The object key of one record, from either shape. */
function uploadedKey(record: NonNullable<UploadEvent['Records']>[number]): string {
  if (record.body !== undefined) {
    const event = JSON.parse(record.body) as { detail?: { object?: { key?: string } } };
    return event.detail?.object?.key ?? '';
  }
  // S3 notification keys are URL-encoded with '+' for spaces.
  return decodeURIComponent((record.s3?.object?.key ?? '').replace(/\+/g, ' '));
}

// Composition root of upload validation: S3 ObjectCreated on `originals/` invokes it, so a version
// leaves PROCESSING even when the publisher never calls finalize. Built once per cold start.
let built: { deps: AppDeps; jobs: PortalJobs } | undefined;

export async function handler(event: UploadEvent) {
  if (!built) {
    const deps = buildDeps(loadConfig(process.env));
    built = { deps, jobs: buildJobs(deps) };
  }
  const logger = built.deps.logger.child({ job: 'report-validation' });
  const results: Array<{ key: string; state: string }> = [];
  for (const record of event.Records ?? []) {
    const key = uploadedKey(record);
    const version = await built.jobs.validateUpload(key);
    const state = version?.uploadState ?? 'ignored';
    logger.log('info', 'report upload validated', {
      key,
      state,
      ...(version?.uploadState === 'FAILED' ? { reason: version.statusMessage } : {}),
    });
    results.push({ key, state });
  }
  return { results };
}
