import type { Logger } from '../ports/runtime.js';
import type { Ledger } from './ledger.js';

export interface CheckpointRunResult {
  organizations: number;
  signed: number;
  unchanged: number;
  failed: number;
}

/**
 * One scheduled checkpoint run: every organization whose ledger grew since its last checkpoint gets a
 * new signed one. One org's failure (say, a damaged chain, which is never signed over) is logged and
 * does not stop the others. The Lambda job and the local server's timer both call this.
 */
export async function checkpointAllLedgers(deps: { ledger: Ledger; logger?: Logger }): Promise<CheckpointRunResult> {
  const result: CheckpointRunResult = { organizations: 0, signed: 0, unchanged: 0, failed: 0 };
  for await (const orgId of deps.ledger.organizations()) {
    result.organizations++;
    try {
      const [head, latest] = await Promise.all([deps.ledger.head(orgId), deps.ledger.latestCheckpoint(orgId)]);
      if (!head || (latest && latest.size >= head.seq)) {
        result.unchanged++;
        continue;
      }
      await deps.ledger.checkpoint(orgId);
      result.signed++;
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
