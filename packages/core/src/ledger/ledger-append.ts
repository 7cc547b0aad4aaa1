import { randomBytes } from 'node:crypto';
import { changesAccessData, noteAccessChange } from '../access/access-stamp.js';
import {
  ConditionFailedError,
  DependencyUnavailableError,
  IntegrityError,
  TransactionConflictError,
  ValidationError,
} from '../errors.js';
import type { Clock } from '../ports/runtime.js';
import type { Store, WriteOp } from '../ports/store.js';
import { maxOpsPerTransaction, type PendingAppend, takeBatch } from './append-batch.js';
import { headFault, ownersOf, settleFailedConditions } from './append-conditions.js';
import { validateAppend } from './append-input.js';
import { canonicalBody, type LedgerEntryBody } from './entry-body.js';
import { entryItem } from './entry-record.js';
import { type IntegrityFault, LedgerIntegrityFaultError } from './integrity-fault.js';
import { ledgerErrors } from './ledger-errors.js';
import { leafHashOfCanonical } from './ledger-hashing.js';
import { ledgerKeys } from './ledger-keys.js';
import { invalid } from './ledger-list.js';
import { type LedgerHead, readEntry, readHead } from './ledger-reads.js';
import type { LedgerAppendInput, LedgerEntry } from './ledger-writer.js';

export interface AppendOptions {
  store: Store;
  clock: Clock;
  /** Bound on append attempts under contention or transient store failures (then a typed error). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injectable for tests: jitter source and waiting. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Told when an append finds the stored ledger contradicting itself (the integrity alarm). */
  onIntegrityFault?: (orgId: string, fault: IntegrityFault) => Promise<void>;
}

/**
 * The append use case over the Store port. An append is ONE transaction: advance the head under a
 * condition on its current seq, check the entry the head names still has the head's leaf, put the
 * entries (must not exist), their request-token records (must not exist) and the acts' own writes.
 * Losers of a race re-read the head and retry with jittered exponential backoff; a replayed token
 * answers the entry it first produced. A head that disagrees with the stored entries is an integrity
 * fault and fails at once (503), since retrying cannot fix it.
 */
