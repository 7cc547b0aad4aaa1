import { Transform, type TransformCallback } from 'node:stream';

/**
 * Passes an AWS Encryption SDK v2 message through unchanged while walking its framing (header,
 * header auth tag, frames, final frame), and fails on any byte after the final frame. The SDK's
 * stream silently ignores trailing bytes of an unsigned message (it would read them as a footer), and
 * a bundle with bytes appended is not the bundle that was exported.
 *
 * Layout (ESDK message format v2, suite 0x0478): version 0x02, suite id (2), message id (32),
 * AAD length (2) + AAD, EDK count (2) + EDKs (each three length-prefixed fields), content type (1),
 * frame length (4), suite data (32), header auth tag (16); then frames: sequence number (4), IV (12),
 * content (frame length), tag (16); the final frame: 0xFFFFFFFF (4), sequence (4), IV (12), content
 * length (4), content, tag (16).
 */
export class MessageExtent extends Transform {
  /** Bytes still to pass before the next structure to read. */
  private skip = 0;
  /** Bytes buffered while a structure is being read. */
  private pending = Buffer.alloc(0);
  private step: (bytes: Buffer) => number | undefined = (bytes) => this.readHeader(bytes);
  private frameLength = 0;
  private ended = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.ended) {
        callback(new Error('bytes follow the end of the encrypted message'));
        return;
      }
      if (this.skip > 0) {
        const take = Math.min(this.skip, chunk.length - offset);
        this.skip -= take;
        offset += take;
        continue;
      }
      // Read the next structure from pending + chunk; `step` answers how many bytes it consumed.
      // A window is enough: a header is a few KiB at most, a frame header 24 bytes.
      const available = Buffer.concat([this.pending, chunk.subarray(offset, offset + 65_536)]);
      const consumed = this.step(available);
      if (consumed === undefined) {
        if (available.length >= 65_536) {
          callback(new Error('the encrypted message header is malformed'));
          return;
        }
        this.pending = available;
        offset = chunk.length;
        break;
      }
      offset += consumed - this.pending.length;
      this.pending = Buffer.alloc(0);
    }
    callback(null, chunk);
  }

  /** Everything up to the frames; sets `skip` to pass the suite data and header auth tag. */
  private readHeader(bytes: Buffer): number | undefined {
    let at = 1 + 2 + 32;
    const field = () => {
      if (bytes.length < at + 2) return false;
      at += 2 + bytes.readUInt16BE(at);
      return true;
    };
    if (!field()) return undefined; // AAD
    if (bytes.length < at + 2) return undefined;
    const count = bytes.readUInt16BE(at);
    at += 2;
    for (let i = 0; i < count; i++) for (let j = 0; j < 3; j++) if (!field()) return undefined;
    if (bytes.length < at + 5) return undefined;
    this.frameLength = bytes.readUInt32BE(at + 1);
    at += 5;
    this.skip = 32 + 16;
    this.step = (next) => this.readFrame(next);
    return at;
  }

  private readFrame(bytes: Buffer): number | undefined {
    if (bytes.length < 4) return undefined;
    if (bytes.readUInt32BE(0) !== 0xffffffff) {
      this.skip = 12 + this.frameLength + 16;
      return 4;
    }
    if (bytes.length < 4 + 4 + 12 + 4) return undefined;
    this.skip = bytes.readUInt32BE(20) + 16;
    this.step = () => {
      this.ended = true;
      return 0;
    };
    return 24;
  }

  override _flush(callback: TransformCallback): void {
    // A message cut short is the SDK's to report ("Incomplete message"); only trailing bytes are ours.
    callback();
  }
}
