import type { Item } from '../ports/store.js';
import { entryFromCanonical } from './entry-body.js';
import type { IntegrityFault } from './integrity-fault.js';
import { isHexDigest } from './ledger-hashing.js';
import { ledgerKeys } from './ledger-keys.js';
import type { LedgerEntry } from './ledger-writer.js';

/**
 * The stored form of an entry: `body` is the exact JCS string the leaf hashes; every other attribute
 * is derived from it (the seq in the key, the index keys, time and action for queries) and is
 * recomputed and compared on every read.
 */
export function entryItem(entry: LedgerEntry, canonical: string): Item {
  return {
    ...ledgerKeys.entry(entry.orgId, entry.seq),
    ...derivedAttributes(entry),
    body: canonical,
    leaf: entry.leaf,
  };
}

function derivedAttributes(entry: LedgerEntry): Record<string, string | number> {
  const { orgId, seq, time } = entry;
  return {
    seq,
    time,
    action: entry.action,
    gsi1pk: ledgerKeys.byActor(orgId, entry.actor.id),
    gsi1sk: ledgerKeys.timeKey(time, seq),
    ...(entry.accountId !== undefined
      ? { gsi2pk: ledgerKeys.byAccount(orgId, entry.accountId), gsi2sk: ledgerKeys.timeKey(time, seq) }
      : {}),
  };
}

/** Attributes an entry item may hold; `chain` only in ledgers written before checkpoint format v2. */
const knownAttributes: ReadonlySet<string> = new Set([
  'pk',
  'sk',
  'seq',
  'time',
  'action',
  'body',
  'leaf',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'chain',
]);

export type StoredEntryRead =
  | { ok: true; entry: LedgerEntry; canonical: string; legacyChain?: string }
  | { ok: false; fault: IntegrityFault };

/**
 * Reads an entry item strictly: the body must be a canonical, well-formed entry of this org at the
 * seq its key names, its stored leaf must be the hash of those bytes, and the derived attributes
 * must be what the body implies. What a reader serves is therefore exactly what the leaf covers.
 */
export function readEntryItem(orgId: string, item: Item): StoredEntryRead {
  const at = ledgerKeys.seqOfEntryKey(item.sk);
  const fault = (kind: IntegrityFault['kind'], reason: string): StoredEntryRead => ({
    ok: false,
    fault: { kind, reason: `entry ${at}: ${reason}`, seq: at },
  });
  const unknown = Object.keys(item).find((name) => !knownAttributes.has(name));
  if (unknown !== undefined) return fault('entry_malformed', `the stored item has an unknown attribute "${unknown}"`);
  if (typeof item.body !== 'string') return fault('entry_malformed', 'the stored item has no body');
  const read = entryFromCanonical(item.body);
  if ('error' in read) return fault('entry_malformed', read.error);
  const { entry } = read;
  if (entry.orgId !== orgId) return fault('entry_misplaced', 'the entry belongs to another organization');
  if (entry.seq !== at) return fault('entry_misplaced', `the entry stored here is seq ${entry.seq} (moved or swapped)`);
  if (item.leaf !== entry.leaf) return fault('entry_edited', 'the body does not hash to the stored leaf (edited)');
  const expected = derivedAttributes(entry);
  for (const name of ['seq', 'time', 'action', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk']) {
    if (item[name] !== expected[name]) {
      return fault('index_attributes', `the attribute "${name}" differs from the hashed body`);
    }
  }
  if (item.chain !== undefined && !isHexDigest(item.chain))
    return fault('legacy_chain', 'malformed legacy chain value');
  return {
    ok: true,
    entry,
    canonical: item.body,
    ...(item.chain !== undefined ? { legacyChain: item.chain as string } : {}),
  };
}
