import { ConditionFailedError, ValidationError } from '../errors.js';
import type { Condition, IndexName, Item, ItemKey, ItemValue, Page, QueryOptions, Store, WriteOp } from './store.js';
import { decodeStoreCursor, encodeStoreCursor } from './store-cursor.js';

/**
 * The Store port in memory, with DynamoDB's semantics where use cases can tell: conditions, all-or-
 * nothing transactions that name every failed operation, sort keys in UTF-8 byte order, sparse
 * secondary indexes, limits and opaque cursors bound to their partition, descending queries, copies
 * in and out. It passes the same contract suite as `DynamoStore` (test/support/store-contract.ts), so
 * use-case tests run on it without Java; DynamoDB Local keeps the adapter, concurrency and fault tests.
 *
 * Differences that cannot matter to a use case: every read is strongly consistent (index reads too),
 * and one process serializes all writes, so transactions never conflict (`TransactionConflictError`
 * is not raised; a lost race shows as a failed condition, as it does for DynamoDB conditional writes).
 * Like DynamoDB Local, it does not expire `ttl` items.
 */
export class MemoryStore implements Store {
  private readonly items = new Map<string, Item>();

  async get(key: ItemKey): Promise<Item | undefined> {
    const item = this.items.get(keyId(key));
    return item ? copy(item) : undefined;
  }

  async batchGet(keys: readonly ItemKey[]): Promise<Item[]> {
    const seen = new Set<string>();
    const found: Item[] = [];
    for (const key of keys) {
      const id = keyId(key);
      const item = this.items.get(id);
      if (item && !seen.has(id)) found.push(copy(item));
      seen.add(id);
    }
    return found;
  }

  async put(item: Item, condition?: Condition): Promise<void> {
    if (condition && !holds(condition, this.items.get(keyId(item)))) {
      throw new ConditionFailedError('Memory store PutItem condition failed');
    }
    this.items.set(keyId(item), stored(item));
  }

  async delete(key: ItemKey, condition?: Condition): Promise<void> {
    if (condition && !holds(condition, this.items.get(keyId(key)))) {
      throw new ConditionFailedError('Memory store DeleteItem condition failed');
    }
    this.items.delete(keyId(key));
  }

  async query(partition: string, options: QueryOptions = {}): Promise<Page<Item>> {
    if (options.index !== undefined && options.index !== 'gsi1' && options.index !== 'gsi2') {
      throw new ValidationError('Unknown index', [{ path: 'index', message: 'unknown' }]);
    }
    if (options.skPrefix !== undefined && options.skBetween !== undefined) {
      throw new ValidationError('Use either skPrefix or skBetween', [
        { path: 'skBetween', message: 'cannot be combined with skPrefix' },
      ]);
    }
    if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) {
      throw new ValidationError('Invalid limit', [{ path: 'limit', message: 'must be a positive integer' }]);
    }
    const { partitionAttribute, sortAttribute } = attributesOf(options.index);
    const start =
      options.cursor !== undefined ? decodeCursor(options.cursor, partitionAttribute, partition) : undefined;
    const matching = [...this.items.values()]
      .filter((item) => item[partitionAttribute] === partition && typeof item[sortAttribute] === 'string')
      .filter((item) => inRange(String(item[sortAttribute]), options))
      .sort((a, b) => order(a, b, options.index));
    if (options.descending) matching.reverse();
    let from = 0;
    if (start) {
      const at = matching.findIndex((item) => keyId(item) === keyId(start));
      // The item the cursor names may have gone: continue after where it would sort.
      from =
        at >= 0
          ? at + 1
          : matching.findIndex((item) => {
              const cmp = order(item, start as Item, options.index);
              return options.descending ? cmp < 0 : cmp > 0;
            });
      if (from < 0) from = matching.length;
    }
    const rest = matching.slice(from);
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const items = rest.slice(0, limit).map(copy);
    // As DynamoDB: a page cut by the limit carries a cursor, even when nothing follows.
    const last = items.at(-1);
    return rest.length >= limit && last
      ? { items, nextCursor: encodeStoreCursor(cursorKey(last, options.index)) }
      : { items };
  }

  async transact(ops: readonly WriteOp[]): Promise<void> {
    if (ops.length === 0) return;
    if (ops.length > 100) {
      throw new ValidationError('Too many operations in one transaction', [{ path: 'ops', message: 'at most 100' }]);
    }
    const ids = ops.map((op) => keyId(op.kind === 'put' ? op.item : op.key));
    if (new Set(ids).size !== ids.length) {
      // DynamoDB refuses it outright (ValidationException): a bug in the caller, not a race.
      throw new Error('Memory store: a transaction cannot name the same item twice');
    }
    const failed = ops.flatMap((op, index) =>
      op.condition && !holds(op.condition, this.items.get(ids[index] as string)) ? [index] : [],
    );
    if (failed.length > 0) {
      throw new ConditionFailedError(`Transaction condition failed at operation ${failed.join(', ')}`, {
        failedOperations: failed,
      });
    }
    ops.forEach((op, index) => {
      const id = ids[index] as string;
      if (op.kind === 'put') this.items.set(id, stored(op.item));
      else if (op.kind === 'delete') this.items.delete(id);
    });
  }

  async ping(): Promise<void> {}
}

