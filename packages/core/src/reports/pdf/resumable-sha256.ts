import { _SHA256 } from '@noble/hashes/sha2.js';

/**
 * A SHA-256 whose state after a whole number of 64-byte blocks can be stored and resumed. The
 * prepared description keeps the state after the original's last full block, so a download's
 * `deliveredSha256` (original bytes + appended update) is computed from the update alone, without
 * reading the original a second time. noble's hash exposes its chaining words to subclasses only.
 */
export interface Sha256State {
  /** Eight 32-bit chaining words after `hashedBytes` bytes. */
  words: number[];
  /** Bytes already absorbed; a multiple of 64. */
  hashedBytes: number;
}

class ResumableSha256 extends _SHA256 {
  exportState(): Sha256State {
    if (this.pos !== 0) throw new Error('SHA-256 state is only exportable on a block boundary');
    return { words: this.get().map((word) => word >>> 0), hashedBytes: this.length };
  }

  importState(state: Sha256State): this {
    if (state.hashedBytes % 64 !== 0 || state.words.length !== 8) throw new Error('not a SHA-256 block state');
    const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0] = state.words;
    this.set(a, b, c, d, e, f, g, h);
    this.length = state.hashedBytes;
    this.pos = 0;
    return this;
  }
}

/** Hashes `bytes` and answers the state after its last full block plus the bytes left over. */
export function sha256Checkpoint(bytes: Uint8Array): { state: Sha256State; tail: Uint8Array } {
  const whole = bytes.byteLength - (bytes.byteLength % 64);
  const hash = new ResumableSha256();
  hash.update(bytes.subarray(0, whole));
  return { state: hash.exportState(), tail: bytes.slice(whole) };
}

/** SHA-256 (hex) of the original bytes followed by `more`, from a checkpoint of the original. */
export function sha256Resume(state: Sha256State, tail: Uint8Array, more: Uint8Array): string {
  const hash = new ResumableSha256().importState(state);
  hash.update(tail);
  hash.update(more);
  return Buffer.from(hash.digest()).toString('hex');
}
