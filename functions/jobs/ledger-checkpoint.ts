import { type AppDeps, buildDeps, loadConfig } from '@evidence-portal/api';
import { checkpointAllLedgers } from '@evidence-portal/core';

// Composition root of the scheduled ledger checkpoint (EventBridge schedule in AWS; the local server
// runs `checkpointAllLedgers` on a timer). Built on first run, once per cold start.
let deps: AppDeps | undefined;

export async function handler() {
  deps ??= buildDeps(loadConfig(process.env));
  const logger = deps.logger.child({ job: 'ledger-checkpoint' });
  const result = await checkpointAllLedgers({ ledger: deps.ledger, logger });
  logger.log('info', 'ledger checkpoint run finished', { ...result });
  return result;
}
