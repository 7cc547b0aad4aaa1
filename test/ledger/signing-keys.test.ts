import { createHash, createPublicKey } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { createAwsClients, localCredentials } from '@evidence-portal/aws';
import { runCli } from '@evidence-portal/cli';
import type { SignedCheckpoint } from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../support/app.js';
import { localStack } from '../support/context.js';
import { allowAllAuthorizer, asPrincipal, testPrincipal } from '../support/principal.js';
import { actor } from './ledger-fixtures.js';

interface SigningKeys {
  items: Array<{ keyId: string; fingerprint: string; algorithm: string; status: string; publicKeyPem: string }>;
}

async function newSigningKey(): Promise<string> {
  const info = localStack();
  const { kms } = createAwsClients({
    region: info.region,
    kmsEndpoint: info.kmsEndpoint,
    credentials: localCredentials,
  });
  const created = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
  kms.destroy();
  return created.KeyMetadata!.Arn!;
}

async function cli(args: string[]) {
  let out = '';
  const code = await runCli(args, { stdout: (text) => (out += text), stderr: () => {}, env: {} });
  return { code, out };
}

describe('GET /api/keys/signing and key rotation', () => {
  it('lists the signing key with its fingerprint, to anyone', async () => {
    const { app } = await createTestApp();

    const response = await app.request('/api/keys/signing');
    const keys = (await response.json()) as SigningKeys;

    expect(response.status).toBe(200);
    expect(keys.items).toHaveLength(1);
    const [key] = keys.items;
    const der = createPublicKey(key!.publicKeyPem).export({ format: 'der', type: 'spki' });
    expect(key).toMatchObject({ status: 'current', algorithm: 'ECDSA_SHA_256', keyId: localStack().signingKeyArn });
    expect(key!.fingerprint).toBe(createHash('sha256').update(der).digest('hex'));
  });

  it('after a rotation, old checkpoints verify with the previous key they name and new ones with the current key', async () => {
    const before = await createTestApp({ overrides: { authorizer: allowAllAuthorizer } });
    const orgId = 'o-rotate';
    const act = (deps: typeof before.deps, i: number) =>
      deps.ledger.append({ orgId, actor: actor('u'), action: 'report:Downloaded', subject: `s-${i}` });
    for (let i = 0; i < 3; i++) await act(before.deps, i);
    const old = (await before.deps.ledger.checkpoint(orgId)) as SignedCheckpoint;

    const rotatedKey = await newSigningKey();
    const after = await createTestApp({
      tableName: before.tableName,
      overrides: { authorizer: allowAllAuthorizer },
      environment: {
        PORTAL_CHECKPOINTS_BUCKET: before.config.buckets.checkpoints,
        PORTAL_SIGNING_KEY_ARN: rotatedKey,
        PORTAL_PREVIOUS_SIGNING_KEY_ARNS: localStack().signingKeyArn,
      },
    });
    for (let i = 3; i < 5; i++) await act(after.deps, i);
    const fresh = (await after.deps.ledger.checkpoint(orgId)) as SignedCheckpoint;
    const mine = asPrincipal(after.app, testPrincipal({ orgId }));
    const keys = (await (await after.app.request('/api/keys/signing')).json()) as SigningKeys;

    expect(keys.items.map((key) => [key.keyId, key.status])).toEqual([
      [rotatedKey, 'current'],
      [localStack().signingKeyArn, 'previous'],
    ]);
    expect(old.keyFingerprint).toBe(keys.items[1]!.fingerprint);
    expect(fresh).toMatchObject({ keyFingerprint: keys.items[0]!.fingerprint, previous: { size: old.size } });
    expect(await (await mine.request('/api/ledger/verify')).json()).toMatchObject({
      valid: true,
      checkpoints: { count: 2, signatures: 'valid' },
    });

    // Offline: the key list as the API gives it trusts both; the new key alone does not vouch for the old checkpoint.
    const dir = mkdtempSync(join(tmpdir(), 'ledger-rotation-'));
    writeFileSync(join(dir, 'keys.json'), JSON.stringify(keys));
    writeFileSync(join(dir, 'current.pem'), keys.items[0]!.publicKeyPem);
    writeFileSync(join(dir, 'export.jsonl'), await (await mine.request('/api/ledger/export')).text());
    const file = join(dir, 'export.jsonl');
    expect(await cli(['ledger', 'verify', file, '--public-key', join(dir, 'keys.json')])).toMatchObject({ code: 0 });
    const currentOnly = await cli(['ledger', 'verify', file, '--public-key', join(dir, 'current.pem'), '--json']);
    expect(currentOnly.code).toBe(1);
    expect(JSON.parse(currentOnly.out).faults[0]).toMatchObject({ kind: 'checkpoint_forged' });
  });
});
