import { deflateSync } from 'node:zlib';

/** Where an object of the update lives: at a byte offset, or inside the update's object stream. */
export type XrefEntry = { offset: number; generation: number } | { stream: number; index: number };

/** Accumulates objects with their byte offsets (relative to the start of the original). */
export class UpdateWriter {
  private readonly chunks: Buffer[] = [];
  private length = 0;
  readonly entries = new Map<number, XrefEntry>();
  /** With an object stream: generation-0 dictionaries collected for it instead of written. */
  private readonly packed: Array<{ number: number; body: string }> | undefined;

  constructor(
    private readonly base: number,
    options: { pack: boolean },
  ) {
    this.packed = options.pack ? [] : undefined;
  }

  get position(): number {
    return this.base + this.length;
  }

  raw(chunk: string | Buffer): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    this.chunks.push(buffer);
    this.length += buffer.length;
  }

  object(number: number, body: string, generation = 0): void {
    if (this.packed && generation === 0) {
      this.packed.push({ number, body });
      return;
    }
    this.entries.set(number, { offset: this.position, generation });
    this.raw(`${number} ${generation} obj\n${body}\nendobj\n`);
  }

  stream(number: number, dict: string, data: string | Buffer): void {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    this.entries.set(number, { offset: this.position, generation: 0 });
    this.raw(`${number} 0 obj\n<< ${dict} /Length ${bytes.length} >>\nstream\n`);
    this.raw(bytes);
    this.raw('\nendstream\nendobj\n');
  }

  /** Writes the collected dictionaries as one Flate-compressed object stream (PDF 1.5). */
  flushPacked(number: number): void {
    if (!this.packed?.length) return;
    const header: string[] = [];
    const bodies: string[] = [];
    let offset = 0;
    for (const [index, { number: n, body }] of this.packed.entries()) {
      header.push(`${n} ${offset}`);
      const text = `${body}\n`;
      bodies.push(text);
      offset += Buffer.byteLength(text, 'latin1');
      this.entries.set(n, { stream: number, index });
    }
    const head = `${header.join(' ')}\n`;
    const data = deflateSync(Buffer.from(head + bodies.join(''), 'latin1'));
    this.stream(
      number,
      `/Type /ObjStm /N ${this.packed.length} /First ${Buffer.byteLength(head, 'latin1')} /Filter /FlateDecode`,
      data,
    );
    this.packed.length = 0;
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

/** Consecutive runs of object numbers: [first, count] pairs for /Index or xref subsections. */
export function runs(numbers: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const n of numbers) {
    const last = out[out.length - 1];
    if (last && last[0] + last[1] === n) last[1]++;
    else out.push([n, 1]);
  }
  return out;
}
