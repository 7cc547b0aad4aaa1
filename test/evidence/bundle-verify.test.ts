import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@evidence-portal/cli';
import { beforeAll, describe, expect, it } from 'vitest';
import { testAuditorKey, testBundle, testSigningKey } from './bundle-kit.js';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

describe('evidence verify | decrypt | inspect (offline)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-cli-'));
  const key = testSigningKey();
  const auditor = testAuditorKey();
  const files = {
    bundle: join(dir, 'bundle.evb'),
    key: join(dir, 'signing.pem'),
    keysJson: join(dir, 'keys.json'),
    otherKey: join(dir, 'other.pem'),
    rsa: join(dir, 'auditor.pem'),
    otherRsa: join(dir, 'other-auditor.pem'),
  };
  const rotated = testSigningKey().key;
  beforeAll(async () => {
    const { ciphertext } = await testBundle({ key, auditor });
    writeFileSync(files.bundle, ciphertext);
    writeFileSync(files.key, key.key.pem);
    writeFileSync(
      files.keysJson,
      // After a rotation the route lists the new key first and the retired one after: old bundles still verify.
      JSON.stringify({
        items: [
          { keyId: rotated.keyId, fingerprint: rotated.fingerprint, status: 'current', publicKeyPem: rotated.pem },
          { keyId: key.key.keyId, fingerprint: key.key.fingerprint, status: 'previous', publicKeyPem: key.key.pem },
        ],
      }),
    );
    writeFileSync(files.otherKey, rotated.pem);
    writeFileSync(files.rsa, auditor.privateKeyPem);
    writeFileSync(files.otherRsa, testAuditorKey().privateKeyPem);
  });

  it('verifies a bundle with the pinned key (or, after a rotation, the key list naming it as previous) and the auditor RSA key', async () => {
    const text = await cli(['verify', files.bundle, '--public-key', files.key, '--decrypt-key', files.rsa]);
    const json = await cli([
      'verify',
      files.bundle,
      '--public-key',
      files.keysJson,
      '--decrypt-key',
      files.rsa,
      '--json',
    ]);

    expect(text.code).toBe(0);
    expect(text.stdout).toContain('evidence bundle eb-test: VALID');
    const result = JSON.parse(json.stdout);
    expect(json.code).toBe(0);
    expect(result).toMatchObject({ valid: true, origin: 'trusted-key', failed: [] });
    expect(result.checks.map((c: { check: string }) => c.check)).toEqual([
      'decrypt',
      'encryption-context',
      'archive',
      'manifest',
      'envelope',
      'signature',
      'subjects',
      'expiry',
      'checkpoint',
      'inclusion-proofs',
    ]);
  });

  it('without --public-key says plainly it proves integrity, not origin', async () => {
    const result = await cli(['verify', files.bundle, '--decrypt-key', files.rsa]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('integrity, not origin');
  });

  it('fails, naming the check, for another signing key, a later instant, or another RSA key', async () => {
    const otherKey = await cli(['verify', files.bundle, '--public-key', files.otherKey, '--decrypt-key', files.rsa]);
    const expired = await cli([
      'verify',
      files.bundle,
      '--public-key',
      files.key,
      '--decrypt-key',
      files.rsa,
      '--at',
      '2100-01-01T00:00:00Z',
    ]);
    const otherRsa = await cli(['verify', files.bundle, '--decrypt-key', files.otherRsa, '--json']);
    const noRsa = await cli(['verify', files.bundle]);

    expect(otherKey.code).toBe(1);
    expect(otherKey.stdout).toMatch(/FAIL signature/);
    expect(otherKey.stdout).toMatch(/FAIL checkpoint/);
    expect(expired.code).toBe(1);
    expect(expired.stdout).toMatch(/FAIL expiry +expired at 2099-01-01/);
    expect(otherRsa.code).toBe(1);
    expect(JSON.parse(otherRsa.stdout).failed).toContain('decrypt');
    expect(noRsa.code).toBe(1);
    expect(noRsa.stderr).toContain('--decrypt-key');
  });

  it('decrypts to a tar that verifies on its own, and inspects contents, purpose, requester and key', async () => {
    const tar = join(dir, 'bundle.tar');
    const decrypted = await cli(['decrypt', files.bundle, '--decrypt-key', files.rsa, '-o', tar]);
    const again = await cli(['decrypt', files.bundle, '--decrypt-key', files.rsa, '-o', tar]);
    const verified = await cli(['verify', tar, '--public-key', files.key]);
    const inspected = await cli(['inspect', files.bundle, '--decrypt-key', files.rsa]);
    const usage = await cli(['decrypt', files.bundle]);

    expect(decrypted.code).toBe(0);
    expect(readFileSync(tar).subarray(257, 262).toString()).toBe('ustar');
    expect(again.code).toBe(2);
    expect(verified.code).toBe(0);
    expect(inspected.code).toBe(0);
    expect(inspected.stdout).toContain('purpose:      FY2026 SOC 2 audit');
    expect(inspected.stdout).toContain('requester:    auditor@example.com');
    expect(inspected.stdout).toContain(`signing key:  ${key.key.fingerprint}`);
    expect(inspected.stdout).toMatch(/ledger-inclusion-proof +files\/ledger\/proofs\/000000000003.json/);
    expect(usage.code).toBe(2);
  });
});
