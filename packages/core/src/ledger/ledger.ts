import { randomBytes } from 'node:crypto';
import {
  ConditionFailedError,
  ConflictError,
  DependencyUnavailableError,
  IntegrityError,
  NotFoundError,
  TransactionConflictError,
  ValidationError,
} from '../errors.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Signer } from '../ports/crypto.js';
import type { Clock, Logger } from '../ports/runtime.js';
import type { Item, ItemValue, Store, WriteOp } from '../ports/store.js';
import { canonicalJson } from './canonical-json.js';
import { type CheckpointBody, checkpointDigest, parseSignedCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { exportEntryLine, exportHeaderLine } from './ledger-export.js';
import { canonicalBody, chainHash, genesisChain, leafHashOfCanonical } from './ledger-hashing.js';
import { ledgerKeys } from './ledger-keys.js';
import {
  type ConsistencyProofDocument,
  consistencyProofFormat,
  type InclusionProofDocument,
  inclusionProofFormat,
} from './ledger-proofs.js';
import { LedgerChainVerifier, type LedgerVerification } from './ledger-verify.js';
import type { LedgerAppendInput, LedgerEntry, LedgerWriter } from './ledger-writer.js';
import { consistencyProof, inclusionProof, MerkleFrontier } from './merkle-tree.js';

export interface LedgerHead {
  seq: number;
  chain: string;
  time: string;
}

export interface LedgerQuery {
  actor?: string;
  action?: string;
  accountId?: string;
  /** ISO 8601 instants, inclusive. */
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface LedgerOptions {
  store: Store;
  clock: Clock;
  /** Needed for checkpoints only. */
  signer?: Signer;
  blobs?: BlobStore;
  logger?: Logger;
  /** Bound on append attempts under contention or transient store failures (then a typed error). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injectable for tests: jitter source and waiting. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface Ledger extends LedgerWriter {
  head(orgId: string): Promise<LedgerHead | undefined>;
  get(orgId: string, seq: number): Promise<LedgerEntry>;
  /** Newest first, filtered; `nextCursor` continues the same listing. */
  list(orgId: string, query?: LedgerQuery): Promise<{ items: LedgerEntry[]; nextCursor?: string }>;
  /** Every entry in seq order (strongly consistent), optionally a range. */
  entries(orgId: string, range?: { fromSeq?: number; toSeq?: number }): AsyncGenerator<LedgerEntry>;
  /** Walks the stored chain against the stored head and the latest checkpoint. */
  verify(orgId: string): Promise<LedgerVerification>;
  /** Signs and stores a checkpoint when entries were added since the last one; returns the latest. */
  checkpoint(orgId: string): Promise<SignedCheckpoint | undefined>;
  latestCheckpoint(orgId: string): Promise<SignedCheckpoint | undefined>;
  /** Organizations that have a ledger (the scheduled checkpoint job walks them). */
  organizations(): AsyncGenerator<string>;
  /** JSON Lines export (docs/ledger.md): a header with the latest checkpoint, then one entry per line. */
  exportLines(orgId: string): AsyncGenerator<string>;
  inclusionProof(orgId: string, seq: number, size: number): Promise<{ leaf: string; proof: string[] }>;
  consistencyProof(orgId: string, oldSize: number, newSize: number): Promise<string[]>;
  /** The signed checkpoint of exactly `size` entries, if one was made. */
  checkpointAt(orgId: string, size: number): Promise<SignedCheckpoint | undefined>;
  /** Signed checkpoints, newest first. */
  listCheckpoints(
    orgId: string,
    options?: { limit?: number; cursor?: string },
  ): Promise<{ items: SignedCheckpoint[]; nextCursor?: string }>;
  /** Proves entry `seq` is in the checkpoint of `size` entries (default: the latest checkpoint). */
  inclusionProofDocument(orgId: string, seq: number, size?: number): Promise<InclusionProofDocument>;
  /** Proves the checkpoint of `oldSize` is a prefix of the one of `newSize` (default: the latest). */
  consistencyProofDocument(orgId: string, oldSize: number, newSize?: number): Promise<ConsistencyProofDocument>;
}

const pageSize = 200;
const maxListLimit = 100;
const defaultListLimit = 25;

function invalid(path: string, message: string): ValidationError {
  return new ValidationError(`Invalid ${path}`, [{ path, message }]);
}

function assertText(value: unknown, path: string, max: number): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw invalid(path, `must be a non-empty string of at most ${max} characters`);
  }
}

