import { randomUUID } from 'node:crypto';
import { ConditionFailedError, type Item, ValidationError } from '@evidence-portal/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { localStack } from '../../../test/support/context.js';
import { createAwsClients, localCredentials } from './clients.js';
import { DynamoStore } from './dynamo-store.js';

function newStore(): DynamoStore {
  const info = localStack();
  const clients = createAwsClients({
    region: info.region,
    dynamodbEndpoint: info.dynamodbEndpoint,
    credentials: localCredentials,
  });
  return new DynamoStore(clients.documents, info.tableName);
}

/** Each test writes under its own partition, so tests share the table without seeing each other. */
function partition(label: string): string {
  return `test#${label}#${randomUUID()}`;
}

describe('DynamoStore against DynamoDB Local', () => {
  let store: DynamoStore;
  beforeAll(() => {
    store = newStore();
  });

  it('puts and gets an item with nested values, and answers undefined for a missing key', async () => {
    // prepare
    const pk = partition('get');
    const item: Item = {
      pk,
      sk: 'a',
      name: 'x',
      count: 3,
      flag: true,
      nothing: null,
      list: [1, 'two'],
      map: { k: 'v' },
    };
    // act
    await store.put(item);
    const found = await store.get({ pk, sk: 'a' }, { consistent: true });
    const missing = await store.get({ pk, sk: 'b' });
    // assert
    expect(found).toEqual(item);
    expect(missing).toBeUndefined();
  });

  it('honours notExists / exists / equals / notExistsOrEquals conditions', async () => {
    // prepare
    const pk = partition('cond');
    await store.put({ pk, sk: 'a', version: 1 }, { kind: 'notExists' });
    // act + assert
    await expect(store.put({ pk, sk: 'a', version: 2 }, { kind: 'notExists' })).rejects.toBeInstanceOf(
      ConditionFailedError,
    );
    await expect(store.put({ pk, sk: 'b' }, { kind: 'exists' })).rejects.toBeInstanceOf(ConditionFailedError);
    await store.put({ pk, sk: 'a', version: 2 }, { kind: 'equals', attribute: 'version', value: 1 });
    await expect(
      store.put({ pk, sk: 'a', version: 3 }, { kind: 'equals', attribute: 'version', value: 1 }),
    ).rejects.toMatchObject({ code: 'condition_failed' });
    await store.put({ pk, sk: 'c', version: 1 }, { kind: 'notExistsOrEquals', attribute: 'version', value: 7 });
    await store.put({ pk, sk: 'c', version: 2 }, { kind: 'notExistsOrEquals', attribute: 'version', value: 1 });
    await expect(
      store.put({ pk, sk: 'c', version: 3 }, { kind: 'notExistsOrEquals', attribute: 'version', value: 1 }),
    ).rejects.toBeInstanceOf(ConditionFailedError);
    await expect(
      store.delete({ pk, sk: 'a' }, { kind: 'equals', attribute: 'version', value: 99 }),
    ).rejects.toBeInstanceOf(ConditionFailedError);
    await store.delete({ pk, sk: 'a' }, { kind: 'equals', attribute: 'version', value: 2 });
    expect(await store.get({ pk, sk: 'a' }, { consistent: true })).toBeUndefined();
    expect((await store.get({ pk, sk: 'c' }, { consistent: true }))?.version).toBe(2);
  });

  it('treats attribute names with expression syntax as names, not expression text', async () => {
    // prepare
    const pk = partition('names');
    await store.put({ pk, sk: 'a', 'weird name-#:v': 'x' });
    // act
    await store.put(
      { pk, sk: 'a', 'weird name-#:v': 'y' },
      { kind: 'equals', attribute: 'weird name-#:v', value: 'x' },
    );
    // assert
    expect((await store.get({ pk, sk: 'a' }, { consistent: true }))?.['weird name-#:v']).toBe('y');
  });

  it('pages through a partition with an opaque cursor, ascending and descending', async () => {
    // prepare
    const pk = partition('page');
    const sks = Array.from({ length: 7 }, (_, i) => `item#${String(i).padStart(2, '0')}`);
    for (const sk of sks) await store.put({ pk, sk });
    // act
    const collect = async (descending: boolean) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.query(pk, { limit: 3, descending, consistent: true, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((item) => item.sk));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      return { seen, pages };
    };
    const ascending = await collect(false);
    const descending = await collect(true);
    // assert
    expect(ascending.seen).toEqual(sks);
    expect(ascending.pages).toBeGreaterThanOrEqual(3);
    expect(descending.seen).toEqual([...sks].reverse());
  });

  it('filters sort keys by prefix and by inclusive range', async () => {
    // prepare
    const pk = partition('range');
    for (const sk of ['a#1', 'a#2', 'b#1', 'b#2', 'c#1']) await store.put({ pk, sk });
    // act
    const prefixed = await store.query(pk, { skPrefix: 'b#', consistent: true });
    const between = await store.query(pk, { skBetween: ['a#2', 'b#2'], consistent: true });
    // assert
    expect(prefixed.items.map((i) => i.sk)).toEqual(['b#1', 'b#2']);
    expect(between.items.map((i) => i.sk)).toEqual(['a#2', 'b#1', 'b#2']);
    expect(prefixed.nextCursor).toBeUndefined();
  });

  it('queries a secondary index with a cursor', async () => {
    // prepare
    const gsi = partition('gsi');
    for (let i = 0; i < 5; i++) {
      await store.put({ pk: partition('gsi-item'), sk: 'meta', gsi1pk: gsi, gsi1sk: `2024-01-0${i + 1}` });
    }
    // act
    const first = await store.query(gsi, { index: 'gsi1', limit: 2, descending: true });
    const second = await store.query(gsi, { index: 'gsi1', limit: 10, descending: true, cursor: first.nextCursor! });
    // assert
    expect(first.items.map((i) => i.gsi1sk)).toEqual(['2024-01-05', '2024-01-04']);
    expect(second.items.map((i) => i.gsi1sk)).toEqual(['2024-01-03', '2024-01-02', '2024-01-01']);
  });

  it('rejects a malformed cursor, or one from another partition, as a cursor validation error', async () => {
    // prepare
    const pk = partition('cursor');
    const other = partition('cursor-other');
    for (const sk of ['a', 'b', 'c']) {
      await store.put({ pk, sk });
      await store.put({ pk: other, sk });
    }
    const foreign = (await store.query(other, { limit: 1, consistent: true })).nextCursor!;
    // act
    const attempts = ['not base64!', Buffer.from('[1,2]').toString('base64url'), 'e30', foreign].map((cursor) =>
      store.query(pk, { cursor }).then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    const errors = await Promise.all(attempts);
    // assert
    for (const error of errors) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors[0]?.path).toBe('cursor');
    }
  });

  it('writes a transaction all-or-nothing and names the failing operation', async () => {
    // prepare
    const pk = partition('tx');
    await store.put({ pk, sk: 'head', seq: 1 });
    // act
    const failure = await store
      .transact([
        { kind: 'put', item: { pk, sk: 'entry#2' }, condition: { kind: 'notExists' } },
        { kind: 'put', item: { pk, sk: 'head', seq: 2 }, condition: { kind: 'equals', attribute: 'seq', value: 5 } },
      ])
      .catch((error: unknown) => error);
    // assert
    expect(failure).toBeInstanceOf(ConditionFailedError);
    expect((failure as Error).message).toContain('operation 1');
    expect((failure as ConditionFailedError).failedOperations).toEqual([1]);
    expect(await store.get({ pk, sk: 'entry#2' }, { consistent: true })).toBeUndefined();
    expect((await store.get({ pk, sk: 'head' }, { consistent: true }))?.seq).toBe(1);
  });

  it('applies a transaction whose conditions hold (put, delete and check)', async () => {
    // prepare
    const pk = partition('tx-ok');
    await store.put({ pk, sk: 'head', seq: 1 });
    await store.put({ pk, sk: 'old' });
    // act
    await store.transact([
      { kind: 'check', key: { pk, sk: 'head' }, condition: { kind: 'equals', attribute: 'seq', value: 1 } },
      { kind: 'put', item: { pk, sk: 'entry#2' }, condition: { kind: 'notExists' } },
      { kind: 'delete', key: { pk, sk: 'old' }, condition: { kind: 'exists' } },
    ]);
    // assert
    const page = await store.query(pk, { consistent: true });
    expect(page.items.map((i) => i.sk)).toEqual(['entry#2', 'head']);
  });

  it('batch-gets more than 100 keys, skipping missing and duplicate ones', async () => {
    // prepare
    const pk = partition('batch');
    const keys = Array.from({ length: 130 }, (_, i) => ({ pk, sk: `k${String(i).padStart(3, '0')}` }));
    await Promise.all(keys.filter((_, i) => i % 2 === 0).map((key) => store.put({ ...key, payload: 'x'.repeat(10) })));
    // act
    const items = await store.batchGet([...keys, keys[0]!]);
    // assert
    expect(items.map((i) => i.sk)).toEqual(keys.filter((_, i) => i % 2 === 0).map((k) => k.sk));
  });

  it('pings the table', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
