import { createReadStream, readFileSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  type ExportVerification,
  type TrustedKey,
  trustedKey,
  verifyExportFile,
  verifyProofDocument,
} from '@evidence-portal/core';
import type { CliIo } from '../cli-runner.js';
import { workerRangePass } from '../ledger/worker-range-pass.js';

export const summary =
  'verify a ledger export or a proof offline (verify <export.jsonl> | verify-proof <proof.json>, [--public-key pem] [--json])';

const usage =
  'usage: evidence ledger verify <export.jsonl> [--public-key <file>]... [--checkpoint <file>]... [--allow-unanchored] [--json]\n' +
  '       evidence ledger verify-proof <proof.json> [--public-key <file>]... [--json]\n' +
  '  verify: checks every entry against its leaf, the sequence, the head the export ends with, and every\n' +
  "  checkpoint (the export's and the ones you hold) against the entries and the trusted keys.\n" +
  '  verify-proof: checks an inclusion or consistency proof (GET /api/ledger/proofs/...) against its\n' +
  '  signed checkpoint(s).\n' +
  '  --public-key  a trusted signing key: a PEM file, or the JSON of GET /api/keys/signing (every key in\n' +
  '                it, current and previous). Repeatable. Without one, signatures are not checked.\n' +
  '  --checkpoint  a checkpoint you held before (the JSON, or the ledger.checkpoint notification it came\n' +
  '                in). Repeatable. It must be in the export and consistent with the entries.\n' +
  '  --allow-unanchored  with a key, accept entries no signed checkpoint covers (checked against each\n' +
  '                other only); otherwise that is INVALID.\n' +
  '  --threads     1, 2 or auto (default): a second thread verifies half of a large file when a core is free.\n' +
  '  Exit status: 0 valid, 1 invalid, 2 usage error.\n';

/** A PEM file, or the JSON `GET /api/keys/signing` answers (every key it lists). */
function readKeys(file: string): TrustedKey[] {
  const text = readFileSync(file, 'utf8');
  if (text.trimStart().startsWith('{')) {
    const listed = JSON.parse(text) as { items?: Array<{ publicKeyPem?: unknown }> };
    const pems = (listed.items ?? []).map((item) => item.publicKeyPem).filter((pem) => typeof pem === 'string');
    if (pems.length === 0) throw new Error(`${file} lists no publicKeyPem`);
    return pems.map((pem) => trustedKey(pem as string));
  }
  return [trustedKey(text)];
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * A second thread pays off only for a large file and a free core: starting it costs ~0.3 s on a quiet
 * machine and ~1 s on a loaded one (tsx registers itself in the worker), and two threads sharing one
 * busy core are slower than one (measured, docs/ledger.md).
 */
export function useSecondThread(size: number, threads: string | undefined = 'auto'): boolean {
  if (threads === '1') return false;
  if (size < 64 << 20 && threads !== '2') return false;
  return threads === '2' || availableParallelism() - (loadavg()[0] ?? 0) >= 1;
}

/** Offline by design: this module loads no AWS client and reads no environment. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    io.stderr(`evidence ledger: ${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  const { command, file, values } = parsed;
  const keyFiles = values['public-key'] ?? [];
  const keys = keyFiles.length > 0 ? keyFiles.flatMap(readKeys) : undefined;
  if (command === 'verify-proof') return verifyProof(file, keys, values.json === true, io);
  const held = (values.checkpoint ?? []).map(readJson);
  const { size } = statSync(file);
  // Two cores: the first half of the file here, the second in a worker (docs/ledger.md).
  const result = await verifyExportFile(
    { size, open: (start) => createReadStream(file, { start, highWaterMark: 1 << 20 }) },
    useSecondThread(size, values.threads) ? workerRangePass(file) : undefined,
    { ...(keys ? { keys } : {}), held, allowUnanchored: values['allow-unanchored'] === true },
  );
  io.stdout(values.json ? `${JSON.stringify(result)}\n` : describe(result, keys !== undefined));
  return result.valid ? 0 : 1;
}

function parse(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'public-key': { type: 'string', multiple: true },
      checkpoint: { type: 'string', multiple: true },
      'allow-unanchored': { type: 'boolean' },
      threads: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (values.threads !== undefined && !['1', '2', 'auto'].includes(values.threads)) {
    throw new Error('--threads takes 1, 2 or auto');
  }
  const [command, file, ...extra] = positionals;
  if (command !== 'verify' && command !== 'verify-proof') throw new Error('expected verify or verify-proof');
  if (file === undefined) throw new Error(`${command} needs a file`);
  if (extra.length > 0) throw new Error(`unexpected argument '${extra[0]}'`);
  if (command === 'verify-proof' && (values.checkpoint || values['allow-unanchored'])) {
    throw new Error('--checkpoint and --allow-unanchored apply to verify only');
  }
  return { command, file, values };
}

function describe(result: ExportVerification, keyed: boolean): string {
  const lines = [
    `ledger ${result.orgId ?? '(unknown org)'}: ${result.valid ? 'VALID' : 'INVALID'}`,
    `entries verified: ${result.size}`,
    `merkle root: ${result.merkleRoot}`,
  ];
  if (result.firstBadSeq !== undefined) lines.push(`first bad seq: ${result.firstBadSeq}`);
  const [first] = result.faults;
  if (first) lines.push(`reason: ${first.reason} [${first.kind}]`);
  for (const fault of result.faults.slice(1, 10)) lines.push(`also: ${fault.kind}: ${fault.reason}`);
  const { count, newest, signatures, held } = result.checkpoints;
  if (newest) {
    const signed =
      signatures === 'unchecked'
        ? 'signatures NOT checked (pass --public-key to check who signed them)'
        : `signatures ${signatures}`;
    lines.push(
      `checkpoints: ${count}, the newest of ${newest.size} entries (merkle root ${newest.merkleRoot}, key ${newest.keyFingerprint}), ${signed}`,
    );
    if (newest.size < result.size) {
      lines.push(
        `entries ${newest.size + 1}..${result.size} come after the newest checkpoint: checked against each other only`,
      );
    }
  } else {
    lines.push(
      keyed
        ? 'checkpoints: no checkpoint signed by a trusted key anchors the entries'
        : 'checkpoints: none (entries are only checked against each other)',
    );
  }
  if (held !== undefined) lines.push(`held checkpoints checked: ${held}`);
  return `${lines.join('\n')}\n`;
}

function verifyProof(file: string, keys: TrustedKey[] | undefined, json: boolean, io: CliIo): number {
  const result = verifyProofDocument(readJson(file), keys ? { keys } : {});
  if (json) {
    io.stdout(`${JSON.stringify(result)}\n`);
  } else {
    const lines = [`${result.kind} proof: ${result.valid ? 'VALID' : 'INVALID'}`];
    if (result.reason !== undefined) lines.push(`reason: ${result.reason}`);
    lines.push(
      result.signatures === 'unchecked'
        ? 'signature NOT checked (pass --public-key to check who signed the checkpoint)'
        : `checkpoint signature ${result.signatures}`,
    );
    io.stdout(`${lines.join('\n')}\n`);
  }
  return result.valid ? 0 : 1;
}
