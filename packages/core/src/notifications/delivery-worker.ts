import { DeliveryAccess } from './delivery-access.js';
import type { DeliveryWorkerDeps } from './delivery-deps.js';
import { defaultDeliveryPolicy } from './delivery-policy.js';
import { addTo, type DeliveryReport, emptyReport } from './delivery-report.js';
import { processDueDeliveries } from './due-deliveries.js';
import { processNewEntries } from './entry-fan-out.js';
import { orgRegistryPartition } from './notification-keys.js';

export type { DeliveryWorkerDeps } from './delivery-deps.js';
export { eventId, webhookPayload } from './delivery-records.js';
export type { DeliveryReport } from './delivery-report.js';

/**
 * One run for one organization: new ledger entries become feed items and deliveries, then due
 * deliveries are attempted. Safe to run concurrently and to re-run after a crash.
 */
export async function deliverNotifications(deps: DeliveryWorkerDeps, orgId: string): Promise<DeliveryReport> {
  const policy = { ...defaultDeliveryPolicy, ...deps.policy };
  const access = deps.authorizer ? new DeliveryAccess({ store: deps.store, authorizer: deps.authorizer }) : undefined;
  const run = { deps, policy, orgId, report: emptyReport(), access };
  await processNewEntries(run);
  await processDueDeliveries(run);
  return run.report;
}

/** The timer's job: every organization that has at least one subscription. One org's failure is logged, not fatal. */
export async function deliverAllNotifications(
  deps: DeliveryWorkerDeps,
): Promise<{ orgs: number; failedOrgs: string[]; totals: DeliveryReport }> {
  const totals = emptyReport();
  const failedOrgs: string[] = [];
  let orgs = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.store.query(orgRegistryPartition, { skPrefix: 'ORG#', ...(cursor ? { cursor } : {}) });
    for (const item of page.items) {
      const orgId = String(item.orgId);
      orgs++;
      try {
        const report = await deliverNotifications(deps, orgId);
        addTo(totals, report);
      } catch (error) {
        failedOrgs.push(orgId);
        deps.logger.log('error', 'notification delivery failed for an organization', {
          orgId,
          error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
        });
      }
    }
    cursor = page.nextCursor;
  } while (cursor);
  return { orgs, failedOrgs, totals };
}
