import { createReadStream, readFileSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { type ExportVerification, type TrustedKey, verifyExportFile, verifyProofDocument } from '@evidence-portal/core';
import { Command, Option } from 'commander';
import { action, type CliIo } from '../cli-runner.js';
import { workerRangePass } from '../ledger/worker-range-pass.js';
import { readKeys } from '../trusted-key-files.js';

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

const collect = (value: string, previous: string[] = []) => [...previous, value];

const verifyHelp = `
Checks every entry against its leaf, the sequence, the head the export ends with, and every
checkpoint (the export's and the ones you hold) against the entries and the trusted keys.
Exit status: 0 valid, 1 invalid, 2 usage error.`;

const keyOption = [
  '--public-key <file>',
  'a trusted signing key: a PEM file, or the JSON of GET /api/keys/signing (every key in it, current and previous); repeatable. Without one, signatures are not checked',
  collect,
] as const;

/** Offline by design: this module loads no AWS client and reads no environment. */
export function ledgerCommand(io: CliIo): Command {
  const ledger = new Command('ledger').description(
    'verify a ledger export or a proof document offline (verify, verify-proof)',
  );
  ledger
    .command('verify')
    .description('verify a ledger export (GET /api/ledger/export)')
    .argument('<export.jsonl>', 'the export file')
    .option(...keyOption)
    .option(
      '--checkpoint <file>',
      'a checkpoint you held before (the JSON, or the ledger.checkpoint notification it came in); repeatable. It must be in the export and consistent with the entries',
      collect,
    )
    .option(
      '--allow-unanchored',
      'with a key, accept entries no signed checkpoint covers (checked against each other only); otherwise that is INVALID',
    )
    .addOption(
      new Option('--threads <n>', 'a second thread verifies half of a large file when a core is free')
        .choices(['1', '2', 'auto'])
        .default('auto'),
    )
    .option('--json', 'print the verification as JSON')
    .addHelpText('after', verifyHelp)
    .action(
      action(async (file: string, values: VerifyOptions) => {
        const keys = values.publicKey ? values.publicKey.flatMap(readKeys) : undefined;
        const held = (values.checkpoint ?? []).map(readJson);
        const { size } = statSync(file);
        // Two cores: the first half of the file here, the second in a worker (docs/ledger.md).
        const result = await verifyExportFile(
          { size, open: (start) => createReadStream(file, { start, highWaterMark: 1 << 20 }) },
          useSecondThread(size, values.threads) ? workerRangePass(file) : undefined,
          { ...(keys ? { keys } : {}), held, allowUnanchored: values.allowUnanchored === true },
        );
        io.stdout(values.json ? `${JSON.stringify(result)}\n` : describe(result, keys !== undefined));
        return result.valid ? 0 : 1;
      }),
    );
  ledger
    .command('verify-proof')
    .description(
      'verify an inclusion or consistency proof (GET /api/ledger/proofs/...) against its signed checkpoint(s)',
    )
    .argument('<proof.json>', 'the proof document')
    .option(...keyOption)
    .option('--json', 'print the verification as JSON')
    .addHelpText('after', '\nExit status: 0 valid, 1 invalid, 2 usage error.')
    .action(
      action((file: string, values: { publicKey?: string[]; json?: boolean }) => {
        const keys = values.publicKey ? values.publicKey.flatMap(readKeys) : undefined;
        return verifyProof(file, keys, values.json === true, io);
      }),
    );
  return ledger;
}

interface VerifyOptions {
  publicKey?: string[];
  checkpoint?: string[];
  allowUnanchored?: boolean;
  threads: string;
  json?: boolean;
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
