import { createHash, verify } from 'node:crypto';
import { ValidationError } from '@evidence-portal/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { localStack } from '../../../test/support/context.js';
import { createAwsClients, localCredentials } from './clients.js';
import { KmsSigner } from './kms-signer.js';

describe('KmsSigner against the local KMS server', () => {
  let signer: KmsSigner;
  beforeAll(() => {
    const info = localStack();
    const { kms } = createAwsClients({
      region: info.region,
      kmsEndpoint: info.kmsEndpoint,
      credentials: localCredentials,
    });
    signer = new KmsSigner(kms, info.signingKeyArn);
  });

  it('signs a digest so that node:crypto verifies it over the original message', async () => {
    // prepare
    const message = Buffer.from('in-toto statement bytes');
    const digest = createHash('sha256').update(message).digest();
    // act
    const signature = await signer.signDigest(digest);
    const { pem } = await signer.publicKey();
    // assert
    expect(verify('sha256', message, pem, signature)).toBe(true);
  });

  it('produces a signature that fails verification for a flipped message byte', async () => {
    // prepare
    const message = Buffer.from('in-toto statement bytes');
    const signature = await signer.signDigest(createHash('sha256').update(message).digest());
    const { pem } = await signer.publicKey();
    const altered = Buffer.from(message);
    altered[0] = altered[0]! ^ 0x01;
    // act
    const valid = verify('sha256', altered, pem, signature);
    // assert
    expect(valid).toBe(false);
  });

  it('returns the public key as SPKI PEM with the hex SHA-256 fingerprint of its DER, and caches it', async () => {
    // act
    const first = await signer.publicKey();
    const second = await signer.publicKey();
    // assert
    expect(first.pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const der = Buffer.from(first.pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    expect(first.fingerprint).toBe(createHash('sha256').update(der).digest('hex'));
    expect(first.algorithm).toBe('ECDSA_SHA_256');
    expect(first.keyId).toMatch(/^arn:aws:kms:/);
    expect(second).toBe(first);
  });

  it('rejects a digest that is not 32 bytes', async () => {
    await expect(signer.signDigest(new Uint8Array(31))).rejects.toBeInstanceOf(ValidationError);
  });

  it('pings the key', async () => {
    await expect(signer.ping()).resolves.toBeUndefined();
  });
});
