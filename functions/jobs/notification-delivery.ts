import { buildDeps, buildJobs, loadConfig } from '@evidence-portal/api';

// Composition root of the notification worker, run by a timer (EventBridge schedule in AWS). It announces
// new report versions into customer ledgers, turns new ledger entries into feed items, webhook
// deliveries and emails for subscribers who may still read them, and retries due deliveries; then it
// issues and mails the queued password-reset links (the API only queues them). The wiring
// is the jobs composition the local server's timers use too.
const deps = buildDeps(loadConfig(process.env));
const jobs = buildJobs(deps);
const logger = deps.logger.child({ job: 'notification-delivery' });

export async function handler() {
  const result = await jobs.deliverNotifications();
  const accountMail = await jobs.deliverAccountMail();
  logger.log('info', 'notification delivery run finished', { ...result, accountMail });
  return { ...result, accountMail };
}
