import { randomUUID } from 'node:crypto';
import {
  ConditionFailedError,
  type Item,
  type Store,
  TransactionConflictError,
  ValidationError,
} from '@evidence-portal/core';
import { beforeAll, describe, expect, it } from 'vitest';

/** Each test writes under its own partition, so tests share a table without seeing each other. */
function partition(label: string): string {
  return `test#${label}#${randomUUID()}`;
}

/**
 * The Store port's contract, run against every implementation (DynamoStore on DynamoDB Local, the
 * in-memory MemoryStore): what use cases may rely on, whichever store they run on.
 */
export function describeStoreContract(name: string, newStore: () => Store | Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await newStore();
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
      await Promise.all(
        keys.filter((_, i) => i % 2 === 0).map((key) => store.put({ ...key, payload: 'x'.repeat(10) })),
      );
      // act
      const items = await store.batchGet([...keys, keys[0]!]);
      // assert
      expect(items.map((i) => i.sk)).toEqual(keys.filter((_, i) => i % 2 === 0).map((k) => k.sk));
    });

    it('answers many concurrent gets, present, missing and repeated, each with its own copy', async () => {
      // prepare: more gets at once than one batch holds, in both read consistencies
      const pk = partition('concurrent-gets');
      const keys = Array.from({ length: 150 }, (_, i) => ({ pk, sk: `k${String(i).padStart(3, '0')}` }));
      await Promise.all(
        keys.filter((_, i) => i % 3 !== 0).map((key) => store.put({ ...key, n: Number(key.sk.slice(1)) })),
      );
      // act
      const asked = [...keys, ...keys.slice(0, 20)];
      const answers = await Promise.all(asked.map((key, i) => store.get(key, { consistent: i % 2 === 0 })));
      // assert
      answers.forEach((item, i) => {
        const n = Number(asked[i]!.sk.slice(1));
        expect(item).toEqual(n % 3 === 0 ? undefined : { ...asked[i], n });
      });
      const [first, again] = [answers[1], answers[151]] as [Item, Item];
      first.n = -1;
      expect(again.n).toBe(1);
    });

    it('pings the table', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('names every failed operation of a transaction, and writes none of it', async () => {
      const pk = partition('tx-many');
      await store.put({ pk, sk: 'a', v: 1 });
      const failure = await store
        .transact([
          { kind: 'put', item: { pk, sk: 'a', v: 2 }, condition: { kind: 'notExists' } },
          { kind: 'put', item: { pk, sk: 'b' }, condition: { kind: 'notExists' } },
          { kind: 'check', key: { pk, sk: 'missing' }, condition: { kind: 'exists' } },
        ])
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ConditionFailedError);
      expect((failure as ConditionFailedError).failedOperations).toEqual([0, 2]);
      expect(await store.get({ pk, sk: 'b' }, { consistent: true })).toBeUndefined();
      expect((await store.get({ pk, sk: 'a' }, { consistent: true }))?.v).toBe(1);
    });

    it('refuses a transaction that names one item twice, writing nothing', async () => {
      const pk = partition('tx-twice');
      const failure = await store
        .transact([
          { kind: 'put', item: { pk, sk: 'a', v: 1 } },
          { kind: 'put', item: { pk, sk: 'a', v: 2 } },
        ])
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toBeInstanceOf(ConditionFailedError);
      expect(await store.get({ pk, sk: 'a' }, { consistent: true })).toBeUndefined();
    });

    it('refuses more than 100 operations in one transaction, and treats none as nothing to do', async () => {
      const pk = partition('tx-size');
      const ops = Array.from({ length: 101 }, (_, i) => ({ kind: 'put' as const, item: { pk, sk: `k${i}` } }));
      await expect(store.transact(ops)).rejects.toBeInstanceOf(ValidationError);
      await expect(store.transact([])).resolves.toBeUndefined();
      expect((await store.query(pk, { consistent: true })).items).toEqual([]);
    });

    it('lets exactly one of two concurrent conditional transactions on one item win', async () => {
      const pk = partition('tx-race');
      await store.put({ pk, sk: 'head', seq: 1 });
      const attempt = (label: string) =>
        store
          .transact([
            {
              kind: 'put',
              item: { pk, sk: 'head', seq: 2, by: label },
              condition: { kind: 'equals', attribute: 'seq', value: 1 },
            },
            { kind: 'put', item: { pk, sk: `entry#${label}` }, condition: { kind: 'notExists' } },
          ])
          .then(
            () => 'won',
            (error: unknown) => error,
          );
      const outcomes = await Promise.all([attempt('x'), attempt('y')]);
      const head = await store.get({ pk, sk: 'head' }, { consistent: true });
      expect(outcomes.filter((outcome) => outcome === 'won')).toHaveLength(1);
      const lost = outcomes.find((outcome) => outcome !== 'won');
      expect(lost instanceof ConditionFailedError || lost instanceof TransactionConflictError).toBe(true);
      expect((await store.query(pk, { skPrefix: 'entry#', consistent: true })).items.map((i) => i.sk)).toEqual([
        `entry#${head?.by}`,
      ]);
    });

    it('replaces a whole item on put, and deletes without a condition whether or not it exists', async () => {
      const pk = partition('replace');
      await store.put({ pk, sk: 'a', keep: 'no', value: 1 });
      await store.put({ pk, sk: 'a', value: 2 });
      await store.delete({ pk, sk: 'never-there' });
      await expect(store.delete({ pk, sk: 'never-there' }, { kind: 'exists' })).rejects.toBeInstanceOf(
        ConditionFailedError,
      );
      expect(await store.get({ pk, sk: 'a' }, { consistent: true })).toEqual({ pk, sk: 'a', value: 2 });
    });

    it('hands out copies: changing a returned or a written item changes nothing stored', async () => {
      const pk = partition('copies');
      const written: Item = { pk, sk: 'a', nested: { list: [1] } };
      await store.put(written);
      (written.nested as { list: number[] }).list.push(2);
      const read = await store.get({ pk, sk: 'a' }, { consistent: true });
      expect(read).toBeDefined();
      ((read as Item).nested as { list: number[] }).list.push(3);
      expect((await store.get({ pk, sk: 'a' }, { consistent: true }))?.nested).toEqual({ list: [1] });
    });

    it('orders sort keys by UTF-8 bytes, in ranges and descending too', async () => {
      const pk = partition('bytes');
      const keys = ['B', 'a', 'é', '\uffff', '😀', 'a#2', 'a#10'];
      for (const sk of keys) await store.put({ pk, sk });
      const bytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      const ascending = await store.query(pk, { consistent: true });
      const descending = await store.query(pk, { consistent: true, descending: true, limit: 3 });
      const between = await store.query(pk, { consistent: true, skBetween: ['a', 'é'], descending: true });
      expect(ascending.items.map((i) => i.sk)).toEqual(bytes);
      expect(descending.items.map((i) => i.sk)).toEqual([...bytes].reverse().slice(0, 3));
      expect(between.items.map((i) => i.sk)).toEqual(
        bytes
          .filter(
            (k) =>
              Buffer.compare(Buffer.from(k), Buffer.from('a')) >= 0 &&
              Buffer.compare(Buffer.from(k), Buffer.from('é')) <= 0,
          )
          .reverse(),
      );
    });

    it('keeps secondary indexes sparse and separate, and pages them with their own cursors', async () => {
      const gsi = partition('sparse');
      const table = partition('sparse-items');
      await store.put({ pk: table, sk: 'one', gsi2pk: gsi, gsi2sk: 'b' });
      await store.put({ pk: table, sk: 'two', gsi2pk: gsi, gsi2sk: 'a' });
      await store.put({ pk: table, sk: 'three', gsi1pk: gsi, gsi1sk: 'c' });
      await store.put({ pk: table, sk: 'four' });
      const first = await store.query(gsi, { index: 'gsi2', limit: 1 });
      const second = await store.query(gsi, { index: 'gsi2', limit: 1, cursor: first.nextCursor as string });
      const third = second.nextCursor
        ? await store.query(gsi, { index: 'gsi2', limit: 1, cursor: second.nextCursor })
        : { items: [] };
      const gsi1 = await store.query(gsi, { index: 'gsi1' });
      expect([...first.items, ...second.items].map((i) => i.sk)).toEqual(['two', 'one']);
      expect(third.items).toEqual([]);
      expect(gsi1.items.map((i) => i.sk)).toEqual(['three']);
      await expect(store.query(gsi, { index: 'gsi1', cursor: first.nextCursor as string })).rejects.toBeInstanceOf(
        ValidationError,
      );
    });

    it('refuses malformed query options as validation errors', async () => {
      const pk = partition('options');
      await expect(store.query(pk, { limit: 0 })).rejects.toBeInstanceOf(ValidationError);
      await expect(store.query(pk, { limit: 1.5 })).rejects.toBeInstanceOf(ValidationError);
      await expect(store.query(pk, { skPrefix: 'a', skBetween: ['a', 'b'] })).rejects.toBeInstanceOf(ValidationError);
      await expect(store.query(pk, { index: 'gsi9' as 'gsi1' })).rejects.toBeInstanceOf(ValidationError);
    });
  });
}
