import type { Item, ItemKey } from '@evidence-portal/core';

/** DynamoDB's BatchGetItem takes at most 100 keys. */
export const maxBatchGetKeys = 100;

export function keyId(key: ItemKey): string {
  return JSON.stringify([key.pk, key.sk]);
}

interface Waiter {
  resolve(item: Item | undefined): void;
  reject(error: unknown): void;
}

interface PendingGet {
  key: ItemKey;
  waiters: Waiter[];
}

export interface CoalescedReads {
  one(key: ItemKey, consistent: boolean): Promise<Item | undefined>;
  /** Up to `maxBatchGetKeys` distinct keys; the items found, by `keyId`. */
  many(keys: ItemKey[], consistent: boolean): Promise<Map<string, Item>>;
}

/**
 * Single-item gets issued in the same turn of the event loop leave as one BatchGetItem (per read
 * consistency). Under load the SDK's fixed cost per call (middleware, endpoint, signing, HTTP) is most
 * of a request's CPU, and concurrent requests each read their session, user and stamps: coalesced,
 * they pay it once. A get alone in its turn stays a GetItem, so an idle portal behaves as before.
 */
export class GetCoalescer {
  private readonly pending = new Map<boolean, Map<string, PendingGet>>();
  private scheduled = false;

  constructor(private readonly reads: CoalescedReads) {}

  get(key: ItemKey, consistent: boolean): Promise<Item | undefined> {
    return new Promise((resolve, reject) => {
      let group = this.pending.get(consistent);
      if (!group) {
        group = new Map();
        this.pending.set(consistent, group);
      }
      const id = keyId(key);
      const entry = group.get(id);
      if (entry) entry.waiters.push({ resolve, reject });
      else group.set(id, { key: { pk: key.pk, sk: key.sk }, waiters: [{ resolve, reject }] });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the I/O callbacks of this turn, so the gets they issue travel together.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const groups = [...this.pending];
    this.pending.clear();
    for (const [consistent, group] of groups) {
      const entries = [...group.values()];
      if (entries.length === 1) {
        const [entry] = entries as [PendingGet];
        this.reads.one(entry.key, consistent).then(
          (item) => settle(entry, item),
          (error) => fail(entry, error),
        );
        continue;
      }
      for (let start = 0; start < entries.length; start += maxBatchGetKeys) {
        const chunk = entries.slice(start, start + maxBatchGetKeys);
        this.reads
          .many(
            chunk.map((entry) => entry.key),
            consistent,
          )
          .then(
            (found) => {
              for (const entry of chunk) settle(entry, found.get(keyId(entry.key)));
            },
            (error) => {
              for (const entry of chunk) fail(entry, error);
            },
          );
      }
    }
  }
}

/** Each waiter gets its own copy: callers may change the item they were given. */
function settle(entry: PendingGet, item: Item | undefined): void {
  entry.waiters.forEach((waiter, index) => {
    waiter.resolve(item && index > 0 ? structuredClone(item) : item);
  });
}

function fail(entry: PendingGet, error: unknown): void {
  for (const waiter of entry.waiters) waiter.reject(error);
}
