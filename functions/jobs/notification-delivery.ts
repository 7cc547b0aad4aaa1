import { buildDeps, loadConfig } from '@evidence-portal/api';
import { HttpWebhookTransport, LogEmailSender } from '@evidence-portal/aws';
import { runNotificationJob, stageAllowsHttp } from '@evidence-portal/core';

// Composition root of the notification worker, run by a timer (EventBridge schedule in AWS). It announces
// new report versions into customer ledgers, turns new ledger entries into feed items, webhook
// deliveries and emails for subscribers who may still read them, and retries due deliveries.
const config = loadConfig(process.env);
const deps = buildDeps(config);
const logger = deps.logger.child({ job: 'notification-delivery' });
const worker = {
  store: deps.store,
  clock: deps.clock,
  logger,
  // No allow-list outside tests: every non-public address is refused at send time.
  transport: new HttpWebhookTransport({ allowHttp: stageAllowsHttp(config.stage) }),
  // No mail service is wired yet; the log adapter keeps the port honest until one is.
  email: new LogEmailSender(logger),
  // The fan-out appends announcements to customer ledgers; access is re-checked before each delivery.
  ledger: deps.ledger,
  authorizer: deps.authorizer,
};

export async function handler() {
  const result = await runNotificationJob(worker);
  logger.log('info', 'notification delivery run finished', { ...result });
  return result;
}
