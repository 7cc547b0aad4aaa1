import { ConditionFailedError, TransactionConflictError } from '../errors.js';

/** A write lost to a concurrent writer: its condition no longer held, or the transaction conflicted. */
export function lostRace(error: unknown): boolean {
  return error instanceof ConditionFailedError || error instanceof TransactionConflictError;
}

/**
 * Optimistic concurrency: `attempt` reads, decides and writes under a condition; when it loses a race
 * it runs again on fresh reads, up to `attempts` times. After the last lost race, `exhausted()` (a
 * domain error the caller can act on) is thrown, or the last race error when none is given. Errors
 * that are not races propagate at once.
 */
export async function retryOnRace<T>(
  attempt: (n: number) => Promise<T>,
  options: { attempts: number; exhausted?: (error: unknown) => Error },
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!lostRace(error)) throw error;
      if (n >= options.attempts) throw options.exhausted ? options.exhausted(error) : error;
    }
  }
}
