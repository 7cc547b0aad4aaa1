import { createWriteStream, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { BundleVerification } from '@evidence-portal/core/evidence';
import { Command, Option } from 'commander';
import { openBundle, verifyBundleFile } from '../bundle/open-bundle.js';
import { progressBar } from '../bundle/progress-bar.js';
import { action, type CliIo, UsageError } from '../cli-program.js';
import { readKeys } from '../trusted-key-files.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

const decryptKeyOption = () =>
  new Option(
    '--decrypt-key <rsa.pem>',
    'your RSA private key (PEM) the bundle was encrypted to: decrypts offline, no AWS',
  );

function readPem(file: string | undefined): string | undefined {
  return file === undefined ? undefined : readFileSync(file, 'utf8');
}

function parseInstant(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new UsageError(`--at takes an ISO 8601 instant, not '${value}'`);
  return at;
}

function describe(result: BundleVerification, file: string): string {
  const predicate = result.statement?.predicate;
  const lines = [`evidence bundle ${predicate?.bundleId ?? file}: ${result.valid ? 'VALID' : 'INVALID'}`];
  for (const check of result.checks)
    lines.push(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.check.padEnd(18)} ${check.detail}`);
  if (result.origin === 'embedded-key') {
    lines.push(
      'NOTE: no --public-key was given: checked with the key inside the bundle, which proves integrity, not origin.',
    );
  }
  const failed = result.checks.filter((check) => !check.ok).map((check) => check.check);
  if (failed.length > 0) lines.push(`failed: ${failed.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

function presentVerification(result: BundleVerification) {
  return {
    valid: result.valid,
    origin: result.origin,
    checks: result.checks,
    failed: result.checks.filter((check) => !check.ok).map((check) => check.check),
    ...(result.statement ? { predicate: result.statement.predicate } : {}),
    files: result.files,
  };
}

/** `evidence verify <bundle>`: decrypt, check every digest, the signature, checkpoint, proofs, expiry. */
export function verifyCommand(io: CliIo): Command {
  return new Command('verify')
    .description(
      'verify an evidence bundle offline: decryption, every file digest, the signature, ledger proofs, expiry',
    )
    .argument('<bundle>', 'the bundle file (encrypted .evb, or the plaintext .tar from `evidence decrypt`)')
    .option(
      '--public-key <file>',
      'the signing key you pinned: a PEM, or the JSON of GET /api/keys/signing (repeatable). Without it the key inside the bundle is used: integrity, not origin',
      collect,
    )
    .addOption(decryptKeyOption())
    .option('--at <instant>', 'judge expiry at this ISO 8601 instant instead of now')
    .option('--json', 'print the verification as JSON')
    .addHelpText('after', '\nExit status: 0 valid, 1 invalid (the failed checks are named), 2 usage error.')
    .action(
      action(
        async (file: string, options: { publicKey?: string[]; decryptKey?: string; at?: string; json?: boolean }) => {
          const at = parseInstant(options.at);
          const keys = options.publicKey?.flatMap(readKeys);
          const bar = options.json ? undefined : progressBar(io, 'verifying');
          const result = await verifyBundleFile(file, {
            ...(options.decryptKey ? { decryptKeyPem: readPem(options.decryptKey) as string } : {}),
            ...(keys ? { keys } : {}),
            ...(at ? { at } : {}),
            ...(bar ? { onBytes: bar.update } : {}),
          }).finally(() => bar?.stop());
          io.stdout(options.json ? `${JSON.stringify(presentVerification(result))}\n` : describe(result, file));
          return result.valid ? 0 : 1;
        },
      ),
    );
}

/** `evidence decrypt <bundle> -o bundle.tar`: the plaintext archive, written only once fully authenticated. */
export function decryptCommand(io: CliIo): Command {
  return new Command('decrypt')
    .description('decrypt an evidence bundle offline to its plaintext tar archive (then `tar -xf` it)')
    .argument('<bundle>', 'the encrypted bundle file')
    .addOption(decryptKeyOption().makeOptionMandatory())
    .requiredOption('-o, --output <file.tar>', 'where to write the plaintext archive (must not exist)')
    .option('--json', 'print the outcome as JSON')
    .action(
      action(async (file: string, options: { decryptKey: string; output: string; json?: boolean }) => {
        if (existsSync(options.output)) throw new UsageError(`${options.output} exists; choose another --output`);
        const opened = openBundle(file, { decryptKeyPem: readPem(options.decryptKey) as string });
        if (!opened.encrypted) throw new UsageError(`${file} is not encrypted (already a plaintext archive)`);
        // Written beside the target and renamed at the end: a failed frame leaves no partial archive.
        const partial = `${options.output}.partial`;
        try {
          await pipeline(opened.archive, createWriteStream(partial, { flags: 'wx' }));
          renameSync(partial, options.output);
        } catch (error) {
          rmSync(partial, { force: true });
          throw error;
        }
        const context = await opened.context;
        io.stdout(
          options.json
            ? `${JSON.stringify({ output: options.output, encryptionContext: context })}\n`
            : `decrypted bundle ${context?.bundleId} of ${context?.orgId} to ${options.output} (run \`evidence verify ${options.output}\`, or see VERIFY.md inside)\n`,
        );
        return 0;
      }),
    );
}

/** `evidence inspect <bundle>`: what is inside, for whom, until when, signed by which key. */
export function inspectCommand(io: CliIo): Command {
  return new Command('inspect')
    .description('show what a bundle holds: contents, purpose, requester, dates, signing key fingerprint')
    .argument('<bundle>', 'the bundle file (encrypted, or plaintext tar)')
    .addOption(decryptKeyOption())
    .option('--json', 'print as JSON')
    .action(
      action(async (file: string, options: { decryptKey?: string; json?: boolean }) => {
        const result = await verifyBundleFile(file, {
          ...(options.decryptKey ? { decryptKeyPem: readPem(options.decryptKey) as string } : {}),
        });
        const predicate = result.statement?.predicate;
        if (!predicate) {
          io.stderr(describe(result, file));
          return 1;
        }
        if (options.json) {
          io.stdout(`${JSON.stringify({ predicate, files: result.files, integrity: result.valid })}\n`);
          return 0;
        }
        const sizes = new Map(result.files.map((f) => [f.path, f.size]));
        io.stdout(
          [
            `bundle:       ${predicate.bundleId} (${predicate.format})`,
            `organization: ${predicate.org.name} (${predicate.org.id})`,
            `requester:    ${predicate.requester.email} (account ${predicate.requester.accountId})`,
            `purpose:      ${predicate.purpose}`,
            `issued:       ${predicate.issuedAt}`,
            `expires:      ${predicate.expiresAt}`,
            `as of:        ${predicate.asOf}`,
            `accounts:     ${predicate.accounts.join(', ') || '(none)'}`,
            `ledger:       ${predicate.ledger ? `entries ${predicate.ledger.fromSeq}..${predicate.ledger.toSeq}` : '(none)'}`,
            `signing key:  ${predicate.signingKey.fingerprint} (${predicate.signingKey.keyId})`,
            `recipients:   ${predicate.recipients.map((r) => (r.kind === 'kms' ? 'KMS' : `RSA ${r.fingerprint}`)).join(', ')}`,
            `integrity:    ${result.valid ? 'intact (checked with the key inside; run verify --public-key for origin)' : 'FAILED (run verify for details)'}`,
            'contents:',
            ...predicate.contents.map(
              (c) =>
                `  ${c.kind.padEnd(24)} ${c.path} (${sizes.get(c.path) ?? '?'} bytes)${c.ref ? ` [${c.ref}]` : ''}`,
            ),
            '',
          ].join('\n'),
        );
        return 0;
      }),
    );
}
