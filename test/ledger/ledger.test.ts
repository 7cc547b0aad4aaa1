import { buffer } from 'node:stream/consumers';
import {
  ConflictError,
  createLedger,
  type LedgerEntry,
  parseCheckpoint,
  trustedKey,
  ValidationError,
  verifyCheckpointSignature,
  verifyConsistency,
  verifyEntries,
  verifyExport,
  verifyInclusion,
} from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { actor, collect, ledgerOnFreshTable } from './ledger-fixtures.js';

/** Counts the TransactWriteItems calls the ledger's client sends. */
function countTransactions(clients: Awaited<ReturnType<typeof ledgerOnFreshTable>>['clients']) {
  const counter = { count: 0 };
  clients.dynamodb.middlewareStack.add(
    (next) => async (args) => {
      if ((args.input as { TransactItems?: unknown }).TransactItems) counter.count++;
      return next(args);
    },
    { step: 'initialize', name: 'countTransactions' },
  );
  return counter;
}

describe('ledger on DynamoDB Local', () => {
  it('appends contiguous entries, each leaf over its stored body, and answers a replayed request token with the original', async () => {
    const { ledger } = await ledgerOnFreshTable();
    const first = await ledger.append({
      orgId: 'o-1',
      actor: actor('u-1'),
      action: 'org:AccountJoined',
      subject: 'arn:portal:o-1:111111111111:account/111111111111',
      accountId: '111111111111',
      details: { via: 'invitation', weight: 0.1 },
      requestToken: 'req-1',
    });
    const second = await ledger.append({
      orgId: 'o-1',
      actor: actor('u-2'),
      action: 'report:Downloaded',
      subject: 's',
    });

    const replay = await ledger.append({
      orgId: 'o-1',
      actor: actor('u-1'),
      action: 'org:AccountJoined',
      subject: 'arn:portal:o-1:111111111111:account/111111111111',
      requestToken: 'req-1',
    });

    expect([first.seq, second.seq]).toEqual([1, 2]);
    expect(replay).toEqual(first);
    expect(await ledger.head('o-1')).toMatchObject({ seq: 2, leaf: second.leaf });
    expect(await ledger.get('o-1', 1)).toEqual(first);
    expect(verifyEntries(await collect(ledger.entries('o-1')))).toMatchObject({ valid: true, size: 2 });
    // Another org's ledger is separate: its own seq 1.
    expect((await ledger.append({ orgId: 'o-2', actor: actor('u-9'), action: 'x:Y', subject: 's' })).seq).toBe(1);
  });

  it('refuses a token reused for another act, and input it cannot hash', async () => {
    const { ledger } = await ledgerOnFreshTable();
    await ledger.append({ orgId: 'o-1', actor: actor('u-1'), action: 'a:One', subject: 's', requestToken: 't' });

    await expect(
      ledger.append({ orgId: 'o-1', actor: actor('u-1'), action: 'a:Two', subject: 's', requestToken: 't' }),
    ).rejects.toMatchObject({ code: 'idempotency_token_reused' });
    await expect(
      ledger.append({ orgId: 'o-1', actor: actor('u-1'), action: 'a:One', subject: 's', details: { n: Number.NaN } }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(ledger.append({ orgId: '', actor: actor('u-1'), action: 'a', subject: 's' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect((await ledger.head('o-1'))?.seq).toBe(1);
  });

  it('lists newest first with actor, action, account and time filters, and pages without loss or repeat', async () => {
    const { ledger } = await ledgerOnFreshTable();
    const appended: LedgerEntry[] = [];
    for (let i = 0; i < 23; i++) {
      appended.push(
        await ledger.append({
          orgId: 'o-1',
          actor: actor(i % 2 === 0 ? 'alice' : 'bob'),
          action: i % 3 === 0 ? 'agreement:Accepted' : 'report:Downloaded',
          subject: `s-${i}`,
          ...(i % 4 === 0 ? { accountId: '222222222222' } : {}),
        }),
      );
    }
    const walk = async (query: Parameters<typeof ledger.list>[1]) => {
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await ledger.list('o-1', { ...query, limit: 4, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(4);
        seen.push(...page.items.map((e) => e.seq));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    const expected = (keep: (e: (typeof appended)[number]) => boolean) =>
      appended
        .filter(keep)
        .map((e) => e.seq)
        .reverse();

    expect(await walk({})).toEqual(expected(() => true));
    expect(await walk({ actor: 'alice' })).toEqual(expected((e) => e.actor.id === 'alice'));
    expect(await walk({ action: 'agreement:Accepted' })).toEqual(expected((e) => e.action === 'agreement:Accepted'));
    expect(await walk({ accountId: '222222222222', actor: 'alice' })).toEqual(
      expected((e) => e.accountId === '222222222222' && e.actor.id === 'alice'),
    );
    const from = appended[5]!.time;
    const to = appended[15]!.time;
    expect(await walk({ from, to })).toEqual(expected((e) => e.time >= from && e.time <= to));
    expect(await walk({ accountId: '222222222222', from, to })).toEqual(
      expected((e) => e.accountId === '222222222222' && e.time >= from && e.time <= to),
    );
    await expect(ledger.list('o-1', { cursor: 'not a cursor' })).rejects.toBeInstanceOf(ValidationError);
    expect((await ledger.list('o-other')).items).toEqual([]);
  });

  it('signs checkpoints into the bucket, with inclusion and consistency proofs that verify', async () => {
    const { ledger, signer, blobs } = await ledgerOnFreshTable();
    for (let i = 0; i < 5; i++)
      await ledger.append({ orgId: 'o-1', actor: actor('u'), action: 'a:B', subject: `${i}` });
    const first = await ledger.checkpoint('o-1');
    for (let i = 0; i < 8; i++)
      await ledger.append({ orgId: 'o-1', actor: actor('u'), action: 'a:B', subject: `${i}` });

    const second = await ledger.checkpoint('o-1');
    const again = await ledger.checkpoint('o-1');

    const pem = (await signer.publicKey()).pem;
    expect(first?.size).toBe(5);
    // Each checkpoint is announced by an entry of its own, covered by the next checkpoint.
    expect(second?.size).toBe(14);
    expect(again).toEqual(second);
    expect(verifyCheckpointSignature(second!, pem)).toBe(true);
    expect(await ledger.latestCheckpoint('o-1')).toEqual(second);
    const stored = JSON.parse(
      (await buffer((await blobs.get('checkpoints', 'o-1/000000000014.json')).body)).toString(),
    );
    expect(parseCheckpoint(stored)).toEqual({ checkpoint: second });
    for (const seq of [1, 7, 14]) {
      const { leaf, proof } = await ledger.inclusionProof('o-1', seq, 14);
      expect(verifyInclusion(leaf, seq - 1, 14, proof, second!.merkleRoot)).toBe(true);
    }
    const consistency = await ledger.consistencyProof('o-1', 5, 14);
    expect(verifyConsistency(5, 14, first!.merkleRoot, second!.merkleRoot, consistency)).toBe(true);
    expect(second).toMatchObject({ previous: { size: 5, merkleRoot: first!.merkleRoot } });
    // 5 + its announcement + 8 = 14 entries, the second checkpoint at 14 and its announcement at 15.
    expect(await ledger.verify('o-1')).toMatchObject({
      valid: true,
      size: 15,
      anchored: true,
      checkpoints: { count: 2, signatures: 'valid', newest: { size: 14 } },
    });
  });

  it('exports JSON Lines that verify offline against the signing key', async () => {
    const { ledger, signer } = await ledgerOnFreshTable();
    for (let i = 0; i < 6; i++) {
      await ledger.append({ orgId: 'o-1', actor: actor('u'), action: 'a:B', subject: `${i}`, details: { é: 'ü' } });
    }
    await ledger.checkpoint('o-1');
    await ledger.append({ orgId: 'o-1', actor: actor('u'), action: 'a:C', subject: 'after' });

    const text = `${(await collect(ledger.exportLines('o-1'))).join('\n')}\n`;

    const result = await verifyExport([Buffer.from(text)], { keys: [trustedKey((await signer.publicKey()).pem)] });
    expect(result).toMatchObject({
      valid: true,
      size: 8,
      orgId: 'o-1',
      anchored: true,
      checkpoints: { count: 1, signatures: 'valid', newest: { size: 6 } },
    });
  });

  it('gives up on endless contention with a typed error', async () => {
    const { ledger, store } = await ledgerOnFreshTable({ maxAttempts: 1 });
    await ledger.append({ orgId: 'o-1', actor: actor('u'), action: 'a:B', subject: 's' });
    // Six instances (as six Lambda instances): one process would group the appends instead of racing.
    const instances = Array.from({ length: 6 }, () =>
      createLedger({ store, clock: { now: () => new Date() }, maxAttempts: 1 }),
    );
    const racing = await Promise.allSettled(
      instances.map((instance, i) =>
        instance.append({ orgId: 'o-1', actor: actor('u'), action: 'a:B', subject: `${i}` }),
      ),
    );
    const refused = racing.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) expect(error).toBeInstanceOf(ConflictError);
    expect(verifyEntries(await collect(ledger.entries('o-1')))).toMatchObject({
      valid: true,
      size: 1 + racing.filter((r) => r.status === 'fulfilled').length,
    });
  });

  it('groups concurrent appends of one process into shared transactions, in order, each once', async () => {
    const { ledger, clients } = await ledgerOnFreshTable();
    const transactions = countTransactions(clients);
    const appends = Array.from({ length: 120 }, (_, i) =>
      ledger.append({
        orgId: 'o-g',
        actor: actor('u'),
        action: 'a:B',
        subject: `s-${i}`,
        requestToken: `t-${i % 110}`,
      }),
    );
    const settled = await Promise.allSettled(appends);

    // Ten tokens were given twice for different subjects: the later ones are refused, the rest land once.
    const refused = settled.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(10);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    const entries = await collect(ledger.entries('o-g'));
    expect(entries).toHaveLength(110);
    expect(verifyEntries(entries)).toMatchObject({ valid: true, size: 110 });
    // 110 entries at up to 49 per transaction: a handful of transactions, not 110.
    expect(transactions.count).toBeLessThan(12);
  });

  it("commits an act's own writes with its entry: both or neither, and a failed act leaves its batch alone", async () => {
    const { ledger, store, clients } = await ledgerOnFreshTable();
    const transactions = countTransactions(clients);
    const accepted = { pk: 'ACT#1', sk: 'accepted' };
    const guarded = (key: { pk: string; sk: string }) => ({
      kind: 'put' as const,
      item: { ...key, by: 'u' },
      condition: { kind: 'notExists' as const },
    });
    await ledger.append({
      orgId: 'o-a',
      actor: actor('u'),
      action: 'act:Done',
      subject: 'first',
      alsoWrite: [guarded(accepted)],
    });
    expect(await store.get(accepted, { consistent: true })).toMatchObject({ by: 'u' });

    // In one batch: an act whose condition fails (already done) beside two that succeed.
    transactions.count = 0;
    const results = await Promise.allSettled([
      ledger.append({
        orgId: 'o-a',
        actor: actor('u'),
        action: 'act:Done',
        subject: 'again',
        alsoWrite: [guarded(accepted)],
      }),
      ledger.append({
        orgId: 'o-a',
        actor: actor('u'),
        action: 'act:Done',
        subject: 'other',
        alsoWrite: [guarded({ pk: 'ACT#2', sk: 'accepted' })],
      }),
      ledger.append({ orgId: 'o-a', actor: actor('u'), action: 'act:Noted', subject: 'plain' }),
    ]);
    expect(results[0]).toMatchObject({
      status: 'rejected',
      reason: { code: 'condition_failed', failedOperations: [0] },
    });
    expect(results[1]).toMatchObject({ status: 'fulfilled' });
    expect(results[2]).toMatchObject({ status: 'fulfilled' });
    // The three went out together; the failed act was dropped and the other two committed together.
    expect(transactions.count).toBe(2);
    const entries = await collect(ledger.entries('o-a'));
    expect(entries.map((e) => e.subject)).toEqual(['first', 'other', 'plain']);
    expect(verifyEntries(entries)).toMatchObject({ valid: true, size: 3 });
    expect(await store.get({ pk: 'ACT#2', sk: 'accepted' }, { consistent: true })).toBeDefined();
  });

  it('never puts two acts writing one item into one transaction (DynamoDB refuses that)', async () => {
    const { ledger, store } = await ledgerOnFreshTable();
    const shared = { pk: 'COUNTER#1', sk: 'value' };
    const results = await Promise.allSettled(
      [1, 2, 3].map((n) =>
        ledger.append({
          orgId: 'o-s',
          actor: actor('u'),
          action: 'act:Counted',
          subject: `n-${n}`,
          alsoWrite: [{ kind: 'put', item: { ...shared, n } }],
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect((await store.get(shared, { consistent: true }))?.n).toBe(3);
    expect(verifyEntries(await collect(ledger.entries('o-s')))).toMatchObject({ valid: true, size: 3 });
  });
});
