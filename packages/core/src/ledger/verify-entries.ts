import { leafHash } from './entry-body.js';
import { LeafSequence } from './leaf-sequence.js';
import { type LedgerVerification, verdict } from './ledger-verification.js';
import type { LedgerEntry } from './ledger-writer.js';

/**
 * Verifies entries already read (an API page, a test's collection) against each other: seqs run from
 * 1 and every leaf is the hash of its entry. No checkpoint anchors them, so this proves order and
 * integrity of what was read, not that it is what the portal signed.
 */
export function verifyEntries(entries: Iterable<LedgerEntry>): LedgerVerification {
  const sequence = new LeafSequence([]);
  for (const entry of entries) {
    if (!sequence.expect(entry.seq)) break;
    let leaf: string;
    try {
      leaf = leafHash(entry);
    } catch {
      leaf = '';
    }
    if (leaf !== entry.leaf) {
      sequence.fail({
        kind: 'entry_edited',
        seq: entry.seq,
        reason: `entry ${entry.seq}: the entry does not hash to its leaf`,
      });
      break;
    }
    sequence.pushHex(leaf);
  }
  return verdict({
    size: sequence.size,
    merkleRoot: sequence.frontier.root(),
    faults: sequence.faults,
    anchors: [],
    signatures: 'unchecked',
  });
}
