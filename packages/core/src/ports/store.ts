/**
 * The persistence port: a single-table key-value store with sorted partitions, conditional writes
 * and multi-item transactions. The DynamoDB adapter implements it (packages/aws); core speaks only
 * this interface.
 *
 * Item layout: `pk` + `sk` form the primary key. Two optional, sparse secondary indexes:
 * `gsi1pk`/`gsi1sk` and `gsi2pk`/`gsi2sk`. `ttl` (epoch seconds) expires an item.
 */
export type ItemValue = string | number | boolean | null | ItemValue[] | { [key: string]: ItemValue };
export interface Item {
  pk: string;
  sk: string;
  gsi1pk?: string;
  gsi1sk?: string;
  gsi2pk?: string;
  gsi2sk?: string;
  ttl?: number;
  [attribute: string]: ItemValue | undefined;
}

export interface ItemKey {
  pk: string;
  sk: string;
}

/** Conditions a write may carry; a failed one raises ConditionFailedError (or cancels a transaction). */
export type Condition =
  | { kind: 'notExists' }
  | { kind: 'exists' }
  | { kind: 'equals'; attribute: string; value: string | number | boolean }
  | { kind: 'notExistsOrEquals'; attribute: string; value: string | number | boolean };

export type WriteOp =
  | { kind: 'put'; item: Item; condition?: Condition }
  | { kind: 'delete'; key: ItemKey; condition?: Condition }
  | { kind: 'check'; key: ItemKey; condition: Condition };

export type IndexName = 'gsi1' | 'gsi2';

export interface QueryOptions {
  /** Query a secondary index instead of the table; `partition` is then that index's partition key. */
  index?: IndexName;
  /** Only sort keys starting with this prefix. */
  skPrefix?: string;
  /** Only sort keys within [from, to] (inclusive). */
  skBetween?: readonly [string, string];
  /** Page size (the adapter may return fewer). */
  limit?: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
  /** Newest (highest sort key) first. */
  descending?: boolean;
  /** Strongly consistent read (table only). */
  consistent?: boolean;
}

export interface Page<T> {
  items: T[];
  /** Present when more items may follow. */
  nextCursor?: string;
}

export interface Store {
  get(key: ItemKey, options?: { consistent?: boolean }): Promise<Item | undefined>;
  /** Up to 100 keys; missing ones are simply absent from the result. */
  batchGet(keys: readonly ItemKey[]): Promise<Item[]>;
  put(item: Item, condition?: Condition): Promise<void>;
  delete(key: ItemKey, condition?: Condition): Promise<void>;
  query(partition: string, options?: QueryOptions): Promise<Page<Item>>;
  /**
   * All-or-nothing write of up to 100 operations. A failed condition raises ConditionFailedError
   * naming the index of the failing operation; a concurrent writer raises TransactionConflictError.
   */
  transact(ops: readonly WriteOp[]): Promise<void>;
  /** Cheap reachability check for /api/health. */
  ping(): Promise<void>;
}
