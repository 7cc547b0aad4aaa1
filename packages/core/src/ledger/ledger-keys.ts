/**
 * Where the ledger lives in the single table. One partition per organization holds the head, the
 * entries (sorted by seq), the idempotency tokens and the checkpoint records; the secondary indexes
 * serve the actor and account filters, time-sorted.
 */
const seqWidth = 12;

export function padSeq(seq: number): string {
  return String(seq).padStart(seqWidth, '0');
}

export const ledgerKeys = {
  partition: (orgId: string) => `LEDGER#${orgId}`,
  head: (orgId: string) => ({ pk: `LEDGER#${orgId}`, sk: 'HEAD' }),
  entry: (orgId: string, seq: number) => ({ pk: `LEDGER#${orgId}`, sk: `ENTRY#${padSeq(seq)}` }),
  entryPrefix: 'ENTRY#',
  token: (orgId: string, token: string) => ({ pk: `LEDGER#${orgId}`, sk: `TOKEN#${token}` }),
  latestCheckpoint: (orgId: string) => ({ pk: `LEDGER#${orgId}`, sk: 'CHECKPOINT#LATEST' }),
  checkpoint: (orgId: string, size: number) => ({ pk: `LEDGER#${orgId}`, sk: `CHECKPOINT#${padSeq(size)}` }),
  /** Registry of organizations that have a ledger, written once with the first entry (the checkpoint job walks it). */
  registry: 'LEDGER_ORGS',
  registryEntry: (orgId: string) => ({ pk: 'LEDGER_ORGS', sk: orgId }),
  byActor: (orgId: string, actorId: string) => `LEDGER#${orgId}#ACTOR#${actorId}`,
  byAccount: (orgId: string, accountId: string) => `LEDGER#${orgId}#ACCOUNT#${accountId}`,
  /** Index sort key: time first so ranges are key conditions, seq to break ties. */
  timeKey: (time: string, seq: number) => `${time}#${padSeq(seq)}`,
  checkpointBlob: (orgId: string, size: number) => `${orgId}/${padSeq(size)}.json`,
} as const;
