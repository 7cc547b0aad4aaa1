import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Condition, Item, ItemKey, Page, QueryOptions, Store, WriteOp } from '@evidence-portal/core';
import {
  ConditionFailedError,
  DependencyUnavailableError,
  decodeStoreCursor,
  encodeStoreCursor,
  TransactionConflictError,
  ValidationError,
} from '@evidence-portal/core';
import { translateDynamoError } from './aws-errors.js';
import { GetCoalescer, keyId, maxBatchGetKeys } from './get-coalescer.js';
import { tableSchema } from './table-schema.js';

type AttributeValues = Record<string, unknown>;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

interface ConditionParts {
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: AttributeValues;
}

/** Placeholders only: attribute names never enter an expression string. */
export function conditionExpression(condition: Condition): ConditionParts {
  switch (condition.kind) {
    case 'notExists':
      return {
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': tableSchema.partitionKey },
      };
    case 'exists':
      return {
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#pk': tableSchema.partitionKey },
      };
    case 'equals':
      return {
        ConditionExpression: '#a = :v',
        ExpressionAttributeNames: { '#a': condition.attribute },
        ExpressionAttributeValues: { ':v': condition.value },
      };
    case 'notExistsOrEquals':
      return {
        ConditionExpression: 'attribute_not_exists(#a) OR #a = :v',
        ExpressionAttributeNames: { '#a': condition.attribute },
        ExpressionAttributeValues: { ':v': condition.value },
      };
  }
}

const maxTransactOps = 100;
const maxBatchGetAttempts = 8;

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? (error as { name?: string }).name : undefined;
}

/** The table's and its indexes' key attributes: what a cursor may name. */
const keyAttributes = new Set<string>([
  tableSchema.partitionKey,
  tableSchema.sortKey,
  ...tableSchema.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
]);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The Store port over one DynamoDB table (see table-schema.ts for its layout). */
export class DynamoStore implements Store {
  private readonly coalescer = new GetCoalescer({
    one: (key, consistent) => this.getItem(key, consistent),
    many: async (keys, consistent) => {
      const found = new Map<string, Item>();
      await this.batchGetChunk(keys, found, consistent);
      return found;
    },
  });

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  get(key: ItemKey, options?: { consistent?: boolean }): Promise<Item | undefined> {
    return this.coalescer.get(key, options?.consistent ?? false);
  }

