import { createPublicKey } from 'node:crypto';
import { DescribeKeyCommand, GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import type { Signer, SigningPublicKey } from '@evidence-portal/core';
import { sha256Hex, ValidationError } from '@evidence-portal/core';
import { translateKmsError, UnexpectedDependencyError } from './aws-errors.js';

const sha256DigestLength = 32;

/** The Signer port over a KMS asymmetric key (ECC_NIST_P256, ECDSA_SHA_256, digest mode). */
export class KmsSigner implements Signer {
  /** The public key never changes for a key id, so one fetch serves the process. */
  private publicKeyPromise: Promise<SigningPublicKey> | undefined;

  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
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
    if (!this.publicKeyPromise) {
      this.publicKeyPromise = this.fetchPublicKey();
      // A failed fetch (throttling, outage) must not be cached forever.
      this.publicKeyPromise.catch(() => {
        this.publicKeyPromise = undefined;
      });
    }
    return this.publicKeyPromise;
  }

  private async fetchPublicKey(): Promise<SigningPublicKey> {
    const result = await this.call('GetPublicKey', () => this.kms.send(new GetPublicKeyCommand({ KeyId: this.keyId })));
    if (!result.PublicKey) throw new UnexpectedDependencyError('kms', 'KMS GetPublicKey returned no key');
    if (result.KeySpec !== undefined && result.KeySpec !== 'ECC_NIST_P256') {
      throw new UnexpectedDependencyError('kms', `Signing key has spec ${result.KeySpec}, expected ECC_NIST_P256`);
    }
    const der = Buffer.from(result.PublicKey);
    const pem = createPublicKey({ key: der, format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' });
    return {
      keyId: result.KeyId ?? this.keyId,
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
