import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CheckpointBody,
  canonicalJson,
  chainHash,
  exportEntryLine,
  exportHeaderLine,
  genesisChain,
  type LedgerEntry,
  leafHash,
  merkleRoot,
  type SignedCheckpoint,
} from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli-runner.js';

/** An export built by the same rules the portal follows, signed by a key this test holds. */
function writeExport(entryCount: number) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const entries: LedgerEntry[] = [];
  let chain = genesisChain;
  for (let seq = 1; seq <= entryCount; seq++) {
    const body = {
      orgId: 'o-cli',
      seq,
      time: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      actor: { type: 'user' as const, id: 'u-1' },
      action: 'report:Downloaded',
      subject: `report-${seq}`,
      details: { copy: seq },
    };
    const leaf = leafHash(body);
    chain = chainHash(chain, leaf);
    entries.push({ ...body, leaf, chain });
  }
  const body: CheckpointBody = {
    org: 'o-cli',
    size: entryCount,
    chainHead: chain,
    merkleRoot: merkleRoot(entries.map((e) => e.leaf)),
    time: '2026-01-02T00:00:00.000Z',
  };
  const checkpoint: SignedCheckpoint = {
    ...body,
    signature: sign('sha256', Buffer.from(canonicalJson(body)), { key: privateKey, dsaEncoding: 'der' }).toString(
      'base64',
    ),
    keyId: 'test',
    keyFingerprint: 'unused',
  };
  const dir = mkdtempSync(join(tmpdir(), 'ledger-cli-'));
  const lines = [exportHeaderLine('o-cli', checkpoint), ...entries.map(exportEntryLine)];
  const file = join(dir, 'export.jsonl');
  const keyFile = join(dir, 'key.pem');
  const otherKeyFile = join(dir, 'other.pem');
  writeFileSync(file, `${lines.join('\n')}\n`);
  writeFileSync(keyFile, publicKey.export({ format: 'pem', type: 'spki' }));
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
  writeFileSync(otherKeyFile, other.export({ format: 'pem', type: 'spki' }));
  return { file, keyFile, otherKeyFile, lines, dir };
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
    expect(result.stdout).toContain('signature valid');
  });

  it('names the first bad seq of an edited export and exits non-zero', async () => {
    const { lines, dir, keyFile } = writeExport(12);
    const tampered = join(dir, 'tampered.jsonl');
    writeFileSync(tampered, `${lines.map((l, i) => (i === 4 ? l.replace('report-4', 'report-X') : l)).join('\n')}\n`);

    const result = await cli(['ledger', 'verify', tampered, '--public-key', keyFile, '--json']);

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: false, firstBadSeq: 4 });
  });

  it('fails a checkpoint checked against another key, and reports usage errors', async () => {
    const { file, otherKeyFile } = writeExport(3);

    const wrongKey = await cli(['ledger', 'verify', file, '--public-key', otherKeyFile]);
    const unchecked = await cli(['ledger', 'verify', file]);
    const usage = await cli(['ledger', 'verify']);

    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toContain('signature invalid');
    expect(unchecked.code).toBe(0);
    expect(unchecked.stdout).toContain('signature NOT checked');
    expect(usage.code).toBe(2);
  });
});
