import { ConditionFailedError } from '../errors.js';
import type { Item, ItemValue } from '../ports/store.js';
import type { DeliveryWorkerDeps } from './delivery-deps.js';
import type { DeliveryPolicy } from './delivery-policy.js';
import { dueSortKey } from './notification-keys.js';

export interface AttemptOutcome {
  delivered: boolean;
  /** Not attempted: the subscriber may no longer read the subject. Settles the delivery as `skipped`. */
  skipped?: boolean;
  status?: number;
  error?: string;
}

/** Takes a due delivery for this worker for `leaseMs`; false when someone else already has it. */
export async function claim(deps: DeliveryWorkerDeps, policy: DeliveryPolicy, item: Item): Promise<Item | undefined> {
  const now = deps.clock.now();
  const current = await deps.store.get({ pk: item.pk, sk: item.sk }, { consistent: true });
  if (current?.status !== 'pending') return undefined;
  if (String(current.nextAttemptAt) > now.toISOString()) return undefined;
  const leaseUntil = new Date(now.getTime() + policy.leaseMs).toISOString();
  const claimed: Item = {
    ...current,
    nextAttemptAt: leaseUntil,
    gsi1sk: dueSortKey(leaseUntil, current),
    version: Number(current.version) + 1,
  };
  try {
    await deps.store.put(claimed, { kind: 'equals', attribute: 'version', value: Number(current.version) });
    return claimed;
  } catch (error) {
    if (error instanceof ConditionFailedError) return undefined;
    throw error;
  }
}

/** Records an attempt; schedules the next one per the stored backoff, or settles the delivery. */
export async function settle(
  deps: DeliveryWorkerDeps,
  claimed: Item,
  outcome: AttemptOutcome,
  options: { final?: boolean } = {},
): Promise<'delivered' | 'retry' | 'failed' | 'skipped' | 'superseded'> {
  const now = deps.clock.now();
  const attempts = [...((claimed.attempts ?? []) as ItemValue[])];
  attempts.push({
    at: now.toISOString(),
    outcome: outcome.delivered ? 'delivered' : outcome.skipped ? 'skipped' : 'failed',
    ...(outcome.status !== undefined ? { status: outcome.status } : {}),
    ...(outcome.error !== undefined ? { error: outcome.error.slice(0, 300) } : {}),
  });
  const schedule = (claimed.backoffMs ?? []) as number[];
  const delay = schedule[attempts.length - 1];
  const result = outcome.delivered
    ? 'delivered'
    : outcome.skipped
      ? 'skipped'
      : delay === undefined || options.final
        ? 'failed'
        : 'retry';
  const { gsi1pk, gsi1sk: _due, nextAttemptAt: _next, ...rest } = claimed;
  let next: Item = { ...rest, status: result };
  if (result === 'retry') {
    const at = new Date(now.getTime() + (delay ?? 0)).toISOString();
    next = { ...rest, gsi1pk: String(gsi1pk), gsi1sk: dueSortKey(at, claimed), nextAttemptAt: at };
  }
  try {
    await deps.store.put(
      { ...next, attempts, updatedAt: now.toISOString(), version: Number(claimed.version) + 1 },
      { kind: 'equals', attribute: 'version', value: Number(claimed.version) },
    );
  } catch (error) {
    // Our lease ran out and another worker claimed the delivery: its record wins, ours is dropped.
    if (error instanceof ConditionFailedError) return 'superseded';
    throw error;
  }
  return result;
}
