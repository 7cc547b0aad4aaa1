import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { buildClient, CommitmentPolicy } from '@aws-crypto/client-node';
import { IntegrityError, ValidationError } from '@evidence-portal/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { localStack } from '../../../test/support/context.js';
import { localCredentials } from './clients.js';
import { auditorRsaKeyring, KmsEnvelopeKeyring } from './kms-keyring.js';

const context = { orgId: 'org-1', bundleId: 'bundle-1', purpose: 'evidence-bundle' };

/** A plaintext stream of `size` pseudo-random bytes in uneven chunks, with its digest. */
function randomStream(size: number): { stream: Readable; sha256: string } {
  const data = randomBytes(size);
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < size; offset += 300_001) chunks.push(data.subarray(offset, offset + 300_001));
  return { stream: Readable.from(chunks), sha256: createHash('sha256').update(data).digest('hex') };
}

describe('KmsEnvelopeKeyring against the local KMS server', () => {
  let keyring: KmsEnvelopeKeyring;
  beforeAll(() => {
    const info = localStack();
    keyring = new KmsEnvelopeKeyring({
      keyArn: info.dataKeyArn,
      kmsClientConfig: { region: info.region, endpoint: info.kmsEndpoint, credentials: localCredentials },
    });
  });

  it('round-trips a buffer under its encryption context', async () => {
    // prepare
    const plaintext = new TextEncoder().encode('secret-plaintext-marker');
    // act
    const ciphertext = await keyring.encrypt(plaintext, context);
    const decrypted = await keyring.decrypt(ciphertext, context);
    // assert
    expect(Buffer.from(decrypted).toString()).toBe('secret-plaintext-marker');
    expect(Buffer.from(ciphertext).includes(Buffer.from('secret-plaintext-marker'))).toBe(false);
  });

  it('refuses a different expected context with IntegrityError', async () => {
    // prepare
    const ciphertext = await keyring.encrypt(new Uint8Array([1, 2, 3]), context);
    // act
    const failure = keyring.decrypt(ciphertext, { ...context, bundleId: 'bundle-2' });
    // assert
    await expect(failure).rejects.toBeInstanceOf(IntegrityError);
  });

  it('refuses a ciphertext with one flipped byte with IntegrityError', async () => {
    // prepare
    const ciphertext = Buffer.from(await keyring.encrypt(randomBytes(4096), context));
    const positions = [10, Math.floor(ciphertext.length / 2), ciphertext.length - 5];
    // act + assert
    for (const position of positions) {
      const tampered = Buffer.from(ciphertext);
      tampered[position] = tampered[position]! ^ 0x01;
      await expect(keyring.decrypt(tampered, context)).rejects.toBeInstanceOf(IntegrityError);
    }
  });

  it('round-trips a multi-MiB stream', async () => {
    // prepare
    const { stream, sha256 } = randomStream(5 * 1024 * 1024 + 123);
    // act
    const ciphertext = await buffer(keyring.encryptStream(stream, context));
    const plaintext = await buffer(keyring.decryptStream(Readable.from([ciphertext]), context));
    // assert
    expect(createHash('sha256').update(plaintext).digest('hex')).toBe(sha256);
  });

  it('fails a tampered stream with IntegrityError', async () => {
    // prepare
    const { stream } = randomStream(2 * 1024 * 1024);
    const ciphertext = await buffer(keyring.encryptStream(stream, context));
    ciphertext[ciphertext.length - 1024] = ciphertext[ciphertext.length - 1024]! ^ 0x01;
    // act
    const failure = buffer(keyring.decryptStream(Readable.from([ciphertext]), context));
    // assert
    await expect(failure).rejects.toBeInstanceOf(IntegrityError);
  });

  it('fails a stream decrypted under a different context with IntegrityError', async () => {
    // prepare
    const ciphertext = await buffer(keyring.encryptStream(Readable.from([Buffer.from('abc')]), context));
    // act
    const failure = buffer(keyring.decryptStream(Readable.from([ciphertext]), { ...context, orgId: 'org-2' }));
    // assert
    await expect(failure).rejects.toBeInstanceOf(IntegrityError);
  });

  it('lets an auditor decrypt with the RSA private key alone, no KMS', async () => {
    // prepare
    const { publicKey, privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 3072,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const { stream, sha256 } = randomStream(3 * 1024 * 1024);
    const ciphertext = await buffer(keyring.encryptStream(stream, context, { recipientRsaPublicKeyPem: publicKey }));
    // act
    const offline = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
    const { plaintext, messageHeader } = await offline.decrypt(
      auditorRsaKeyring({ privateKeyPem: privateKey }),
      ciphertext,
    );
    // assert
    expect(createHash('sha256').update(plaintext).digest('hex')).toBe(sha256);
    expect(messageHeader.encryptionContext).toMatchObject(context);
    expect(await keyring.decrypt(ciphertext, context)).toHaveLength(3 * 1024 * 1024);
  });

  it('rejects a recipient key that is not RSA >= 2048 bits', () => {
    // prepare
    const { publicKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    // act + assert
    expect(() =>
      keyring.encryptStream(Readable.from([Buffer.from('x')]), context, { recipientRsaPublicKeyPem: publicKey }),
    ).toThrow(ValidationError);
  });

  it('pings the key', async () => {
    await expect(keyring.ping()).resolves.toBeUndefined();
  });
});
