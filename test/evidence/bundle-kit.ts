import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { buildClient, CommitmentPolicy, RawRsaKeyringNode } from '@aws-crypto/client-node';
import {
  type BundleFileSource,
  type BundlePredicate,
  bundleEncryptionContext,
  bundleFormat,
  canonicalBody,
  checkpointFormat,
  inclusionProof,
  inclusionProofFormat,
  type LedgerEntryBody,
  leafHash,
  merkleRoot,
  type SignedCheckpoint,
  type SigningPublicKey,
  signedCheckpointBytes,
  writeBundleArchive,
} from '@evidence-portal/core';
import {
  auditorKeyName,
  auditorKeyNamespace,
  bundleAlgorithmSuiteId,
  bundleFrameLength,
} from '@evidence-portal/core/evidence';
import { p256 } from '@noble/curves/nist.js';

/**
 * A P-256 key that signs digests the way KMS does (DIGEST mode, DER signature), for bundles built
 * without the local stack. node:crypto would hash the digest again, hence @noble/curves.
 */
export function testSigningKey(keyPair = generateKeyPairSync('ec', { namedCurve: 'P-256' })) {
  const { privateKey, publicKey } = keyPair;
  const d = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  const key: SigningPublicKey = {
    keyId: 'arn:aws:kms:us-east-1:000000000000:key/test-signing-key',
    pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    fingerprint: createHash('sha256').update(der).digest('hex'),
    algorithm: 'ECDSA_SHA_256',
  };
  return {
    key,
    privateKey,
    signer: { signDigest: async (digest: Uint8Array) => p256.sign(digest, d, { prehash: false, format: 'der' }) },
    signCheckpoint(body: Omit<SignedCheckpoint, 'keyId' | 'keyFingerprint' | 'signature'>): SignedCheckpoint {
      const named = { ...body, keyId: key.keyId, keyFingerprint: key.fingerprint };
      const digest = createHash('sha256').update(signedCheckpointBytes(named)).digest();
      const signature = p256.sign(digest, d, { prehash: false, format: 'der' });
      return { ...named, signature: Buffer.from(signature).toString('base64') };
    },
  };
}
export type TestSigningKey = ReturnType<typeof testSigningKey>;

export function testAuditorKey(): { publicKeyPem: string; privateKeyPem: string; fingerprint: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return fromRsaKey(privateKey, publicKey);
}

export function fromRsaKey(privateKey: KeyObject, publicKey: KeyObject) {
  return {
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    fingerprint: createHash('sha256')
      .update(publicKey.export({ format: 'der', type: 'spki' }))
      .digest('hex'),
  };
}

export function rsaKeyFromPem(privateKeyPem: string) {
  const privateKey = createPrivateKey(privateKeyPem);
  return fromRsaKey(privateKey, createPublicKey(privateKey));
}

const esdk = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);

/** The outer layer exactly as the portal writes it, but wrapped to the RSA key alone (no KMS). */
export function encryptToRsa(plaintext: Readable, context: Record<string, string>, publicKeyPem: string): Readable {
  const keyring = new RawRsaKeyringNode({
    keyNamespace: auditorKeyNamespace,
    keyName: auditorKeyName,
    rsaKey: { publicKey: publicKeyPem },
    padding: constants.RSA_PKCS1_OAEP_PADDING,
    oaepHash: 'sha256',
  });
  return plaintext.pipe(
    esdk.encryptStream(keyring, {
      suiteId: bundleAlgorithmSuiteId,
      encryptionContext: context,
      frameLength: bundleFrameLength,
    }),
  );
}

export const memoryFile = (path: string, data: string | Uint8Array): BundleFileSource => {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  return { path, open: () => ({ size: bytes.length, body: Readable.from([bytes]) }) };
};

/** A small ledger of `size` entries, checkpointed by `key`, and the inclusion proof documents of `seqs`. */
export function testLedger(key: TestSigningKey, orgId: string, size: number, seqs: number[]) {
  const bodies: LedgerEntryBody[] = [];
  for (let seq = 1; seq <= size; seq++) {
    bodies.push({
      orgId,
      seq,
      time: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      actor: { type: 'user', id: 'u-auditor', email: 'auditor@example.com' },
      action: 'report:Downloaded',
      subject: `arn:portal:${orgId}:111111111111:download/dl-${seq}`,
      accountId: '111111111111',
      details: { copy: seq },
    });
  }
  const leaves = bodies.map(leafHash);
  const checkpoint = key.signCheckpoint({
    format: checkpointFormat,
    org: orgId,
    size,
    merkleRoot: merkleRoot(leaves),
    time: new Date(Date.UTC(2026, 0, 2)).toISOString(),
    previous: null,
  });
  const proofs = seqs.map((seq) => ({
    seq,
    document: {
      format: inclusionProofFormat,
      entry: JSON.parse(canonicalBody(bodies[seq - 1] as LedgerEntryBody)) as LedgerEntryBody,
      checkpoint,
      proof: inclusionProof(leaves, seq - 1),
    },
  }));
  return { checkpoint, proofs };
}

