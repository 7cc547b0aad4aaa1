import { constants } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
// The decrypting parts of the Encryption SDK only (client-node would bring the KMS client into the
// single-file verifier): no AWS client is loaded offline.
import { buildDecrypt } from '@aws-crypto/decrypt-node';
import { CommitmentPolicy } from '@aws-crypto/material-management-node';
import { RawRsaKeyringNode } from '@aws-crypto/raw-rsa-keyring-node';
import {
  auditorKeyName,
  auditorKeyNamespace,
  bundleAlgorithmSuiteId,
  bundleEncryptionPurpose,
} from '@evidence-portal/core/evidence';
import { MessageExtent } from './message-extent.js';

/** KMS plus at most one auditor: refusing more bounds the work a hostile message can cause. */
const maxEncryptedDataKeys = 2;

const esdk = buildDecrypt({ commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT, maxEncryptedDataKeys });

export interface DecryptingStream {
  /** The plaintext archive; errors if the key cannot open the message or a frame fails authentication. */
  plaintext: Readable;
  /** The message's encryption context, once its header was read and authenticated. */
  context: Promise<Record<string, string>>;
}

/**
 * Opens the outer AWS Encryption SDK message offline with the auditor's RSA private key (OAEP-SHA256,
 * the labels the portal wraps with): no KMS, no AWS credentials. Only unsigned messages of the bundle's
 * committing suite are accepted; each 1 MiB frame is authenticated before its bytes are released.
 */
export function decryptBundle(ciphertext: Readable, privateKeyPem: string): DecryptingStream {
  const keyring = new RawRsaKeyringNode({
    keyNamespace: auditorKeyNamespace,
    keyName: auditorKeyName,
    rsaKey: { privateKey: privateKeyPem },
    padding: constants.RSA_PKCS1_OAEP_PADDING,
    oaepHash: 'sha256',
  });
  const decrypting = esdk.decryptUnsignedMessageStream(keyring);
  const plaintext = new PassThrough();
  let settle: { resolve(value: Record<string, string>): void; reject(error: Error): void } | undefined;
  const context = new Promise<Record<string, string>>((resolve, reject) => {
    settle = { resolve, reject };
  });
  context.catch(() => undefined);
  const fail = (error: unknown) => {
    const failure = new Error(
      `the bundle does not decrypt with this key, or its ciphertext was altered (${error instanceof Error ? error.message : String(error)})`,
    );
    settle?.reject(failure);
    ciphertext.unpipe();
    extent.unpipe();
    extent.destroy();
    decrypting.destroy();
    plaintext.destroy(failure);
  };
  decrypting.once('MessageHeader', (header: { suiteId: number; encryptionContext: Record<string, string> }) => {
    if (header.suiteId !== bundleAlgorithmSuiteId) {
      fail(new Error(`unexpected algorithm suite 0x${header.suiteId.toString(16)}`));
      return;
    }
    if (header.encryptionContext.purpose !== bundleEncryptionPurpose) {
      fail(new Error('the encryption context does not name an evidence bundle'));
      return;
    }
    settle?.resolve({ ...header.encryptionContext });
  });
  const extent = new MessageExtent();
  ciphertext.on('error', fail);
  extent.on('error', fail);
  decrypting.on('error', fail);
  ciphertext.pipe(extent).pipe(decrypting).pipe(plaintext);
  return { plaintext, context };
}
