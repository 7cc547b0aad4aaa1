import { DomainError } from '../errors.js';

/**
 * What a verifier found wrong, by kind (stable names: the API, the CLI's --json output, alerts and
 * docs/ledger.md use them).
 */
export type IntegrityFaultKind =
  /** The stored leaf is not the hash of the stored body: the entry was edited. */
  | 'entry_edited'
  /** The body is not a canonical, well-formed entry (unknown members, wrong types, not JCS). */
  | 'entry_malformed'
  /** A seq is missing from the sequence (deleted, or the sequence was cut). */
  | 'entry_missing'
  /** An entry sits at the wrong seq or names another organization (swapped, moved, inserted). */
  | 'entry_misplaced'
  /** An index attribute (gsi keys, time, action, seq) disagrees with the hashed body. */
  | 'index_attributes'
  /** A legacy per-entry chain value does not follow from the previous one. */
  | 'legacy_chain'
  /** The head is missing, behind the entries (rolled back), ahead of them, or names another entry. */
  | 'head_mismatch'
  /** The entries do not hash to the Merkle root a signed checkpoint holds: history was rewritten. */
  | 'checkpoint_mismatch'
  /** A checkpoint's signature does not verify against a trusted key. */
  | 'checkpoint_forged'
  /** A signed checkpoint that existed is gone (from the table, the bucket, or the export). */
  | 'checkpoint_missing'
  /** A stored checkpoint was replaced by an older one, or the legacy pointer names an older one. */
  | 'checkpoint_rollback'
  /** A checkpoint does not name the checkpoint before it, or two checkpoints of one size differ. */
  | 'checkpoint_chain'
  /** A checkpoint or proof document is malformed (unknown members, wrong types). */
  | 'checkpoint_malformed'
  /** A signed checkpoint covers more entries than there are. */
  | 'entries_truncated'
  /** A trusted key was given but no checkpoint signed by it anchors the entries. */
  | 'unanchored'
  /** The export file itself is not in the format (header, lines, trailer). */
  | 'export_malformed';

export interface IntegrityFault {
  kind: IntegrityFaultKind;
  reason: string;
  /** The first bad seq, where the check can name one. */
  seq?: number;
  /** Otherwise the range the damage lies in (a rewrite caught by a checkpoint's root). */
  fromSeq?: number;
  toSeq?: number;
}

/**
 * The ledger's stored state contradicts itself, so an act cannot be recorded (503: an operator must
 * look; retrying does not help until they have). Named in the problem's `code` and `fault`.
 */
export class LedgerIntegrityFaultError extends DomainError {
  readonly code = 'ledger_integrity_fault';
  constructor(
    readonly orgId: string,
    readonly fault: IntegrityFault,
    options?: { cause?: unknown },
  ) {
    super(`The ledger failed an integrity check (${fault.kind}): ${fault.reason}`, options);
  }
}

/**
 * The head against the number of entries (the ledger's or an export's): entries past the head mean it
 * was rolled back, a head past them that entries were removed. The one rule both verifiers apply.
 */
export function headSizeFault(headSeq: number, size: number, entries: string): IntegrityFault | undefined {
  if (headSeq < size) {
    return {
      kind: 'head_mismatch',
      seq: headSeq + 1,
      reason: `entries continue past the head at seq ${headSeq} (the head was rolled back)`,
    };
  }
  if (headSeq > size) {
    return {
      kind: 'head_mismatch',
      seq: size + 1,
      reason: `the head names seq ${headSeq}, but ${entries} at seq ${size} (entries removed)`,
    };
  }
  return undefined;
}