export interface TestBundleOptions {
  key: TestSigningKey;
  bundleId?: string;
  orgId?: string;
  files?: BundleFileSource[];
  issuedAt?: string;
  expiresAt?: string;
  /** Ledger entries proven (default two of a ten-entry ledger); [] for no ledger range. */
  proofSeqs?: number[];
  auditorFingerprint?: string;
}

/** The plaintext layer of a bundle with reports, coverage and ledger proofs, as the export job writes it. */
export function testBundleArchive(options: TestBundleOptions): Readable {
  const orgId = options.orgId ?? 'o-example';
  const bundleId = options.bundleId ?? 'eb-test';
  const seqs = options.proofSeqs ?? [3, 7];
  const files = [...(options.files ?? defaultFiles())];
  const contents: BundlePredicate['contents'] = files.map((file) => ({
    path: file.path,
    kind: file.path.endsWith('.pdf') ? 'report' : 'coverage',
  }));
  let ledger: BundlePredicate['ledger'] = null;
  if (seqs.length > 0) {
    const { checkpoint, proofs } = testLedger(options.key, orgId, 10, seqs);
    files.push(memoryFile('files/ledger/checkpoint.json', `${JSON.stringify(checkpoint, null, 2)}\n`));
    contents.push({ path: 'files/ledger/checkpoint.json', kind: 'ledger-checkpoint' });
    for (const { seq, document } of proofs) {
      const path = `files/ledger/proofs/${String(seq).padStart(12, '0')}.json`;
      files.push(memoryFile(path, `${JSON.stringify(document, null, 2)}\n`));
      contents.push({ path, kind: 'ledger-inclusion-proof', ref: `seq ${seq}` });
    }
    ledger = { checkpoint, fromSeq: Math.min(...seqs), toSeq: Math.max(...seqs) };
  }
  const issuedAt = options.issuedAt ?? '2026-06-01T12:00:00.000Z';
  return writeBundleArchive({
    files,
    signer: options.key.signer,
    signingKey: options.key.key,
    predicate: {
      format: bundleFormat,
      bundleId,
      org: { id: orgId, name: 'Example Corp' },
      accounts: ['111111111111'],
      requester: { id: 'u-auditor', email: 'auditor@example.com', accountId: '111111111111' },
      purpose: 'FY2026 SOC 2 audit',
      issuedAt,
      expiresAt: options.expiresAt ?? '2099-01-01T00:00:00.000Z',
      asOf: issuedAt,
      ledger,
      recipients: [
        { kind: 'kms' },
        ...(options.auditorFingerprint ? [{ kind: 'rsa' as const, fingerprint: options.auditorFingerprint }] : []),
      ],
      contents,
    },
  });
}

export function defaultFiles(): BundleFileSource[] {
  return [
    memoryFile('files/reports/soc2-type2-v1-dl-1.pdf', '%PDF-1.7 watermarked copy for auditor@example.com\n%%EOF\n'),
    memoryFile(
      'files/agreements/coverage.json',
      `${JSON.stringify({ asOf: '2026-06-01T12:00:00.000Z', statements: [{ accountId: '111111111111', agreementId: 'baa', covered: true }] }, null, 2)}\n`,
    ),
  ];
}

/** A whole encrypted bundle in memory (tests keep them small). */
export async function testBundle(
  options: TestBundleOptions & { auditor: { publicKeyPem: string; fingerprint: string } },
) {
  const orgId = options.orgId ?? 'o-example';
  const bundleId = options.bundleId ?? 'eb-test';
  const plaintext = await buffer(testBundleArchive({ ...options, auditorFingerprint: options.auditor.fingerprint }));
  const ciphertext = await buffer(
    encryptToRsa(
      Readable.from([plaintext]),
      { ...bundleEncryptionContext(orgId, bundleId) },
      options.auditor.publicKeyPem,
    ),
  );
  return { plaintext, ciphertext };
}
