import { type AppDeps, buildDeps, loadConfig } from '@evidence-portal/api';

/** The part of an S3 event notification this job reads (ObjectCreated on the reports bucket). */
interface UploadEvent {
  Records?: Array<{ s3?: { object?: { key?: string } } }>;
}

// Composition root of upload validation: S3 ObjectCreated on `originals/` invokes it, so a version
// leaves PROCESSING even when the publisher never calls finalize. Built once per cold start.
let deps: AppDeps | undefined;

export async function handler(event: UploadEvent) {
  deps ??= buildDeps(loadConfig(process.env));
  const logger = deps.logger.child({ job: 'report-validation' });
  const results: Array<{ key: string; state: string }> = [];
  for (const record of event.Records ?? []) {
    // S3 event keys are URL-encoded with '+' for spaces.
    const key = decodeURIComponent((record.s3?.object?.key ?? '').replace(/\+/g, ' '));
    const version = await deps.reports.finalizeUpload(key);
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
