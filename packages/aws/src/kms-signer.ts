import { createPublicKey } from 'node:crypto';
import { DescribeKeyCommand, GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import type { Signer, SigningPublicKey } from '@evidence-portal/core';
import { sha256Hex, ValidationError } from '@evidence-portal/core';
import { translateKmsError, UnexpectedDependencyError } from './aws-errors.js';

const sha256DigestLength = 32;

/**
 * The Signer port over a KMS asymmetric key (ECC_NIST_P256, ECDSA_SHA_256, digest mode). After a key
 * rotation the retired keys are given as `previousKeyIds`: they sign nothing, but their public keys
 * stay listed so old checkpoints and bundles verify with the key they name.
 */
export class KmsSigner implements Signer {
  /** A public key never changes for a key id, so one fetch per key serves the process. */
  private readonly publicKeys = new Map<string, Promise<SigningPublicKey>>();

  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
    private readonly previousKeyIds: readonly string[] = [],
  ) {}

  async signDigest(digest: Uint8Array): Promise<Uint8Array> {
    if (digest.length !== sha256DigestLength) {
      throw new ValidationError('Digest must be a SHA-256 digest', [
        { path: 'digest', message: `expected ${sha256DigestLength} bytes, got ${digest.length}` },
      ]);
    }
    const result = await this.call('Sign', () =>
      this.kms.send(
        new SignCommand({
          KeyId: this.keyId,
          Message: digest,
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    );
    if (!result.Signature) throw new UnexpectedDependencyError('kms', 'KMS Sign returned no signature');
    return result.Signature;
  }

  publicKey(): Promise<SigningPublicKey> {
    return this.publicKeyOf(this.keyId);
  }

  async verificationKeys(): Promise<SigningPublicKey[]> {
    const keys = await Promise.all([this.keyId, ...this.previousKeyIds].map((id) => this.publicKeyOf(id)));
    // The same key configured twice (an alias and its ARN) is listed once.
    return keys.filter((key, i) => keys.findIndex((other) => other.fingerprint === key.fingerprint) === i);
  }

  private publicKeyOf(keyId: string): Promise<SigningPublicKey> {
    let key = this.publicKeys.get(keyId);
    if (!key) {
      key = this.fetchPublicKey(keyId);
      this.publicKeys.set(keyId, key);
      // A failed fetch (throttling, outage) must not be cached forever.
      key.catch(() => this.publicKeys.delete(keyId));
    }
    return key;
  }

  private async fetchPublicKey(keyId: string): Promise<SigningPublicKey> {
    const result = await this.call('GetPublicKey', () => this.kms.send(new GetPublicKeyCommand({ KeyId: keyId })));
    if (!result.PublicKey) throw new UnexpectedDependencyError('kms', 'KMS GetPublicKey returned no key');
    if (result.KeySpec !== undefined && result.KeySpec !== 'ECC_NIST_P256') {
      throw new UnexpectedDependencyError('kms', `Signing key has spec ${result.KeySpec}, expected ECC_NIST_P256`);
    }
    const der = Buffer.from(result.PublicKey);
    const pem = createPublicKey({ key: der, format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' });
    return {
      keyId: result.KeyId ?? keyId,
      pem: pem.toString(),
      fingerprint: sha256Hex(der),
      algorithm: 'ECDSA_SHA_256',
    };
  }

  async ping(): Promise<void> {
    await this.call('DescribeKey', () => this.kms.send(new DescribeKeyCommand({ KeyId: this.keyId })));
  }

  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw translateKmsError(operation, error);
    }
  }
}
