import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { verifyBundleFile } from '@evidence-portal/cli';
import { bundleEncryptionContext, trustedKey, verifyBundleArchive } from '@evidence-portal/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byTier, tier } from '../support/context.js';
import {
  encryptToRsa,
  memoryFile,
  testAuditorKey,
  testBundle,
  testBundleArchive,
  testSigningKey,
} from './bundle-kit.js';

/** The data range of each member of a ustar archive (names here are short: no pax headers). */
function tarMembers(tar: Buffer): Map<string, { start: number; end: number }> {
  const members = new Map<string, { start: number; end: number }>();
  let offset = 0;
  while (offset + 512 <= tar.length && tar[offset] !== 0) {
    const name = tar
      .subarray(offset, offset + 100)
      .toString('utf8')
      .replace(/\0.*$/s, '');
    const size = Number.parseInt(
      tar
        .subarray(offset + 124, offset + 136)
        .toString('ascii')
        .replace(/\0.*$/s, '')
        .trim(),
      8,
    );
    members.set(name, { start: offset + 512, end: offset + 512 + size });
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return members;
}

/**
 * Every position in the soak tier; in the fast tier an even sample of `sample` positions and the last
 * byte (a PEM's final newline: the soak tier found a verifier that ignored it).
 */
function positions(start: number, end: number, sample: number): number[] {
  const all = Array.from({ length: end - start }, (_, i) => start + i);
  if (tier() === 'soak' || all.length <= sample) return all;
  return [...Array.from({ length: sample }, (_, i) => all[Math.floor((i * all.length) / sample)] as number), end - 1];
}

const flip = (bytes: Buffer, position: number, bit = position % 8) => {
  const copy = Buffer.from(bytes);
  copy[position] = (copy[position] as number) ^ (1 << bit);
  return copy;
};

describe('tampered bundles are rejected, 100%', () => {
  const key = testSigningKey();
  const auditor = testAuditorKey();
  const keys = [trustedKey(key.key.pem)];
  let plaintext: Buffer;
  let ciphertext: Buffer;
  beforeAll(async () => {
    ({ plaintext, ciphertext } = await testBundle({ key, auditor }));
  });
  const verifyPlain = (tar: Buffer) => verifyBundleArchive(Readable.from([tar]), { keys });
  /** The CLI's own verify function, in process: decryption through every check. */
  const verifyEncrypted = (bytes: Buffer) =>
    verifyBundleFile(
      { stream: Readable.from([bytes]), head: bytes.subarray(0, 3) },
      { keys, decryptKeyPem: auditor.privateKeyPem },
    );

  it('accepts the untouched bundle (both layers)', async () => {
    expect((await verifyPlain(plaintext)).valid).toBe(true);
    expect((await verifyEncrypted(ciphertext)).valid).toBe(true);
  });

  /** What each sweep tried and how many it rejected: printed at the end (the soak figures of the note). */
  const tally = new Map<string, { tried: number; rejected: number }>();
  const notes: string[] = [];
  const count = (sweep: string, rejected: boolean) => {
    const entry = tally.get(sweep) ?? { tried: 0, rejected: 0 };
    entry.tried++;
    if (rejected) entry.rejected++;
    tally.set(sweep, entry);
  };
  afterAll(() => {
    const lines = [...tally].map(([sweep, { tried, rejected }]) => `  ${sweep}: ${rejected}/${tried} rejected`);
    console.info(`bundle tamper suite (${tier()} tier):\n${[...lines, ...notes.map((n) => `  ${n}`)].join('\n')}`);
  });

  it('a bit flipped in any byte of the manifest, the envelope or the signature', async () => {
    const members = tarMembers(plaintext);
    let tried = 0;
    let bytes = 0;
    for (const name of ['manifest.json', 'manifest.dsse.json', 'manifest.sig', 'signing-key.pem', 'VERIFY.md']) {
      const range = members.get(name);
      expect(range, name).toBeDefined();
      bytes += range!.end - range!.start;
      for (const position of positions(range!.start, range!.end, 16)) {
        const result = await verifyPlain(flip(plaintext, position));
        count(name, !result.valid);
        expect(result.valid, `${name} byte ${position - range!.start}`).toBe(false);
        tried++;
      }
    }
    // Soak: every byte of the five members; fast: 16 evenly spread bytes of each and its last.
    expect(tried).toBe(tier() === 'soak' ? bytes : 85);
  });

  it('a bit flipped at random positions of the ciphertext (10,000 in the soak tier)', async () => {
    const runs = byTier(30, 10_000);
    const positionsTried = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: ciphertext.length - 1 }),
        fc.integer({ min: 0, max: 7 }),
        async (position, bit) => {
          positionsTried.add(position);
          const result = await verifyEncrypted(flip(ciphertext, position, bit));
          count('ciphertext bit flips', !result.valid);
          expect(result.valid).toBe(false);
        },
      ),
      { numRuns: runs },
    );
    expect(tally.get('ciphertext bit flips')).toEqual({ tried: runs, rejected: runs });
    notes.push(`ciphertext bit flips hit ${positionsTried.size} distinct positions of ${ciphertext.length} bytes`);
  });

  it('truncated or with bytes appended', async () => {
    // The edges, then random lengths (200 in the soak tier).
    const random = fc.sample(fc.integer({ min: 0, max: ciphertext.length - 1 }), { numRuns: byTier(5, 200), seed: 14 });
    for (const length of [0, 1, 3, 200, ciphertext.length >> 1, ciphertext.length - 1, ...random]) {
      const result = await verifyEncrypted(ciphertext.subarray(0, length));
      count('truncated ciphertext', !result.valid);
      expect(result.valid, `truncated to ${length}`).toBe(false);
    }
    const appended = [Buffer.from([0]), Buffer.alloc(512), Buffer.from('more evidence'), ciphertext.subarray(0, 64)];
    for (const extra of appended) {
      const result = await verifyEncrypted(Buffer.concat([ciphertext, extra]));
      count('bytes appended to the ciphertext', !result.valid);
      expect(result.valid, `+${extra.length}`).toBe(false);
    }
    const members = tarMembers(plaintext);
    const end = members.get('VERIFY.md')!.end;
    for (const cut of [10, 512, end - members.get('manifest.json')!.start]) {
      const result = await verifyPlain(plaintext.subarray(0, end - cut));
      count('truncated plaintext', !result.valid);
      expect(result.valid, `plaintext cut by ${cut}`).toBe(false);
    }
  });

  it('another payloadType, or a subject file swapped for other bytes', async () => {
    const type = Buffer.from('application/vnd.in-toto+json');
    const at = plaintext.indexOf(type, tarMembers(plaintext).get('manifest.dsse.json')!.start);
    const swappedType = Buffer.from(plaintext);
    Buffer.from('application/vnd.in-toto+jsoN').copy(swappedType, at);
    const typeResult = await verifyPlain(swappedType);

    const report = tarMembers(plaintext).get('files/reports/soc2-type2-v1-dl-1.pdf')!;
    const swappedFile = Buffer.from(plaintext);
    Buffer.from('%PDF-1.7 another copy, for somebody else!!!!!!!!!!!!!!!!').copy(swappedFile, report.start);
    const fileResult = await verifyPlain(swappedFile);

    count('payloadType swapped', !typeResult.valid);
    count('subject file swapped', !fileResult.valid);
    expect(typeResult.valid).toBe(false);
    expect(typeResult.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual(['envelope', 'signature']);
    expect(fileResult.valid).toBe(false);
    expect(fileResult.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual(['subjects']);
  });

  it('a file added outside the manifest is named', async () => {
    const extra = await buffer(testBundleArchive({ key, files: [memoryFile('files/a.txt', 'a')], proofSeqs: [] }));
    // Same statement, but an archive with one more file: rebuild by concatenating members.
    const members = tarMembers(extra);
    const a = members.get('files/a.txt')!;
    const withExtra = Buffer.concat([
      extra.subarray(0, a.start - 512),
      extra.subarray(a.start - 512, a.start + 512),
      extra.subarray(a.start - 512),
    ]);
    const result = await verifyPlain(withExtra);
    count('file added outside the manifest', !result.valid);
    expect(result.valid).toBe(false);
  });

  it('another encryption context, or an encrypted data key swapped from another message', async () => {
    const otherContext = await buffer(
      encryptToRsa(
        Readable.from([plaintext]),
        { ...bundleEncryptionContext('o-other', 'eb-test') },
        auditor.publicKeyPem,
      ),
    );
    const contextResult = await verifyEncrypted(otherContext);

    // Same plaintext, same RSA key, another data key: swap its wrapped data key into the first message.
    const second = await buffer(
      encryptToRsa(
        Readable.from([plaintext]),
        { ...bundleEncryptionContext('o-example', 'eb-test') },
        auditor.publicKeyPem,
      ),
    );
    const swapped = Buffer.from(ciphertext);
    const edk = encryptedDataKeyRange(ciphertext);
    encryptedDataKeyRange(second);
    second.copy(swapped, edk.start, encryptedDataKeyRange(second).start, encryptedDataKeyRange(second).end);
    const swappedResult = await verifyEncrypted(swapped);

    count('another encryption context', !contextResult.valid);
    count('data key swapped from another message', !swappedResult.valid);
    expect(contextResult.valid).toBe(false);
    expect(contextResult.checks.find((c) => c.check === 'encryption-context')?.ok).toBe(false);
    expect(swappedResult.valid).toBe(false);
    expect(swappedResult.checks.find((c) => c.check === 'decrypt')?.ok).toBe(false);
  });
});

/** Where the (single) encrypted data key's ciphertext sits in an ESDK v2 message header. */
function encryptedDataKeyRange(message: Buffer): { start: number; end: number } {
  let offset = 1 + 2 + 32; // version, suite id, message id
  offset += 2 + message.readUInt16BE(offset); // encryption context
  const count = message.readUInt16BE(offset);
  offset += 2;
  expect(count).toBe(1);
  offset += 2 + message.readUInt16BE(offset); // key provider id
  offset += 2 + message.readUInt16BE(offset); // key provider info
  const length = message.readUInt16BE(offset);
  return { start: offset + 2, end: offset + 2 + length };
}
