import type { Condition, Item, ItemKey, Page, QueryOptions, Store, WriteOp } from '@evidence-portal/core';

/** Wraps a Store and counts calls and written items, so tests and the bench can hold the design to its budget. */
export class CountingStore implements Store {
  calls = 0;
  itemsWritten = 0;
  readonly byMethod: Record<string, number> = {};

  constructor(private readonly inner: Store) {}

  reset(): void {
    this.calls = 0;
    this.itemsWritten = 0;
    for (const key of Object.keys(this.byMethod)) delete this.byMethod[key];
  }

  private count(method: string, written = 0): void {
    this.calls += 1;
    this.itemsWritten += written;
    this.byMethod[method] = (this.byMethod[method] ?? 0) + 1;
  }

  get(key: ItemKey, options?: { consistent?: boolean }): Promise<Item | undefined> {
    this.count('get');
    return this.inner.get(key, options);
  }
  batchGet(keys: readonly ItemKey[]): Promise<Item[]> {
    this.count('batchGet');
    return this.inner.batchGet(keys);
  }
  put(item: Item, condition?: Condition): Promise<void> {
    this.count('put', 1);
    return this.inner.put(item, condition);
  }
  delete(key: ItemKey, condition?: Condition): Promise<void> {
    this.count('delete', 1);
    return this.inner.delete(key, condition);
  }
  query(partition: string, options?: QueryOptions): Promise<Page<Item>> {
    this.count('query');
    return this.inner.query(partition, options);
  }
  transact(ops: readonly WriteOp[]): Promise<void> {
    this.count('transact', ops.filter((op) => op.kind !== 'check').length);
    return this.inner.transact(ops);
  }
  ping(): Promise<void> {
    return this.inner.ping();
  }
}
