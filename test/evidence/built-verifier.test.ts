import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildVerifier } from '@evidence-portal/cli/build-verifier';
import { opensslRecipe } from '@evidence-portal/core/evidence';
import { beforeAll, describe, expect, it } from 'vitest';
import { byTier, tier } from '../support/context.js';

const run = promisify(execFile);
const vectors = join(import.meta.dirname, '..', 'vectors');

/** Runs a command, answering its exit code and output instead of throwing on a non-zero exit. */
async function exec(file: string, args: string[], cwd: string) {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('the single-file verifier and the openssl recipe, from an empty directory', () => {
  // Only the built file, the committed vectors and the keys: no node_modules, no repository.
  const dir = mkdtempSync(join(tmpdir(), 'auditor-'));
  const verifier = join(dir, 'evidence-verify.mjs');
  const node = (args: string[]) => exec(process.execPath, [verifier, ...args], dir);
  beforeAll(async () => {
    const built = join(mkdtempSync(join(tmpdir(), 'verifier-build-')), 'evidence-verify.mjs');
    await buildVerifier(built);
    copyFileSync(built, verifier);
    for (const file of ['example.bundle', 'auditor-private.pem', 'signing-public.pem']) {
      copyFileSync(join(vectors, file), join(dir, file));
    }
  }, 120_000);

  it('verifies the committed test vector with plain node, offline, and names failures', async () => {
    const ok = await node([
      'verify',
      'example.bundle',
      '--public-key',
      'signing-public.pem',
      '--decrypt-key',
      'auditor-private.pem',
    ]);
    const late = await node([
      'verify',
      'example.bundle',
      '--public-key',
      'signing-public.pem',
      '--decrypt-key',
      'auditor-private.pem',
      '--at',
      '2100-01-01T00:00:00Z',
      '--json',
    ]);

    expect(ok.stdout).toContain('evidence bundle eb-example: VALID');
    expect(ok.code).toBe(0);
    expect(late.code).toBe(1);
    expect(JSON.parse(late.stdout).failed).toEqual(['expiry']);
  });

  it('rejects tampered ciphertexts through the built file too', async () => {
    const bundle = readFileSync(join(dir, 'example.bundle'));
    // 50 in the soak tier; three here (each is a node start): the header, the middle and the last frame.
    const count = byTier(3, 50);
    const codes: number[] = [];
    for (let i = 0; i < count; i++) {
      const position = Math.floor(((i + 0.5) * bundle.length) / count);
      const tampered = Buffer.from(bundle);
      tampered[position] = (tampered[position] as number) ^ (1 << (i % 8));
      writeFileSync(join(dir, 'tampered.bundle'), tampered);
      const result = await node([
        'verify',
        'tampered.bundle',
        '--public-key',
        'signing-public.pem',
        '--decrypt-key',
        'auditor-private.pem',
      ]);
      codes.push(result.code);
    }
    console.info(
      `built verifier (${tier()} tier): ${codes.filter((code) => code === 1).length}/${count} tampered bundles rejected`,
    );
    expect(codes).toEqual(Array(count).fill(1));
  });

  it('VERIFY.md: the openssl + sha256sum recipe passes the bundle and rejects a tampered manifest or file', async () => {
    const decrypted = await node(['decrypt', 'example.bundle', '--decrypt-key', 'auditor-private.pem', '-o', 'b.tar']);
    expect(decrypted.code).toBe(0);
    const extract = (name: string) => {
      const target = join(dir, name);
      mkdirSync(target);
      return exec('tar', ['-xf', join(dir, 'b.tar'), '-C', target], dir).then(() => target);
    };
    const good = await extract('good');
    // The recipe VERIFY.md carries is the one this test runs.
    expect(readFileSync(join(good, 'VERIFY.md'), 'utf8')).toContain(opensslRecipe);
    const manifestTampered = await extract('manifest');
    const manifest = readFileSync(join(manifestTampered, 'manifest.json'), 'utf8');
    writeFileSync(
      join(manifestTampered, 'manifest.json'),
      manifest.replace('FY2026 SOC 2 audit', 'FY2026 SOC 2 audiT'),
    );
    const fileTampered = await extract('file');
    writeFileSync(join(fileTampered, 'files/agreements/coverage.json'), '{"covered": false}\n');
    const extraFile = await extract('extra');
    writeFileSync(join(extraFile, 'files/agreements/more.json'), '{}\n');

    const results = await Promise.all(
      [good, manifestTampered, fileTampered, extraFile].map((cwd) => exec('bash', ['-c', opensslRecipe], cwd)),
    );

    expect(results[0]?.stdout).toContain('bundle verified');
    expect(results.map((r) => r.code)).toEqual([0, 1, 1, 1]);
    expect(results[1]?.stdout).toContain('Verification failure');
  });
});
