import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CheckpointBody,
  canonicalBody,
  checkpointFormat,
  exportEntryLine,
  exportHeaderLine,
  exportTrailerLine,
  type LedgerEntryBody,
  leafHash,
  merkleRoot,
  type SignedCheckpoint,
  signedCheckpointBytes,
} from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli-runner.js';

function testKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return {
    pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    sign(body: Omit<CheckpointBody, 'keyId' | 'keyFingerprint'>): SignedCheckpoint {
      const named: CheckpointBody = {
        ...body,
        keyId: 'test',
        keyFingerprint: createHash('sha256').update(der).digest('hex'),
      };
      const signature = sign('sha256', Buffer.from(signedCheckpointBytes(named)), {
        key: privateKey,
        dsaEncoding: 'der',
      });
      return { ...named, signature: signature.toString('base64') };
    },
  };
}

/** An export built by the same rules the portal follows (docs/ledger.md), signed by a key this test holds. */
function writeExport(entryCount: number, checkpointAt = entryCount) {
  const key = testKey();
  const bodies: LedgerEntryBody[] = [];
  for (let seq = 1; seq <= entryCount; seq++) {
    bodies.push({
      orgId: 'o-cli',
      seq,
      time: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      actor: { type: 'user', id: 'u-1' },
      action: 'report:Downloaded',
      subject: `report-${seq}`,
      details: { copy: seq },
    });
  }
  const leaves = bodies.map(leafHash);
  const checkpoint = key.sign({
    format: checkpointFormat,
    org: 'o-cli',
    size: checkpointAt,
    merkleRoot: merkleRoot(leaves.slice(0, checkpointAt)),
    time: '2026-01-02T00:00:00.000Z',
    previous: null,
  });
  const dir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
  const lines = [
    exportHeaderLine('o-cli', [checkpoint]),
    ...bodies.map((body, i) => exportEntryLine(canonicalBody(body), leaves[i]!)),
    exportTrailerLine({ seq: entryCount, leaf: leaves.at(-1)! }),
  ];
  const file = join(dir, 'export.jsonl');
  const keyFile = join(dir, 'key.pem');
  const otherKeyFile = join(dir, 'other.pem');
  writeFileSync(file, `${lines.join('\n')}\n`);
  writeFileSync(keyFile, key.pem);
  writeFileSync(otherKeyFile, testKey().pem);
  return { file, keyFile, otherKeyFile, lines, dir, checkpoint };
}

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

describe('evidence ledger verify', () => {
  it('accepts an untouched export signed by the given key', async () => {
    const { file, keyFile } = writeExport(12);

    const result = await cli(['ledger', 'verify', file, '--public-key', keyFile]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ledger o-cli: VALID');
    expect(result.stdout).toContain('entries verified: 12');
    expect(result.stdout).toContain('signatures valid');
  });

  it('names the first bad seq of an edited export and exits non-zero', async () => {
    const { lines, dir, keyFile } = writeExport(12);
    const tampered = join(dir, 'tampered.jsonl');
    writeFileSync(tampered, `${lines.map((l, i) => (i === 4 ? l.replace('report-4', 'report-X') : l)).join('\n')}\n`);

    const result = await cli(['ledger', 'verify', tampered, '--public-key', keyFile, '--json']);

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      valid: false,
      firstBadSeq: 4,
      faults: [{ kind: 'entry_edited' }],
    });
  });

  it('fails a checkpoint checked against another key, and reports usage errors', async () => {
    const { file, otherKeyFile } = writeExport(3);

    const wrongKey = await cli(['ledger', 'verify', file, '--public-key', otherKeyFile]);
    const unchecked = await cli(['ledger', 'verify', file]);
    const usage = await cli(['ledger', 'verify']);
    const unknownOption = await cli(['ledger', 'verify', file, '--publik-key', otherKeyFile]);

    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toContain('checkpoint_forged');
    expect(unchecked.code).toBe(0);
    expect(unchecked.stdout).toContain('signatures NOT checked');
    expect(usage.code).toBe(2);
    expect(unknownOption.code).toBe(2);
  });

  it('says INVALID for entries no trusted checkpoint anchors, unless told to allow that', async () => {
    const { lines, dir, keyFile } = writeExport(4);
    const unanchored = join(dir, 'unanchored.jsonl');
    const header = JSON.parse(lines[0]!) as Record<string, unknown>;
    writeFileSync(unanchored, `${[JSON.stringify({ ...header, checkpoints: [] }), ...lines.slice(1)].join('\n')}\n`);

    const strict = await cli(['ledger', 'verify', unanchored, '--public-key', keyFile, '--json']);
    const allowed = await cli(['ledger', 'verify', unanchored, '--public-key', keyFile, '--allow-unanchored']);

    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout)).toMatchObject({ valid: false, faults: [{ kind: 'unanchored' }] });
    expect(allowed.code).toBe(0);
  });

  it('checks checkpoints held from before: missing from the export, or not matching it, is INVALID', async () => {
    const { file, keyFile, dir, checkpoint } = writeExport(6, 6);
    const held = join(dir, 'held.json');
    writeFileSync(held, JSON.stringify(checkpoint));
    // A notification as a webhook receiver keeps it also counts.
    const notification = join(dir, 'notification.json');
    writeFileSync(notification, JSON.stringify({ type: 'ledger.checkpoint', entry: { details: { checkpoint } } }));
    const { file: otherExport } = writeExport(6, 3);

    const consistent = await cli([
      'ledger',
      'verify',
      file,
      '--public-key',
      keyFile,
      '--checkpoint',
      held,
      '--checkpoint',
      notification,
    ]);
    // The held checkpoint was signed by another key than the second export's.
    const elsewhere = await cli(['ledger', 'verify', otherExport, '--checkpoint', held, '--json']);

    expect(consistent.code).toBe(0);
    expect(consistent.stdout).toContain('held checkpoints checked: 2');
    expect(elsewhere.code).toBe(1);
    expect(JSON.parse(elsewhere.stdout).faults.map((f: { kind: string }) => f.kind)).toContain('checkpoint_missing');
  });
});
