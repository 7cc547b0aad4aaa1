import { padSeq } from '../ledger/ledger-keys.js';
import type { LedgerEntry } from '../ledger/ledger-writer.js';
import type { Item, ItemValue, Store } from '../ports/store.js';

/**
 * Reads ledger entries after a seq, straight from the ledger's own items (pk `LEDGER#<orgId>`, sk
 * `ENTRY#<seq, 12 digits>`, see ledger/ledger-keys.ts): notifications are derived from the ledger,
 * not from a second stream.
 */
export async function readEntriesAfter(
  store: Store,
  orgId: string,
  afterSeq: number,
  limit: number,
): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.query(`LEDGER#${orgId}`, {
      skBetween: [`ENTRY#${padSeq(afterSeq + 1)}`, `ENTRY#${'9'.repeat(12)}`],
      limit: limit - entries.length,
      consistent: true,
      ...(cursor ? { cursor } : {}),
    });
    for (const item of page.items) {
      const entry = entryFromItem(orgId, item);
      if (entry) entries.push(entry);
    }
    cursor = page.nextCursor;
  } while (cursor && entries.length < limit);
  return entries;
}

/** One entry by seq (undefined when absent or malformed). */
export async function readEntry(store: Store, orgId: string, seq: number): Promise<LedgerEntry | undefined> {
  const item = await store.get({ pk: `LEDGER#${orgId}`, sk: `ENTRY#${padSeq(seq)}` }, { consistent: true });
  return item ? entryFromItem(orgId, item) : undefined;
}

/** The highest seq in an org's ledger (0 when empty). */
export async function latestLedgerSeq(store: Store, orgId: string): Promise<number> {
  const page = await store.query(`LEDGER#${orgId}`, {
    skPrefix: 'ENTRY#',
    descending: true,
    limit: 1,
    consistent: true,
  });
  const item = page.items[0];
  return item ? (entryFromItem(orgId, item)?.seq ?? 0) : 0;
}

function isRecord(value: ItemValue | undefined): value is Record<string, ItemValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The ledger stores the canonical entry as a JSON `body` beside `leaf`/`chain` (packages/core/src/ledger/ledger.ts). */
function entrySource(item: Item): Record<string, ItemValue | undefined> {
  if (typeof item.body === 'string') {
    try {
      const body = JSON.parse(item.body) as ItemValue;
      if (isRecord(body)) return { ...body, leaf: item.leaf, chain: item.chain };
    } catch {
      return {};
    }
  }
  return item;
}

/** Anything malformed is skipped rather than stalling every later notification. */
function entryFromItem(orgId: string, item: Item): LedgerEntry | undefined {
  const source = entrySource(item);
  const seq = Number(source.seq ?? item.sk.slice('ENTRY#'.length));
  const { time, action, subject, actor, details, leaf, chain, accountId } = source;
  if (!Number.isSafeInteger(seq) || typeof time !== 'string' || typeof action !== 'string') return undefined;
  if (typeof subject !== 'string' || !isRecord(actor)) return undefined;
  return {
    orgId,
    seq,
    time,
    action,
    subject,
    actor: actor as unknown as LedgerEntry['actor'],
    details: isRecord(details) ? details : {},
    ...(typeof accountId === 'string' ? { accountId } : {}),
    leaf: typeof leaf === 'string' ? leaf : '',
    chain: typeof chain === 'string' ? chain : '',
  };
}