export function createAppender(options: AppendOptions): (input: LedgerAppendInput) => Promise<LedgerEntry> {
  const { store, clock } = options;
  const maxAttempts = options.maxAttempts ?? 100;
  const baseDelayMs = options.baseDelayMs ?? 4;
  const maxDelayMs = options.maxDelayMs ?? 250;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const queues = new Map<string, PendingAppend[]>();

  /** The entry a token already produced, if any; a token reused for a different act is a conflict. */
  async function replayed(input: LedgerAppendInput, token: string): Promise<LedgerEntry | undefined> {
    const record = await store.get(ledgerKeys.token(input.orgId, token), { consistent: true });
    if (!record) return undefined;
    if (record.action !== input.action || record.subject !== input.subject) {
      throw ledgerErrors.error('idempotency_token_reused', 'This request token already recorded a different act.');
    }
    const entry = await readEntry(store, input.orgId, Number(record.seq));
    if (!entry) throw new IntegrityError(`Ledger token names seq ${String(record.seq)}, which is missing`);
    return entry;
  }

  function buildEntry(member: PendingAppend, previous: { seq: number; time: string } | undefined) {
    const { input } = member;
    // Time never goes backwards along the ledger, so time ranges map onto seq ranges.
    const now = clock.now().toISOString();
    const time = previous && previous.time > now ? previous.time : now;
    const draft: LedgerEntryBody = {
      orgId: input.orgId,
      seq: (previous?.seq ?? 0) + 1,
      time,
      actor: member.actor,
      action: input.action,
      subject: input.subject,
      details: member.details,
      ...(input.accountId !== undefined ? { accountId: input.accountId } : {}),
    };
    const canonical = canonicalBody(draft);
    const entry: LedgerEntry = { ...draft, leaf: leafHashOfCanonical(canonical) };
    return { entry, canonical };
  }

  function memberOps(member: PendingAppend, entry: LedgerEntry, canonical: string): WriteOp[] {
    const { orgId, seq } = entry;
    return [
      { kind: 'put', item: entryItem(entry, canonical), condition: { kind: 'notExists' } },
      {
        kind: 'put',
        item: { ...ledgerKeys.token(orgId, member.token), seq, action: entry.action, subject: entry.subject },
        condition: { kind: 'notExists' },
      },
      ...member.alsoWrite,
    ];
  }

  /** The head's own entry must still be what the head says (legacy heads name its chain value). */
  function headCheck(orgId: string, head: LedgerHead): WriteOp {
    const key = ledgerKeys.entry(orgId, Math.max(1, head.seq));
    if (head.leaf !== undefined)
      return { kind: 'check', key, condition: { kind: 'equals', attribute: 'leaf', value: head.leaf } };
    if (head.legacyChain !== undefined) {
      return { kind: 'check', key, condition: { kind: 'equals', attribute: 'chain', value: head.legacyChain } };
    }
    return { kind: 'check', key, condition: { kind: 'equals', attribute: 'leaf', value: 'the head names no leaf' } };
  }

  function backoff(attempt: number): Promise<void> {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt, 16));
    return sleep(random() * ceiling);
  }

  async function drain(orgId: string, queue: PendingAppend[]): Promise<void> {
    try {
      // Let appends started in the same tick join the first transaction.
      await Promise.resolve();
      while (queue.length > 0) {
        const batch = takeBatch(queue);
        await commitBatch(orgId, batch).catch((error: unknown) => {
          for (const member of batch) member.reject(error);
        });
      }
    } finally {
      queues.delete(orgId);
    }
  }

  /** Settles members whose token already recorded an act (a replay), leaving the rest to write. */
  async function settleReplays(members: PendingAppend[]): Promise<PendingAppend[]> {
    const checked = await Promise.all(
      members.map(async (member) => {
        if (!member.checkToken) return member;
        try {
          const original = await replayed(member.input, member.token);
          if (!original) {
            member.checkToken = false;
            return member;
          }
          member.resolve(original);
        } catch (error) {
          if (error instanceof DependencyUnavailableError && error.retryable) throw error;
          member.reject(error);
        }
        return undefined;
      }),
    );
    return checked.filter((member): member is PendingAppend => member !== undefined);
  }

  async function commitBatch(orgId: string, batch: PendingAppend[]): Promise<void> {
    let members = batch;
    let lastError: unknown;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      if (attempt > 0) await backoff(attempt);
      let written = false;
      let head: LedgerHead | undefined;
      const accessChanged = members.some((member) => changesAccessData(orgId, member.input.action, member.alsoWrite));
      try {
        members = await settleReplays(members);
        if (members.length === 0) return;
        head = await readHead(store, orgId);
        const ops: WriteOp[] = [];
        const built: LedgerEntry[] = [];
        let previous: { seq: number; time: string } | undefined = head;
        for (const member of members) {
          const { entry, canonical } = buildEntry(member, previous);
          built.push(entry);
          ops.push(...memberOps(member, entry, canonical));
          previous = entry;
        }
        const last = built.at(-1)!;
        // The organization's access stamp advances in the transaction of the act that changes access
        // data, so an authorization context cached behind it is never used after the change.
        const accessSeq = accessChanged || head?.accessSeq === undefined ? last.seq : head.accessSeq;
        ops.unshift(
          {
            kind: 'put',
            item: { ...ledgerKeys.head(orgId), seq: last.seq, leaf: last.leaf, time: last.time, accessSeq },
            condition: head ? { kind: 'equals', attribute: 'seq', value: head.seq } : { kind: 'notExists' },
          },
          head ? headCheck(orgId, head) : { kind: 'put', item: { ...ledgerKeys.registryEntry(orgId), orgId } },
        );
        written = true;
        await store.transact(ops);
        if (accessChanged) noteAccessChange();
        for (const [i, member] of members.entries()) member.resolve(built[i]!);
        return;
      } catch (error) {
        lastError = error;
        // The transaction may have landed (a lost response): contexts loaded before it are not reused.
        if (written && accessChanged) noteAccessChange();
        if (error instanceof ConditionFailedError) {
          const owners = written ? ownersOf(members) : [];
          const fault = written ? headFault(orgId, error, head, owners) : undefined;
          if (fault) {
            await options.onIntegrityFault?.(orgId, fault).catch(() => undefined);
            const refusal = new LedgerIntegrityFaultError(orgId, fault, { cause: error });
            for (const member of members) member.reject(refusal);
            return;
          }
          members = settleFailedConditions(members, error, owners);
          continue;
        }
        if (error instanceof TransactionConflictError) continue;
        if (error instanceof DependencyUnavailableError && error.retryable) {
          // The transaction may have been applied (response lost): every token decides.
          if (written) for (const member of members) member.checkToken = true;
          continue;
        }
        throw error;
      }
    }
    const failure =
      lastError instanceof DependencyUnavailableError
        ? new DependencyUnavailableError(
            'store',
            'The ledger could not record the act; retry with the same request token.',
            true,
            { cause: lastError },
          )
        : ledgerErrors.error('ledger_contention', 'The ledger is busy; retry with the same request token.', {
            cause: lastError,
          });
    for (const member of members) member.reject(failure);
  }

  return function append(input: LedgerAppendInput): Promise<LedgerEntry> {
    let checked: ReturnType<typeof validateAppend>;
    try {
      checked = validateAppend(input);
    } catch (error) {
      return Promise.reject(error instanceof ValidationError ? error : invalid('details', String(error)));
    }
    const alsoWrite = input.alsoWrite ?? [];
    if (alsoWrite.length > maxOpsPerTransaction - 4) {
      return Promise.reject(invalid('alsoWrite', `at most ${maxOpsPerTransaction - 4} writes`));
    }
    return new Promise<LedgerEntry>((resolve, reject) => {
      const member: PendingAppend = {
        input,
        details: checked.details,
        actor: checked.actor,
        // Without a caller token the ledger still writes one of its own, so a retry after a lost
        // response cannot append the same act twice.
        token: input.requestToken ?? `auto-${randomBytes(16).toString('hex')}`,
        alsoWrite,
        checkToken: input.requestToken !== undefined,
        resolve,
        reject,
      };
      const queue = queues.get(input.orgId);
      if (queue) {
        queue.push(member);
        return;
      }
      const fresh = [member];
      queues.set(input.orgId, fresh);
      void drain(input.orgId, fresh);
    });
  };
}
