/** How hard the worker tries, and when it gives up on a webhook. */
export interface DeliveryPolicy {
  /** Attempts per delivery, the first included. */
  maxAttempts: number;
  /** Delay after the first failed attempt; doubles after each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A webhook whose deliveries exhaust their retries this many times in a row is disabled. */
  disableAfterConsecutiveFailures: number;
  /** A claimed delivery is invisible to other workers this long (a crashed worker's claim expires). */
  leaseMs: number;
  /** Ledger entries read per query. */
  batchSize: number;
  /** Upper bounds per run, so one run of the timer stays short. */
  maxEntriesPerRun: number;
  maxDeliveriesPerRun: number;
}

export const defaultDeliveryPolicy: DeliveryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 60_000,
  maxDelayMs: 6 * 60 * 60_000,
  disableAfterConsecutiveFailures: 5,
  leaseMs: 2 * 60_000,
  batchSize: 100,
  maxEntriesPerRun: 5_000,
  maxDeliveriesPerRun: 500,
};

/**
 * The delays after each failed attempt: base, 2x base, 4x base ... capped. No jitter: deliveries of
 * different entries already spread out, and a deterministic schedule is one a user can read in the
 * delivery log.
 */
export function backoffSchedule(policy: Pick<DeliveryPolicy, 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs'>): number[] {
  return Array.from({ length: Math.max(0, policy.maxAttempts - 1) }, (_, i) =>
    Math.min(policy.baseDelayMs * 2 ** i, policy.maxDelayMs),
  );
}
