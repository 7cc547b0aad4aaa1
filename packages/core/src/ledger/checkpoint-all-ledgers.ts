import type { Logger } from '../ports/runtime.js';
import type { Ledger } from './ledger.js';

export interface CheckpointRunResult {
  organizations: number;
  signed: number;
  unchanged: number;
  /** Ledgers that did not verify: nothing signed, an integrity alert raised. */
  refused: number;
  /** Ledgers the run could not finish (a dependency failed); retried next run. */
  failed: number;
}

/**
 * One scheduled checkpoint run: every organization's ledger is verified completely, and one that grew
 * since its newest checkpoint gets a new signed one. A ledger that does not verify is refused (and
 * alarmed) and does not stop the others. The Lambda job and the local server's timer both call this.
 */
export async function checkpointAllLedgers(deps: { ledger: Ledger; logger?: Logger }): Promise<CheckpointRunResult> {
  const result: CheckpointRunResult = { organizations: 0, signed: 0, unchanged: 0, refused: 0, failed: 0 };
  for await (const orgId of deps.ledger.organizations()) {
    result.organizations++;
    try {
      const outcome = await deps.ledger.signCheckpoint(orgId);
      result[outcome.status]++;
    } catch (error) {
      result.failed++;
      deps.logger?.log('error', 'ledger checkpoint failed', {
        orgId,
        error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
      });
    }
  }
  return result;
}
