import { createReadStream, readFileSync } from 'node:fs';
import { verifyExportInParallel, verifyProofDocument } from '@evidence-portal/core';
import type { CliIo } from '../cli-runner.js';
import { workerLeafPass } from '../ledger/worker-leaf-pass.js';

export const summary =
  'verify a ledger export or a proof offline (verify <export.jsonl> | verify-proof <proof.json>, [--public-key pem] [--json])';

const usage =
  'usage: evidence ledger verify <export.jsonl> [--public-key <pem file>] [--json]\n' +
  '       evidence ledger verify-proof <proof.json> [--public-key <pem file>] [--json]\n' +
  '  verify: checks every entry hash and the chain, and the checkpoint in the export against the public key.\n' +
  '  verify-proof: checks an inclusion or consistency proof (GET /api/ledger/proofs/...) against its signed\n' +
  '  checkpoint(s).\n' +
  '  Exit status: 0 valid, 1 invalid, 2 usage error.\n';

/** Offline by design: this module loads no AWS client and reads no environment. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'verify' && command !== 'verify-proof') {
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
  if (command === 'verify-proof') return verifyProof(file, publicKeyPem, json, io);
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

function verifyProof(file: string, publicKeyPem: string | undefined, json: boolean, io: CliIo): number {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    document = undefined;
  }
  const result = verifyProofDocument(document, publicKeyPem !== undefined ? { publicKeyPem } : {});
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
