import { createHash, randomBytes } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { ciphertextBlobKeyId, openCiphertextBlob, sealCiphertextBlob } from './ciphertext-blob.js';
import type { KeyRecord, KeySpec, KeyStore, KeyUsage } from './key-store.js';
import { p256PublicKeySpki } from './key-store.js';
import { KmsError } from './kms-error.js';
import type { RequestBody } from './request-fields.js';
import {
  optionalEncryptionContext,
  optionalInteger,
  optionalString,
  requireBlob,
  requireString,
} from './request-fields.js';

/** The KMS operations of the local server: `TrentService.<name>` -> handler(request body) -> response body. */
export type Operation = (store: KeyStore, body: RequestBody) => Promise<object>;

const MAX_PLAINTEXT_BYTES = 4096;
const MAX_MESSAGE_BYTES = 4096;
const MAX_CIPHERTEXT_BYTES = 6144;
const MAX_SIGNATURE_BYTES = 6144;
const SIGNING_ALGORITHM = 'ECDSA_SHA_256';
const ENCRYPTION_ALGORITHM = 'SYMMETRIC_DEFAULT';

function keyMetadata(store: KeyStore, key: KeyRecord): object {
  return {
    AWSAccountId: store.accountId,
    KeyId: key.keyId,
    Arn: store.keyArn(key.keyId),
    CreationDate: key.creationDate,
    Enabled: true,
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: 'Enabled',
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    MultiRegion: false,
    ...(key.keySpec === 'SYMMETRIC_DEFAULT'
      ? { EncryptionAlgorithms: [ENCRYPTION_ALGORITHM] }
      : { SigningAlgorithms: [SIGNING_ALGORITHM] }),
  };
}

function requireUsage(store: KeyStore, key: KeyRecord, usage: KeyUsage, operation: string): void {
  if (key.keyUsage !== usage) {
    throw new KmsError(
      'InvalidKeyUsageException',
      `${store.keyArn(key.keyId)} key usage is ${key.keyUsage} which is not valid for ${operation}.`,
    );
  }
}

function material(key: KeyRecord): Buffer {
  return Buffer.from(key.material, 'base64');
}

function checkEncryptionAlgorithm(body: RequestBody): void {
  const algorithm = optionalString(body, 'EncryptionAlgorithm');
  if (algorithm !== undefined && algorithm !== ENCRYPTION_ALGORITHM) {
    throw new KmsError('InvalidKeyUsageException', `EncryptionAlgorithm ${algorithm} is not supported by this key`);
  }
}

/** The 32-byte digest to sign or verify: sha256(message) for RAW, the message itself for DIGEST. */
function signingDigest(store: KeyStore, body: RequestBody, operation: string): { key: KeyRecord; digest: Buffer } {
  const key = store.resolveKey(requireString(body, 'KeyId'));
  const message = requireBlob(body, 'Message', 1, MAX_MESSAGE_BYTES);
  const messageType = optionalString(body, 'MessageType') ?? 'RAW';
  const algorithm = requireString(body, 'SigningAlgorithm');
  requireUsage(store, key, 'SIGN_VERIFY', operation);
  if (algorithm !== SIGNING_ALGORITHM) {
    throw new KmsError('InvalidKeyUsageException', `SigningAlgorithm ${algorithm} is not supported by this key`);
  }
  if (messageType === 'RAW') return { key, digest: createHash('sha256').update(message).digest() };
  if (messageType === 'DIGEST') {
    if (message.length !== 32) {
      throw new KmsError('ValidationException', 'Digest is invalid length for algorithm ECDSA_SHA_256.');
    }
    return { key, digest: message };
  }
  throw new KmsError('ValidationException', `MessageType must be RAW or DIGEST, got ${messageType}`);
}

function encryptUnder(store: KeyStore, key: KeyRecord, plaintext: Buffer, body: RequestBody): Buffer {
  requireUsage(store, key, 'ENCRYPT_DECRYPT', 'Encrypt');
  return sealCiphertextBlob(key.keyId, material(key), plaintext, optionalEncryptionContext(body));
}

const createKey: Operation = async (store, body) => {
  const keySpec =
    optionalString(body, 'KeySpec') ?? optionalString(body, 'CustomerMasterKeySpec') ?? 'SYMMETRIC_DEFAULT';
  const defaultUsage: KeyUsage = keySpec === 'SYMMETRIC_DEFAULT' ? 'ENCRYPT_DECRYPT' : 'SIGN_VERIFY';
  const keyUsage = optionalString(body, 'KeyUsage') ?? defaultUsage;
  const description = optionalString(body, 'Description') ?? '';
  if (keySpec !== 'SYMMETRIC_DEFAULT' && keySpec !== 'ECC_NIST_P256') {
    throw new KmsError('UnsupportedOperationException', `KeySpec ${keySpec} is not supported by the local KMS`);
  }
  if (keyUsage !== defaultUsage) {
    throw new KmsError('ValidationException', `KeyUsage ${keyUsage} is not valid for KeySpec ${keySpec}`);
  }
  if (description.length > 8192) throw new KmsError('ValidationException', 'Description is too long');
  const key = await store.createKey(keySpec as KeySpec, keyUsage, description);
  return { KeyMetadata: keyMetadata(store, key) };
};

const describeKey: Operation = async (store, body) => {
  const key = store.resolveKey(requireString(body, 'KeyId'));
  return { KeyMetadata: keyMetadata(store, key) };
};

const createAlias: Operation = async (store, body) => {
  await store.createAlias(requireString(body, 'AliasName'), requireString(body, 'TargetKeyId'));
  return {};
};

