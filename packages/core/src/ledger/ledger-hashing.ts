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

// Byte-level hex helpers for the export verifier's hot path (measured: decoding in a JS loop beats
// Buffer's hex codec; comparing is fastest as one latin1 slice and a string comparison).
const hexDigitValue = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) hexDigitValue[0x30 + i] = i;
for (let i = 0; i < 6; i++) hexDigitValue[0x61 + i] = 10 + i;

/** Decodes the 64 lowercase hex bytes at `from` of `source` into 32 bytes at `to` of `target`; false if not hex. */
export function decodeHexDigest(source: Uint8Array, from: number, target: Uint8Array, to: number): boolean {
  let invalid = 0;
  for (let i = 0; i < 32; i++) {
    const high = hexDigitValue[source[from + 2 * i]!]!;
    const low = hexDigitValue[source[from + 2 * i + 1]!]!;
    invalid |= high | low;
    target[to + i] = (high << 4) | low;
  }
  return invalid >= 0;
}

/** Do the 64 bytes at `at` of `bytes` spell the hex string `hex`? */
export function hexDigestEquals(hex: string, bytes: Buffer, at: number): boolean {
  return at + 64 <= bytes.length && bytes.toString('latin1', at, at + 64) === hex;
}
