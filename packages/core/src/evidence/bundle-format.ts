/**
 * The evidence bundle format, v1 (docs/evidence-bundle-format.md): the names and constants both the
 * writer (the export job) and every verifier (the CLI, the openssl recipe) agree on.
 */

export const bundleFormat = 'evidence-portal.evidence-bundle.v1';
/** in-toto Statement v1 (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md). */
export const statementType = 'https://in-toto.io/Statement/v1';
/** The project's own predicate type: what the predicate below means. */
export const bundlePredicateType = 'https://evidence-portal.dev/evidence-bundle/v1';
/** DSSE payloadType of an in-toto statement. */
export const dssePayloadType = 'application/vnd.in-toto+json';

/** Member names of the plaintext archive (a POSIX ustar/pax tar; see the format spec for why tar). */
export const archiveNames = {
  /** Every evidence file lives under this prefix and is a subject of the statement. */
  filesPrefix: 'files/',
  manifest: 'manifest.json',
  envelope: 'manifest.dsse.json',
  /** The DER signature alone, so `openssl dgst -verify` needs no JSON tool. */
  signature: 'manifest.sig',
  signingKey: 'signing-key.pem',
  verifyGuide: 'VERIFY.md',
} as const;

/** The archive members that follow the files, in this order. */
export const trailerMembers = [
  archiveNames.manifest,
  archiveNames.envelope,
  archiveNames.signature,
  archiveNames.signingKey,
  archiveNames.verifyGuide,
] as const;

/**
 * File paths inside a bundle: a safe, shell- and grep-friendly alphabet (the openssl recipe extracts
 * subjects from manifest.json with grep/sed), no `..`, no empty segment, no absolute path.
 */
export const bundlePathPattern = /^files\/(?:[A-Za-z0-9][A-Za-z0-9._-]*\/)*[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const maxBundlePathLength = 200;

export function isBundlePath(path: string): boolean {
  return path.length <= maxBundlePathLength && bundlePathPattern.test(path) && !path.split('/').includes('..');
}

/** The encryption context of the outer AWS Encryption SDK message; `purpose` is this constant. */
export const bundleEncryptionPurpose = 'evidence-bundle';
export interface BundleEncryptionContext {
  orgId: string;
  bundleId: string;
  purpose: typeof bundleEncryptionPurpose;
}
export function bundleEncryptionContext(orgId: string, bundleId: string): BundleEncryptionContext {
  return { orgId, bundleId, purpose: bundleEncryptionPurpose };
}

/**
 * The auditor's RSA keyring labels in the message (key provider id / key info): encryption (KMS
 * adapter) and offline decryption (CLI) must name the same. OAEP with SHA-256, modulus >= 2048 bits.
 */
export const auditorKeyNamespace = 'evidence-portal';
export const auditorKeyName = 'auditor';
export const minimumAuditorRsaBits = 2048;

/** AWS Encryption SDK: committing, unsigned suite 0x0478 (ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY). */
export const bundleAlgorithmSuiteId = 0x0478;
/** 1 MiB frames (the SDK's default 4 KiB frames run at about a quarter of the speed). */
export const bundleFrameLength = 1024 * 1024;

/** First bytes of a v2 ESDK message with the bundle's suite: how a verifier tells it from a bare tar. */
export function isEncryptedBundle(head: Uint8Array): boolean {
  return head.length >= 3 && head[0] === 0x02 && head[1] === 0x04 && head[2] === 0x78;
}

/** One evidence file of a bundle (its path under files/, its kind for the predicate). */
export type BundleFileKind =
  | 'report'
  | 'agreement-acceptances'
  | 'coverage'
  | 'ledger-entries'
  | 'ledger-checkpoint'
  | 'ledger-inclusion-proof'
  | 'request';

export interface BundleContentEntry {
  path: string;
  kind: BundleFileKind;
  /** What the file is about (a download id, an account, a ledger seq), for `evidence inspect`. */
  ref?: string;
}

/** The predicate of the statement: what the organization attests, for whom, until when. */
export interface BundlePredicate {
  format: typeof bundleFormat;
  bundleId: string;
  org: { id: string; name: string };
  accounts: string[];
  requester: { id: string; email: string; accountId: string };
  purpose: string;
  issuedAt: string;
  expiresAt: string;
  /** The instant coverage statements are evaluated at. */
  asOf: string;
  /** The ledger checkpoint the included entries and proofs are anchored to (null: no ledger range). */
  ledger: { checkpoint: unknown; fromSeq: number; toSeq: number } | null;
  signingKey: { keyId: string; fingerprint: string };
  /** Who can open the outer layer: the KMS key, and the auditor's RSA key by its SPKI SHA-256. */
  recipients: Array<{ kind: 'kms' } | { kind: 'rsa'; fingerprint: string }>;
  contents: BundleContentEntry[];
}

export interface BundleSubject {
  name: string;
  digest: { sha256: string };
}

export interface BundleStatement {
  _type: typeof statementType;
  subject: BundleSubject[];
  predicateType: typeof bundlePredicateType;
  predicate: BundlePredicate;
}

/**
 * The exact manifest bytes: JSON with one subject per line, so `grep` and `sed` can turn the subjects
 * into `sha256sum -c` input (VERIFY.md). Any JSON parser reads it; the signature covers these bytes.
 */
export function serializeStatement(statement: BundleStatement): string {
  const subjects = statement.subject.map((subject) => `    ${JSON.stringify(subject)}`).join(',\n');
  return [
    '{',
    `  "_type": ${JSON.stringify(statement._type)},`,
    `  "subject": [\n${subjects}\n  ],`,
    `  "predicateType": ${JSON.stringify(statement.predicateType)},`,
    `  "predicate": ${JSON.stringify(statement.predicate)}`,
    '}',
    '',
  ].join('\n');
}
