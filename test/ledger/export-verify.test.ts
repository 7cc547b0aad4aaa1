import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@evidence-portal/cli';
import {
  type CheckpointBody,
  type CheckpointReference,
  canonicalBody,
  checkpointFormat,
  ExportRangeVerifier,
  ExportVerifier,
  type ExportVerifyOptions,
  exportEntryLine,
  exportHeaderLine,
  exportTrailerLine,
  inThreadRangePass,
  LineSplitter,
  leafHashOfCanonical,
  MerkleFrontier,
  type RangePass,
  type SignedCheckpoint,
  signedCheckpointBytes,
  trustedKey,
  verifyExport,
  verifyExportInHalves,
} from '@evidence-portal/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { byTier } from '../support/context.js';
import { actor, collect, ledgerOnFreshTable } from './ledger-fixtures.js';

/** Verifies the bytes both ways (one pass, and the two halves the CLI runs) and insists they agree. */
async function verifyBothWays(bytes: Buffer, options: ExportVerifyOptions, pass?: RangePass) {
  // Fresh copies each time: verifiers write into the buffers they are given. Odd chunking, so lines span chunks.
  const open = (start: number) => {
    const copy = Buffer.from(bytes.subarray(start));
    return [copy.subarray(0, 7), copy.subarray(7, 501), copy.subarray(501)];
  };
  const sequential = await verifyExport(open(0), options);
  const halves = await verifyExportInHalves({ size: bytes.length, open }, pass ?? inThreadRangePass(open), options);
  expect(halves).toEqual(sequential);
  return sequential;
}

/** A synthetic export (the portal's own format, signed by a test key) of `count` entries with a checkpoint every `every`. */
function synthesize(count: number, every: number) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const fingerprint = createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex');
  const frontier = new MerkleFrontier();
  const lines: string[] = [];
  const checkpoints: SignedCheckpoint[] = [];
  let previous: CheckpointReference | null = null;
  let leaf = '';
  for (let seq = 1; seq <= count; seq++) {
    const body = canonicalBody({
      orgId: 'o-big',
      seq,
      time: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(),
      actor: { type: 'user', id: `u-${seq % 7}` },
      action: 'report:Downloaded',
      subject: `arn:portal:o-big:111111111111:report/r-${seq % 11}`,
      details: { downloadId: `d-${seq}`, padding: 'x'.repeat(120) },
    });
    leaf = leafHashOfCanonical(body);
    frontier.push(leaf);
    lines.push(exportEntryLine(body, leaf));
    if (seq % every === 0) {
      const checkpoint: CheckpointBody = {
        format: checkpointFormat,
        org: 'o-big',
        size: seq,
        merkleRoot: frontier.root(),
        time: '2026-02-01T00:00:00.000Z',
        previous,
        keyId: 'test',
        keyFingerprint: fingerprint,
      };
      const signature = sign('sha256', Buffer.from(signedCheckpointBytes(checkpoint)), {
        key: privateKey,
        dsaEncoding: 'der',
      });
      checkpoints.push({ ...checkpoint, signature: signature.toString('base64') });
      previous = { size: seq, merkleRoot: checkpoint.merkleRoot };
    }
  }
  const text = [exportHeaderLine('o-big', checkpoints), ...lines, exportTrailerLine({ seq: count, leaf })].join('\n');
  return { text: `${text}\n`, pem: publicKey.export({ format: 'pem', type: 'spki' }).toString() };
}

