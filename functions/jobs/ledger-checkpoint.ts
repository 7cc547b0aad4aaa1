import { buildDeps, buildJobs, loadConfig, type PortalJobs } from '@evidence-portal/api';

// Composition root of the scheduled ledger checkpoint (EventBridge schedule in AWS). The wiring is the
// jobs composition the local server's timers use too (`buildJobs`). Built on first run, once per cold start.
let jobs: PortalJobs | undefined;

export async function handler() {
  jobs ??= buildJobs(buildDeps(loadConfig(process.env)));
  return jobs.checkpointLedgers();
}
