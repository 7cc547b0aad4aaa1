import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import type { LedgerEntry } from './ledger-writer.js';

/** The hashed part of an entry: everything except the derived `leaf` and `chain`. */
export type LedgerEntryBody = Omit<LedgerEntry, 'leaf' | 'chain'>;

/** chain_0: 32 zero bytes, hex. */
export const genesisChain = '0'.repeat(64);

const leafPrefix = Buffer.from([0x00]);

export function entryBody(entry: LedgerEntryBody | LedgerEntry): LedgerEntryBody {
  const body: LedgerEntryBody = {
    orgId: entry.orgId,
    seq: entry.seq,
    time: entry.time,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    details: entry.details,
  };
  if (entry.accountId !== undefined) body.accountId = entry.accountId;
  return body;
}

/** JCS bytes of the body; what `leaf` commits to and what the export carries verbatim. */
export function canonicalBody(entry: LedgerEntryBody | LedgerEntry): string {
  return canonicalJson(entryBody(entry));
}

/** RFC 6962 leaf hash: SHA-256(0x00 || JCS(body)), hex. */
export function leafHashOfCanonical(canonical: string | Uint8Array): string {
  return createHash('sha256').update(leafPrefix).update(canonical).digest('hex');
}

export function leafHash(entry: LedgerEntryBody | LedgerEntry): string {
  return leafHashOfCanonical(canonicalBody(entry));
}

/** chain_n = SHA-256(chain_{n-1} || leaf_n) over the raw 32-byte values, hex. */
export function chainHash(previousChain: string, leaf: string): string {
  return createHash('sha256').update(Buffer.from(previousChain, 'hex')).update(Buffer.from(leaf, 'hex')).digest('hex');
}

const hex64 = /^[0-9a-f]{64}$/;
export function isHexDigest(value: unknown): value is string {
  return typeof value === 'string' && hex64.test(value);
}
