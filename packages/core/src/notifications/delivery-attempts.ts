import type { Item, ItemValue } from '../ports/store.js';
import type { DeliveryWorkerDeps } from './delivery-deps.js';
import { type AttemptOutcome, settle } from './delivery-lease.js';
import type { DeliveryPolicy } from './delivery-policy.js';
import type { DeliveryReport } from './delivery-report.js';
import { signatureHeader, signWebhookBody } from './webhook-signature.js';
import { findWebhook, modifyWebhook } from './webhooks.js';

/** One signed POST to the subscriber's webhook; repeated failures disable it. */
export async function attemptWebhook(
  deps: DeliveryWorkerDeps,
  policy: DeliveryPolicy,
  claimed: Item,
  report: DeliveryReport,
): Promise<void> {
  const owner = { orgId: String(claimed.orgId), userId: String(claimed.userId) };
  const webhookId = String(claimed.webhookId);
  const log = deps.logger.child({ orgId: owner.orgId, webhookId, seq: claimed.seq });
  const webhook = await findWebhook(deps.store, owner, webhookId);
  if (!webhook?.enabled) {
    await settle(
      deps,
      claimed,
      { delivered: false, error: webhook ? 'webhook disabled' : 'webhook deleted' },
      { final: true },
    );
    report.failed++;
    return;
  }
  const body = String(claimed.body);
  const attempt = ((claimed.attempts ?? []) as ItemValue[]).length + 1;
  const timestamp = Math.floor(deps.clock.now().getTime() / 1000);
  report.attempts++;
  const response = await deps.transport.send({
    url: webhook.url,
    body,
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'evidence-portal-webhooks/1',
      [signatureHeader]: signWebhookBody(webhook.secret, timestamp, body),
      'X-Evidence-Event-Id': String(claimed.eventId),
      'X-Evidence-Delivery-Attempt': String(attempt),
    },
  });
  const delivered = response.ok && response.status >= 200 && response.status < 300;
  const outcome: AttemptOutcome = {
    delivered,
    ...(response.status !== undefined ? { status: response.status } : {}),
    ...(!response.ok ? { error: response.error } : delivered ? {} : { error: `receiver answered ${response.status}` }),
  };
  const result = await settle(deps, claimed, outcome);
  if (result === 'superseded') {
    log.log('warn', 'webhook attempt outlived its lease; another worker owns the delivery', { attempt });
    return;
  }
  if (result === 'delivered') {
    report.delivered++;
    log.log('info', 'webhook delivered', { attempt, status: response.status });
    if (webhook.consecutiveFailures > 0) {
      await modifyWebhook(deps.store, owner, webhookId, (current) =>
        current.consecutiveFailures === 0 ? undefined : { ...current, consecutiveFailures: 0 },
      );
    }
    return;
  }
  if (result === 'retry') {
    report.retried++;
    log.log('warn', 'webhook attempt failed; will retry', { attempt, error: outcome.error });
    return;
  }
  report.failed++;
  log.log('warn', 'webhook delivery failed', { attempts: attempt, error: outcome.error });
  const updated = await modifyWebhook(deps.store, owner, webhookId, (current) => {
    const failures = current.consecutiveFailures + 1;
    const disable = current.enabled && failures >= policy.disableAfterConsecutiveFailures;
    return {
      ...current,
      consecutiveFailures: failures,
      enabled: current.enabled && !disable,
      ...(disable ? { disabledReason: `${failures} deliveries in a row failed` } : {}),
      updatedAt: deps.clock.now().toISOString(),
    };
  });
  if (!updated.enabled && webhook.enabled) {
    report.webhooksDisabled.push(webhookId);
    log.log('warn', 'webhook disabled after repeated failures', { consecutiveFailures: updated.consecutiveFailures });
  }
}

/** One email; a failure is retried per the delivery's backoff. */
export async function attemptEmail(deps: DeliveryWorkerDeps, claimed: Item, report: DeliveryReport): Promise<void> {
  let outcome: AttemptOutcome;
  try {
    await deps.email.send({ to: String(claimed.to), subject: String(claimed.subject), text: String(claimed.text) });
    outcome = { delivered: true };
  } catch (error) {
    outcome = { delivered: false, error: error instanceof Error ? error.message : String(error) };
  }
  const result = await settle(deps, claimed, outcome);
  if (result === 'delivered') report.emailsSent++;
  else if (result !== 'superseded') report.emailsFailed++;
}