function toEntry(item: Item): LedgerEntry {
  const body = JSON.parse(String(item.body)) as Omit<LedgerEntry, 'leaf' | 'chain'>;
  return { ...body, leaf: String(item.leaf), chain: String(item.chain) };
}

/** The signed checkpoint a stored checkpoint item holds. */
function storedCheckpoint(item: Item): SignedCheckpoint {
  const checkpoint = parseSignedCheckpoint(JSON.parse(String(item.checkpoint)));
  if (!checkpoint) throw new IntegrityError('Stored checkpoint is malformed');
  return checkpoint;
}

function listLimit(limit: number | undefined): number {
  const value = limit ?? defaultListLimit;
  if (!Number.isInteger(value) || value < 1 || value > maxListLimit) {
    throw invalid('limit', `must be an integer from 1 to ${maxListLimit}`);
  }
  return value;
}

function normalizeInstant(value: string, path: string): string {
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time)) throw invalid(path, 'must be an ISO 8601 date-time');
  return new Date(time).toISOString();
}

/** Cursor: the sort key of the last item returned, in the index the listing reads (opaque to callers). */
function encodeListCursor(sortKey: string): string {
  return Buffer.from(JSON.stringify({ k: sortKey }), 'utf8').toString('base64url');
}

function decodeListCursor(cursor: string): string {
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw invalid('cursor', 'malformed');
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { k?: unknown }).k === 'string') {
      return (parsed as { k: string }).k;
    }
  } catch {
    // fall through
  }
  throw invalid('cursor', 'malformed');
}

/**
 * The organization ledger over the Store port. An append is ONE transaction: advance the head under a
 * condition on its current seq, put the entry (must not exist), put the request-token record (must not
 * exist). Losers of a race re-read the head and retry with jittered exponential backoff; a replayed
 * token answers the entry it first produced.
 */
