import type { Item, Store } from '../ports/store.js';
import type { AccessVerdict, DeliveryAccess } from './delivery-access.js';
import { attemptEmail, attemptWebhook } from './delivery-attempts.js';
import type { DeliveryRun } from './delivery-deps.js';
import { claim, settle } from './delivery-lease.js';
import { readEntry } from './ledger-entry-source.js';
import { notificationKeys } from './notification-keys.js';
import { kindOfAction } from './notification-kinds.js';

/**
 * Access is asked again right before sending, because a retry may come long after the delivery was
 * created: the same rule (delivery-access.ts) over the entry re-read from the ledger.
 */
async function stillAllowed(access: DeliveryAccess | undefined, store: Store, claimed: Item): Promise<AccessVerdict> {
  if (!access) return { allowed: true };
  const entry = await readEntry(store, String(claimed.orgId), Number(claimed.seq));
  const kind = kindOfAction(entry?.action ?? '');
  if (!entry || !kind) return { allowed: false, reason: 'the ledger entry could not be read' };
  return access.mayReceive(String(claimed.userId), entry, kind);
}

/** Sends every delivery whose time has come (new ones are due at once, retries per their backoff). */
export async function processDueDeliveries({ deps, policy, orgId, report, access }: DeliveryRun): Promise<void> {
  let handled = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.store.query(notificationKeys.dueIndex(orgId), {
      index: 'gsi1',
      skBetween: ['0', `${deps.clock.now().toISOString()}#~`],
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    for (const item of page.items) {
      if (handled >= policy.maxDeliveriesPerRun) return;
      const claimed = await claim(deps, policy, item);
      if (!claimed) continue;
      handled++;
      const verdict = await stillAllowed(access, deps.store, claimed);
      if (!verdict.allowed) {
        // Not a failure of the receiver: it neither retries nor counts towards disabling a webhook.
        if ((await settle(deps, claimed, { delivered: false, skipped: true, error: verdict.reason })) === 'skipped') {
          report.withheld++;
        }
        continue;
      }
      if (claimed.channel === 'webhook') await attemptWebhook(deps, policy, claimed, report);
      else await attemptEmail(deps, claimed, report);
    }
    cursor = page.nextCursor;
  } while (cursor);
}
