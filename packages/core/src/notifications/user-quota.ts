import { commonErrors } from '../error-codes.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { retryOnRace } from '../ports/retry-on-race.js';
import type { Item, ItemKey, Store, WriteOp } from '../ports/store.js';
import { notificationKeys } from './notification-keys.js';

/**
 * Per-user limits on what a user keeps (webhooks, subscriptions), enforced in the write itself: one
 * counter item per user and kind, changed in the same transaction as the object, under a condition on
 * the count read. Concurrent creates cannot all pass a check made before the write; here one wins each
 * round and the others retry on fresh reads, so the limit holds however many race.
 */
export interface QuotaKind {
  name: 'webhooks' | 'subscriptions';
  limit: number;
  /** The sort-key prefix of the objects counted (the count of a user without a counter item yet). */
  skPrefix: string;
  code: 'too_many_webhooks' | 'too_many_subscriptions';
}

export const webhookQuota: QuotaKind = { name: 'webhooks', limit: 10, skPrefix: 'WEBHOOK#', code: 'too_many_webhooks' };
export const subscriptionQuota: QuotaKind = {
  name: 'subscriptions',
  limit: 50,
  skPrefix: 'SUB#',
  code: 'too_many_subscriptions',
};

type Owner = { orgId: string; userId: string };
const counterKey = (owner: Owner, kind: QuotaKind): ItemKey => ({
  pk: notificationKeys.userPartition(owner.orgId, owner.userId),
  sk: `QUOTA#${kind.name}`,
});

/** Enough rounds for every one of many concurrent writers of one user to get its turn. */
const attempts = 64;

async function currentCount(store: Store, owner: Owner, kind: QuotaKind): Promise<{ count: number; item?: Item }> {
  const item = await store.get(counterKey(owner, kind), { consistent: true });
  if (item) return { count: Number(item.count ?? 0), item };
  // Objects written before counters existed: count them once, and the first write creates the counter.
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await store.query(notificationKeys.userPartition(owner.orgId, owner.userId), {
      skPrefix: kind.skPrefix,
      consistent: true,
      ...(cursor ? { cursor } : {}),
    });
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return { count };
}

function counterWrite(owner: Owner, kind: QuotaKind, read: { count: number; item?: Item }, next: number): WriteOp {
  return {
    kind: 'put',
    item: { ...counterKey(owner, kind), type: 'notification-quota', count: next },
    condition: read.item ? { kind: 'equals', attribute: 'count', value: read.count } : { kind: 'notExists' },
  };
}

/** Writes `op` (the new object) only if the user is under the limit, counting it in the same transaction. */
export async function writeWithinQuota(store: Store, owner: Owner, kind: QuotaKind, op: WriteOp): Promise<void> {
  await retryOnRace(
    async () => {
      const read = await currentCount(store, owner, kind);
      if (read.count >= kind.limit) {
        throw new ConflictError(`At most ${kind.limit} ${kind.name} per user.`, kind.code);
      }
      await store.transact([op, counterWrite(owner, kind, read, read.count + 1)]);
    },
    {
      attempts,
      exhausted: () => commonErrors.error('concurrent_change', `Your ${kind.name} changed meanwhile; retry.`),
    },
  );
}

/** Removes an object and gives its place back; `missing` is the refusal when it is not there. */
export async function removeWithinQuota(
  store: Store,
  owner: Owner,
  kind: QuotaKind,
  key: ItemKey,
  missing: string,
): Promise<void> {
  await retryOnRace(
    async () => {
      if (!(await store.get(key, { consistent: true }))) throw new NotFoundError(missing);
      const read = await currentCount(store, owner, kind);
      await store.transact([
        { kind: 'delete', key, condition: { kind: 'exists' } },
        counterWrite(owner, kind, read, Math.max(0, read.count - 1)),
      ]);
    },
    {
      attempts,
      exhausted: () => commonErrors.error('concurrent_change', `Your ${kind.name} changed meanwhile; retry.`),
    },
  );
}
