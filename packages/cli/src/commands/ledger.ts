import { createReadStream, readFileSync } from 'node:fs';
import { verifyExportInParallel } from '@evidence-portal/core';
import type { CliIo } from '../cli-runner.js';
import { workerLeafPass } from '../ledger/worker-leaf-pass.js';

export const summary = 'verify a ledger export offline (verify <export.jsonl> [--public-key pem] [--json])';

const usage =
  'usage: evidence ledger verify <export.jsonl> [--public-key <pem file>] [--json]\n' +
  '  Checks every entry hash and the chain, and the checkpoint in the export against the public key.\n' +
  '  Exit status: 0 valid, 1 invalid, 2 usage error.\n';

/** Offline by design: this module loads no AWS client and reads no environment. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'verify') {
    io.stderr(usage);
    return 2;
  }
  let file: string | undefined;
  let keyFile: string | undefined;
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--public-key') keyFile = rest[++i];
    else if (arg === '--json') json = true;
    else if (!arg.startsWith('--') && file === undefined) file = arg;
    else {
      io.stderr(`evidence ledger: unexpected argument '${arg}'\n${usage}`);
      return 2;
    }
  }
  if (file === undefined || (rest.includes('--public-key') && keyFile === undefined)) {
    io.stderr(usage);
    return 2;
  }
  const publicKeyPem = keyFile !== undefined ? readFileSync(keyFile, 'utf8') : undefined;
  const exportFile = file;
  // Two cores: chain checks here, leaf hashes and the Merkle tree in a worker (docs/ledger.md).
  const result = await verifyExportInParallel(
    () => createReadStream(exportFile, { highWaterMark: 1 << 20 }),
    workerLeafPass(),
    publicKeyPem !== undefined ? { publicKeyPem } : {},
  );

  if (json) {
    io.stdout(`${JSON.stringify(result)}\n`);
  } else {
    const lines = [
      `ledger ${result.orgId ?? '(unknown org)'}: ${result.valid ? 'VALID' : 'INVALID'}`,
      `entries verified: ${result.size}`,
      `chain head: ${result.head}`,
    ];
    if (result.firstBadSeq !== undefined) lines.push(`first bad seq: ${result.firstBadSeq}`);
    if (result.reason !== undefined) lines.push(`reason: ${result.reason}`);
    if (result.checkpoint) {
      const signature =
        result.checkpoint.signature === 'unchecked'
          ? 'signature NOT checked (pass --public-key to check who signed it)'
          : `signature ${result.checkpoint.signature}`;
      lines.push(
        `checkpoint: ${result.checkpoint.size} entries, merkle root ${result.checkpoint.merkleRoot}, ${signature}`,
      );
    } else {
      lines.push('checkpoint: none in the export (entries are only checked against each other)');
    }
    io.stdout(`${lines.join('\n')}\n`);
  }
  return result.valid ? 0 : 1;
}
