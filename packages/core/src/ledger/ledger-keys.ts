/**
 * Where the ledger lives in the single table. One partition per organization holds the head, the
 * entries (sorted by seq), the idempotency tokens, the checkpoint records and the open integrity
 * alert; the secondary indexes serve the actor and account filters, time-sorted.
 */
const seqWidth = 12;
export const maxSeq = 999_999_999_999;

export function padSeq(seq: number): string {
  return String(seq).padStart(seqWidth, '0');
}

export const ledgerKeys = {
  partition: (orgId: string) => `LEDGER#${orgId}`,
  head: (orgId: string) => ({ pk: `LEDGER#${orgId}`, sk: 'HEAD' }),
  entry: (orgId: string, seq: number) => ({ pk: `LEDGER#${orgId}`, sk: `ENTRY#${padSeq(seq)}` }),
  entryPrefix: 'ENTRY#',
  /** The seq an entry's sort key names (NaN when it names none). */
  seqOfEntryKey: (sk: string) => (/^ENTRY#\d{12}$/.test(sk) ? Number(sk.slice(6)) : Number.NaN),
  token: (orgId: string, token: string) => ({ pk: `LEDGER#${orgId}`, sk: `TOKEN#${token}` }),
  checkpoint: (orgId: string, size: number) => ({ pk: `LEDGER#${orgId}`, sk: `CHECKPOINT#${padSeq(size)}` }),
  checkpointPrefix: 'CHECKPOINT#',
  seqOfCheckpointKey: (sk: string) => (/^CHECKPOINT#\d{12}$/.test(sk) ? Number(sk.slice(11)) : Number.NaN),
  /**
   * Ledgers before checkpoint format v2 kept a mutable "latest" pointer here. Nothing trusts it any
   * more; verification checks it still names the newest checkpoint, and the first v2 checkpoint
   * deletes it.
   */
  legacyLatestCheckpoint: (orgId: string) => ({ pk: `LEDGER#${orgId}`, sk: 'CHECKPOINT#LATEST' }),
  /** The open integrity alert of the ledger (health and the job read it). */
  integrityAlert: (orgId: string) => ({ pk: `LEDGER#${orgId}`, sk: 'INTEGRITY#ALERT' }),
  /** Registry of organizations that have a ledger, written once with the first entry (the checkpoint job walks it). */
  registry: 'LEDGER_ORGS',
  registryEntry: (orgId: string) => ({ pk: 'LEDGER_ORGS', sk: orgId }),
  byActor: (orgId: string, actorId: string) => `LEDGER#${orgId}#ACTOR#${actorId}`,
  byAccount: (orgId: string, accountId: string) => `LEDGER#${orgId}#ACCOUNT#${accountId}`,
  /** Index sort key: time first so ranges are key conditions, seq to break ties. */
  timeKey: (time: string, seq: number) => `${time}#${padSeq(seq)}`,
  checkpointBlob: (orgId: string, size: number) => `${orgId}/${padSeq(size)}.json`,
  checkpointBlobPrefix: (orgId: string) => `${orgId}/`,
  /** The size a checkpoint object's key names (NaN when it names none). */
  sizeOfCheckpointBlob: (orgId: string, key: string) =>
    key.startsWith(`${orgId}/`) && /^\d{12}\.json$/.test(key.slice(orgId.length + 1))
      ? Number(key.slice(orgId.length + 1, orgId.length + 13))
      : Number.NaN,
} as const;
