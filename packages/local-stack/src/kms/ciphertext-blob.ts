import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KmsError } from './kms-error.js';

/**
 * The local KMS server's own ciphertext blob format (version 1):
 *
 *   version (1 byte = 0x01) | key uuid (16 bytes) | IV (12 bytes) | GCM tag (16 bytes) | ciphertext
 *
 * AES-256-GCM under the key's 32-byte symmetric material. The AAD binds the header (version + key uuid)
 * and the canonical encryption context (entries sorted by key, JSON-encoded), so a blob decrypts only
 * under the key it names and with exactly the context it was encrypted with.
 */
const VERSION = 0x01;
const UUID_LENGTH = 16;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const HEADER_LENGTH = 1 + UUID_LENGTH;
const MIN_LENGTH = HEADER_LENGTH + IV_LENGTH + TAG_LENGTH;

export type EncryptionContext = Readonly<Record<string, string>>;

export function canonicalEncryptionContext(context: EncryptionContext): Buffer {
  const entries = Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(entries), 'utf8');
}

function uuidToBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error(`not a uuid: ${uuid}`);
  return Buffer.from(hex, 'hex');
}

function bytesToUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function aad(header: Buffer, context: EncryptionContext): Buffer {
  return Buffer.concat([header, canonicalEncryptionContext(context)]);
}

export function sealCiphertextBlob(
  keyId: string,
  keyMaterial: Buffer,
  plaintext: Buffer,
  context: EncryptionContext,
): Buffer {
  const header = Buffer.concat([Buffer.of(VERSION), uuidToBytes(keyId)]);
  const iv = randomBytes(IV_LENGTH);
  const cipher = createCipheriv('aes-256-gcm', keyMaterial, iv, { authTagLength: TAG_LENGTH });
  cipher.setAAD(aad(header, context));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
}

/** Reads the key uuid a blob names, without decrypting. Throws InvalidCiphertextException on a malformed blob. */
export function ciphertextBlobKeyId(blob: Buffer): string {
  if (blob.length < MIN_LENGTH || blob[0] !== VERSION) {
    throw new KmsError('InvalidCiphertextException', 'The ciphertext is not a valid ciphertext blob.');
  }
  return bytesToUuid(blob.subarray(1, HEADER_LENGTH));
}

export function openCiphertextBlob(blob: Buffer, keyMaterial: Buffer, context: EncryptionContext): Buffer {
  ciphertextBlobKeyId(blob);
  const header = blob.subarray(0, HEADER_LENGTH);
  const iv = blob.subarray(HEADER_LENGTH, HEADER_LENGTH + IV_LENGTH);
  const tag = blob.subarray(HEADER_LENGTH + IV_LENGTH, MIN_LENGTH);
  const body = blob.subarray(MIN_LENGTH);
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyMaterial, iv, { authTagLength: TAG_LENGTH });
    decipher.setAAD(aad(header, context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new KmsError(
      'InvalidCiphertextException',
      'The ciphertext is invalid or the encryption context does not match.',
    );
  }
}
