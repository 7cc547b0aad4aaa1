import type { Readable } from 'node:stream';

/** Public half of the signing key, as an auditor receives it. */
export interface SigningPublicKey {
  keyId: string;
  /** SubjectPublicKeyInfo, PEM. */
  pem: string;
  /** Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo. */
  fingerprint: string;
  algorithm: 'ECDSA_SHA_256';
}

/**
 * Asymmetric signing (KMS ECC_NIST_P256 / ECDSA_SHA_256). The caller hashes; the key signs the
 * 32-byte digest, so large documents never travel to the key service.
 */
export interface Signer {
  /** Returns a DER-encoded ECDSA signature over the given SHA-256 digest. */
  signDigest(digest: Uint8Array): Promise<Uint8Array>;
  /** The key that signs now. */
  publicKey(): Promise<SigningPublicKey>;
  /**
   * Every key whose signatures the portal still vouches for: the current key first, then the keys it
   * replaced (a key rotation retires a key from signing, not from verifying). Taken from the key
   * service and the deployment's configuration, never from the table.
   */
  verificationKeys(): Promise<SigningPublicKey[]>;
  ping(): Promise<void>;
}

export type EncryptionContext = Readonly<Record<string, string>>;

/**
 * Envelope encryption (AWS Encryption SDK message format, KMS keyring). The encryption context is
 * bound to the ciphertext and checked on decryption.
 */
export interface Keyring {
  encrypt(plaintext: Uint8Array, context: EncryptionContext): Promise<Uint8Array>;
  /** Throws IntegrityError if the ciphertext was altered or its context differs from `expectedContext`. */
  decrypt(ciphertext: Uint8Array, expectedContext: EncryptionContext): Promise<Uint8Array>;
  /** Streaming variants: memory stays flat whatever the size. */
  encryptStream(
    plaintext: Readable,
    context: EncryptionContext,
    options?: { recipientRsaPublicKeyPem?: string },
  ): Readable;
  decryptStream(ciphertext: Readable, expectedContext: EncryptionContext): Readable;
  ping(): Promise<void>;
}
