import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClient, CommitmentPolicy, getClient, KmsKeyringNode } from '@aws-crypto/client-node';
import type { MessageType } from '@aws-sdk/client-kms';
import {
  AlreadyExistsException,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetPublicKeyCommand,
  InvalidCiphertextException,
  InvalidKeyUsageException,
  KMS,
  KMSClient,
  KMSInvalidSignatureException,
  ListAliasesCommand,
  NotFoundException,
  SignCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KmsServer } from './kms-server.js';
import { startKmsServer } from './kms-server.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

function kmsClient(endpoint: string): KMSClient {
  return new KMSClient({ endpoint, region: 'us-east-1', credentials });
}

async function createSigningKey(client: KMSClient): Promise<string> {
  const out = await client.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
  return out.KeyMetadata!.Arn!;
}

async function createSymmetricKey(client: KMSClient): Promise<string> {
  const out = await client.send(new CreateKeyCommand({ Description: 'test key' }));
  return out.KeyMetadata!.Arn!;
}

function flipped(bytes: Uint8Array, index: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

/** A raw JSON 1.1 request, bypassing the SDK, to send malformed input. */
async function rawRequest(
  endpoint: string,
  target: string,
  body: string | Uint8Array,
): Promise<{ status: number; json: { __type?: string; message?: string } }> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
    body,
  });
  return { status: res.status, json: (await res.json()) as { __type?: string; message?: string } };
}

