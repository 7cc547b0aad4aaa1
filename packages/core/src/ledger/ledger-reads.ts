import type { Item, Store } from '../ports/store.js';
import { readEntryItem } from './entry-record.js';
import { LedgerIntegrityFaultError } from './integrity-fault.js';
import { isHexDigest } from './ledger-hashing.js';
import { ledgerKeys } from './ledger-keys.js';
import type { LedgerEntry } from './ledger-writer.js';

/**
 * The head: the seq and leaf of the last entry, advanced only under a condition on its seq. Heads
 * written before checkpoint format v2 hold the last entry's chain value instead of its leaf.
 */
export interface LedgerHead {
  seq: number;
  /** Leaf of entry `seq`. */
  leaf?: string;
  time: string;
  /** Legacy heads only: the chain value of entry `seq`. */
  legacyChain?: string;
  /** The seq of the last act that changed the organization's access data (its access stamp). */
  accessSeq?: number;
}

export const storePageSize = 200;

export async function readHead(store: Store, orgId: string): Promise<LedgerHead | undefined> {
  const item = await store.get(ledgerKeys.head(orgId), { consistent: true });
  if (!item) return undefined;
  const seq = Number(item.seq);
  const head: LedgerHead = { seq: Number.isSafeInteger(seq) && seq >= 0 ? seq : -1, time: String(item.time ?? '') };
  if (isHexDigest(item.leaf)) head.leaf = item.leaf;
  if (isHexDigest(item.chain)) head.legacyChain = item.chain;
  if (typeof item.accessSeq === 'number' && Number.isSafeInteger(item.accessSeq)) head.accessSeq = item.accessSeq;
  return head;
}

/** Raw entry items in seq order (strongly consistent), optionally a range. */
export async function* entryItems(
  store: Store,
  orgId: string,
  range: { fromSeq?: number; toSeq?: number } = {},
): AsyncGenerator<Item> {
  const partition = ledgerKeys.partition(orgId);
  const from = ledgerKeys.entry(orgId, Math.max(1, range.fromSeq ?? 1)).sk;
  const to = range.toSeq !== undefined ? ledgerKeys.entry(orgId, range.toSeq).sk : `${ledgerKeys.entryPrefix}~`;
  if (to < from) return;
  let cursor: string | undefined;
  do {
    const page = await store.query(partition, {
      skBetween: [from, to],
      consistent: true,
      limit: storePageSize,
      ...(cursor !== undefined ? { cursor } : {}),
    });
    for (const item of page.items) yield item;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}

/**
 * An entry as readers serve it: exactly what its leaf covers, or a `LedgerIntegrityFaultError` when
 * the stored item contradicts itself (edited body, unknown members, index attributes that disagree).
 */
export function servedEntry(orgId: string, item: Item): LedgerEntry {
  const read = readEntryItem(orgId, item);
  if (!read.ok) throw new LedgerIntegrityFaultError(orgId, read.fault);
  return read.entry;
}

export async function* servedEntries(
  store: Store,
  orgId: string,
  range: { fromSeq?: number; toSeq?: number } = {},
): AsyncGenerator<LedgerEntry> {
  for await (const item of entryItems(store, orgId, range)) yield servedEntry(orgId, item);
}

export async function readEntry(store: Store, orgId: string, seq: number): Promise<LedgerEntry | undefined> {
  if (!Number.isSafeInteger(seq) || seq < 1) return undefined;
  const item = await store.get(ledgerKeys.entry(orgId, seq), { consistent: true });
  return item ? servedEntry(orgId, item) : undefined;
}

export async function* organizations(store: Store): AsyncGenerator<string> {
  let cursor: string | undefined;
  do {
    const page = await store.query(ledgerKeys.registry, {
      limit: storePageSize,
      ...(cursor !== undefined ? { cursor } : {}),
    });
    for (const item of page.items) yield String(item.sk);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}
