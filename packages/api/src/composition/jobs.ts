import { HttpWebhookTransport, LogEmailSender } from '@evidence-portal/aws';
import {
  type CheckpointRunResult,
  checkpointAllLedgers,
  type NotificationJobResult,
  type ReportVersion,
  runNotificationJob,
  stageAllowsHttp,
} from '@evidence-portal/core';
import type { AppDeps } from '../deps.js';

/** The scheduled and event-driven jobs, built once from the runtime's deps. */
export interface PortalJobs {
  /** Every organization whose ledger grew gets a KMS-signed checkpoint (docs/ledger.md). */
  checkpointLedgers(): Promise<CheckpointRunResult>;
  /** Report announcements into customer ledgers, then feed items, webhooks and email (docs/notifications.md). */
  deliverNotifications(): Promise<NotificationJobResult>;
  /** An uploaded report original (an `originals/` key) is validated; unknown keys are ignored. */
  validateUpload(key: string): Promise<ReportVersion | undefined>;
}

/**
 * The jobs composition, shared by `functions/jobs/*` (AWS) and the local server's timers, so both
 * run the same wiring: the access module re-checks every delivery, webhooks go through the SSRF
 * guard, and mail goes to the log adapter (no mail service is wired yet).
 */
export function buildJobs(deps: AppDeps): PortalJobs {
  const notifications = deps.logger.child({ job: 'notification-delivery' });
  const transport = new HttpWebhookTransport({
    allowHttp: stageAllowsHttp(deps.settings.stage),
    // No allow-list outside tests: every non-public address is refused at send time.
    ...(deps.webhookAllowList ? { allowList: deps.webhookAllowList } : {}),
  });
  const email = new LogEmailSender(notifications);
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
    validateUpload: (key) => deps.reports.finalizeUpload(key),
  };
}
