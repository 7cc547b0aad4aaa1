import { HttpWebhookTransport } from '@evidence-portal/aws';
import {
  type CheckpointRunResult,
  checkpointAllLedgers,
  type EvidenceBundle,
  type NotificationJobResult,
  type ReportVersion,
  runNotificationJob,
  stageAllowsHttp,
} from '@evidence-portal/core';
import type { AppDeps } from '../deps.js';
import { LocalExportQueue } from './local-export-queue.js';

/** The scheduled and event-driven jobs, built once from the runtime's deps. */
export interface PortalJobs {
  /** Every organization whose ledger grew gets a KMS-signed checkpoint (docs/ledger.md). */
  checkpointLedgers(): Promise<CheckpointRunResult>;
  /** Report announcements into customer ledgers, then feed items, webhooks and email (docs/notifications.md). */
  deliverNotifications(): Promise<NotificationJobResult>;
  /** Queued password-reset requests: tokens issued and mailed off the request path (docs/access.md). */
  deliverAccountMail(): Promise<{ processed: number; mailed: number }>;
  /** An uploaded report original (an `originals/` key) is validated; unknown keys are ignored. */
  validateUpload(key: string): Promise<ReportVersion | undefined>;
  /** Builds one queued evidence bundle (docs/evidence-bundle-format.md); a finished one is left as it is. */
  exportEvidence(job: { orgId: string; bundleId: string }): Promise<EvidenceBundle>;
  /** Runtimes without SQS: builds every bundle queued in process (the local runner listens instead). */
  runQueuedExports(): Promise<void>;
  /**
   * Runtimes without SQS (`npm start`): first recovers what a previous run left (queued bundles are
   * queued again; bundles cut off mid-build are marked failed, with a reason), then builds each bundle
   * as soon as it is queued, one at a time. Resolves once the recovery is done.
   */
  startExportRunner(): Promise<{ resumed: number; interrupted: number }>;
}

/**
 * The jobs composition, shared by `functions/jobs/*` (AWS) and the local server's timers, so both
 * run the same wiring: the access module re-checks every delivery, webhooks go through the SSRF
 * guard, and mail goes through the runtime's mailer (SES in AWS, the redacting log adapter locally).
 */
export function buildJobs(deps: AppDeps): PortalJobs {
  const notifications = deps.logger.child({ job: 'notification-delivery' });
  const transport = new HttpWebhookTransport({
    allowHttp: stageAllowsHttp(deps.settings.stage),
    // No allow-list outside tests: every non-public address is refused at send time.
    ...(deps.webhookAllowList ? { allowList: deps.webhookAllowList } : {}),
    host: deps.hostNetwork.addresses,
  });
  const email = deps.mailer;
  return {
    checkpointLedgers: async () => {
      const logger = deps.logger.child({ job: 'ledger-checkpoint' });
      const result = await checkpointAllLedgers({ ledger: deps.ledger, logger });
      logger.log('info', 'ledger checkpoint run finished', { ...result });
      return result;
    },
    deliverNotifications: () =>
      runNotificationJob({
        store: deps.store,
        clock: deps.clock,
        logger: notifications,
        transport,
        email,
        // The fan-out appends announcements to customer ledgers; access is re-checked before each delivery.
        ledger: deps.ledger,
        authorizer: deps.authorizer,
      }),
    deliverAccountMail: () => deps.users.deliverAccountMail(),
    validateUpload: (key) => deps.reports.finalizeUpload(key),
    exportEvidence: (job) => deps.evidence.export(job),
    runQueuedExports: async () => {
      if (deps.exportQueue instanceof LocalExportQueue)
        await deps.exportQueue.drain((job) => deps.evidence.export(job));
    },
    startExportRunner: async () => {
      const queue = deps.exportQueue;
      if (!(queue instanceof LocalExportQueue)) return { resumed: 0, interrupted: 0 };
      const logger = deps.logger.child({ job: 'evidence-export' });
      // Every organization with a bundle has a ledger (the request is a ledger entry).
      const recovered = await deps.evidence.recover(deps.ledger.organizations(), (job) => queue.enqueue(job));
      if (recovered.resumed + recovered.interrupted > 0) logger.log('info', 'evidence exports recovered', recovered);
      queue.listen((job) => deps.evidence.export(job));
      return recovered;
    },
  };
}
