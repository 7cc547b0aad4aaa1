import { createHash, hash } from 'node:crypto';

/** RFC 6962 leaf hash of the exact body bytes: SHA-256(0x00 || body), hex. */
export function leafHashOfCanonical(canonical: string | Uint8Array): string {
  return createHash('sha256').update(leafPrefix).update(canonical).digest('hex');
}

const leafPrefix = Buffer.from([0x00]);

/**
 * Ledgers written before checkpoint format v2 also stored a per-entry chain value,
 * `chain_n = SHA-256(chain_{n-1} || leaf_n)` with `chain_0` = 32 zero bytes. New entries carry none
 * (docs/ledger.md, "Why no per-entry chain"); the store verifier still checks the legacy values, so
 * no stored byte goes unchecked.
 */
export const genesisChain = '0'.repeat(64);

const chainInput = Buffer.alloc(64);
export function chainHash(previousChain: string, leaf: string): string {
  chainInput.write(previousChain, 0, 32, 'hex');
  chainInput.write(leaf, 32, 32, 'hex');
  return hash('sha256', chainInput, 'hex');
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