export function createLedger(options: LedgerOptions): Ledger {
  const { store, clock } = options;
  const maxAttempts = options.maxAttempts ?? 100;
  const baseDelayMs = options.baseDelayMs ?? 4;
  const maxDelayMs = options.maxDelayMs ?? 250;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function readHead(orgId: string): Promise<LedgerHead | undefined> {
    const item = await store.get(ledgerKeys.head(orgId), { consistent: true });
    if (!item) return undefined;
    return { seq: Number(item.seq), chain: String(item.chain), time: String(item.time) };
  }

  async function readEntry(orgId: string, seq: number): Promise<LedgerEntry | undefined> {
    const item = await store.get(ledgerKeys.entry(orgId, seq), { consistent: true });
    return item ? toEntry(item) : undefined;
  }

  /** The entry a token already produced, if any; a token reused for a different act is a conflict. */
  async function replayed(input: LedgerAppendInput, token: string): Promise<LedgerEntry | undefined> {
    const record = await store.get(ledgerKeys.token(input.orgId, token), { consistent: true });
    if (!record) return undefined;
    if (record.action !== input.action || record.subject !== input.subject) {
      throw new ConflictError('This request token already recorded a different act.', 'idempotency_token_reused');
    }
    const entry = await readEntry(input.orgId, Number(record.seq));
    if (!entry) throw new IntegrityError(`Ledger token names seq ${String(record.seq)}, which is missing`);
    return entry;
  }

  function validate(input: LedgerAppendInput): Record<string, ItemValue> {
    assertText(input.orgId, 'orgId', 128);
    assertText(input.action, 'action', 128);
    assertText(input.subject, 'subject', 2048);
    assertText(input.actor?.id, 'actor.id', 512);
    if (!['user', 'role-session', 'system', 'anonymous'].includes(input.actor.type)) {
      throw invalid('actor.type', 'unknown actor type');
    }
    if (input.accountId !== undefined) assertText(input.accountId, 'accountId', 64);
    if (input.requestToken !== undefined) assertText(input.requestToken, 'requestToken', 256);
    const details = input.details ?? {};
    try {
      if (canonicalJson(details).length > 64 * 1024) throw invalid('details', 'larger than 64 KiB');
    } catch (error) {
      if (error instanceof ValidationError) throw error;
      throw invalid('details', error instanceof Error ? error.message : 'not JSON');
    }
    return details;
  }

  function buildEntry(
    input: LedgerAppendInput,
    details: Record<string, ItemValue>,
    head: LedgerHead | undefined,
  ): { entry: LedgerEntry; body: string } {
    const seq = (head?.seq ?? 0) + 1;
    // Time never goes backwards along the chain, so time ranges map onto seq ranges.
    const now = clock.now().toISOString();
    const time = head && head.time > now ? head.time : now;
    const actor = { ...input.actor };
    const draft: Omit<LedgerEntry, 'leaf' | 'chain'> = {
      orgId: input.orgId,
      seq,
      time,
      actor,
      action: input.action,
      subject: input.subject,
      details,
      ...(input.accountId !== undefined ? { accountId: input.accountId } : {}),
    };
    const body = canonicalBody(draft);
    const leaf = leafHashOfCanonical(body);
    return { entry: { ...draft, leaf, chain: chainHash(head?.chain ?? genesisChain, leaf) }, body };
  }

  function entryOps(entry: LedgerEntry, body: string, token: string): WriteOp[] {
    const { orgId, seq, time } = entry;
    const entryItem: Item = {
      ...ledgerKeys.entry(orgId, seq),
      seq,
      time,
      action: entry.action,
      body,
      leaf: entry.leaf,
      chain: entry.chain,
      gsi1pk: ledgerKeys.byActor(orgId, entry.actor.id),
      gsi1sk: ledgerKeys.timeKey(time, seq),
      ...(entry.accountId !== undefined
        ? { gsi2pk: ledgerKeys.byAccount(orgId, entry.accountId), gsi2sk: ledgerKeys.timeKey(time, seq) }
        : {}),
    };
    return [
      { kind: 'put', item: entryItem, condition: { kind: 'notExists' } },
      {
        kind: 'put',
        item: { ...ledgerKeys.token(orgId, token), seq, action: entry.action, subject: entry.subject },
        condition: { kind: 'notExists' },
      },
    ];
  }

  function backoff(attempt: number): Promise<void> {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt, 16));
    return sleep(random() * ceiling);
  }

  /**
   * Group commit. Appends to one organization from this process queue up while a transaction is in
   * flight, and the next transaction carries as many as fit: one head advance, then each entry, its
   * token and the act's own writes. With one conditional head per organization, racing writers
   * otherwise retry each other into the ground (measured: 4 appends/s with 200 writers); batched, they
   * share each round trip. Writers in other processes still race on the head condition and retry.
   */
  interface PendingAppend {
    input: LedgerAppendInput;
    details: Record<string, ItemValue>;
    token: string;
    alsoWrite: readonly WriteOp[];
    /** A write carrying this token may already have happened: read the token before writing again. */
    checkToken: boolean;
    resolve(entry: LedgerEntry): void;
    reject(error: unknown): void;
  }

  const queues = new Map<string, PendingAppend[]>();

  /** Operations per transaction (DynamoDB's limit is 100), and a bound on its bytes (limit 4 MB). */
  const maxOpsPerTransaction = 100;
  const maxBytesPerTransaction = 2 * 1024 * 1024;

  function opsOf(member: PendingAppend): number {
    return 2 + member.alsoWrite.length;
  }

  /** The items an act writes, as `pk\u0000sk`: DynamoDB refuses a transaction touching one item twice. */
  function itemsOf(member: PendingAppend): string[] {
    return member.alsoWrite.map((op) => {
      const key = op.kind === 'put' ? op.item : op.key;
      return `${key.pk}\u0000${key.sk}`;
    });
  }

  /**
   * The next members to commit together: room for the head (and the registry), within the byte budget,
   * and no item written twice (the same token, or two acts writing one item, e.g. two acceptances of one
   * agreement). A member that would collide waits for the next transaction, keeping its place.
   */
  function takeBatch(queue: PendingAppend[]): PendingAppend[] {
    const batch: PendingAppend[] = [];
    const items = new Set<string>();
    let ops = 2;
    let bytes = 0;
    for (let i = 0; i < queue.length; ) {
      const member = queue[i]!;
      const size =
        member.input.subject.length +
        JSON.stringify(member.details).length +
        (member.alsoWrite.length > 0 ? JSON.stringify(member.alsoWrite).length : 0) +
        1024;
      const written = [`token\u0000${member.token}`, ...itemsOf(member)];
      if (written.some((item) => items.has(item))) {
        i++;
        continue;
      }
      if (batch.length > 0 && (ops + opsOf(member) > maxOpsPerTransaction || bytes + size > maxBytesPerTransaction)) {
        break;
      }
      batch.push(member);
      for (const item of written) items.add(item);
      ops += opsOf(member);
      bytes += size;
      queue.splice(i, 1);
    }
    return batch;
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
      try {
        members = await settleReplays(members);
        if (members.length === 0) return;
        const head = await readHead(orgId);
        const ops: WriteOp[] = [];
        const built: LedgerEntry[] = [];
        let previous = head;
        for (const member of members) {
          const { entry, body } = buildEntry(member.input, member.details, previous);
          built.push(entry);
          ops.push(...entryOps(entry, body, member.token), ...member.alsoWrite);
          previous = { seq: entry.seq, chain: entry.chain, time: entry.time };
        }
        const last = built.at(-1)!;
        ops.unshift({
          kind: 'put',
          item: { ...ledgerKeys.head(orgId), seq: last.seq, chain: last.chain, time: last.time },
          condition: head ? { kind: 'equals', attribute: 'seq', value: head.seq } : { kind: 'notExists' },
        });
        if (!head) ops.push({ kind: 'put', item: { ...ledgerKeys.registryEntry(orgId), orgId } });
        written = true;
        await store.transact(ops);
        for (const [i, member] of members.entries()) member.resolve(built[i]!);
        return;
      } catch (error) {
        lastError = error;
        if (error instanceof ConditionFailedError) {
          members = settleFailedConditions(members, error, written ? ownersOf(members) : []);
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
        : new ConflictError('The ledger is busy; retry with the same request token.', 'ledger_contention', {
            cause: lastError,
          });
    for (const member of members) member.reject(failure);
  }

  /** Which member owns each operation of the transaction `commitBatch` builds (index 0 is the head). */
  function ownersOf(members: PendingAppend[]): Array<PendingAppend | undefined> {
    const owners: Array<PendingAppend | undefined> = [undefined];
    for (const member of members) for (let i = 0; i < opsOf(member); i++) owners.push(member);
    return owners;
  }

  /**
   * After a failed condition: a member whose own act's write failed is rejected with that failure; a
   * member whose token is taken replays it; when the head moved (another process appended), all retry.
   */
  function settleFailedConditions(
    members: PendingAppend[],
    error: ConditionFailedError,
    owners: Array<PendingAppend | undefined>,
  ): PendingAppend[] {
    if (error.failedOperations.length === 0) {
      for (const member of members) member.checkToken = true;
      return members;
    }
    const rejected = new Set<PendingAppend>();
    for (const index of error.failedOperations) {
      const member = owners[index];
      if (!member) continue;
      const offset = index - owners.indexOf(member);
      if (offset === 1) member.checkToken = true;
      else if (offset >= 2) {
        rejected.add(member);
        member.reject(
          new ConditionFailedError('A condition of the act recorded with this entry did not hold', {
            cause: error,
            failedOperations: [offset - 2],
          }),
        );
      }
    }
    return members.filter((member) => !rejected.has(member));
  }

  function append(input: LedgerAppendInput): Promise<LedgerEntry> {
    let details: Record<string, ItemValue>;
    try {
      details = validate(input);
    } catch (error) {
      return Promise.reject(error);
    }
    const alsoWrite = input.alsoWrite ?? [];
    if (alsoWrite.length > maxOpsPerTransaction - 4) {
      return Promise.reject(invalid('alsoWrite', `at most ${maxOpsPerTransaction - 4} writes`));
    }
    return new Promise<LedgerEntry>((resolve, reject) => {
      const member: PendingAppend = {
        input,
        details,
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
  }

  async function* entries(orgId: string, range: { fromSeq?: number; toSeq?: number } = {}) {
    const partition = ledgerKeys.partition(orgId);
    const from = ledgerKeys.entry(orgId, Math.max(1, range.fromSeq ?? 1)).sk;
    const to = range.toSeq !== undefined ? ledgerKeys.entry(orgId, range.toSeq).sk : `${ledgerKeys.entryPrefix}~`;
    let cursor: string | undefined;
    do {
      const page = await store.query(partition, {
        skBetween: [from, to],
        consistent: true,
        limit: pageSize,
        ...(cursor !== undefined ? { cursor } : {}),
      });
      for (const item of page.items) yield toEntry(item);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }

  /** Largest seq whose time is <= `to` (time is non-decreasing along the chain), by binary search. */
  async function lastSeqAtOrBefore(orgId: string, to: string, headSeq: number): Promise<number> {
    let lo = 0;
    let hi = headSeq;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      const item = await store.get(ledgerKeys.entry(orgId, mid), { consistent: true });
      if (item && String(item.time) <= to) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  async function list(orgId: string, query: LedgerQuery = {}) {
    const limit = listLimit(query.limit);
    const from = query.from !== undefined ? normalizeInstant(query.from, 'from') : undefined;
    const to = query.to !== undefined ? normalizeInstant(query.to, 'to') : undefined;
    const after = query.cursor !== undefined ? decodeListCursor(query.cursor) : undefined;

    // The most selective index serves the listing; the remaining filters apply to what it returns.
    let partition: string;
    let index: 'gsi1' | 'gsi2' | undefined;
    let lower: string;
    let upper: string;
    let sortKeyOf: (item: Item) => string;
    if (query.actor !== undefined || query.accountId !== undefined) {
      index = query.actor !== undefined ? 'gsi1' : 'gsi2';
      partition =
        query.actor !== undefined
          ? ledgerKeys.byActor(orgId, query.actor)
          : ledgerKeys.byAccount(orgId, query.accountId as string);
      lower = from ?? '0000';
      upper = `${to ?? '9999'}#~`;
      sortKeyOf = (item) => String(index === 'gsi1' ? item.gsi1sk : item.gsi2sk);
    } else {
      partition = ledgerKeys.partition(orgId);
      lower = ledgerKeys.entryPrefix;
      upper = `${ledgerKeys.entryPrefix}~`;
      if (to !== undefined && after === undefined) {
        const head = await readHead(orgId);
        upper = ledgerKeys.entry(orgId, await lastSeqAtOrBefore(orgId, to, head?.seq ?? 0)).sk;
      }
      sortKeyOf = (item) => String(item.sk);
    }
    if (after !== undefined) {
      if (after < lower || after > upper) throw invalid('cursor', 'does not belong to this listing');
      upper = after;
    }

    const items: LedgerEntry[] = [];
    let lastKey: string | undefined;
    let storeCursor: string | undefined;
    let exhausted = false;
    scan: do {
      const page = await store.query(partition, {
        ...(index ? { index } : {}),
        skBetween: [lower, upper],
        descending: true,
        limit: Math.min(pageSize, limit * 4),
        ...(storeCursor !== undefined ? { cursor: storeCursor } : {}),
      });
      for (const item of page.items) {
        const key = sortKeyOf(item);
        if (after !== undefined && key === after) continue;
        if (from !== undefined && String(item.time) < from) {
          exhausted = true;
          break scan;
        }
        const entry = toEntry(item);
        if (to !== undefined && entry.time > to) continue;
        if (query.action !== undefined && entry.action !== query.action) continue;
        if (query.accountId !== undefined && entry.accountId !== query.accountId) continue;
        items.push(entry);
        lastKey = key;
        if (items.length === limit) break scan;
      }
      storeCursor = page.nextCursor;
      if (storeCursor === undefined) exhausted = true;
    } while (!exhausted);
    return !exhausted && lastKey !== undefined ? { items, nextCursor: encodeListCursor(lastKey) } : { items };
  }

  async function latestCheckpointRecord(orgId: string) {
    const item = await store.get(ledgerKeys.latestCheckpoint(orgId), { consistent: true });
    if (!item) return undefined;
    const checkpoint = storedCheckpoint(item);
    const frontier = (item.frontier as string[] | undefined) ?? [];
    return { checkpoint, frontier };
  }

  async function verify(orgId: string): Promise<LedgerVerification> {
    const [head, latest] = await Promise.all([readHead(orgId), latestCheckpointRecord(orgId)]);
    const publicKeyPem = latest && options.signer ? (await options.signer.publicKey()).pem : undefined;
    const verifier = new LedgerChainVerifier({
      orgId,
      head: head ? { seq: head.seq, chain: head.chain } : { seq: 0, chain: genesisChain },
      ...(latest ? { checkpoint: latest.checkpoint } : {}),
      ...(publicKeyPem !== undefined ? { publicKeyPem } : {}),
    });
    for await (const entry of entries(orgId)) {
      verifier.push(entry);
      if (verifier.failed) break;
    }
    return verifier.finish();
  }

  async function checkpoint(orgId: string): Promise<SignedCheckpoint | undefined> {
    const { signer, blobs } = options;
    if (!signer || !blobs) throw new Error('createLedger: checkpoints need a signer and a blob store');
    const [head, latest] = await Promise.all([readHead(orgId), latestCheckpointRecord(orgId)]);
    if (!head) return latest?.checkpoint;
    if (latest && latest.checkpoint.size >= head.seq) return latest.checkpoint;
    // Only the entries since the last checkpoint are read: its frontier carries the tree so far.
    const previousSize = latest?.checkpoint.size ?? 0;
    const frontier = latest
      ? MerkleFrontier.from({ size: previousSize, nodes: latest.frontier })
      : new MerkleFrontier();
    let chain = latest?.checkpoint.chainHead ?? genesisChain;
    let expected = previousSize + 1;
    for await (const entry of entries(orgId, { fromSeq: previousSize + 1, toSeq: head.seq })) {
      const leaf = leafHashOfCanonical(canonicalBody(entry));
      const next = chainHash(chain, leaf);
      if (entry.seq !== expected || leaf !== entry.leaf || next !== entry.chain) {
        // Never sign over a damaged chain: that would launder the damage.
        throw new IntegrityError(`Ledger of ${orgId} does not verify at seq ${expected}; no checkpoint signed`);
      }
      frontier.push(leaf);
      chain = next;
      expected++;
    }
    if (frontier.size !== head.seq) throw new IntegrityError(`Ledger of ${orgId} is missing entries before the head`);
    const body: CheckpointBody = {
      org: orgId,
      size: head.seq,
      chainHead: chain,
      merkleRoot: frontier.root(),
      time: clock.now().toISOString(),
    };
    const [signature, publicKey] = await Promise.all([signer.signDigest(checkpointDigest(body)), signer.publicKey()]);
    const signed: SignedCheckpoint = {
      ...body,
      signature: Buffer.from(signature).toString('base64'),
      keyId: publicKey.keyId,
      keyFingerprint: publicKey.fingerprint,
    };
    const json = JSON.stringify(signed);
    // The blob first: the pointer never names a checkpoint that is not in the bucket.
    await blobs.put('checkpoints', ledgerKeys.checkpointBlob(orgId, body.size), Buffer.from(json, 'utf8'), {
      contentType: 'application/json',
    });
    try {
      await store.transact([
        {
          kind: 'put',
          item: { ...ledgerKeys.checkpoint(orgId, body.size), checkpoint: json },
          condition: { kind: 'notExists' },
        },
        {
          kind: 'put',
          item: {
            ...ledgerKeys.latestCheckpoint(orgId),
            size: body.size,
            checkpoint: json,
            frontier: frontier.state().nodes,
          },
          condition: latest ? { kind: 'equals', attribute: 'size', value: previousSize } : { kind: 'notExists' },
        },
      ]);
    } catch (error) {
      if (error instanceof ConditionFailedError || error instanceof TransactionConflictError) {
        // Another run checkpointed concurrently; its checkpoint is as good as ours.
        return (await latestCheckpointRecord(orgId))?.checkpoint;
      }
      throw error;
    }
    options.logger?.log('info', 'ledger checkpoint signed', { orgId, size: body.size });
    return signed;
  }

  async function* organizations() {
    let cursor: string | undefined;
    do {
      const page = await store.query(ledgerKeys.registry, {
        limit: pageSize,
        ...(cursor !== undefined ? { cursor } : {}),
      });
      for (const item of page.items) yield String(item.sk);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }

  async function* exportLines(orgId: string) {
    // The checkpoint is read first, so it never covers more than the entries that follow it.
    const latest = await latestCheckpointRecord(orgId);
    const head = await readHead(orgId);
    yield exportHeaderLine(orgId, latest?.checkpoint);
    if (!head) return;
    for await (const entry of entries(orgId, { toSeq: head.seq })) yield exportEntryLine(entry);
  }

  async function leavesUpTo(orgId: string, size: number): Promise<string[]> {
    const head = await readHead(orgId);
    if (!Number.isInteger(size) || size < 1 || size > (head?.seq ?? 0)) throw invalid('size', 'beyond the ledger');
    const leaves: string[] = [];
    for await (const entry of entries(orgId, { toSeq: size })) leaves.push(entry.leaf);
    return leaves;
  }

  async function checkpointAt(orgId: string, size: number): Promise<SignedCheckpoint | undefined> {
    if (!Number.isSafeInteger(size) || size < 1) return undefined;
    const item = await store.get(ledgerKeys.checkpoint(orgId, size), { consistent: true });
    return item ? storedCheckpoint(item) : undefined;
  }

  /** A proof is only useful against a signed root: the size must be one a checkpoint was made at. */
  async function signedCheckpoint(orgId: string, size: number | undefined): Promise<SignedCheckpoint> {
    if (size === undefined) {
      const latest = await latestCheckpointRecord(orgId);
      if (!latest) throw new NotFoundError('No checkpoint has been signed for this ledger yet.');
      return latest.checkpoint;
    }
    const checkpoint = await checkpointAt(orgId, size);
    if (!checkpoint)
      throw new NotFoundError(`No checkpoint was signed at size ${size}; list them at /api/ledger/checkpoints.`);
    return checkpoint;
  }

  async function listCheckpoints(orgId: string, options: { limit?: number; cursor?: string } = {}) {
    const limit = listLimit(options.limit);
    const page = await store.query(ledgerKeys.partition(orgId), {
      skBetween: [ledgerKeys.checkpoint(orgId, 0).sk, ledgerKeys.checkpoint(orgId, 999_999_999_999).sk],
      descending: true,
      consistent: true,
      limit,
      ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
    });
    const items = page.items.map(storedCheckpoint);
    return { items, ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}) };
  }

  async function inclusionProofDocument(orgId: string, seq: number, size?: number): Promise<InclusionProofDocument> {
    const checkpoint = await signedCheckpoint(orgId, size);
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > checkpoint.size) {
      throw invalid('seq', `must be from 1 to ${checkpoint.size}, the entries the checkpoint covers`);
    }
    const leaves = await leavesUpTo(orgId, checkpoint.size);
    const entry = await readEntry(orgId, seq);
    if (!entry) throw new IntegrityError(`Ledger entry ${seq} is missing`);
    return { format: inclusionProofFormat, entry, checkpoint, proof: inclusionProof(leaves, seq - 1) };
  }

  async function consistencyProofDocument(
    orgId: string,
    oldSize: number,
    newSize?: number,
  ): Promise<ConsistencyProofDocument> {
    const newCheckpoint = await signedCheckpoint(orgId, newSize);
    if (!Number.isSafeInteger(oldSize) || oldSize < 1 || oldSize > newCheckpoint.size) {
      throw invalid('from', `must be from 1 to ${newCheckpoint.size}`);
    }
    const oldCheckpoint = await signedCheckpoint(orgId, oldSize);
    const leaves = await leavesUpTo(orgId, newCheckpoint.size);
    return {
      format: consistencyProofFormat,
      oldCheckpoint,
      newCheckpoint,
      proof: consistencyProof(leaves, oldSize),
    };
  }

  return {
    append,
    head: readHead,
    checkpointAt,
    listCheckpoints,
    inclusionProofDocument,
    consistencyProofDocument,
    async get(orgId, seq) {
      const entry = Number.isSafeInteger(seq) && seq > 0 ? await readEntry(orgId, seq) : undefined;
      if (!entry) throw new NotFoundError('No such ledger entry');
      return entry;
    },
    list,
    entries,
    verify,
    checkpoint,
    async latestCheckpoint(orgId) {
      return (await latestCheckpointRecord(orgId))?.checkpoint;
    },
    organizations,
    exportLines,
    async inclusionProof(orgId, seq, size) {
      const leaves = await leavesUpTo(orgId, size);
      if (!Number.isInteger(seq) || seq < 1 || seq > size) throw invalid('seq', 'outside the tree');
      return { leaf: leaves[seq - 1]!, proof: inclusionProof(leaves, seq - 1) };
    },
    async consistencyProof(orgId, oldSize, newSize) {
      const leaves = await leavesUpTo(orgId, newSize);
      if (!Number.isInteger(oldSize) || oldSize < 0 || oldSize > newSize) throw invalid('oldSize', 'outside the tree');
      return consistencyProof(leaves, oldSize);
    },
  };
}
