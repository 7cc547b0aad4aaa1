import { constants, createPublicKey } from 'node:crypto';
import { type Duplex, PassThrough, type Readable } from 'node:stream';
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  type KeyringNode,
  KmsKeyringNode,
  type KmsKeyringNodeInput,
  MultiKeyringNode,
  RawRsaKeyringNode,
} from '@aws-crypto/client-node';
import { DescribeKeyCommand, KMS, type KMSClientConfig } from '@aws-sdk/client-kms';
import type { EncryptionContext, Keyring } from '@evidence-portal/core';
import { DomainError, IntegrityError, ValidationError } from '@evidence-portal/core';
import { isSdkError, translateKmsError } from './aws-errors.js';

/**
 * Committing and unsigned (STACK-NOTES.md): the bundle's DSSE signature already proves origin, and
 * the ESDK footer signature, made with a per-message key, would prove nothing about the publisher.
 */
export const bundleAlgorithmSuite = AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY;
export const streamFrameLength = 1024 * 1024;
/** How the auditor's RSA data key is labelled in the message; the CLI's decrypting keyring must match. */
export const auditorKeyNamespace = 'evidence-portal';
export const auditorKeyName = 'auditor';
/** KMS plus at most one auditor: refusing more bounds the work a hostile message can cause. */
const maxEncryptedDataKeys = 2;
const minimumRsaModulusBits = 2048;

/** The RSA keyring an auditor's offline tool uses (same labels and padding as encryption). */
export function auditorRsaKeyring(key: { publicKeyPem?: string; privateKeyPem?: string }): RawRsaKeyringNode {
  return new RawRsaKeyringNode({
    keyNamespace: auditorKeyNamespace,
    keyName: auditorKeyName,
    rsaKey: {
      ...(key.publicKeyPem ? { publicKey: key.publicKeyPem } : {}),
      ...(key.privateKeyPem ? { privateKey: key.privateKeyPem } : {}),
    },
    padding: constants.RSA_PKCS1_OAEP_PADDING,
    oaepHash: 'sha256',
  });
}

type KmsClientProvider = NonNullable<KmsKeyringNodeInput['clientProvider']>;
type EsdkKmsClient = Exclude<ReturnType<KmsClientProvider>, false>;

/**
 * Hands the keyring the shared KMS client, and remembers what KMS answered: the KMS keyring folds
 * decrypt failures into one generic error, and we need the SDK error to tell throttling from
 * tampering.
 */
class RecordingKms {
  readonly errors: unknown[] = [];
  readonly client: EsdkKmsClient;

  constructor(kms: KMS) {
    const record = <T>(promise: Promise<T>): Promise<T> =>
      promise.catch((error: unknown) => {
        this.errors.push(error);
        throw error;
      });
    this.client = {
      decrypt: (args) => record(kms.decrypt(args as Parameters<KMS['decrypt']>[0])),
      encrypt: (args) => record(kms.encrypt(args as Parameters<KMS['encrypt']>[0])),
      generateDataKey: (args) => record(kms.generateDataKey(args as Parameters<KMS['generateDataKey']>[0])),
    } as EsdkKmsClient;
  }
}

export type KmsEnvelopeKeyringOptions = {
  /** The full key ARN: the ESDK matches it against the KeyId KMS returns (STACK-NOTES.md). */
  keyArn: string;
} & (
  | { kms: KMS }
  | {
      /** Used to build the full `KMS` client the ESDK needs (a bare KMSClient lacks generateDataKey()). */
      kmsClientConfig: KMSClientConfig;
    }
);

/** The Keyring port: AWS Encryption SDK messages under a KMS key, optionally also to an auditor's RSA key. */
export class KmsEnvelopeKeyring implements Keyring {
  private readonly kms: KMS;
  private readonly keyArn: string;
  private readonly esdk = buildClient({
    commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
    maxEncryptedDataKeys,
  });

  constructor(options: KmsEnvelopeKeyringOptions) {
    if (!options.keyArn.startsWith('arn:')) throw new Error('KmsEnvelopeKeyring needs the full key ARN');
    this.keyArn = options.keyArn;
    this.kms = 'kms' in options ? options.kms : new KMS(options.kmsClientConfig);
  }

  async encrypt(plaintext: Uint8Array, context: EncryptionContext): Promise<Uint8Array> {
    const recording = new RecordingKms(this.kms);
    try {
      const { result } = await this.esdk.encrypt(this.kmsKeyring(recording), plaintext, {
        suiteId: bundleAlgorithmSuite,
        encryptionContext: { ...context },
      });
      return result;
    } catch (error) {
      throw encryptError(error, recording);
    }
  }

  async decrypt(ciphertext: Uint8Array, expectedContext: EncryptionContext): Promise<Uint8Array> {
    const recording = new RecordingKms(this.kms);
    try {
      const { plaintext, messageHeader } = await this.esdk.decrypt(this.kmsKeyring(recording), ciphertext);
      checkHeader(messageHeader, expectedContext);
      return plaintext;
    } catch (error) {
      throw decryptError(error, recording);
    }
  }

