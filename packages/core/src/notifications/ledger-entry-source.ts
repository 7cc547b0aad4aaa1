import { readEntryItem } from '../ledger/entry-record.js';
import { padSeq } from '../ledger/ledger-keys.js';
import type { LedgerEntry } from '../ledger/ledger-writer.js';
import type { Item, Store } from '../ports/store.js';

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

/**
 * The ledger's own strict reader (ledger/entry-record.ts): a notification carries exactly what the
 * entry's leaf covers. A stored item that fails it is skipped (and the ledger's verification raises
 * the integrity alert) rather than stalling every later notification.
 */
function entryFromItem(orgId: string, item: Item): LedgerEntry | undefined {
  const read = readEntryItem(orgId, item);
  return read.ok ? read.entry : undefined;
}