const keyId = (key: ItemKey) => JSON.stringify([key.pk, key.sk]);

/** What DynamoDB keeps of an item: a deep copy without `undefined` attributes (the SDK drops them). */
function stored(item: Item): Item {
  return JSON.parse(JSON.stringify(item)) as Item;
}

const copy = (item: Item): Item => structuredClone(item);

function holds(condition: Condition, current: Item | undefined): boolean {
  switch (condition.kind) {
    case 'notExists':
      return current === undefined;
    case 'exists':
      return current !== undefined;
    case 'equals':
      return current !== undefined && sameValue(current[condition.attribute], condition.value);
    case 'notExistsOrEquals':
      return (
        current === undefined ||
        current[condition.attribute] === undefined ||
        sameValue(current[condition.attribute], condition.value)
      );
  }
}

const sameValue = (stored: ItemValue | undefined, value: string | number | boolean) => stored === value;

function attributesOf(index: IndexName | undefined) {
  return index
    ? { partitionAttribute: `${index}pk`, sortAttribute: `${index}sk` }
    : { partitionAttribute: 'pk', sortAttribute: 'sk' };
}

/** DynamoDB orders string sort keys by their UTF-8 bytes (not JavaScript's UTF-16 code units). */
function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Index order: the index sort key, then the table key (DynamoDB leaves ties unordered; any fixed order will do). */
function order(a: Item, b: Item, index: IndexName | undefined): number {
  const { sortAttribute } = attributesOf(index);
  return (
    compareBytes(String(a[sortAttribute]), String(b[sortAttribute])) ||
    compareBytes(a.pk, b.pk) ||
    compareBytes(a.sk, b.sk)
  );
}

function inRange(sortKey: string, options: QueryOptions): boolean {
  if (options.skPrefix !== undefined) return sortKey.startsWith(options.skPrefix);
  if (options.skBetween !== undefined) {
    const [from, to] = options.skBetween;
    return compareBytes(sortKey, from) >= 0 && compareBytes(sortKey, to) <= 0;
  }
  return true;
}

function cursorKey(item: Item, index: IndexName | undefined): Record<string, string> {
  const key: Record<string, string> = { pk: item.pk, sk: item.sk };
  if (index) {
    const { partitionAttribute, sortAttribute } = attributesOf(index);
    key[partitionAttribute] = String(item[partitionAttribute]);
    key[sortAttribute] = String(item[sortAttribute]);
  }
  return key;
}

const keyAttributes = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk']);

function decodeCursor(cursor: string, partitionAttribute: string, partition: string): Item {
  const key = decodeStoreCursor(cursor, partitionAttribute, partition, keyAttributes);
  if (typeof key.pk !== 'string' || typeof key.sk !== 'string') {
    throw new ValidationError('Invalid cursor', [{ path: 'cursor', message: 'malformed' }]);
  }
  return key as unknown as Item;
}