  encryptStream(
    plaintext: Readable,
    context: EncryptionContext,
    options?: { recipientRsaPublicKeyPem?: string },
  ): Readable {
    const recording = new RecordingKms(this.kms);
    const kmsKeyring = this.kmsKeyring(recording);
    let keyring: KeyringNode = kmsKeyring;
    if (options?.recipientRsaPublicKeyPem !== undefined) {
      checkRsaPublicKey(options.recipientRsaPublicKeyPem);
      // One KMS call (the generator); the auditor's copy of the data key is wrapped locally.
      keyring = new MultiKeyringNode({
        generator: kmsKeyring,
        children: [auditorRsaKeyring({ publicKeyPem: options.recipientRsaPublicKeyPem })],
      });
    }
    const encrypting = this.esdk.encryptStream(keyring, {
      suiteId: bundleAlgorithmSuite,
      encryptionContext: { ...context },
      frameLength: streamFrameLength,
    });
    return pipeTranslated(plaintext, encrypting, (error) => encryptError(error, recording), retireEncryptStream);
  }

  decryptStream(ciphertext: Readable, expectedContext: EncryptionContext): Readable {
    const recording = new RecordingKms(this.kms);
    // Unsigned-only decryption: we never write signed messages, so a signed one is not ours.
    const decrypting = this.esdk.decryptUnsignedMessageStream(this.kmsKeyring(recording));
    const output = pipeTranslated(ciphertext, decrypting, (error) => decryptError(error, recording));
    // The header arrives before any plaintext frame, so a wrong context releases no plaintext.
    decrypting.once('MessageHeader', (header: MessageHeaderLike) => {
      try {
        checkHeader(header, expectedContext);
      } catch (error) {
        decrypting.destroy(error as Error);
      }
    });
    return output;
  }

  async ping(): Promise<void> {
    try {
      await this.kms.send(new DescribeKeyCommand({ KeyId: this.keyArn }));
    } catch (error) {
      throw translateKmsError('DescribeKey', error);
    }
  }

  private kmsKeyring(recording: RecordingKms): KmsKeyringNode {
    return new KmsKeyringNode({
      clientProvider: () => recording.client,
      generatorKeyId: this.keyArn,
    });
  }
}

interface MessageHeaderLike {
  suiteId: number;
  encryptionContext: Readonly<Record<string, string>>;
}

function checkHeader(header: MessageHeaderLike, expected: EncryptionContext): void {
  if (header.suiteId !== bundleAlgorithmSuite) {
    throw new IntegrityError('Ciphertext uses an unexpected algorithm suite');
  }
  for (const [key, value] of Object.entries(expected)) {
    if (header.encryptionContext[key] !== value) {
      throw new IntegrityError('Encryption context does not match');
    }
  }
}

function checkRsaPublicKey(pem: string): void {
  let modulusBits: number | undefined;
  let type: string | undefined;
  try {
    const key = createPublicKey(pem);
    type = key.asymmetricKeyType;
    modulusBits = key.asymmetricKeyDetails?.modulusLength;
  } catch (error) {
    throw new ValidationError(
      'Recipient key is not a PEM public key',
      [{ path: 'recipientRsaPublicKeyPem', message: 'not a PEM public key' }],
      { cause: error },
    );
  }
  if (type !== 'rsa' || modulusBits === undefined || modulusBits < minimumRsaModulusBits) {
    throw new ValidationError('Recipient key must be RSA of at least 2048 bits', [
      { path: 'recipientRsaPublicKeyPem', message: `must be RSA >= ${minimumRsaModulusBits} bits` },
    ]);
  }
}

/** The KMS answer explains a failure better than the ESDK's wrapper around it. */
function kmsCause(error: unknown, recording: RecordingKms): unknown {
  if (isSdkError(error)) return error;
  return recording.errors.at(-1);
}

function encryptError(error: unknown, recording: RecordingKms): Error {
  if (error instanceof DomainError) return error;
  const sdkError = kmsCause(error, recording);
  if (sdkError !== undefined) return translateKmsError('GenerateDataKey', sdkError);
  return error instanceof Error ? error : new Error('Encryption failed', { cause: error });
}

/** Apart from KMS trouble, every decryption failure means wrong key, wrong context or altered bytes. */
function decryptError(error: unknown, recording: RecordingKms): Error {
  if (error instanceof DomainError) return error;
  const sdkError = kmsCause(error, recording);
  if (sdkError !== undefined) return translateKmsError('Decrypt', sdkError);
  return new IntegrityError('Ciphertext failed authentication', { cause: error });
}

/**
 * source -> transform -> returned stream, with failures translated once into core errors on the
 * returned stream, and the chain torn down if the consumer stops early.
 */
/**
 * The ESDK's encrypt stream pipes its inner streams with no error handler: destroyed mid-message, an
 * inner stream emits "Premature close" to nobody, an uncaught exception that ends the process (a
 * failed upload or a failed signature would take the export worker down). So an abandoned encryption
 * is finished instead, its output discarded (it is unpiped from ours), which also disposes its key.
 */
function retireEncryptStream(stream: Duplex): void {
  stream.on('error', () => undefined);
  stream.resume();
  stream.end();
}

function pipeTranslated(
  source: Readable,
  transform: Duplex,
  translate: (error: unknown) => Error,
  stop: (transform: Duplex) => void = (stream) => stream.destroy(),
): Readable {
  const output = new PassThrough();
  let failed = false;
  const fail = (error: unknown) => {
    if (failed) return;
    failed = true;
    const translated = translate(error);
    source.unpipe(transform);
    transform.unpipe(output);
    source.destroy();
    stop(transform);
    output.destroy(translated);
  };
  source.on('error', fail);
  transform.on('error', fail);
  output.once('close', () => {
    if (!output.writableFinished && !failed) {
      source.unpipe(transform);
      transform.unpipe(output);
      source.destroy();
      stop(transform);
    }
  });
  source.pipe(transform).pipe(output);
  return output;
}
