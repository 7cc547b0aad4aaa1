import { ValidationError } from '../errors.js';
import type { Item, Store } from '../ports/store.js';
import { ledgerKeys } from './ledger-keys.js';
import { readHead, servedEntry, storePageSize } from './ledger-reads.js';
import type { LedgerEntry } from './ledger-writer.js';

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

const maxListLimit = 100;
const defaultListLimit = 25;

export function invalid(path: string, message: string): ValidationError {
  return new ValidationError(`Invalid ${path}`, [{ path, message }]);
}

export function listLimit(limit: number | undefined): number {
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

/** Largest seq whose time is <= `to` (time is non-decreasing along the ledger), by binary search. */
async function lastSeqAtOrBefore(store: Store, orgId: string, to: string, headSeq: number): Promise<number> {
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

/**
 * Newest first, filtered; `nextCursor` continues the same listing. The most selective index serves
 * the listing and the remaining filters apply to what it returns. Every entry is read strictly
 * (ledger-reads.ts), so a listing serves only bytes its leaves cover; index attributes that were
 * changed to hide an entry from a filter are found by verification, which recomputes them.
 */
export async function listEntries(
  store: Store,
  orgId: string,
  query: LedgerQuery = {},
): Promise<{ items: LedgerEntry[]; nextCursor?: string }> {
  const limit = listLimit(query.limit);
  const from = query.from !== undefined ? normalizeInstant(query.from, 'from') : undefined;
  const to = query.to !== undefined ? normalizeInstant(query.to, 'to') : undefined;
  const after = query.cursor !== undefined ? decodeListCursor(query.cursor) : undefined;

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
      const head = await readHead(store, orgId);
      upper = ledgerKeys.entry(orgId, await lastSeqAtOrBefore(store, orgId, to, Math.max(0, head?.seq ?? 0))).sk;
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
      limit: Math.min(storePageSize, limit * 4),
      ...(storeCursor !== undefined ? { cursor: storeCursor } : {}),
    });
    for (const item of page.items) {
      const key = sortKeyOf(item);
      if (after !== undefined && key === after) continue;
      const entry = servedEntry(orgId, item);
      if (from !== undefined && entry.time < from) {
        exhausted = true;
        break scan;
      }
      if (to !== undefined && entry.time > to) continue;
      if (query.action !== undefined && entry.action !== query.action) continue;
      if (query.actor !== undefined && entry.actor.id !== query.actor) continue;
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
