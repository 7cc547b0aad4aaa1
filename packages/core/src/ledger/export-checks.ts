import { type AnyCheckpoint, checkCheckpointSignature, parseCheckpoint, type TrustedKey } from './checkpoint.js';
import { checkCheckpointChain } from './checkpoint-chain.js';
import { entryFromCanonical } from './entry-body.js';
import type { ExportHead } from './export-format.js';
import { headSizeFault, type IntegrityFault } from './integrity-fault.js';
import type { LedgerVerification } from './ledger-verification.js';

/** What an export verification may be given besides the file. */
export interface ExportVerifyOptions {
  /** The keys checkpoints must be signed by (`GET /api/keys/signing`); without them signatures are unchecked. */
  keys?: readonly TrustedKey[];
  /** Checkpoints held from before (a witness's copies): each must be in the export and consistent with it. */
  held?: readonly unknown[];
  /** With trusted keys, entries no checkpoint anchors are INVALID unless this is set. */
  allowUnanchored?: boolean;
}

/**
 * A held checkpoint as a witness keeps it: the signed checkpoint itself, or the `ledger:CheckpointSigned`
 * notification it came in (a webhook payload `{entry: {details: {checkpoint}}}`, or a ledger entry).
 */
export function heldCheckpoint(value: unknown): { checkpoint: AnyCheckpoint } | { error: string } {
  const record = value as { entry?: { details?: { checkpoint?: unknown } }; details?: { checkpoint?: unknown } };
  const inner = record?.entry?.details?.checkpoint ?? record?.details?.checkpoint;
  return parseCheckpoint(inner ?? value);
}

/** What one verification knows about its checkpoints before the entries arrive. */
export interface ExportAnchors {
  orgId: string;
  anchors: AnyCheckpoint[];
  /** Every checkpoint size known (export or held) -> its Merkle root: announcements must name one of these. */
  known: Map<number, string>;
  faults: IntegrityFault[];
  signatures: LedgerVerification['checkpoints']['signatures'];
  held: number;
}

/** The header's checkpoints as a chain, plus the held ones, each checked against the trusted keys. */
export function exportAnchors(
  header: { orgId: string; checkpoints: AnyCheckpoint[] },
  options: ExportVerifyOptions,
): ExportAnchors {
  const chain = checkCheckpointChain(header.orgId, header.checkpoints, options.keys);
  const faults = [...chain.faults];
  const known = new Map(header.checkpoints.map((checkpoint) => [checkpoint.size, checkpoint.merkleRoot]));
  const anchors = new Map(chain.anchors.map((checkpoint) => [checkpoint.size, checkpoint]));
  let signatures = chain.signatures;
  for (const [i, value] of (options.held ?? []).entries()) {
    const parsed = heldCheckpoint(value);
    const label = `held checkpoint ${i + 1}`;
    if ('error' in parsed) {
      faults.push({ kind: 'checkpoint_malformed', reason: `${label}: ${parsed.error}` });
      continue;
    }
    const checkpoint = parsed.checkpoint;
    if (checkpoint.org !== header.orgId) {
      faults.push({ kind: 'checkpoint_chain', reason: `${label} belongs to another organization` });
      continue;
    }
    if (checkCheckpointSignature(checkpoint, options.keys) === 'invalid') {
      signatures = 'invalid';
      faults.push({
        kind: 'checkpoint_forged',
        reason: `${label} (size ${checkpoint.size}) is not signed by a trusted key`,
      });
      continue;
    }
    const exported = known.get(checkpoint.size);
    if (exported === undefined) {
      faults.push({
        kind: 'checkpoint_missing',
        reason: `the checkpoint of size ${checkpoint.size} you hold is not in the export (deleted or rolled back)`,
      });
    } else if (exported !== checkpoint.merkleRoot) {
      faults.push({
        kind: 'checkpoint_chain',
        reason: `the export's checkpoint of size ${checkpoint.size} differs from the one you hold (a fork)`,
      });
    }
    // Either way the held one anchors the entries: a rewrite shows at its size.
    if (!anchors.has(checkpoint.size)) anchors.set(checkpoint.size, checkpoint);
    known.set(checkpoint.size, known.get(checkpoint.size) ?? checkpoint.merkleRoot);
  }
  return {
    orgId: header.orgId,
    anchors: [...anchors.values()].sort((a, b) => a.size - b.size),
    known,
    faults,
    signatures,
    held: options.held?.length ?? 0,
  };
}

/** Checks an announcement entry names a checkpoint the verifier knows. */
export function announcementFault(known: Map<number, string>, body: string, seq: number): IntegrityFault | undefined {
  const read = entryFromCanonical(body);
  const parsed = 'error' in read ? read : parseCheckpoint(read.entry.details.checkpoint);
  if ('error' in parsed) return { kind: 'checkpoint_malformed', seq, reason: `entry ${seq}: ${parsed.error}` };
  const root = known.get(parsed.checkpoint.size);
  if (root === undefined) {
    return {
      kind: 'checkpoint_missing',
      reason: `the checkpoint of size ${parsed.checkpoint.size} announced at seq ${seq} is not in the export (deleted)`,
    };
  }
  return root === parsed.checkpoint.merkleRoot
    ? undefined
    : {
        kind: 'checkpoint_chain',
        reason: `the checkpoint announced at seq ${seq} differs from the export's (replaced)`,
      };
}

/** The trailer's head against the entries: the export must end exactly where the head says. */
export function trailerFault(head: ExportHead | null, size: number, lastLeaf: string): IntegrityFault | undefined {
  if (head === null) {
    return size === 0 ? undefined : { kind: 'head_mismatch', seq: 1, reason: 'the export has entries but no head' };
  }
  const misplaced = headSizeFault(head.seq, size, 'the export ends');
  if (misplaced) return misplaced;
  if (head.leaf !== undefined && size > 0 && head.leaf !== lastLeaf) {
    return { kind: 'head_mismatch', seq: size, reason: `the head does not name entry ${size}` };
  }
  return undefined;
}

const faultKinds: ReadonlySet<string> = new Set([
  'index_attributes',
  'entry_malformed',
  'legacy_chain',
  'entry_misplaced',
  'entry_edited',
]);

/** A `{"fault":...}` line: the portal's own report about the next entry's stored item. */
export function reportedFault(line: Buffer, next: number): IntegrityFault {
  let reported: { fault?: { kind?: unknown; reason?: unknown; seq?: unknown } } | undefined;
  try {
    reported = JSON.parse(line.toString('utf8')) as typeof reported;
  } catch {
    reported = undefined;
  }
  const fault = reported?.fault;
  const kind = typeof fault?.kind === 'string' && faultKinds.has(fault.kind) ? fault.kind : 'entry_malformed';
  const reason = typeof fault?.reason === 'string' ? fault.reason : "a stored item fails the portal's checks";
  return { kind: kind as IntegrityFault['kind'], seq: next, reason: `the portal reports: ${reason}` };
}