describe('export verification, one pass and two halves', () => {
  let bytes: Buffer;
  let keys: ReturnType<typeof trustedKey>[];
  beforeAll(async () => {
    const { ledger, signer } = await ledgerOnFreshTable();
    for (let i = 1; i <= 10; i++) {
      await ledger.append({
        orgId: 'o-1',
        actor: actor('u'),
        action: 'a:B',
        subject: `s-${i}`,
        details: { é: 'ü', i },
      });
      if (i === 4) await ledger.checkpoint('o-1');
    }
    await ledger.checkpoint('o-1');
    await ledger.append({ orgId: 'o-1', actor: actor('u'), action: 'a:B', subject: 'tail' });
    bytes = Buffer.from(`${(await collect(ledger.exportLines('o-1'))).join('\n')}\n`);
    keys = [trustedKey((await signer.publicKey()).pem)];
  });

  it('verifies the untouched export, also with a line re-serialized without changing its meaning', async () => {
    const lines = bytes.toString('utf8').trimEnd().split('\n');
    const pretty = [...lines];
    pretty[3] = pretty[3]!.replace('{"entry"', '{ "entry"');

    expect(await verifyBothWays(bytes, { keys })).toMatchObject({ valid: true, size: 13, checkpoints: { count: 2 } });
    expect(await verifyBothWays(Buffer.from(`${pretty.join('\n')}\n`), { keys })).toMatchObject({ valid: true });
  });

  it('reaches the same verdict one pass and two halves for any byte changed anywhere', async () => {
    const headerEnd = bytes.indexOf(0x0a);
    let invalid = 0;
    const runs = byTier(200, 5000);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: headerEnd + 1, max: bytes.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        async (at, value) => {
          fc.pre(bytes[at] !== value);
          const tampered = Buffer.from(bytes);
          tampered[at] = value;
          if (!(await verifyBothWays(tampered, { keys })).valid) invalid++;
        },
      ),
      { numRuns: runs },
    );
    // Nearly every change breaks a hash; a few (a line ending turned into spacing the parser accepts) may not.
    expect(invalid).toBeGreaterThan(runs * 0.9);
  });

  it('joins the halves exactly: the tree and checkpoint roots of one pass, without falling back', async () => {
    const sequential = await verifyExport([Buffer.from(bytes)], { keys });
    for (const split of [
      bytes.indexOf(0x0a) + 1,
      Math.floor(bytes.length / 3),
      Math.floor(bytes.length / 2),
      bytes.length - 80,
    ]) {
      const first = new ExportVerifier({ keys });
      const lines = new LineSplitter();
      lines.push(Buffer.from(bytes), (line, start) => {
        if (start >= split) return false;
        first.pushLine(line);
        return true;
      });
      const second = new ExportRangeVerifier(first.rangeRequest(split)!);
      second.pushChunk(Buffer.from(bytes.subarray(split - 1)));

      expect(first.join(second.finish()), `split at ${split}`).toBe(true);
      expect(first.finish()).toEqual(sequential);
    }
  });

  it('still reaches the verdict when the second half breaks (a worker that cannot start)', async () => {
    const broken: RangePass = { run: () => Promise.reject(new Error('worker died')), abort() {} };
    expect(await verifyBothWays(bytes, { keys }, broken)).toMatchObject({ valid: true, size: 13 });
  });

  it('runs the second half on a worker thread for a large file, with the one-pass verdict', async () => {
    const { text, pem } = synthesize(8000, 1000);
    const dir = mkdtempSync(join(tmpdir(), 'ledger-big-'));
    const lines = text.trimEnd().split('\n');
    const editedAt = (seq: number) =>
      lines.map((line, i) => (i === seq ? line.replace(`"d-${seq}"`, `"d-${seq}x"`) : line));
    writeFileSync(join(dir, 'key.pem'), pem);
    writeFileSync(join(dir, 'good.jsonl'), text);
    writeFileSync(join(dir, 'early.jsonl'), `${editedAt(123).join('\n')}\n`);
    writeFileSync(join(dir, 'late.jsonl'), `${editedAt(7654).join('\n')}\n`);
    const verify = async (file: string) => {
      let out = '';
      const args = [
        'ledger',
        'verify',
        join(dir, file),
        '--public-key',
        join(dir, 'key.pem'),
        '--threads',
        '2',
        '--json',
      ];
      const code = await runCli(args, {
        stdout: (t) => (out += t),
        stderr: () => {},
        env: {},
      });
      return { code, result: JSON.parse(out) as { valid: boolean; size: number; firstBadSeq?: number } };
    };

    expect(text.length).toBeGreaterThan(1 << 20);
    expect(await verify('good.jsonl')).toMatchObject({ code: 0, result: { valid: true, size: 8000 } });
    expect(await verify('early.jsonl')).toMatchObject({ code: 1, result: { firstBadSeq: 123 } });
    expect(await verify('late.jsonl')).toMatchObject({ code: 1, result: { firstBadSeq: 7654 } });
  });
});