  private async getItem(key: ItemKey, consistent: boolean): Promise<Item | undefined> {
    const result = await this.call('GetItem', () =>
      this.documents.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: key.pk, sk: key.sk },
          ConsistentRead: consistent,
        }),
      ),
    );
    return result.Item as Item | undefined;
  }

  async batchGet(keys: readonly ItemKey[]): Promise<Item[]> {
    // DynamoDB rejects a batch that names the same key twice.
    const unique = new Map<string, ItemKey>();
    for (const key of keys) unique.set(keyId(key), { pk: key.pk, sk: key.sk });
    const found = new Map<string, Item>();
    const all = [...unique.values()];
    for (let start = 0; start < all.length; start += maxBatchGetKeys) {
      await this.batchGetChunk(all.slice(start, start + maxBatchGetKeys), found, false);
    }
    // Request order, so callers get a stable answer.
    const items: Item[] = [];
    for (const key of keys) {
      const item = found.get(keyId(key));
      if (item && !items.includes(item)) items.push(item);
    }
    return items;
  }

  private async batchGetChunk(keys: ItemKey[], found: Map<string, Item>, consistent: boolean): Promise<void> {
    let pending: Record<string, unknown>[] = keys.map((key) => ({ pk: key.pk, sk: key.sk }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= maxBatchGetAttempts) {
        throw new DependencyUnavailableError('store', 'DynamoDB BatchGetItem left keys unprocessed after retries');
      }
      if (attempt > 0) await sleep(Math.random() * Math.min(1000, 25 * 2 ** attempt));
      const result = await this.call('BatchGetItem', () =>
        this.documents.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: pending, ...(consistent ? { ConsistentRead: true } : {}) } },
          }),
        ),
      );
      for (const item of (result.Responses?.[this.tableName] ?? []) as Item[]) {
        found.set(keyId(item), item);
      }
      pending = (result.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }

  async put(item: Item, condition?: Condition): Promise<void> {
    await this.call(
      'PutItem',
      () =>
        this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: item,
            ...(condition ? conditionExpression(condition) : {}),
          }),
        ),
      true,
    );
  }

  async delete(key: ItemKey, condition?: Condition): Promise<void> {
    await this.call(
      'DeleteItem',
      () =>
        this.documents.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: { pk: key.pk, sk: key.sk },
            ...(condition ? conditionExpression(condition) : {}),
          }),
        ),
      true,
    );
  }

  async query(partition: string, options: QueryOptions = {}): Promise<Page<Item>> {
    const index = options.index
      ? tableSchema.globalSecondaryIndexes.find((i) => i.indexName === options.index)
      : undefined;
    if (options.index && !index) throw new ValidationError('Unknown index', [{ path: 'index', message: 'unknown' }]);
    const partitionAttribute = index?.partitionKey ?? tableSchema.partitionKey;
    const sortAttribute = index?.sortKey ?? tableSchema.sortKey;
    if (options.skPrefix !== undefined && options.skBetween !== undefined) {
      throw new ValidationError('Use either skPrefix or skBetween', [
        { path: 'skBetween', message: 'cannot be combined with skPrefix' },
      ]);
    }
    if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) {
      throw new ValidationError('Invalid limit', [{ path: 'limit', message: 'must be a positive integer' }]);
    }
    const names: Record<string, string> = { '#p': partitionAttribute };
    const values: AttributeValues = { ':p': partition };
    let keyCondition = '#p = :p';
    if (options.skPrefix !== undefined) {
      names['#s'] = sortAttribute;
      values[':prefix'] = options.skPrefix;
      keyCondition += ' AND begins_with(#s, :prefix)';
    } else if (options.skBetween !== undefined) {
      names['#s'] = sortAttribute;
      values[':from'] = options.skBetween[0];
      values[':to'] = options.skBetween[1];
      keyCondition += ' AND #s BETWEEN :from AND :to';
    }
    const startKey =
      options.cursor !== undefined
        ? decodeStoreCursor(options.cursor, partitionAttribute, partition, keyAttributes)
        : undefined;
    const result = await this.call('Query', () =>
      this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          ...(index ? { IndexName: index.indexName } : {}),
          KeyConditionExpression: keyCondition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: !options.descending,
          // Secondary indexes cannot be read consistently; the option applies to the table only.
          ...(index ? {} : { ConsistentRead: options.consistent ?? false }),
          ...(options.limit !== undefined ? { Limit: options.limit } : {}),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      ),
    );
    const items = (result.Items ?? []) as Item[];
    return result.LastEvaluatedKey ? { items, nextCursor: encodeStoreCursor(result.LastEvaluatedKey) } : { items };
  }

  async transact(ops: readonly WriteOp[]): Promise<void> {
    if (ops.length === 0) return;
    if (ops.length > maxTransactOps) {
      throw new ValidationError('Too many operations in one transaction', [
        { path: 'ops', message: `at most ${maxTransactOps}` },
      ]);
    }
    const items = ops.map((op) => this.transactItem(op));
    try {
      await this.documents.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      throw this.translateTransactionError(error);
    }
  }

  private transactItem(op: WriteOp): TransactItem {
    const condition = op.condition ? conditionExpression(op.condition) : {};
    switch (op.kind) {
      case 'put':
        return { Put: { TableName: this.tableName, Item: op.item, ...condition } };
      case 'delete':
        return { Delete: { TableName: this.tableName, Key: { pk: op.key.pk, sk: op.key.sk }, ...condition } };
      case 'check':
        return {
          ConditionCheck: {
            TableName: this.tableName,
            Key: { pk: op.key.pk, sk: op.key.sk },
            ...conditionExpression(op.condition),
          },
        };
    }
  }

  private translateTransactionError(error: unknown): Error {
    if (errorName(error) !== 'TransactionCanceledException') return translateDynamoError('TransactWriteItems', error);
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    const failed = reasons.flatMap((reason, index) => (reason.Code === 'ConditionalCheckFailed' ? [index] : []));
    if (failed.length > 0) {
      return new ConditionFailedError(`Transaction condition failed at operation ${failed.join(', ')}`, {
        cause: error,
        failedOperations: failed,
      });
    }
    if (reasons.some((reason) => reason.Code === 'TransactionConflict')) {
      return new TransactionConflictError('Transaction conflicted with a concurrent writer', { cause: error });
    }
    const throttled = reasons.some(
      (reason) => reason.Code === 'ThrottlingError' || reason.Code === 'ProvisionedThroughputExceeded',
    );
    if (throttled) {
      return new DependencyUnavailableError('store', 'DynamoDB TransactWriteItems throttled', true, { cause: error });
    }
    return translateDynamoError('TransactWriteItems', error);
  }

  async ping(): Promise<void> {
    // A GetItem on a key that never exists: cheap, and needs no permission beyond what the app uses.
    await this.call('GetItem', () =>
      this.documents.send(new GetCommand({ TableName: this.tableName, Key: { pk: '#ping', sk: '#ping' } })),
    );
  }

  private async call<T>(operation: string, send: () => Promise<T>, conditional = false): Promise<T> {
    try {
      return await send();
    } catch (error) {
      if (conditional && errorName(error) === 'ConditionalCheckFailedException') {
        throw new ConditionFailedError(`DynamoDB ${operation} condition failed`, { cause: error });
      }
      throw translateDynamoError(operation, error);
    }
  }
}
