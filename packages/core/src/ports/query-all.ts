import type { Item, QueryOptions, Store } from './store.js';

/**
 * Every item of a partition (or prefix, or index partition), following cursors: for partitions a
 * use case reads whole (directory partitions, an agreement's acceptors). Listings users page through
 * pass their cursor on instead.
 */
export async function queryAll(store: Store, partition: string, options: QueryOptions = {}): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.query(partition, { ...options, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