describe('local KMS server (in memory)', () => {
  let server: KmsServer;
  let client: KMSClient;

  beforeAll(async () => {
    server = await startKmsServer({ port: 0 });
    client = kmsClient(server.endpoint);
  });

  afterAll(async () => {
    client?.destroy();
    await server?.stop();
  });

  it('creates and describes keys with KMS-shaped metadata', async () => {
    const created = await client.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Description: 'checkpoints' }),
    );
    const meta = created.KeyMetadata!;
    expect(meta.KeyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(meta.Arn).toBe(`arn:aws:kms:us-east-1:000000000000:key/${meta.KeyId}`);
    expect(meta).toMatchObject({
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
      KeyState: 'Enabled',
      Description: 'checkpoints',
      SigningAlgorithms: ['ECDSA_SHA_256'],
    });
    expect(meta.CreationDate).toBeInstanceOf(Date);
    expect(Math.abs(meta.CreationDate!.getTime() - Date.now())).toBeLessThan(60_000);

    const described = await client.send(new DescribeKeyCommand({ KeyId: meta.KeyId }));
    expect(described.KeyMetadata?.Arn).toBe(meta.Arn);

    const sym = await client.send(new CreateKeyCommand({}));
    expect(sym.KeyMetadata).toMatchObject({
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
    });
  });

  for (const messageType of ['DIGEST', 'RAW'] as const satisfies readonly MessageType[]) {
    it(`signs (${messageType}) verifiably with node:crypto and with Verify; tampering fails both`, async () => {
      const keyArn = await createSigningKey(client);
      const message = Buffer.from(`checkpoint #42 for ${messageType}`);
      const digest = createHash('sha256').update(message).digest();
      const kmsMessage = messageType === 'DIGEST' ? digest : message;

      const signed = await client.send(
        new SignCommand({
          KeyId: keyArn,
          Message: kmsMessage,
          MessageType: messageType,
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      );
      expect(signed.KeyId).toBe(keyArn);
      const signature = signed.Signature!;
      expect(signature[0]).toBe(0x30); // DER SEQUENCE

      const { PublicKey } = await client.send(new GetPublicKeyCommand({ KeyId: keyArn }));
      const publicKey = createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' });
      expect(publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');

      expect(nodeVerify('sha256', message, publicKey, signature)).toBe(true);
      const verifyInput = { KeyId: keyArn, MessageType: messageType, SigningAlgorithm: 'ECDSA_SHA_256' } as const;
      const ok = await client.send(new VerifyCommand({ ...verifyInput, Message: kmsMessage, Signature: signature }));
      expect(ok.SignatureValid).toBe(true);

      const badMessage = flipped(message, 3);
      const badDigest = createHash('sha256').update(badMessage).digest();
      const badKmsMessage = messageType === 'DIGEST' ? badDigest : badMessage;
      const badSignature = flipped(signature, signature.length - 5);

      expect(nodeVerify('sha256', badMessage, publicKey, signature)).toBe(false);
      expect(nodeVerify('sha256', message, publicKey, badSignature)).toBe(false);
      await expect(
        client.send(new VerifyCommand({ ...verifyInput, Message: badKmsMessage, Signature: signature })),
      ).rejects.toBeInstanceOf(KMSInvalidSignatureException);
      await expect(
        client.send(new VerifyCommand({ ...verifyInput, Message: kmsMessage, Signature: badSignature })),
      ).rejects.toBeInstanceOf(KMSInvalidSignatureException);
      await expect(
        client.send(new VerifyCommand({ ...verifyInput, Message: kmsMessage, Signature: Buffer.from('not der') })),
      ).rejects.toBeInstanceOf(KMSInvalidSignatureException);
    });
  }

  it('rejects a DIGEST that is not 32 bytes, and signing with a symmetric key', async () => {
    const keyArn = await createSigningKey(client);
    await expect(
      client.send(
        new SignCommand({
          KeyId: keyArn,
          Message: Buffer.alloc(31),
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    const symArn = await createSymmetricKey(client);
    await expect(
      client.send(new SignCommand({ KeyId: symArn, Message: Buffer.from('x'), SigningAlgorithm: 'ECDSA_SHA_256' })),
    ).rejects.toBeInstanceOf(InvalidKeyUsageException);
    await expect(
      client.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') })),
    ).rejects.toBeInstanceOf(InvalidKeyUsageException);
  });

  it('round-trips Encrypt/Decrypt with the encryption context enforced', async () => {
    const keyArn = await createSymmetricKey(client);
    const plaintext = Buffer.from('the quick brown fox');
    const context = { tenant: 'acme', purpose: 'bundle' };
    const enc = await client.send(
      new EncryptCommand({ KeyId: keyArn, Plaintext: plaintext, EncryptionContext: context }),
    );
    expect(enc.KeyId).toBe(keyArn);
    const blob = enc.CiphertextBlob!;

    // KeyId is optional on Decrypt: the blob names its key; context key order does not matter.
    const dec = await client.send(
      new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { purpose: 'bundle', tenant: 'acme' } }),
    );
    expect(Buffer.from(dec.Plaintext!)).toEqual(plaintext);
    expect(dec.KeyId).toBe(keyArn);

    await expect(
      client.send(
        new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { tenant: 'evil', purpose: 'bundle' } }),
      ),
    ).rejects.toBeInstanceOf(InvalidCiphertextException);
    await expect(client.send(new DecryptCommand({ CiphertextBlob: blob }))).rejects.toBeInstanceOf(
      InvalidCiphertextException,
    );
    await expect(
      client.send(new DecryptCommand({ CiphertextBlob: flipped(blob, blob.length - 1), EncryptionContext: context })),
    ).rejects.toBeInstanceOf(InvalidCiphertextException);
    await expect(
      client.send(new DecryptCommand({ CiphertextBlob: flipped(blob, 20), EncryptionContext: context })),
    ).rejects.toBeInstanceOf(InvalidCiphertextException);
    await expect(
      client.send(new DecryptCommand({ CiphertextBlob: Buffer.from('garbage'), EncryptionContext: context })),
    ).rejects.toBeInstanceOf(InvalidCiphertextException);
    const otherArn = await createSymmetricKey(client);
    await expect(
      client.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context, KeyId: otherArn })),
    ).rejects.toMatchObject({ name: 'IncorrectKeyException' });
  });

  it('round-trips GenerateDataKey (NumberOfBytes and KeySpec)', async () => {
    const keyArn = await createSymmetricKey(client);
    const context = { 'aws-crypto-public-key': 'abc' };
    const byBytes = await client.send(
      new GenerateDataKeyCommand({ KeyId: keyArn, NumberOfBytes: 48, EncryptionContext: context }),
    );
    expect(byBytes.KeyId).toBe(keyArn);
    expect(byBytes.Plaintext).toHaveLength(48);
    const dec = await client.send(
      new DecryptCommand({ CiphertextBlob: byBytes.CiphertextBlob, KeyId: keyArn, EncryptionContext: context }),
    );
    expect(Buffer.from(dec.Plaintext!)).toEqual(Buffer.from(byBytes.Plaintext!));

    const bySpec = await client.send(new GenerateDataKeyCommand({ KeyId: keyArn, KeySpec: 'AES_128' }));
    expect(bySpec.Plaintext).toHaveLength(16);
    await expect(client.send(new GenerateDataKeyCommand({ KeyId: keyArn }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('resolves keys by uuid, ARN, alias name and alias ARN', async () => {
    const keyArn = await createSymmetricKey(client);
    const keyId = keyArn.split('/')[1]!;
    await client.send(new CreateAliasCommand({ AliasName: 'alias/evidence-test', TargetKeyId: keyId }));
    await expect(
      client.send(new CreateAliasCommand({ AliasName: 'alias/evidence-test', TargetKeyId: keyId })),
    ).rejects.toBeInstanceOf(AlreadyExistsException);
    const aliasArn = 'arn:aws:kms:us-east-1:000000000000:alias/evidence-test';
    for (const id of [keyId, keyArn, 'alias/evidence-test', aliasArn]) {
      const out = await client.send(new DescribeKeyCommand({ KeyId: id }));
      expect(out.KeyMetadata?.Arn).toBe(keyArn);
    }
    const enc = await client.send(new EncryptCommand({ KeyId: 'alias/evidence-test', Plaintext: Buffer.from('hi') }));
    expect(enc.KeyId).toBe(keyArn);
    const list = await client.send(new ListAliasesCommand({}));
    expect(list.Aliases).toContainEqual(
      expect.objectContaining({ AliasName: 'alias/evidence-test', AliasArn: aliasArn, TargetKeyId: keyId }),
    );
  });

  it('raises NotFoundException for unknown keys and aliases', async () => {
    for (const id of [
      '00000000-0000-4000-8000-000000000000',
      'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-4000-8000-000000000000',
      'alias/nope',
      'arn:aws:kms:us-east-1:000000000000:alias/nope',
      'not-a-key',
    ]) {
      await expect(client.send(new DescribeKeyCommand({ KeyId: id }))).rejects.toBeInstanceOf(NotFoundException);
    }
    await expect(
      client.send(new CreateAliasCommand({ AliasName: 'alias/x', TargetKeyId: 'alias/nope' })),
    ).rejects.toBeInstanceOf(NotFoundException);
  });

  it('answers malformed input with 400 KMS-shaped errors, never a 500', async () => {
    const keyArn = await createSymmetricKey(client);
    const cases: Array<[string, string | Uint8Array, string]> = [
      ['TrentService.Encrypt', '{not json', 'SerializationException'],
      ['TrentService.Encrypt', '[1,2]', 'SerializationException'],
      ['TrentService.Encrypt', JSON.stringify({ KeyId: keyArn, Plaintext: '***' }), 'ValidationException'],
      ['TrentService.Encrypt', JSON.stringify({ KeyId: keyArn }), 'ValidationException'],
      ['TrentService.Encrypt', JSON.stringify({ KeyId: 42, Plaintext: 'aGk=' }), 'ValidationException'],
      [
        'TrentService.Encrypt',
        JSON.stringify({ KeyId: keyArn, Plaintext: 'aGk=', EncryptionContext: { a: 1 } }),
        'ValidationException',
      ],
      ['TrentService.Decrypt', JSON.stringify({ CiphertextBlob: 'a' }), 'ValidationException'],
      ['TrentService.GenerateDataKey', JSON.stringify({ KeyId: keyArn, NumberOfBytes: 5000 }), 'ValidationException'],
      [
        'TrentService.CreateKey',
        JSON.stringify({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'ENCRYPT_DECRYPT' }),
        'ValidationException',
      ],
      ['TrentService.CreateAlias', JSON.stringify({ AliasName: 'bad', TargetKeyId: keyArn }), 'ValidationException'],
      ['TrentService.DescribeKey', JSON.stringify({}), 'ValidationException'],
      ['TrentService.constructor', '{}', 'UnsupportedOperationException'],
      ['TrentService.ScheduleKeyDeletion', '{}', 'UnsupportedOperationException'],
      ['Nope', '{}', 'UnsupportedOperationException'],
      ['TrentService.Encrypt', new Uint8Array(1024 * 1024 + 1), 'ValidationException'],
    ];
    for (const [target, body, type] of cases) {
      const { status, json } = await rawRequest(server.endpoint, target, body);
      expect({ target, status, type: json.__type }).toEqual({ target, status: 400, type });
      expect(typeof json.message).toBe('string');
    }
    // Still healthy afterwards.
    const out = await client.send(new DescribeKeyCommand({ KeyId: keyArn }));
    expect(out.KeyMetadata?.Arn).toBe(keyArn);
  });

  it('serves the AWS Encryption SDK (KmsKeyringNode) for envelope encryption', async () => {
    const keyArn = await createSymmetricKey(client);
    const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
    const keyring = new KmsKeyringNode({
      generatorKeyId: keyArn,
      clientProvider: getClient(KMS, { endpoint: server.endpoint, credentials }),
    });
    const plaintext = Buffer.from('evidence bundle bytes '.repeat(1000));
    const context = { bundle: 'b-1' };
    const { result } = await encrypt(keyring, plaintext, { encryptionContext: context });
    expect(Buffer.from(result).includes(Buffer.from('evidence bundle'))).toBe(false);
    const { plaintext: decrypted, messageHeader } = await decrypt(keyring, result);
    expect(Buffer.from(decrypted)).toEqual(plaintext);
    expect(messageHeader.encryptionContext).toMatchObject(context);
  });
});

describe('local KMS server (persistent dataDir)', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kms-server-test-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps keys, aliases and decryptability across a restart', async () => {
    const first = await startKmsServer({ port: 0, dataDir });
    const client1 = kmsClient(first.endpoint);
    const keyArn = await createSymmetricKey(client1);
    const signArn = await createSigningKey(client1);
    await client1.send(new CreateAliasCommand({ AliasName: 'alias/persisted', TargetKeyId: keyArn }));
    const enc = await client1.send(
      new EncryptCommand({
        KeyId: 'alias/persisted',
        Plaintext: Buffer.from('survives'),
        EncryptionContext: { a: 'b' },
      }),
    );
    const pub1 = await client1.send(new GetPublicKeyCommand({ KeyId: signArn }));
    client1.destroy();
    await first.stop();

    const file = JSON.parse(await readFile(join(dataDir, 'kms-keys.json'), 'utf8')) as { keys: unknown[] };
    expect(file.keys).toHaveLength(2);

    const second = await startKmsServer({ port: 0, dataDir });
    const client2 = kmsClient(second.endpoint);
    try {
      const described = await client2.send(new DescribeKeyCommand({ KeyId: 'alias/persisted' }));
      expect(described.KeyMetadata?.Arn).toBe(keyArn);
      const dec = await client2.send(
        new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { a: 'b' } }),
      );
      expect(Buffer.from(dec.Plaintext!).toString()).toBe('survives');
      const pub2 = await client2.send(new GetPublicKeyCommand({ KeyId: signArn }));
      expect(Buffer.from(pub2.PublicKey!)).toEqual(Buffer.from(pub1.PublicKey!));
    } finally {
      client2.destroy();
      await second.stop();
    }
  });
});
