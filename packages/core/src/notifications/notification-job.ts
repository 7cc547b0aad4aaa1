import type { Authorizer } from '../access/principal.js';
import type { Ledger } from '../ledger/ledger.js';
import { type DeliveryReport, type DeliveryWorkerDeps, deliverAllNotifications } from './delivery-worker.js';
import { fanOutReportPublications, type ReportFanOutReport } from './report-fan-out.js';

/** The scheduled job's ports: the worker's, plus the ledger the fan-out appends to and, required here, access. */
export interface NotificationJobDeps extends DeliveryWorkerDeps {
  ledger: Pick<Ledger, 'append' | 'organizations'>;
  authorizer: Authorizer;
}

export interface NotificationJobResult {
  /** Undefined when the fan-out could not run at all (logged); delivery still ran. */
  fanOut?: ReportFanOutReport;
  orgs: number;
  failedOrgs: string[];
  totals: DeliveryReport;
}

/**
 * One run of the notification job (EventBridge schedule in AWS, a timer locally): first announce new
 * report versions into customer ledgers, then deliver every org's new entries, so an announcement
 * reaches its subscribers in the same run. A fan-out failure does not hold delivery back.
 */
export async function runNotificationJob(deps: NotificationJobDeps): Promise<NotificationJobResult> {
  let fanOut: ReportFanOutReport | undefined;
  try {
    fanOut = await fanOutReportPublications(deps);
  } catch (error) {
    deps.logger.log('error', 'report fan-out failed', {
      error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
    });
  }
  const delivery = await deliverAllNotifications(deps);
  return { ...(fanOut ? { fanOut } : {}), ...delivery };
}
