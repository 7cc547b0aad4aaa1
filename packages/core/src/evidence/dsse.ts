import { createHash, createPublicKey, verify } from 'node:crypto';
import type { Signer, SigningPublicKey } from '../ports/crypto.js';

/**
 * DSSE v1 (https://github.com/secure-systems-lab/dsse/blob/master/protocol.md). The signature is
 * over PAE(payloadType, payload); the portal sends SHA-256(PAE) to KMS as a DIGEST (ECDSA_SHA_256 over
 * P-256), so the envelope's `sig` is exactly what KMS returns: a **DER** (ASN.1 SEQUENCE of r, s)
 * ECDSA signature, not the raw 64-byte r||s (IEEE P1363) form. openssl and node:crypto verify DER as
 * is; WebCrypto wants r||s and a verifier using it converts (derToRawSignature below).
 */
export interface DsseEnvelope {
  payloadType: string;
  /** Standard base64 of the payload bytes. */
  payload: string;
  signatures: Array<{ keyid: string; sig: string }>;
}

/** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in ASCII decimal bytes. */
export function preAuthEncoding(payloadType: string, payload: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'ascii'),
    type,
    Buffer.from(` ${payload.length} `, 'ascii'),
    Buffer.from(payload),
  ]);
}

/** Signs the payload through the Signer port (KMS: the digest travels, never the document). */
export async function signEnvelope(
  signer: Pick<Signer, 'signDigest'>,
  key: Pick<SigningPublicKey, 'fingerprint'>,
  payloadType: string,
  payload: Uint8Array,
): Promise<{ envelope: DsseEnvelope; signatureDer: Uint8Array }> {
  const digest = createHash('sha256').update(preAuthEncoding(payloadType, payload)).digest();
  const signatureDer = await signer.signDigest(digest);
  return {
    envelope: {
      payloadType,
      payload: Buffer.from(payload).toString('base64'),
      // keyid: the hex SHA-256 of the signing key's DER SubjectPublicKeyInfo, as checkpoints name it.
      signatures: [{ keyid: key.fingerprint, sig: Buffer.from(signatureDer).toString('base64') }],
    },
    signatureDer,
  };
}

/** True only if `publicKeyPem` made this DER signature over PAE(payloadType, payload). */
export function verifyDsseSignature(
  publicKeyPem: string,
  payloadType: string,
  payload: Uint8Array,
  signatureDer: Uint8Array,
): boolean {
  try {
    return verify(
      'sha256',
      preAuthEncoding(payloadType, payload),
      { key: createPublicKey(publicKeyPem), dsaEncoding: 'der' },
      signatureDer,
    );
  } catch {
    return false;
  }
}

/**
 * DER ECDSA signature -> raw r||s (each left-padded to 32 bytes), for verifiers built on WebCrypto.
 * Throws on anything that is not a well-formed DER SEQUENCE of two positive INTEGERs.
 */
export function derToRawSignature(der: Uint8Array, size = 32): Buffer {
  const bytes = Buffer.from(der);
  let offset = 0;
  const expect = (tag: number) => {
    if (bytes[offset++] !== tag) throw new Error('not a DER ECDSA signature');
    const length = bytes[offset++];
    if (length === undefined || length > 0x7f) throw new Error('not a DER ECDSA signature');
    return length;
  };
  const total = expect(0x30);
  if (total !== bytes.length - 2) throw new Error('not a DER ECDSA signature');
  const parts: Buffer[] = [];
  for (let i = 0; i < 2; i++) {
    const length = expect(0x02);
    let value = bytes.subarray(offset, offset + length);
    offset += length;
    if (value.length !== length) throw new Error('not a DER ECDSA signature');
    while (value.length > size && value[0] === 0) value = value.subarray(1);
    if (value.length > size) throw new Error('not a DER ECDSA signature');
    parts.push(Buffer.concat([Buffer.alloc(size - value.length), value]));
  }
  if (offset !== bytes.length) throw new Error('not a DER ECDSA signature');
  return Buffer.concat(parts);
}

/** SPKI PEM as openssl and node write it: the armour, base64 in 64-character lines, one final newline. */
export function canonicalPem(pem: string): string | undefined {
  try {
    return createPublicKey(pem).export({ format: 'pem', type: 'spki' }).toString();
  } catch {
    return undefined;
  }
}