const listAliases: Operation = async (store, body) => {
  const keyId = optionalString(body, 'KeyId');
  const filter = keyId === undefined ? undefined : store.resolveKey(keyId).keyId;
  const aliases = store
    .listAliases()
    .filter((alias) => filter === undefined || alias.targetKeyId === filter)
    .map((alias) => ({
      AliasName: alias.aliasName,
      AliasArn: store.aliasArn(alias.aliasName),
      TargetKeyId: alias.targetKeyId,
      CreationDate: alias.creationDate,
      LastUpdatedDate: alias.creationDate,
    }));
  return { Aliases: aliases, Truncated: false };
};

const getPublicKey: Operation = async (store, body) => {
  const key = store.resolveKey(requireString(body, 'KeyId'));
  if (key.keySpec !== 'ECC_NIST_P256') {
    throw new KmsError('UnsupportedOperationException', `${store.keyArn(key.keyId)} is not an asymmetric key`);
  }
  return {
    KeyId: store.keyArn(key.keyId),
    PublicKey: p256PublicKeySpki(material(key)).toString('base64'),
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    KeyUsage: key.keyUsage,
    SigningAlgorithms: [SIGNING_ALGORITHM],
  };
};

const sign: Operation = async (store, body) => {
  const { key, digest } = signingDigest(store, body, 'Sign');
  const signature = p256.sign(digest, material(key), { prehash: false, format: 'der' });
  return {
    KeyId: store.keyArn(key.keyId),
    Signature: Buffer.from(signature).toString('base64'),
    SigningAlgorithm: SIGNING_ALGORITHM,
  };
};

const verify: Operation = async (store, body) => {
  const { key, digest } = signingDigest(store, body, 'Verify');
  const signature = requireBlob(body, 'Signature', 1, MAX_SIGNATURE_BYTES);
  let valid = false;
  try {
    const publicKey = p256.getPublicKey(material(key), false);
    valid = p256.verify(signature, digest, publicKey, { prehash: false, format: 'der', lowS: false });
  } catch {
    valid = false; // malformed DER is simply an invalid signature, as in real KMS
  }
  if (!valid) throw new KmsError('KMSInvalidSignatureException', 'The signature is invalid.');
  return { KeyId: store.keyArn(key.keyId), SignatureValid: true, SigningAlgorithm: SIGNING_ALGORITHM };
};

const generateDataKey: Operation = async (store, body) => {
  const key = store.resolveKey(requireString(body, 'KeyId'));
  const numberOfBytes = optionalInteger(body, 'NumberOfBytes', 1, 1024);
  const keySpec = optionalString(body, 'KeySpec');
  if ((numberOfBytes === undefined) === (keySpec === undefined)) {
    throw new KmsError('ValidationException', 'Exactly one of KeySpec or NumberOfBytes is required');
  }
  let length = numberOfBytes ?? 0;
  if (keySpec === 'AES_256') length = 32;
  else if (keySpec === 'AES_128') length = 16;
  else if (keySpec !== undefined) throw new KmsError('ValidationException', `KeySpec ${keySpec} is not valid`);
  const plaintext = randomBytes(length);
  const ciphertext = encryptUnder(store, key, plaintext, body);
  return {
    KeyId: store.keyArn(key.keyId),
    Plaintext: plaintext.toString('base64'),
    CiphertextBlob: ciphertext.toString('base64'),
  };
};

const encrypt: Operation = async (store, body) => {
  const key = store.resolveKey(requireString(body, 'KeyId'));
  const plaintext = requireBlob(body, 'Plaintext', 1, MAX_PLAINTEXT_BYTES);
  checkEncryptionAlgorithm(body);
  const ciphertext = encryptUnder(store, key, plaintext, body);
  return {
    KeyId: store.keyArn(key.keyId),
    CiphertextBlob: ciphertext.toString('base64'),
    EncryptionAlgorithm: ENCRYPTION_ALGORITHM,
  };
};

const decrypt: Operation = async (store, body) => {
  const blob = requireBlob(body, 'CiphertextBlob', 1, MAX_CIPHERTEXT_BYTES);
  const requestedKeyId = optionalString(body, 'KeyId');
  const context = optionalEncryptionContext(body);
  checkEncryptionAlgorithm(body);
  const requested = requestedKeyId === undefined ? undefined : store.resolveKey(requestedKeyId);
  const blobKeyId = ciphertextBlobKeyId(blob);
  let key: KeyRecord;
  try {
    key = store.resolveKey(blobKeyId);
  } catch {
    throw new KmsError('InvalidCiphertextException', 'The ciphertext refers to a key that does not exist.');
  }
  if (requested !== undefined && requested.keyId !== key.keyId) {
    throw new KmsError(
      'IncorrectKeyException',
      'The key ID in the request does not identify the key that encrypted the ciphertext.',
    );
  }
  requireUsage(store, key, 'ENCRYPT_DECRYPT', 'Decrypt');
  const plaintext = openCiphertextBlob(blob, material(key), context);
  return {
    KeyId: store.keyArn(key.keyId),
    Plaintext: plaintext.toString('base64'),
    EncryptionAlgorithm: ENCRYPTION_ALGORITHM,
  };
};

export const operations: ReadonlyMap<string, Operation> = new Map([
  ['CreateKey', createKey],
  ['DescribeKey', describeKey],
  ['CreateAlias', createAlias],
  ['ListAliases', listAliases],
  ['GetPublicKey', getPublicKey],
  ['Sign', sign],
  ['Verify', verify],
  ['GenerateDataKey', generateDataKey],
  ['Encrypt', encrypt],
  ['Decrypt', decrypt],
]);
