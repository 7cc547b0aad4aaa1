import type { BlobStore } from '../ports/blob-store.js';
import type { Item, Store } from '../ports/store.js';
import { canonicalJson } from './canonical-json.js';
import { collectCheckpoints } from './checkpoint-store.js';
import { entryFromCanonical } from './entry-body.js';
import { readEntryItem } from './entry-record.js';
import { exportEntryLine, exportHeaderLine, exportTrailerLine } from './export-format.js';
import type { IntegrityFault } from './integrity-fault.js';
import { chainHash, genesisChain } from './ledger-hashing.js';
import { ledgerKeys } from './ledger-keys.js';
import { entryItems, readHead } from './ledger-reads.js';

/**
 * The export is the stored ledger as it is, for an offline verifier to judge: every checkpoint found
 * (table and bucket), every entry item's exact body and stored leaf (not re-verified here), and the
 * stored head read after the entries. Some faults cannot show in an export line (an index attribute,
 * an unknown item attribute, a legacy chain value the export does not carry); for those the portal
 * writes a `{"fault":...}` line before the entry, which makes any verifier refuse the export there. It
 * can only make an export fail, never pass.
 */
export async function* exportLines(store: Store, blobs: BlobStore | undefined, orgId: string): AsyncGenerator<string> {
  const { checkpoints } = await collectCheckpoints(store, blobs, orgId);
  yield exportHeaderLine(orgId, checkpoints);
  let last = 0;
  let legacyChain = genesisChain;
  const lineOf = function* (item: Item) {
    const body = typeof item.body === 'string' ? item.body : JSON.stringify(item.body ?? null);
    const leaf = String(item.leaf ?? '');
    const { hidden, chain } = hiddenFault(orgId, item, body, leaf, legacyChain);
    legacyChain = chain;
    if (hidden) yield canonicalJson({ fault: hidden });
    yield exportEntryLine(body, leaf);
    last = ledgerKeys.seqOfEntryKey(item.sk);
  };
  for await (const item of entryItems(store, orgId)) yield* lineOf(item);
  let head = await readHead(store, orgId);
  if (head && head.seq > last) {
    // Appended while the export ran (or a head ahead of the entries, which the verifier reports).
    for await (const item of entryItems(store, orgId, { fromSeq: last + 1, toSeq: head.seq })) yield* lineOf(item);
    head = await readHead(store, orgId);
  }
  yield exportTrailerLine(head ? { seq: head.seq, ...(head.leaf !== undefined ? { leaf: head.leaf } : {}) } : null);
}

/** A fault of the stored item that its export line would not show (see above), and the legacy chain so far. */
function hiddenFault(
  orgId: string,
  item: Item,
  body: string,
  leaf: string,
  previousChain: string,
): { hidden?: IntegrityFault; chain: string } {
  const read = readEntryItem(orgId, item);
  if (read.ok) {
    if (read.legacyChain === undefined) return { chain: previousChain };
    const chain = chainHash(previousChain, read.entry.leaf);
    if (read.legacyChain === chain) return { chain };
    const { seq } = read.entry;
    return {
      hidden: { kind: 'legacy_chain', seq, reason: `entry ${seq}: its legacy chain value does not follow` },
      chain,
    };
  }
  const visible = entryFromCanonical(body);
  const lineWouldShow =
    'error' in visible ||
    visible.entry.leaf !== leaf ||
    visible.entry.orgId !== orgId ||
    visible.entry.seq !== read.fault.seq;
  return lineWouldShow ? { chain: previousChain } : { hidden: { ...read.fault }, chain: previousChain };
}
