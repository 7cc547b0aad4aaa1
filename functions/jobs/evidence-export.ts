import { type AppDeps, buildDeps, buildJobs, loadConfig, type PortalJobs } from '@evidence-portal/api';

/** SQS records of the evidence-export queue (stacks/jobs.ts): each body is `{orgId, bundleId}`. */
interface ExportEvent {
  Records?: Array<{ body?: string; messageId?: string }>;
}

// Composition root of the evidence export worker: built once per cold start. A record that throws is
// reported back (partial batch response) and retried by SQS, then lands in the DLQ (alarmed); a bundle
// whose build failed is marked failed by the job itself and not retried.
let built: { deps: AppDeps; jobs: PortalJobs } | undefined;

export async function handler(event: ExportEvent) {
  if (!built) {
    const deps = buildDeps(loadConfig(process.env));
    built = { deps, jobs: buildJobs(deps) };
  }
  const logger = built.deps.logger.child({ job: 'evidence-export' });
  const batchItemFailures: Array<{ itemIdentifier: string }> = [];
  for (const record of event.Records ?? []) {
    try {
      const job = JSON.parse(record.body ?? '') as { orgId?: unknown; bundleId?: unknown };
      if (typeof job.orgId !== 'string' || typeof job.bundleId !== 'string') {
        logger.log('error', 'evidence export message is malformed', { messageId: record.messageId });
        continue;
      }
      const bundle = await built.jobs.exportEvidence({ orgId: job.orgId, bundleId: job.bundleId });
      logger.log('info', 'evidence export finished', { bundleId: bundle.bundleId, state: bundle.state });
    } catch (error) {
      logger.log('error', 'evidence export threw', { messageId: record.messageId, error: String(error) });
      if (record.messageId) batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
